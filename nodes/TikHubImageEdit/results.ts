import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { clip, extractApiMessage } from '../shared/errors';
import { readImageInfo, type ImageInfo } from '../shared/image-info';
import { downloadFile, type RequestPolicy } from '../shared/transport';
import type { EditFields, EditSettings } from './request';

/**
 * Response -> output items: each returned image becomes binary data (b64 decoded, or
 * downloaded from its URL) with its real MIME type and extension, plus its metadata in JSON.
 */

export interface ImagesResponse {
	created?: number;
	data?: Array<{ url?: string; b64_json?: string; revised_prompt?: string }>;
	background?: string;
	output_format?: string;
	quality?: string;
	size?: string;
	usage?: IDataObject;
}

interface ResultImage {
	index: number;
	revisedPrompt?: string;
	binary: IBinaryData;
}

export interface ResultContext {
	fields: EditFields;
	settings: EditSettings;
	/** File name of the first input image, the base of the output file names. */
	sourceFileName: string;
	policy: RequestPolicy;
}

export async function buildOutputItems(
	ctx: IExecuteFunctions,
	itemIndex: number,
	response: ImagesResponse,
	context: ResultContext,
): Promise<INodeExecutionData[]> {
	const entries = Array.isArray(response.data) ? response.data : [];
	if (entries.length === 0 || entries.some((entry) => !entry?.b64_json && !entry?.url)) {
		const said = extractApiMessage(response);
		const message = clip(
			(entries.length
				? 'TikHub answered without an image (no "b64_json" or "url" in the result)'
				: 'TikHub answered without any image') + (said ? `: ${said}` : ''),
		);
		throw new NodeApiError(ctx.getNode(), { message } as JsonObject, {
			itemIndex,
			message,
			description:
				'The request was accepted but produced nothing to output. Try again, or try another prompt: the model may have refused it.',
		});
	}

	const images: ResultImage[] = [];
	for (const [index, entry] of entries.entries()) {
		const { bytes, contentType } = entry.b64_json
			? { bytes: decodeBase64(entry.b64_json), contentType: undefined }
			: await downloadFile(ctx, itemIndex, entry.url as string, context.policy);
		delete entry.b64_json; // frees the base64 text while the next image is decoded
		const info = identify(ctx, itemIndex, index, bytes, contentType);
		const fileName = resultFileName(context.sourceFileName, info, index, entries.length);
		const binary = await ctx.helpers.prepareBinaryData(bytes, fileName, info.mimeType);
		images.push({ index, revisedPrompt: entry.revised_prompt, binary });
	}

	const shared = sharedMetadata(response, context.fields);
	const out = context.settings.binaryPropertyOutput;
	const pairedItem = { item: itemIndex };

	if (context.settings.outputMode === 'perInput') {
		return [
			{
				json: {
					...shared,
					images: images.map((image) => ({
						index: image.index,
						binaryProperty: `${out}_${image.index}`,
						fileName: image.binary.fileName,
						mimeType: image.binary.mimeType,
						...(image.revisedPrompt ? { revisedPrompt: image.revisedPrompt } : {}),
					})),
				},
				binary: Object.fromEntries(images.map((image) => [`${out}_${image.index}`, image.binary])),
				pairedItem,
			},
		];
	}
	return images.map((image) => ({
		json: {
			...(image.revisedPrompt ? { revisedPrompt: image.revisedPrompt } : {}),
			...shared,
			index: image.index,
			fileName: image.binary.fileName,
			mimeType: image.binary.mimeType,
		},
		binary: { [out]: image.binary },
		pairedItem,
	}));
}

/** Base64 image data, also when a proxy sends it as a data URL (`data:image/png;base64,…`). */
function decodeBase64(text: string): Buffer {
	const comma = text.startsWith('data:') ? text.indexOf(',') : -1;
	return Buffer.from(comma >= 0 ? text.slice(comma + 1) : text, 'base64');
}

/** The real type of a result, from its bytes: a wrong header or format option cannot mislabel it. */
function identify(
	ctx: IExecuteFunctions,
	itemIndex: number,
	index: number,
	bytes: Buffer,
	contentType?: string,
): ImageInfo {
	const info = readImageInfo(bytes);
	if (info) return info;
	const message = `Result ${index} from TikHub is not an image`;
	throw new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		itemIndex,
		message,
		description: `Got ${bytes.length} bytes${contentType ? ` of ${contentType}` : ''} that are not PNG, JPEG, WebP or GIF.`,
	});
}

/** "photo.png" -> "photo-edited.webp", or "photo-edited-2.webp" when a call returns several images. */
function resultFileName(source: string, info: ImageInfo, index: number, count: number): string {
	const base = source.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'image';
	const suffix = count > 1 ? `-edited-${index + 1}` : '-edited';
	return `${base}${suffix}.${info.extension}`;
}

/** What every output item of one call says about it; the request's values fill what the answer omits. */
function sharedMetadata(response: ImagesResponse, fields: EditFields): IDataObject {
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
