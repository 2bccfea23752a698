import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	binaryField,
	fileNameWithExtension,
	HEAD_BYTES,
	binaryReader,
	PART_BYTES,
	readHead,
	readUploadBytes,
	type UploadFile,
} from './binary-file';
import { pngHasAlpha, readImageInfo, type ImageInfo } from './image-info';
import { openBinaryStream, type Readable } from './readable';
import { downloadFile } from '../http/download';
import type { RequestPolicy } from '../http/transport';

/**
 * Images going in: from an input item's binary field (read through n8n's helpers, so the
 * filesystem, database and S3 binary modes work) or from a URL. Each is checked when the item
 * is prepared, from its metadata and first bytes only; its bytes are read again when its
 * request is sent, so memory holds the images in flight, not every image of the batch.
 */

export type ImageRole = 'image' | 'mask';

export interface InputImage extends UploadFile {
	/** Where it came from, for messages: `"photo.png" in "data"` or a URL without its query. */
	label: string;
	info: ImageInfo;
	/** For PNGs: whether they carry an alpha channel (a mask must). */
	hasAlpha?: boolean;
}

/** OpenAI's documented limits for gpt-image models: 50 MB per image, 4 MB for the mask. */
const MAX_BYTES: Record<ImageRole, number> = { image: 50 * 1024 * 1024, mask: 4 * 1024 * 1024 };

const ACCEPTED_KINDS: Record<ImageRole, string[]> = { image: ['png', 'jpeg', 'webp'], mask: ['png'] };

/** Reads and checks an image from an input item's binary field. */
export async function inspectBinaryImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	role: ImageRole,
	fieldName: string,
): Promise<InputImage> {
	const metadata = binaryField(ctx, itemIndex, property, fieldName, role);
	const label = metadata.fileName ? `"${metadata.fileName}" in "${property}"` : `"${property}"`;
	const { head, byteLength } = await readHead(ctx, itemIndex, property, metadata);
	const info = checkImageBytes(ctx, itemIndex, label, role, head, byteLength);
	const read = binaryReader(ctx, itemIndex, property, metadata);
	return describeImage(label, metadata.fileName || property, info, head, byteLength, read);
}

/**
 * Downloads and checks an image from a URL. TikHub's key goes only to TikHub's own host.
 * The bytes are kept in n8n's binary data store (on disk or in the database in those modes)
 * until the request is sent, so a batch of URLs does not pile up in memory.
 */
export async function fetchUrlImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	url: string,
	role: ImageRole,
	policy: RequestPolicy,
): Promise<InputImage> {
	const label = withoutQuery(url);
	const { bytes } = await downloadFile(ctx, itemIndex, url, policy, {
		what: `the ${role} from ${label}`,
		hint: 'Check that the URL opens in a browser without signing in, and that it has not expired.',
	});
	const info = checkImageBytes(ctx, itemIndex, `from ${label}`, role, bytes, bytes.length);
	const fileName = fileNameFromUrl(url);
	const stored = await ctx.helpers.prepareBinaryData(bytes, fileName, info.mimeType);
	const head = bytes.subarray(0, HEAD_BYTES);
	// Without an id (n8n's in-memory mode) the downloaded buffer itself is kept.
	const read = stored.id
		? async () => await openBinaryStream(ctx, stored.id as string, PART_BYTES)
		: async () => bytes;
	return describeImage(label, fileName, info, Buffer.from(head), bytes.length, read);
}

/** A URL as shown in messages: no query string or fragment (they often hold access tokens). */
export function withoutQuery(url: string): string {
	return url.replace(/[?#].*$/, '');
}

/** Reads the whole image, for a JSON body that carries it inline (base64). */
export async function readImageBytes(image: InputImage): Promise<Buffer> {
	return await readUploadBytes(image);
}

function describeImage(
	label: string,
	givenName: string,
	info: ImageInfo,
	head: Buffer,
	byteLength: number,
	read: () => Promise<Readable | Buffer>,
): InputImage {
	const fileName = fileNameFor(givenName, info);
	return {
		label,
		fileName,
		mimeType: info.mimeType,
		info,
		hasAlpha: info.kind === 'png' ? pngHasAlpha(head) : undefined,
		byteLength,
		open: read,
	};
}

/** Type and size checks shared by binary and URL images; returns what the bytes are. */
function checkImageBytes(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string,
	role: ImageRole,
	head: Buffer,
	byteLength: number,
): ImageInfo {
	const noun = role === 'mask' ? 'The mask' : 'The image';
	const fail = (message: string, description?: string) =>
		new NodeOperationError(ctx.getNode(), `${noun} ${label} ${message}`, { itemIndex, description });
	if (byteLength === 0) throw fail('is empty (0 bytes)', 'The node or URL that produced it gave an empty file.');
	const info = readImageInfo(head);
	if (!info) {
		throw fail(
			role === 'mask' ? 'is not a PNG image (its bytes are no image format we know)' : 'is not a PNG, JPEG or WebP image (its bytes are no image format we know)',
			'Check that the file really is an image; a download may have saved an error page instead.',
		);
	}
	if (!ACCEPTED_KINDS[role].includes(info.kind)) {
		throw fail(
			role === 'mask' ? `is not a PNG (its bytes are ${info.mimeType})` : `is not a PNG, JPEG or WebP (its bytes are ${info.mimeType})`,
			role === 'mask'
				? 'A mask must be a PNG with transparency: fully transparent pixels mark where to edit.'
				: 'Convert the image first, e.g. with the Edit Image node.',
		);
	}
	if (byteLength > MAX_BYTES[role]) {
		throw fail(`is ${(byteLength / 1048576).toFixed(1)} MB; TikHub takes at most ${MAX_BYTES[role] / 1048576} MB`);
	}
	return info;
}

/** The given file name, or one made from the field name, with an extension that fits the bytes. */
function fileNameFor(given: string, info: ImageInfo): string {
	return fileNameWithExtension(given, 'image', [...new Set([info.extension, info.kind])]);
}

function fileNameFromUrl(url: string): string {
	try {
		const last = new URL(url).pathname.split('/').filter(Boolean).pop();
		return last ? decodeURIComponent(last) : 'image';
	} catch {
		return 'image';
	}
}
