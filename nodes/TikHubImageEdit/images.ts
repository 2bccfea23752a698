import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { pngHasAlpha, readImageInfo, type ImageInfo } from '../shared/image-info';

/**
 * Binary in: reads the images of an input item through n8n's helpers (so the filesystem
 * and S3 binary modes work), checks each one is an image TikHub takes, and wraps it in a
 * named, typed Blob ready for the multipart form, holding about one copy of the image.
 */

export interface InputImage {
	/** The input binary field it came from. */
	property: string;
	fileName: string;
	mimeType: string;
	info: ImageInfo;
	/** For PNGs: whether they carry transparency (a mask must). */
	hasAlpha?: boolean;
	byteLength: number;
	blob: Blob;
}

/** OpenAI's documented limits for gpt-image models: 50 MB per image, 4 MB for the mask. */
const MAX_BYTES = { image: 50 * 1024 * 1024, mask: 4 * 1024 * 1024 };

const ACCEPTED_KINDS = ['png', 'jpeg', 'webp'];

export async function readInputImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	role: 'image' | 'mask',
): Promise<InputImage> {
	const binary = ctx.getInputData()[itemIndex]?.binary ?? {};
	const metadata = binary[property];
	if (!metadata) {
		const present = Object.keys(binary);
		const field = role === 'mask' ? 'Mask Binary Field' : 'Input Binary Field(s)';
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex} has no binary field "${property}"`,
			{
				itemIndex,
				description: present.length
					? `Its binary fields are: ${present.join(', ')}. Set "${field}" to one of them.`
					: `This item carries no binary data at all. Put a node that reads or downloads the ${role} before this one.`,
			},
		);
	}

	const { head, parts, length } = await readBinaryBytes(ctx, itemIndex, property, metadata.id);
	const info = readImageInfo(head);
	const fileLabel = metadata.fileName ? `"${metadata.fileName}" in "${property}"` : `"${property}"`;
	const accepted = role === 'mask' ? ['png'] : ACCEPTED_KINDS;
	if (!info || !accepted.includes(info.kind)) {
		const seen = info ? info.mimeType : (metadata.mimeType ?? 'unknown data');
		throw new NodeOperationError(
			ctx.getNode(),
			role === 'mask'
				? `The mask ${fileLabel} is not a PNG (found ${seen})`
				: `The image ${fileLabel} is not a PNG, JPEG or WebP (found ${seen})`,
			{
				itemIndex,
				description:
					role === 'mask'
						? 'A mask must be a PNG with transparency: fully transparent pixels mark where to edit.'
						: 'Convert the image first, e.g. with the Edit Image node.',
			},
		);
	}
	if (length > MAX_BYTES[role]) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The ${role} ${fileLabel} is ${(length / 1048576).toFixed(1)} MB; TikHub takes at most ${MAX_BYTES[role] / 1048576} MB`,
			{ itemIndex },
		);
	}

	const fileName = fileNameFor(metadata.fileName, property, info);
	return {
		property,
		fileName,
		mimeType: info.mimeType,
		info,
		hasAlpha: info.kind === 'png' ? pngHasAlpha(head) : undefined,
		byteLength: length,
		blob: new Blob(parts, { type: info.mimeType }),
	};
}

/** The input's file name, or one made from the field name, with an extension that fits the bytes. */
function fileNameFor(given: string | undefined, property: string, info: ImageInfo): string {
	const base = (given ?? '').trim() || property;
	const hasMatchingExtension = new RegExp(`\\.(${info.extension}|${info.kind})$`, 'i').test(base);
	if (hasMatchingExtension) return base;
	return `${base.replace(/\.[A-Za-z0-9]{1,5}$/, '')}.${info.extension}`;
}

/** Parts of 1 MiB: Node's Blob.stream() yields one chunk per part, so the upload streams in 1 MiB steps. */
const PART_BYTES = 1024 * 1024;

/** Enough of the start of a file for any header we read (PNG chunks before IDAT, JPEG segments before SOF). */
const HEAD_BYTES = 256 * 1024;

/**
 * The bytes of an input binary as Blob parts (Node copies bytes into every Blob), plus its
 * first bytes for the header checks. A binary kept by n8n's filesystem or S3 store is
 * streamed part by part, so no whole extra copy is ever held; one kept in the item itself
 * (memory mode) is decoded by n8n once and cut into parts.
 */
async function readBinaryBytes(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	binaryDataId?: string,
): Promise<{ head: Buffer; parts: Array<Blob | Buffer>; length: number }> {
	if (!binaryDataId) {
		const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		const parts: Buffer[] = [];
		for (let offset = 0; offset < bytes.length; offset += PART_BYTES) {
			parts.push(bytes.subarray(offset, offset + PART_BYTES));
		}
		return { head: bytes.subarray(0, HEAD_BYTES), parts, length: bytes.length };
	}

	const stream = await ctx.helpers.getBinaryStream(binaryDataId, PART_BYTES);
	const parts: Blob[] = [];
	const head: Buffer[] = [];
	let headLength = 0;
	let length = 0;
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		if (headLength < HEAD_BYTES) {
			const piece = Buffer.from(chunk.subarray(0, HEAD_BYTES - headLength));
			head.push(piece);
			headLength += piece.length;
		}
		// A Blob per chunk lets the chunk itself be collected right away.
		parts.push(new Blob([chunk]));
		length += chunk.length;
	}
	return { head: Buffer.concat(head), parts, length };
}
