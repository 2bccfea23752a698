import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { UploadCheck } from '../http/multipart';
import { openBinaryStream, type Readable } from './readable';

/**
 * Files going in from an input item's binary field, for every node that uploads one (images,
 * audio). Read only through n8n's helpers, so the filesystem, database and S3 binary modes
 * work: a file is checked from its first bytes when its item is prepared, and its bytes are
 * read again only when its request is sent, streamed into the request by the multipart encoder
 * (../http/multipart.ts): an UploadFile is a FilePart once it is given a form field name.
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
	/**
	 * The bytes, opened when a request is sent (again for each try): a stream from n8n's binary
	 * store, or the bytes themselves in n8n's in-memory mode.
	 */
	open(): Promise<Readable | Buffer>;
	/** A check of the bytes as they are sent, for what the item's check could not read (../http/multipart.ts). */
	verify?(): UploadCheck;
}

/** Chunks read from the binary store at a time: what an upload holds of each file in flight. */
export const PART_BYTES = 256 * 1024;

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

/** What `readHead` found: the file's first bytes, its length, and whether its listener saw it all. */
export interface FileHead {
	head: Buffer;
	byteLength: number;
	/** Whether `listener.onChunk` saw every byte (false: the file is over `listener.upTo`). */
	readWhole: boolean;
}

/**
 * The first bytes of a binary and its length, without holding the whole file. A listener sees
 * every byte as it streams past (e.g. a PNG's chunk walk, shared/media/png-scan.ts) for files
 * up to `upTo` bytes; of a larger file it sees only the head (`readWhole` is then false).
 */
export async function readHead(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	metadata: IBinaryData,
	listener?: { onChunk: (chunk: Uint8Array) => void; upTo: number },
): Promise<FileHead> {
	if (!metadata.id) {
		// n8n's in-memory mode: the item already holds the whole file.
		const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		listener?.onChunk(bytes);
		return { head: Buffer.from(bytes.subarray(0, HEAD_BYTES)), byteLength: bytes.length, readWhole: true };
	}
	// The size the store recorded (filesystem, S3 and database modes all keep it) saves reading
	// the whole file here; without one, read through to count. A listener reads files up to its
	// `upTo` whole, one part at a time, keeping only the head: their size is counted on the way,
	// and the stored size is asked for only once the head is passed. The upload checks the size
	// again: a file of another length fails its item rather than going out with a wrong
	// Content-Length. (The stored size costs the filesystem mode a file of its own to open and
	// parse, so small files are not asked about.)
	let known = listener ? undefined : await storedSize(ctx, metadata.id);
	let readAll = known === undefined;
	const stream = await openBinaryStream(ctx, metadata.id, readAll ? PART_BYTES : HEAD_BYTES);
	const head: Buffer[] = [];
	let headLength = 0;
	let byteLength = 0;
	let sizeAsked = false;
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		if (headLength < HEAD_BYTES) {
			const piece = Buffer.from(chunk.subarray(0, HEAD_BYTES - headLength));
			head.push(piece);
			headLength += piece.length;
		}
		listener?.onChunk(chunk);
		byteLength += chunk.length;
		if (!readAll && headLength >= HEAD_BYTES) break; // leaving the loop closes the stream
		if (listener && !sizeAsked && byteLength >= HEAD_BYTES) {
			// Past the head: a file over the listener's limit is left there.
			sizeAsked = true;
			const size = await storedSize(ctx, metadata.id);
			if (size !== undefined && size > listener.upTo) {
				known = size;
				readAll = false;
				break;
			}
		}
	}
	// Read whole (or shorter than the head): the count is exact.
	const whole = readAll || headLength < HEAD_BYTES;
	return { head: Buffer.concat(head), byteLength: whole ? byteLength : (known as number), readWhole: whole };
}

async function storedSize(ctx: IExecuteFunctions, binaryDataId: string): Promise<number | undefined> {
	try {
		const size = Number((await ctx.helpers.getBinaryMetadata(binaryDataId)).fileSize);
		return Number.isSafeInteger(size) && size >= 0 ? size : undefined;
	} catch {
		return undefined; // counted from the bytes instead
	}
}

/**
 * Opens an item's binary when its request is sent: a stream from n8n's filesystem, database or
 * S3 store (read one chunk at a time by the upload), or the bytes n8n's in-memory mode holds.
 */
export function binaryReader(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	metadata: IBinaryData,
): () => Promise<Readable | Buffer> {
	return async () =>
		metadata.id
			? await openBinaryStream(ctx, metadata.id, PART_BYTES)
			: await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
}

/** Reads a whole UploadFile, for a JSON body that carries it inline (base64), and runs its check. */
export async function readUploadBytes(file: UploadFile): Promise<Buffer> {
	const source = await file.open();
	let bytes: Buffer;
	if (Buffer.isBuffer(source)) bytes = source;
	else {
		const chunks: Buffer[] = [];
		for await (const chunk of source as AsyncIterable<Buffer>) chunks.push(chunk);
		bytes = Buffer.concat(chunks);
	}
	const check = file.verify?.();
	check?.push(bytes);
	const problem = check?.end();
	if (problem) throw problem;
	return bytes;
}

/** A file name with an extension that fits its bytes: kept when it has one of `extensions`, else given `extensions[0]`. */
export function fileNameWithExtension(given: string, fallback: string, extensions: string[]): string {
	const base = given.trim() || fallback;
	const ext = /\.([A-Za-z0-9]{1,5})$/.exec(base)?.[1]?.toLowerCase();
	if (ext && extensions.includes(ext)) return base;
	return `${base.replace(/\.[A-Za-z0-9]{1,5}$/, '')}.${extensions[0]}`;
}
