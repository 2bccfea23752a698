import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { number, readRequestPolicy, text } from '../items/parameters';
import { isWholeNumberIn, type Problem } from '../items/problems';
import type { RequestPolicy } from '../http/transport';

/**
 * The fields the image endpoints share (POST /v1/images/generations and /v1/images/edits take
 * them under the same names): read from the node's parameters, checked before anything is
 * sent, and named as the API names them.
 */

/** Values sent to TikHub. Undefined means "not set": the field is not sent. */
export interface ImageFields {
	model: string;
	prompt: string;
	n?: number;
	size?: string;
	quality?: string;
	responseFormat?: string;
	background?: string;
	outputFormat?: string;
	outputCompression?: number;
	moderation?: string;
	user?: string;
}

/** Parameter name -> API field name, in the order the API's reference requests send them. */
export const IMAGE_API_FIELDS: ReadonlyArray<[keyof ImageFields, string]> = [
	['model', 'model'],
	['prompt', 'prompt'],
	['n', 'n'],
	['size', 'size'],
	['quality', 'quality'],
	['responseFormat', 'response_format'],
	['background', 'background'],
	['outputFormat', 'output_format'],
	['outputCompression', 'output_compression'],
	['moderation', 'moderation'],
	['user', 'user'],
];

/** How results become output items (not sent to TikHub). */
export interface ImageOutput {
	binaryPropertyOutput: string;
	outputMode: 'perImage' | 'perInput';
}

export interface ImageParameters {
	fields: ImageFields;
	output: ImageOutput;
	policy: Pick<RequestPolicy, 'timeoutMs' | 'maxRetries'>;
	/** All of the item's Options, for the fields only one node has. */
	options: IDataObject;
}

/** Reads one item's model, prompt and Options. An expression that fails throws here, for this item. */
export function readImageParameters(ctx: IExecuteFunctions, itemIndex: number): ImageParameters {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const fields: ImageFields = {
		model: text(ctx.getNodeParameter('model', itemIndex)) ?? '',
		prompt: String(ctx.getNodeParameter('prompt', itemIndex, '') ?? ''),
		n: number(options.n),
		size: text(options.size),
		quality: text(options.quality),
		responseFormat: text(options.responseFormat),
		background: text(options.background),
		outputFormat: text(options.outputFormat),
		outputCompression: number(options.outputCompression),
		moderation: text(options.moderation),
		user: text(options.user),
	};
	const output: ImageOutput = {
		binaryPropertyOutput: text(options.binaryPropertyOutput) ?? 'data',
		outputMode: options.outputMode === 'perInput' ? 'perInput' : 'perImage',
	};
	return { fields, output, policy: readRequestPolicy(options), options };
}

const MAX_PROMPT_CHARACTERS = 32_000;

/** Checks what TikHub would reject in the shared fields, before a request (and credits) is spent. */
export function checkImageFields(fields: ImageFields): Problem | undefined {
	if (fields.model === '') return { message: 'Choose a model' };
	if (fields.prompt.trim() === '') {
		return { message: 'The prompt is empty', description: 'Describe the image you want in "Prompt".' };
	}
	// Characters as a person counts them (code points), not UTF-16 units: an emoji is one.
	const characters = [...fields.prompt].length;
	if (characters > MAX_PROMPT_CHARACTERS) {
		return { message: `The prompt is ${characters} characters long; the limit is ${MAX_PROMPT_CHARACTERS}` };
	}
	if (fields.n !== undefined && !isWholeNumberIn(fields.n, 1, 10)) {
		return { message: `"Number of Images" must be a whole number from 1 to 10; got ${fields.n}` };
	}
	if (fields.size !== undefined && fields.size !== 'auto' && !/^\d{2,5}x\d{2,5}$/.test(fields.size)) {
		return { message: `"Size" must be "auto" or WIDTHxHEIGHT such as 1024x1536; got "${fields.size}"` };
	}
	const format = fields.outputFormat ?? 'png';
	if (fields.outputCompression !== undefined) {
		if (!isWholeNumberIn(fields.outputCompression, 0, 100)) {
			return {
				message: `"Output Compression" must be a whole number from 0 to 100; got ${fields.outputCompression}`,
			};
		}
		if (format === 'png') {
			return {
				message: '"Output Compression" applies only to JPEG and WebP output',
				description: 'Set "Output Format" to JPEG or WebP, or remove "Output Compression".',
			};
		}
	}
	if (fields.background === 'transparent' && format === 'jpeg') {
		return {
			message: 'A transparent background needs PNG or WebP output, not JPEG',
			description: 'Set "Output Format" to PNG or WebP, or choose another background.',
		};
	}
	return undefined;
}
