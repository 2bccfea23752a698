import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

/**
 * Base64 file data from an answer (an image's `b64_json`, a Veo video's `bytesBase64Encoded`,
 * also as a `data:<type>;base64,` URL) into n8n's binary data store, where filesystem, S3 and
 * database modes keep it. One place, so that every node decodes large answers the same way.
 */
export async function binaryFromBase64(
	ctx: IExecuteFunctions,
	base64: string,
	fileName: string,
	mimeType: string,
): Promise<IBinaryData> {
	return await ctx.helpers.prepareBinaryData(decodeBase64(base64), fileName, mimeType);
}

/** The bytes of base64 text or of a base64 `data:` URL (the part after the comma). */
export function decodeBase64(text: string): Buffer {
	const comma = text.startsWith('data:') ? text.indexOf(',') : -1;
	return Buffer.from(comma >= 0 ? text.slice(comma + 1) : text, 'base64');
}

/** The first bytes of base64 text (or a `data:` URL), decoded without decoding the rest. */
export function base64Head(text: string, bytes: number): Buffer {
	const start = text.startsWith('data:') ? text.indexOf(',') + 1 : 0;
	return Buffer.from(text.slice(start, start + Math.ceil(bytes / 3) * 4), 'base64').subarray(0, bytes);
}

/** How many bytes base64 text (or a `data:` URL) decodes to, counted without decoding it. */
export function decodedLength(text: string): number {
	const start = text.startsWith('data:') ? text.indexOf(',') + 1 : 0;
	let characters = 0;
	for (let index = start; index < text.length; index++) {
		const code = text.charCodeAt(index);
		const isAlphanumeric = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
		if (isAlphanumeric || code === 43 || code === 47 || code === 45 || code === 95) characters++;
	}
	return Math.floor((characters * 3) / 4);
}
