import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseDataUrl } from './data-url';
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
import { hasTransparentPixel as findTransparentPixel, PngWalker } from './png-scan';
import { isDataUrl } from './url-list';
import { downloadFile } from '../http/download';
import { displayUrl } from '../http/safe-url';
import type { UploadCheck } from '../http/multipart';
import type { RequestPolicy } from '../http/transport';

/**
 * Images going in: from an input item's binary field (read through n8n's helpers, so the
 * filesystem, database and S3 binary modes work) or from a URL. Each is checked when the item
 * is prepared, from its metadata and first bytes only; its bytes are read again when its
 * request is sent, so memory holds the images in flight, not every image of the batch.
 */

/** `image` and `mask` for the image models; `vision` for an image a chat model looks at. */
export type ImageRole = 'image' | 'mask' | 'vision';

export interface InputImage extends UploadFile {
	/** Where it came from, for messages: `"photo.png" in "data"` or a URL without its query. */
	label: string;
	info: ImageInfo;
	/** For PNGs: whether they carry an alpha channel (a mask must). */
	hasAlpha?: boolean;
	/**
	 * For masks: whether a pixel is fully transparent (read from the pixels, stopping at the first
	 * one); undefined when it could not be told (e.g. an interlaced PNG).
	 */
	hasTransparentPixel?: boolean;
}

/**
 * OpenAI's documented limits for gpt-image models: 50 MB per image, 4 MB for the mask. For vision
 * 20 MB: OpenAI's chat limit, and Gemini's for a whole inline request (Anthropic takes 5 MB per
 * image, and says so itself when one is larger).
 */
const MAX_BYTES: Record<ImageRole, number> = { image: 50 * 1024 * 1024, mask: 4 * 1024 * 1024, vision: 20 * 1024 * 1024 };

/**
 * PNGs up to this size are walked through to IEND when their item is checked, before any request
 * of the run. A larger one is checked from its head then, and walked as it is sent (walkWhileSent):
 * reading it through twice would double the time and the short-lived memory a large upload costs.
 */
const WALK_AT_CHECK_BYTES = 4 * 1024 * 1024;

const ACCEPTED_KINDS: Record<ImageRole, string[]> = {
	image: ['png', 'jpeg', 'webp'],
	mask: ['png'],
	vision: ['png', 'jpeg', 'webp', 'gif'],
};

const KIND_NAMES: Record<string, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', gif: 'GIF' };

/** "a PNG, JPEG or WebP": the kinds a role takes, as words. */
function kindsInWords(role: ImageRole): string {
	const names = ACCEPTED_KINDS[role].map((kind) => KIND_NAMES[kind]);
	return names.length === 1 ? `a ${names[0]}` : `a ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

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
	const walker = new PngWalker(role === 'mask' ? MAX_BYTES.mask : 0);
	const { head, byteLength, readWhole } = await readHead(ctx, itemIndex, property, metadata, {
		onChunk: (chunk) => walker.push(chunk),
		// A mask is read whole (at most 4 MB): its pixels are looked at for transparency.
		upTo: role === 'mask' ? Infinity : WALK_AT_CHECK_BYTES,
	});
	const info = checkImageBytes(ctx, itemIndex, label, role, head, byteLength, readWhole ? walker : undefined);
	const read = binaryReader(ctx, itemIndex, property, metadata);
	const image = await describeImage(label, metadata.fileName || property, info, head, byteLength, read, walker);
	if (readWhole || info.kind !== 'png') return image;
	return { ...image, verify: () => walkWhileSent(ctx, itemIndex, role, label) };
}

/**
 * The chunk walk of a PNG too large to read through when its item was checked, run on its bytes
 * as they are sent: a cut file ends its own upload before the body is whole, so TikHub never
 * receives a request to act on (or bill), and the item fails with the same error as a small one.
 */
function walkWhileSent(ctx: IExecuteFunctions, itemIndex: number, role: ImageRole, label: string): UploadCheck {
	const walker = new PngWalker();
	return {
		push: (chunk) => walker.push(chunk),
		end: () => {
			const problem = walker.problem();
			return problem ? cutShortError(ctx, itemIndex, role, label, problem) : undefined;
		},
	};
}

/** How messages about an input image begin. */
function subject(role: ImageRole): string {
	return role === 'mask' ? 'The mask' : 'The image';
}

function cutShortError(ctx: IExecuteFunctions, itemIndex: number, role: ImageRole, label: string, problem: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `${subject(role)} ${label} ${problem}`, {
		itemIndex,
		description: 'The file is incomplete, e.g. an upload or download that stopped early. Read or download it again.',
	});
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
	const label = displayUrl(url);
	const bytes = isDataUrl(url)
		? decodeDataUrlImage(ctx, itemIndex, url, role)
		: (
				await downloadFile(ctx, itemIndex, url, policy, {
					what: `the ${role} from ${label}`,
					hint: 'Check that the URL opens in a browser without signing in, and that it has not expired.',
				})
			).bytes;
	const walker = new PngWalker(role === 'mask' ? MAX_BYTES.mask : 0);
	walker.push(bytes);
	const info = checkImageBytes(ctx, itemIndex, `from ${label}`, role, bytes, bytes.length, walker);
	const fileName = isDataUrl(url) ? `image.${info.extension}` : fileNameFromUrl(url);
	const stored = await ctx.helpers.prepareBinaryData(bytes, fileName, info.mimeType);
	const head = bytes.subarray(0, HEAD_BYTES);
	// Without an id (n8n's in-memory mode) the downloaded buffer itself is kept.
	const read = stored.id
		? async () => await openBinaryStream(ctx, stored.id as string, PART_BYTES)
		: async () => bytes;
	return await describeImage(label, fileName, info, Buffer.from(head), bytes.length, read, walker);
}

/**
 * An image given inline as a `data:image/…;base64,` URL: PNG, JPEG or WebP within the same
 * limits as a file, refused with a short message otherwise (never the URL itself).
 */
function decodeDataUrlImage(ctx: IExecuteFunctions, itemIndex: number, url: string, role: ImageRole): Buffer {
	const data = parseDataUrl(url);
	const accepted = ACCEPTED_KINDS[role].map((kind) => `image/${kind}`);
	const fail = (message: string) =>
		new NodeOperationError(ctx.getNode(), `The ${role} given as a data: URL ${message}`, {
			itemIndex,
			description: `A data: URL must look like data:${accepted[0]};base64,… (${accepted.join(', ')}). Or give a link to the file instead.`,
		});
	if (!data) throw fail('is not base64 (it needs ";base64," before the data)');
	const mimeType = data.mimeType === 'image/jpg' ? 'image/jpeg' : data.mimeType;
	if (!accepted.includes(mimeType)) throw fail(`says "${data.mimeType.slice(0, 40) || 'no type'}", not ${accepted.join(', ')}`);
	if (data.byteLength > MAX_BYTES[role]) {
		throw fail(`holds ${(data.byteLength / 1048576).toFixed(1)} MB; TikHub takes at most ${MAX_BYTES[role] / 1048576} MB`);
	}
	return Buffer.from(data.base64, 'base64');
}

/** Reads the whole image, for a JSON body that carries it inline (base64). */
export async function readImageBytes(image: InputImage): Promise<Buffer> {
	return await readUploadBytes(image);
}

async function describeImage(
	label: string,
	givenName: string,
	info: ImageInfo,
	head: Buffer,
	byteLength: number,
	read: () => Promise<Readable | Buffer>,
	walker: PngWalker,
): Promise<InputImage> {
	const fileName = fileNameFor(givenName, info);
	const hasAlpha = info.kind === 'png' ? pngHasAlpha(head) : undefined;
	// Only masks keep their pixel data (at most 4 MB): their transparency is worth a look.
	const layout = walker.keptAllPixels() ? walker.layout() : undefined;
	const hasTransparentPixel = hasAlpha && layout ? await findTransparentPixel(layout, walker.pixelData) : undefined;
	walker.pixelData.length = 0;
	return {
		label,
		fileName,
		mimeType: info.mimeType,
		info,
		hasAlpha,
		hasTransparentPixel,
		byteLength,
		open: read,
	};
}

/**
 * Type and size checks shared by binary and URL images; returns what the bytes are. `walker` has
 * seen the whole file, or is undefined when only the head was read (the walk then runs as the
 * file is sent).
 */
function checkImageBytes(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string,
	role: ImageRole,
	head: Buffer,
	byteLength: number,
	walker: PngWalker | undefined,
): ImageInfo {
	const fail = (message: string, description?: string) =>
		new NodeOperationError(ctx.getNode(), `${subject(role)} ${label} ${message}`, { itemIndex, description });
	if (byteLength === 0) throw fail('is empty (0 bytes)', 'The node or URL that produced it gave an empty file.');
	const info = readImageInfo(head);
	if (!info) {
		throw fail(
			`is not ${kindsInWords(role)} image (its bytes are no image format we know)`,
			'Check that the file really is an image; a download may have saved an error page instead.',
		);
	}
	if (!ACCEPTED_KINDS[role].includes(info.kind)) {
		throw fail(
			`is not ${kindsInWords(role)} (its bytes are ${info.mimeType})`,
			role === 'mask'
				? 'A mask must be a PNG with transparency: fully transparent pixels mark where to edit.'
				: 'Convert the image first, e.g. with the Edit Image node.',
		);
	}
	if (byteLength > MAX_BYTES[role]) {
		throw fail(`is ${(byteLength / 1048576).toFixed(1)} MB; TikHub takes at most ${MAX_BYTES[role] / 1048576} MB`);
	}
	const cut = info.kind === 'png' ? walker?.problem() : undefined;
	if (cut) throw cutShortError(ctx, itemIndex, role, label, cut);
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
