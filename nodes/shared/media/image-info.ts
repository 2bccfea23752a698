/**
 * What kind of image a buffer holds and how big it is, read from its header bytes alone
 * (no image library: n8n community nodes may not ship runtime dependencies).
 */

export type ImageKind = 'png' | 'jpeg' | 'webp' | 'gif';

export interface ImageInfo {
	kind: ImageKind;
	mimeType: string;
	extension: string;
	width?: number;
	height?: number;
}

const MIME_TYPES: Record<ImageKind, string> = {
	png: 'image/png',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
};

const EXTENSIONS: Record<ImageKind, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', gif: 'gif' };

export function mimeTypeOf(kind: ImageKind): string {
	return MIME_TYPES[kind];
}

export function extensionOf(kind: ImageKind): string {
	return EXTENSIONS[kind];
}

export function sniffImageKind(bytes: Uint8Array): ImageKind | undefined {
	const ascii = (start: number, end: number) =>
		String.fromCharCode(...Array.from(bytes.subarray(start, end)));
	if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
		return 'jpeg';
	if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
	if (bytes.length >= 6 && ascii(0, 4) === 'GIF8') return 'gif';
	return undefined;
}

/** Format and dimensions of an image, or undefined when the bytes are no image we know. */
export function readImageInfo(bytes: Uint8Array): ImageInfo | undefined {
	const kind = sniffImageKind(bytes);
	if (!kind) return undefined;
	const size = readSize(kind, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
	return { kind, mimeType: MIME_TYPES[kind], extension: EXTENSIONS[kind], ...size };
}

function readSize(kind: ImageKind, buf: Buffer): { width?: number; height?: number } {
	try {
		if (kind === 'png') return pngSize(buf);
		if (kind === 'jpeg') return jpegSize(buf);
		if (kind === 'webp') return webpSize(buf);
		return { width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) };
	} catch {
		return {};
	}
}

/** PNG: the IHDR chunk follows the 8-byte signature; width and height are its first fields. */
function pngSize(buf: Buffer) {
	if (buf.toString('ascii', 12, 16) !== 'IHDR') return {};
	return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** Whether a PNG stores an alpha channel (colour type 4 or 6, or a tRNS chunk). */
export function pngHasAlpha(buf: Buffer): boolean {
	const colourType = buf[25];
	if (colourType === 4 || colourType === 6) return true;
	return buf.indexOf('tRNS', 33, 'ascii') !== -1;
}

/** JPEG: walk the segments to the first start-of-frame marker (SOF0…SOF15 but DHT, JPG, DAC). */
function jpegSize(buf: Buffer) {
	let offset = 2;
	while (offset + 9 < buf.length) {
		if (buf[offset] !== 0xff) {
			offset++;
			continue;
		}
		const marker = buf[offset + 1];
		if (marker === 0xff) {
			offset++;
			continue;
		}
		const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
		if (isFrame) return { height: buf.readUInt16BE(offset + 5), width: buf.readUInt16BE(offset + 7) };
		if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
			offset += 2;
			continue;
		}
		offset += 2 + buf.readUInt16BE(offset + 2);
	}
	return {};
}

/** WebP: lossy (VP8), lossless (VP8L) and extended (VP8X) headers each store the size differently. */
function webpSize(buf: Buffer) {
	const chunk = buf.toString('ascii', 12, 16);
	if (chunk === 'VP8 ') {
		return { width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff };
	}
	if (chunk === 'VP8L') {
		const bits = buf.readUInt32LE(21);
		return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
	}
	if (chunk === 'VP8X') {
		return { width: buf.readUIntLE(24, 3) + 1, height: buf.readUIntLE(27, 3) + 1 };
	}
	return {};
}
