import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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

export interface InputImage {
	/** Where it came from, for messages: `"photo.png" in "data"` or a URL without its query. */
	label: string;
	fileName: string;
	mimeType: string;
	info: ImageInfo;
	/** For PNGs: whether they carry an alpha channel (a mask must). */
	hasAlpha?: boolean;
	byteLength: number;
	/**
	 * The bytes, opened when a request is sent (again for each try): a stream from n8n's binary
	 * store, or the bytes themselves in n8n's in-memory mode. A multipart FilePart as it is.
	 */
	open(): Promise<Readable | Buffer>;
}

/** OpenAI's documented limits for gpt-image models: 50 MB per image, 4 MB for the mask. */
const MAX_BYTES: Record<ImageRole, number> = { image: 50 * 1024 * 1024, mask: 4 * 1024 * 1024 };

const ACCEPTED_KINDS: Record<ImageRole, string[]> = { image: ['png', 'jpeg', 'webp'], mask: ['png'] };

/** Chunks read from the binary store at a time: what an upload holds of each file in flight. */
const PART_BYTES = 256 * 1024;

/** Enough of the start of a file for any header we read (PNG chunks before IDAT, JPEG segments before SOF). */
const HEAD_BYTES = 256 * 1024;

/** Reads and checks an image from an input item's binary field. */
export async function inspectBinaryImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	role: ImageRole,
	fieldName: string,
): Promise<InputImage> {
	const binary = ctx.getInputData()[itemIndex]?.binary ?? {};
	const metadata = binary[property];
	if (!metadata) {
		const present = Object.keys(binary);
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex} has no binary field "${property}"`, {
			itemIndex,
			description: present.length
				? `Its binary fields are: ${present.join(', ')}. Set "${fieldName}" to one of them.`
				: `This item carries no binary data at all. Put a node that reads or downloads the ${role} before this one.`,
		});
	}
	const label = metadata.fileName ? `"${metadata.fileName}" in "${property}"` : `"${property}"`;
	const { head, byteLength } = await readHead(ctx, itemIndex, property, metadata);
	const info = checkImageBytes(ctx, itemIndex, label, role, head, byteLength);
	const read = async () =>
		metadata.id
			? await openBinaryStream(ctx, metadata.id, PART_BYTES)
			: await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
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
	const source = await image.open();
	if (Buffer.isBuffer(source)) return source;
	const chunks: Buffer[] = [];
	for await (const chunk of source as AsyncIterable<Buffer>) chunks.push(chunk);
	return Buffer.concat(chunks);
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
	const base = given.trim() || 'image';
	const hasMatchingExtension = new RegExp(`\\.(${info.extension}|${info.kind})$`, 'i').test(base);
	if (hasMatchingExtension) return base;
	return `${base.replace(/\.[A-Za-z0-9]{1,5}$/, '')}.${info.extension}`;
}

function fileNameFromUrl(url: string): string {
	try {
		const last = new URL(url).pathname.split('/').filter(Boolean).pop();
		return last ? decodeURIComponent(last) : 'image';
	} catch {
		return 'image';
	}
}

/** The first bytes of a binary and its length, without holding the whole file. */
async function readHead(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	metadata: IBinaryData,
): Promise<{ head: Buffer; byteLength: number }> {
	if (!metadata.id) {
		// n8n's in-memory mode: the item already holds the whole file.
		const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		return { head: Buffer.from(bytes.subarray(0, HEAD_BYTES)), byteLength: bytes.length };
	}
	// The size the store recorded (filesystem, S3 and database modes all keep it) saves reading
	// the whole file here; without one, read through to count. The upload checks it again: a
	// file of another length fails its item rather than going out with a wrong Content-Length.
	const known = await storedSize(ctx, metadata.id);
	const stream = await openBinaryStream(ctx, metadata.id, known === undefined ? PART_BYTES : HEAD_BYTES);
	const head: Buffer[] = [];
	let headLength = 0;
	let byteLength = 0;
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		if (headLength < HEAD_BYTES) {
			const piece = Buffer.from(chunk.subarray(0, HEAD_BYTES - headLength));
			head.push(piece);
			headLength += piece.length;
		}
		byteLength += chunk.length;
		if (known !== undefined && headLength >= HEAD_BYTES) break; // leaving the loop closes the stream
	}
	// A file shorter than the head was read whole: its count is exact.
	return { head: Buffer.concat(head), byteLength: known === undefined || headLength < HEAD_BYTES ? byteLength : known };
}

async function storedSize(ctx: IExecuteFunctions, binaryDataId: string): Promise<number | undefined> {
	try {
		const size = Number((await ctx.helpers.getBinaryMetadata(binaryDataId)).fileSize);
		return Number.isSafeInteger(size) && size >= 0 ? size : undefined;
	} catch {
		return undefined; // counted from the bytes instead
	}
}
