import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { readableFrom, rememberReadable } from './readable';

/**
 * Base64 file data from an answer (an image's `b64_json`, a Veo video's `bytesBase64Encoded`,
 * also as a `data:<type>;base64,` URL) into n8n's binary data store, where filesystem, S3 and
 * database modes keep it. One place, so that every node decodes large answers the same way.
 *
 * The text is decoded one slice at a time into a stream that n8n's store reads: the filesystem
 * mode writes each slice to disk as it comes, so no decoded copy of the whole file exists; the
 * S3 and database modes gather the stream into one Buffer before storing, and the in-memory
 * mode gathers it and keeps it as base64: one decoded copy at most, besides the answer's text.
 */
export async function binaryFromBase64(
	ctx: IExecuteFunctions,
	base64: string,
	fileName: string,
	mimeType: string,
): Promise<IBinaryData> {
	const text = base64Payload(base64);
	const stream = readableFrom(decodeInSlices(text));
	if (stream) return await ctx.helpers.prepareBinaryData(stream, fileName, mimeType);
	// No stream of n8n's seen yet in this process: store this one whole, and learn the Readable
	// class from the store (in memory mode there is none to learn, and nothing to gain).
	const binary = await ctx.helpers.prepareBinaryData(Buffer.from(text, 'base64'), fileName, mimeType);
	if (binary.id) {
		const probe = await ctx.helpers.getBinaryStream(binary.id);
		rememberReadable(probe);
		probe.destroy();
	}
	return binary;
}

/** The bytes of base64 text or of a base64 `data:` URL (the part after the comma). */
export function decodeBase64(text: string): Buffer {
	return Buffer.from(base64Payload(text), 'base64');
}

/** The first bytes encoded in base64 text (or a data: URL), without decoding the rest. */
export function decodeBase64Head(text: string, bytes: number): Buffer {
	// A little more than needed, as line breaks may sit among the characters (the decoder skips them).
	const payload = afterDataPrefix(text).slice(0, Math.ceil(bytes / 3) * 4 + 1024);
	return Buffer.from(payload, 'base64').subarray(0, bytes);
}

/** How many bytes base64 text (or a data: URL) decodes to. */
export function base64ByteLength(text: string): number {
	const payload = base64Payload(text);
	const padding = payload.endsWith('==') ? 2 : payload.endsWith('=') ? 1 : 0;
	return Math.floor((payload.length * 3) / 4) - padding;
}

/** Base64 characters decoded per slice (a multiple of 4): 48 KB of bytes. */
const SLICE_CHARS = 64 * 1024;

function* decodeInSlices(text: string): Generator<Buffer> {
	for (let offset = 0; offset < text.length; offset += SLICE_CHARS) {
		yield Buffer.from(text.slice(offset, offset + SLICE_CHARS), 'base64');
	}
}

/**
 * The base64 characters alone: a data: URL's prefix cut off, and anything else (line breaks,
 * spaces) dropped, as Node's decoder drops it, so slices stay aligned on 4 characters.
 */
function base64Payload(text: string): string {
	const payload = afterDataPrefix(text);
	return /[^A-Za-z0-9+/=_-]/.test(payload) ? payload.replace(/[^A-Za-z0-9+/=_-]/g, '') : payload;
}

function afterDataPrefix(text: string): string {
	const comma = /^data:/i.test(text) ? text.indexOf(',') : -1;
	return comma >= 0 ? text.slice(comma + 1) : text;
}
