import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Files going in from an input item's binary field, for every node that uploads one (images,
 * audio). Read only through n8n's helpers, so the filesystem, database and S3 binary modes
 * work: a file is checked from its first bytes when its item is prepared, and its bytes are
 * read again only when its request is sent. The multipart parts are built here, in one place,
 * so a streamed encoder can replace them for every upload at once.
 */

/**
 * A file to upload as a multipart part, whatever its kind (image, mask, audio): its part's name
 * and type, its exact size (known from the check, so a streamed encoder can state the
 * Content-Length) and its bytes, read only when the request is sent.
 */
export interface UploadFile {
	fileName: string;
	mimeType: string;
	byteLength: number;
	blob(): Promise<Blob>;
}

/** Parts of 1 MiB: Node's Blob.stream() yields one chunk per part, so an upload streams in 1 MiB steps. */
export const PART_BYTES = 1024 * 1024;

/** Enough of the start of a file for any header we read (PNG chunks before IDAT, JPEG segments before SOF). */
export const HEAD_BYTES = 256 * 1024;

/**
 * The metadata of an item's binary field, or an error naming the field: `fieldName` is the
 * node's parameter that names it, `what` the kind of file expected ("image", "audio file").
 */
export function binaryField(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	fieldName: string,
	what: string,
): IBinaryData {
	const binary = ctx.getInputData()[itemIndex]?.binary ?? {};
	const metadata = binary[property];
	if (metadata) return metadata;
	const present = Object.keys(binary);
	throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex} has no binary field "${property}"`, {
		itemIndex,
		description: present.length
			? `Its binary fields are: ${present.join(', ')}. Set "${fieldName}" to one of them.`
			: `This item carries no binary data at all. Put a node that reads or downloads the ${what} before this one.`,
	});
}

/** The first bytes of a binary and its length, without holding the whole file. */
export async function readHead(
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
	// Read through to count the bytes (the store's metadata is not kept alike in every mode),
	// keeping only the head.
	const stream = await ctx.helpers.getBinaryStream(metadata.id, PART_BYTES);
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
	}
	return { head: Buffer.concat(head), byteLength };
}

/** Reads an item's binary as a typed Blob for a multipart form, when its request is sent. */
export function binaryBlobReader(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	metadata: IBinaryData,
	mimeType: string,
): () => Promise<Blob> {
	return async () => new Blob(await readBinaryParts(ctx, itemIndex, property, metadata.id), { type: mimeType });
}

/**
 * The bytes of a binary as Blob parts (Node copies bytes into every Blob). One kept by n8n's
 * filesystem, database or S3 store is streamed part by part, so no whole extra copy is held;
 * one kept in the item itself (memory mode) is decoded by n8n once and cut into parts.
 */
export async function readBinaryParts(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	binaryDataId?: string,
): Promise<Array<Blob | Buffer>> {
	if (!binaryDataId) return splitParts(await ctx.helpers.getBinaryDataBuffer(itemIndex, property));
	return await streamParts(ctx, binaryDataId);
}

export async function streamParts(ctx: IExecuteFunctions, binaryDataId: string): Promise<Blob[]> {
	const stream = await ctx.helpers.getBinaryStream(binaryDataId, PART_BYTES);
	const parts: Blob[] = [];
	// A Blob per chunk lets the chunk itself be collected right away.
	for await (const chunk of stream as AsyncIterable<Buffer>) parts.push(new Blob([chunk]));
	return parts;
}

export function splitParts(bytes: Buffer): Buffer[] {
	const parts: Buffer[] = [];
	for (let offset = 0; offset < bytes.length; offset += PART_BYTES) {
		parts.push(bytes.subarray(offset, offset + PART_BYTES));
	}
	return parts;
}

/** A file name with an extension that fits its bytes: kept when it has one of `extensions`, else given `extensions[0]`. */
export function fileNameWithExtension(given: string, fallback: string, extensions: string[]): string {
	const base = given.trim() || fallback;
	const ext = /\.([A-Za-z0-9]{1,5})$/.exec(base)?.[1]?.toLowerCase();
	if (ext && extensions.includes(ext)) return base;
	return `${base.replace(/\.[A-Za-z0-9]{1,5}$/, '')}.${extensions[0]}`;
}
