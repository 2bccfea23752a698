import { deflateSync } from 'node:zlib';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface ImageSize {
	width: number;
	height: number;
}

export const CONTENT_TYPES: Record<ImageFormat, string> = {
	png: 'image/png',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
};

// A 1x1 grey baseline JPEG, hand-assembled: JFIF, one quantisation table of 1s, one-code
// Huffman tables, and a scan of two bits (DC category 0, then end of block). Checked with djpeg.
export const TINY_JPEG = Buffer.from([
	0xff, 0xd8,
	0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array<number>(64).fill(1),
	0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00,
	0xff, 0xc4, 0x00, 0x14, 0x00, 0x01, ...new Array<number>(15).fill(0), 0x00,
	0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, ...new Array<number>(15).fill(0), 0x00,
	0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00,
	0x3f,
	0xff, 0xd9,
]);

// The 1x1 lossy WebP that browsers' WebP feature checks use (RIFF + 'VP8 ' chunk). Checked with dwebp.
export const TINY_WEBP = Buffer.from('UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA', 'base64');

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

export function crc32(bytes: Buffer): number {
	let c = 0xffffffff;
	for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, data and CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'latin1');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
	return Buffer.concat([head, data, crc]);
}

/** A real RGBA PNG of one colour. */
export function encodePng(width: number, height: number, rgba: readonly number[]): Buffer {
	const stride = width * 4 + 1;
	const raw = Buffer.alloc(stride * height);
	// Row 0 uses filter Sub: the first pixel is literal and zero deltas repeat it.
	// Every later row uses filter Up with zero deltas, i.e. a copy of the row above.
	// So the raw data is almost all zeros and deflates fast even at 4096x4096.
	raw[0] = 1;
	raw.set(rgba.slice(0, 4), 1);
	for (let y = 1; y < height; y++) raw[y * stride] = 2;
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 6; // colour type RGBA
	return Buffer.concat([
		PNG_SIGNATURE,
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(raw, { level: 1 })),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

export function detectFormat(bytes: Buffer): ImageFormat | undefined {
	if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
	if (
		bytes.length >= 12 &&
		bytes.toString('latin1', 0, 4) === 'RIFF' &&
		bytes.toString('latin1', 8, 12) === 'WEBP'
	) {
		return 'webp';
	}
	return undefined;
}

function pngSize(b: Buffer): ImageSize | undefined {
	if (b.length < 24 || b.toString('latin1', 12, 16) !== 'IHDR') return undefined;
	return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function jpegSize(b: Buffer): ImageSize | undefined {
	let i = 2;
	while (i + 4 <= b.length) {
		if (b[i] !== 0xff) return undefined;
		const marker = b[i + 1];
		if (marker === 0xff) {
			i++; // fill byte before a marker
			continue;
		}
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
			i += 2; // markers without a length
			continue;
		}
		if (marker === 0xd9 || marker === 0xda) return undefined; // no frame header before the scan
		// SOF0 baseline, SOF1 extended, SOF2 progressive: length, precision, height, width.
		if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
			if (i + 9 > b.length) return undefined;
			return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
		}
		i += 2 + b.readUInt16BE(i + 2);
	}
	return undefined;
}

function webpSize(b: Buffer): ImageSize | undefined {
	if (b.length < 30) return undefined;
	switch (b.toString('latin1', 12, 16)) {
		case 'VP8 ':
			// 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
			if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined;
			return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
		case 'VP8L': {
			if (b[20] !== 0x2f) return undefined;
			const bits = b.readUInt32LE(21);
			return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
		}
		case 'VP8X':
			return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
		default:
			return undefined;
	}
}

/** Width and height from a PNG, JPEG or WebP header, or undefined when it cannot be read. */
export function readImageSize(bytes: Buffer): ImageSize | undefined {
	switch (detectFormat(bytes)) {
		case 'png':
			return pngSize(bytes);
		case 'jpeg':
			return jpegSize(bytes);
		case 'webp':
			return webpSize(bytes);
		default:
			return undefined;
	}
}
