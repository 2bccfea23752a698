/**
 * What a PNG's chunks say, read as the bytes stream past (no image library: community nodes
 * ship no dependencies, and `zlib` is not among the modules n8n's scanner allows, so pixels are
 * inflated with the web-standard `DecompressionStream` built into Node):
 *
 * - whether the file is complete: its chunks run through IDAT to IEND (a cut upload or download
 *   is caught before it is paid for);
 * - for masks: whether any pixel is fully transparent (alpha 0), reading row by row and stopping
 *   at the first one, so memory holds two rows, never the decoded image.
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Chunks kept whole (they are small); IDAT data is kept only when asked, up to a limit. */
const SMALL_CHUNKS = new Set(['IHDR', 'tRNS']);
const MAX_SMALL_CHUNK = 1024;

export interface PngLayout {
	width: number;
	height: number;
	bitDepth: number;
	colourType: number;
	interlaced: boolean;
	/** The tRNS chunk's data, when there is one. */
	transparency?: Uint8Array;
}

/** Walks a PNG's chunk structure from bytes pushed in any slices. */
export class PngWalker {
	private state: 'signature' | 'header' | 'data' | 'end' | 'notPng' = 'signature';
	private pending: number[] = [];
	private type = '';
	private dataLeft = 0;
	private crcLeft = 0;
	private small: number[] = [];
	private sawIdat = false;
	private idatBytes = 0;
	/** IDAT data, when kept (`keepPixelsUpTo` > 0). */
	readonly pixelData: Uint8Array[] = [];
	private readonly chunks = new Map<string, Uint8Array>();

	constructor(private readonly keepPixelsUpTo = 0) {}

	push(bytes: Uint8Array): void {
		let i = 0;
		while (i < bytes.length && this.state !== 'end' && this.state !== 'notPng') {
			if (this.state === 'signature' || this.state === 'header') {
				this.pending.push(bytes[i++]);
				if (this.pending.length < 8) continue;
				if (this.state === 'signature') {
					this.state = this.pending.every((byte, index) => byte === SIGNATURE[index]) ? 'header' : 'notPng';
				} else {
					const [a, b, c, d, ...type] = this.pending;
					this.dataLeft = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
					this.type = String.fromCharCode(...type);
					this.crcLeft = 4;
					this.small = [];
					this.state = 'data';
					if (this.type === 'IDAT') this.sawIdat = true;
				}
				this.pending = [];
				if (this.state === 'data' && this.dataLeft === 0) this.chunkDataDone();
				continue;
			}
			// state 'data': the chunk's data, then its CRC
			if (this.dataLeft > 0) {
				const take = Math.min(this.dataLeft, bytes.length - i);
				const slice = bytes.subarray(i, i + take);
				if (SMALL_CHUNKS.has(this.type) && this.small.length + take <= MAX_SMALL_CHUNK) this.small.push(...slice);
				if (this.type === 'IDAT' && this.idatBytes + take <= this.keepPixelsUpTo) this.pixelData.push(Uint8Array.from(slice));
				if (this.type === 'IDAT') this.idatBytes += take;
				this.dataLeft -= take;
				i += take;
				if (this.dataLeft === 0) this.chunkDataDone();
				continue;
			}
			const take = Math.min(this.crcLeft, bytes.length - i);
			this.crcLeft -= take;
			i += take;
			if (this.crcLeft === 0) this.state = this.type === 'IEND' ? 'end' : 'header';
		}
	}

	private chunkDataDone(): void {
		if (SMALL_CHUNKS.has(this.type)) this.chunks.set(this.type, Uint8Array.from(this.small));
	}

	/** Why the PNG is incomplete, or undefined when its chunks reach IEND (or it is no PNG at all). */
	problem(): string | undefined {
		if (this.state === 'end' || this.state === 'notPng') return undefined;
		if (!this.sawIdat) return 'is cut short: it ends before its pixel data (no IDAT chunk)';
		return 'is cut short: it ends inside or right after its pixel data (no IEND chunk)';
	}

	/** IHDR's facts, once it has been read. */
	layout(): PngLayout | undefined {
		const ihdr = this.chunks.get('IHDR');
		if (!ihdr || ihdr.length < 13) return undefined;
		const view = new DataView(ihdr.buffer, ihdr.byteOffset, ihdr.byteLength);
		return {
			width: view.getUint32(0),
			height: view.getUint32(4),
			bitDepth: ihdr[8],
			colourType: ihdr[9],
			interlaced: ihdr[12] !== 0,
			transparency: this.chunks.get('tRNS'),
		};
	}

	/** Whether all IDAT data was kept (it fit under the limit). */
	keptAllPixels(): boolean {
		return this.sawIdat && this.idatBytes <= this.keepPixelsUpTo;
	}
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Whether a complete, non-interlaced PNG has a fully transparent pixel: alpha 0 (colour types 4
 * and 6), a palette entry with tRNS alpha 0 (type 3), or the tRNS colour key (types 0 and 2).
 * Undefined when it cannot tell (interlaced, an unknown colour type, damaged pixel data).
 */
export async function hasTransparentPixel(layout: PngLayout, pixelData: Uint8Array[]): Promise<boolean | undefined> {
	const channels = CHANNELS[layout.colourType];
	const { width, height, bitDepth } = layout;
	if (!channels || layout.interlaced || ![1, 2, 4, 8, 16].includes(bitDepth) || width === 0 || height === 0) return undefined;
	const isTransparent = transparencyTest(layout, channels);
	if (!isTransparent) return false; // no alpha channel and no tRNS: nothing can be transparent

	const bitsPerPixel = channels * bitDepth;
	const bpp = Math.max(1, bitsPerPixel >> 3);
	const rowBytes = Math.ceil((width * bitsPerPixel) / 8);
	let previous = new Uint8Array(rowBytes);
	let current = new Uint8Array(rowBytes);
	let filter = -1;
	let filled = 0;
	let row = 0;

	const reader = new Blob(pixelData).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return row >= height ? false : undefined;
			for (let i = 0; i < value.length && row < height; ) {
				if (filter === -1) {
					filter = value[i++];
					continue;
				}
				const take = Math.min(rowBytes - filled, value.length - i);
				current.set(value.subarray(i, i + take), filled);
				filled += take;
				i += take;
				if (filled < rowBytes) continue;
				if (!unfilter(filter, current, previous, bpp)) return undefined;
				for (let x = 0; x < width; x++) if (isTransparent(current, x)) return true;
				[previous, current] = [current, previous];
				filter = -1;
				filled = 0;
				row++;
			}
			if (row >= height) return false;
		}
	} catch {
		return undefined;
	} finally {
		await reader.cancel().catch(() => undefined);
	}
}

/** A test of pixel `x` of an unfiltered row, or undefined when no pixel can be transparent. */
function transparencyTest(layout: PngLayout, channels: number): ((row: Uint8Array, x: number) => boolean) | undefined {
	const { bitDepth, colourType, transparency } = layout;
	const sample = (row: Uint8Array, x: number, channel: number): number => {
		const index = x * channels + channel;
		if (bitDepth === 8) return row[index];
		if (bitDepth === 16) return (row[index * 2] << 8) | row[index * 2 + 1];
		const bit = index * bitDepth;
		return (row[bit >> 3] >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
	};
	if (colourType === 4 || colourType === 6) return (row, x) => sample(row, x, channels - 1) === 0;
	if (!transparency) return undefined;
	if (colourType === 3) {
		const clear = new Set<number>();
		transparency.forEach((alpha, index) => alpha === 0 && clear.add(index));
		return clear.size ? (row, x) => clear.has(sample(row, x, 0)) : undefined;
	}
	// Types 0 and 2: tRNS holds the one transparent colour, 16 bits per channel.
	if (transparency.length < channels * 2) return undefined;
	const key = Array.from({ length: channels }, (_, c) => (transparency[c * 2] << 8) | transparency[c * 2 + 1]);
	return (row, x) => key.every((value, c) => sample(row, x, c) === value);
}

/** Undoes a row's filter in place (PNG filters 0 to 4); false for an unknown filter. */
function unfilter(filter: number, row: Uint8Array, above: Uint8Array, bpp: number): boolean {
	for (let i = 0; i < row.length; i++) {
		const left = i >= bpp ? row[i - bpp] : 0;
		const up = above[i];
		const upLeft = i >= bpp ? above[i - bpp] : 0;
		let add: number;
		if (filter === 0) add = 0;
		else if (filter === 1) add = left;
		else if (filter === 2) add = up;
		else if (filter === 3) add = (left + up) >> 1;
		else if (filter === 4) add = paeth(left, up, upLeft);
		else return false;
		row[i] = (row[i] + add) & 0xff;
	}
	return true;
}

function paeth(a: number, b: number, c: number): number {
	const p = a + b - c;
	const pa = Math.abs(p - a);
	const pb = Math.abs(p - b);
	const pc = Math.abs(p - c);
	if (pa <= pb && pa <= pc) return a;
	return pb <= pc ? b : c;
}
