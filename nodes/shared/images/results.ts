import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { clip, extractApiMessage } from '../http/error-messages';
import type { ImageFields, ImageOutput } from './fields';
import { base64ByteLength, binaryFromBase64, decodeBase64Head } from '../media/base64-binary';
import { HEAD_BYTES } from '../media/binary-file';
import { readImageInfo, type ImageInfo } from '../media/image-info';
import { isDataUrl } from '../media/url-list';
import { settle } from '../items/settle';
import { redactKey } from '../http/credentials';
import { downloadFile } from '../http/download';
import type { RequestPolicy } from '../http/transport';

/**
 * An images response (generations and edits answer alike) -> output items: each returned
 * image becomes binary data (b64 decoded, or downloaded from its URL) with its real MIME type
 * and extension, and JSON an agent can act on (URL, file name, size, format, revised prompt).
 */

export interface ImagesResponse {
	created?: number;
	data?: Array<{ url?: unknown; b64_json?: unknown; revised_prompt?: unknown }>;
	background?: string;
	output_format?: string;
	quality?: string;
	size?: string;
	usage?: IDataObject;
}

export interface ResultContext {
	fields: ImageFields;
	output: ImageOutput;
	policy: RequestPolicy;
	/** Name of result `index` of `count`, without extension: e.g. `photo-edited-2`. */
	baseName(index: number, count: number, created?: number): string;
}

interface ResultImage {
	index: number;
	revisedPrompt?: string;
	/** The URL TikHub returned the image at, when it did. */
	url?: string;
	binary: IBinaryData;
	info: ImageInfo;
	fileSize: number;
}

interface MissingImage {
	index: number;
	reason: string;
}

export async function buildImageItems(
	ctx: IExecuteFunctions,
	itemIndex: number,
	response: ImagesResponse,
	context: ResultContext,
): Promise<INodeExecutionData[]> {
	const entries = Array.isArray(response.data) ? response.data : [];
	const missing: MissingImage[] = [];
	const images: ResultImage[] = [];

	// The first result that could not be fetched or read: thrown when no image at all came.
	let firstFailure: unknown;
	for (const [index, entry] of entries.entries()) {
		const source = imageSource(entry);
		if ('reason' in source) {
			missing.push({ index, reason: source.reason });
			continue;
		}
		const name = (info: ImageInfo) => `${context.baseName(index, entries.length, response.created)}.${info.extension}`;
		const stored = await settle(async (): Promise<Pick<ResultImage, 'binary' | 'info' | 'fileSize'>> => {
			if (source.kind === 'b64' || isDataUrl(source.text)) {
				// A data: URL in `url` (some gateways answer so) is decoded, never fetched. Typed from
				// its first bytes, then decoded slice by slice into the binary store.
				const text = source.text.trim();
				const fileSize = base64ByteLength(text);
				const info = identify(ctx, itemIndex, index, decodeBase64Head(text, HEAD_BYTES), fileSize);
				return { binary: await binaryFromBase64(ctx, text, name(info), info.mimeType), info, fileSize };
			}
			const { bytes, contentType } = await downloadFile(ctx, itemIndex, source.text, context.policy, {
				what: `image ${index} from the URL TikHub returned`,
				hint: 'Result URLs expire after a while. Run the item again, or set "Response Format" to Base64 to get the image in the answer itself.',
			});
			const info = identify(ctx, itemIndex, index, bytes, bytes.length, contentType);
			return { binary: await ctx.helpers.prepareBinaryData(bytes, name(info), info.mimeType), info, fileSize: bytes.length };
		});
		if (entry) delete entry.b64_json; // frees the base64 text while the next image is decoded
		if ('error' in stored) {
			// The call is paid for: the other images still come out (also when storing this one
			// failed), and this one is listed as missing; with none at all, its error is the item's.
			firstFailure ??= stored.error;
			missing.push({ index, reason: stored.error instanceof Error ? stored.error.message : String(stored.error) });
			continue;
		}
		images.push({
			index,
			revisedPrompt: typeof entry?.revised_prompt === 'string' ? entry.revised_prompt : undefined,
			url: source.kind === 'url' && !isDataUrl(source.text) ? source.text : undefined,
			...stored.value,
		});
	}

	if (images.length === 0) {
		if (firstFailure) throw firstFailure;
		await throwNoImage(ctx, itemIndex, response, entries.length, missing);
	}
	// Fewer entries than "Number of Images" asked for: said the same way as an empty entry.
	for (let index = entries.length; index < (context.fields.n ?? 1); index++) {
		missing.push({ index, reason: `TikHub returned ${entries.length} of the ${context.fields.n} images asked for` });
	}

	const shared = sharedMetadata(response, context.fields);
	if (missing.length) shared.missingImages = missing as unknown as IDataObject[];
	const out = context.output.binaryPropertyOutput;
	const pairedItem = { item: itemIndex };

	if (context.output.outputMode === 'perInput') {
		return [
			{
				json: {
					...shared,
					images: images.map((image) => ({
						binaryProperty: `${out}_${image.index}`,
						...describeImage(image),
					})),
				},
				binary: Object.fromEntries(images.map((image) => [`${out}_${image.index}`, image.binary])),
				pairedItem,
			},
		];
	}
	return images.map((image) => ({
		json: { ...shared, ...describeImage(image) },
		binary: { [out]: image.binary },
		pairedItem,
	}));
}

/** What an image's JSON says about it: all an AI agent sees, as binary does not reach it. */
function describeImage(image: ResultImage): IDataObject {
	return {
		index: image.index,
		...(image.revisedPrompt ? { revisedPrompt: image.revisedPrompt } : {}),
		...(image.url ? { url: image.url } : {}),
		fileName: image.binary.fileName,
		mimeType: image.info.mimeType,
		format: image.info.kind,
		fileSize: image.fileSize,
		...(image.info.width !== undefined ? { width: image.info.width, height: image.info.height } : {}),
	};
}

type Source = { kind: 'b64' | 'url'; text: string } | { reason: string };

/** Where a `data[]` entry holds its image, or why it holds none. */
function imageSource(entry: unknown): Source {
	if (entry === null || typeof entry !== 'object') return { reason: 'the entry is not an object' };
	const { b64_json: b64, url } = entry as { b64_json?: unknown; url?: unknown };
	if (typeof b64 === 'string' && b64.trim() !== '') return { kind: 'b64', text: b64 };
	if (typeof url === 'string' && url.trim() !== '') return { kind: 'url', text: url.trim() };
	if (b64 !== undefined && b64 !== null) return { reason: `"b64_json" is a ${typeof b64}, not base64 text` };
	if (url !== undefined && url !== null) return { reason: `"url" is a ${typeof url}, not a URL` };
	return { reason: 'no "b64_json" or "url"' };
}

async function throwNoImage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	response: ImagesResponse,
	count: number,
	missing: MissingImage[],
): Promise<never> {
	const said = extractApiMessage(response);
	const what = count
		? `TikHub answered without an image (${missing.map((m) => m.reason).join('; ')})`
		: 'TikHub answered without any image';
	// The body is TikHub's text: it may echo the key, like a 401 does.
	const message = clip(await redactKey(ctx, itemIndex, what + (said ? `: ${said}` : '')));
	throw new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		itemIndex,
		message,
		description:
			'The request was accepted but produced nothing to output. Try again, or try another prompt: the model may have refused it.',
	});
}

/** The real type of a result, from its bytes: a wrong header or format option cannot mislabel it. */
function identify(
	ctx: IExecuteFunctions,
	itemIndex: number,
	index: number,
	head: Buffer,
	byteLength: number,
	contentType?: string,
): ImageInfo {
	const info = readImageInfo(head);
	if (info) return info;
	const message = `Result ${index} from TikHub is not an image`;
	throw new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		itemIndex,
		message,
		description: `Got ${byteLength} bytes${contentType ? ` of ${contentType}` : ''} that are not PNG, JPEG, WebP or GIF.`,
	});
}

/** What every output item of one call says about it; the request's values fill what the answer omits. */
function sharedMetadata(response: ImagesResponse, fields: ImageFields): IDataObject {
	const metadata: IDataObject = { model: fields.model };
	if (response.created !== undefined) metadata.created = response.created;
	const size = response.size ?? fields.size;
	const quality = response.quality ?? fields.quality;
	const outputFormat = response.output_format ?? fields.outputFormat;
	const background = response.background ?? fields.background;
	if (size) metadata.size = size;
	if (quality) metadata.quality = quality;
	if (outputFormat) metadata.outputFormat = outputFormat;
	if (background) metadata.background = background;
	if (response.usage) metadata.usage = response.usage;
	return metadata;
}
