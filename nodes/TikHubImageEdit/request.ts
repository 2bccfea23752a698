import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	DEFAULT_CONCURRENCY,
	DEFAULT_MAX_RETRIES,
	DEFAULT_TIMEOUT_SECONDS,
} from './description';
import type { InputImage } from './images';

/**
 * Node parameters -> the multipart form of POST /v1/images/edits.
 * The only file that knows the API's form field names.
 */

/** The values sent as text form fields. Undefined means "not set": the field is not sent. */
export interface EditFields {
	model: string;
	prompt: string;
	n?: number;
	size?: string;
	quality?: string;
	responseFormat?: string;
	background?: string;
	outputFormat?: string;
	outputCompression?: number;
	user?: string;
}

/** How the node handles one item, not sent to TikHub (Concurrency is per run: readConcurrency). */
export interface EditSettings {
	imageProperties: string[];
	maskProperty?: string;
	binaryPropertyOutput: string;
	outputMode: 'perImage' | 'perInput';
	timeoutSeconds: number;
	maxRetries: number;
}

/** Parameter name -> form field name, in the order the API's reference request sends them. */
const TEXT_FIELDS_BEFORE_FILES: Array<[keyof EditFields, string]> = [
	['model', 'model'],
	['prompt', 'prompt'],
];
const TEXT_FIELDS_AFTER_FILES: Array<[keyof EditFields, string]> = [
	['n', 'n'],
	['size', 'size'],
	['quality', 'quality'],
	['responseFormat', 'response_format'],
	['background', 'background'],
	['outputFormat', 'output_format'],
	['outputCompression', 'output_compression'],
	['user', 'user'],
];

/** A string option, or undefined when unset or blank (an empty string is not a value). */
function text(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const trimmed = String(value).trim();
	return trimmed === '' ? undefined : trimmed;
}

/** A number option, or undefined when unset; NaN when set to something that is no number. */
function number(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return typeof value === 'number' ? value : Number(String(value).trim());
}

export function readEditParameters(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { fields: EditFields; settings: EditSettings } {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const fields: EditFields = {
		model: text(ctx.getNodeParameter('model', itemIndex)) ?? '',
		prompt: String(ctx.getNodeParameter('prompt', itemIndex, '') ?? ''),
		n: number(options.n),
		size: text(options.size),
		quality: text(options.quality),
		responseFormat: text(options.responseFormat),
		background: text(options.background),
		outputFormat: text(options.outputFormat),
		outputCompression: number(options.outputCompression),
		user: text(options.user),
	};
	const imageProperties = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'))
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	const settings: EditSettings = {
		imageProperties,
		maskProperty: text(options.maskBinaryPropertyName),
		binaryPropertyOutput: text(options.binaryPropertyOutput) ?? 'data',
		outputMode: options.outputMode === 'perInput' ? 'perInput' : 'perImage',
		timeoutSeconds: clamp(number(options.timeout), 1, 3600, DEFAULT_TIMEOUT_SECONDS),
		maxRetries: clamp(number(options.maxRetries), 0, 10, DEFAULT_MAX_RETRIES),
	};
	return { fields, settings };
}

/**
 * Keeps run settings within the limits the UI shows, also when an expression sets them:
 * an expression giving 1e6 retries or 500 parallel uploads would hurt more than it helps.
 */
function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
	if (value === undefined || !Number.isFinite(value)) return fallback;
	return Math.min(max, Math.max(min, Math.round(value)));
}

/** Items in flight at once; read once per run, from the first item's options. */
export function readConcurrency(options: IDataObject): number {
	return clamp(number(options.concurrency), 1, 32, DEFAULT_CONCURRENCY);
}

/**
 * The multipart body. One image goes as `image`; several as repeated `image[]` parts
 * (TikHub's convention for reference images). Blobs are shared, not copied, so the same
 * form can be sent again on a retry.
 */
export function buildEditForm(fields: EditFields, images: InputImage[], mask?: InputImage): FormData {
	const form = new FormData();
	const appendText = ([key, formName]: [keyof EditFields, string]) => {
		const value = fields[key];
		if (value !== undefined) form.append(formName, String(value));
	};

	TEXT_FIELDS_BEFORE_FILES.forEach(appendText);
	const imageField = images.length > 1 ? 'image[]' : 'image';
	for (const image of images) form.append(imageField, image.blob, image.fileName);
	if (mask) form.append('mask', mask.blob, mask.fileName);
	TEXT_FIELDS_AFTER_FILES.forEach(appendText);
	return form;
}
