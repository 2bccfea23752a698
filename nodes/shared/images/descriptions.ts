import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_SECONDS } from '../items/parameters';
import { concurrencyOption, maxRetriesOption, outputBinaryFieldOption, timeoutOption } from '../items/run-options';

/**
 * The fields the image nodes share. Each comment names the API field the parameter fills
 * (image-fields.ts maps them); the words differ only by what the node does ("edited" or
 * "generated").
 */

export const IMAGE_MODELS = {
	/** Takes exactly one input image when editing. */
	single: ['gpt-image-2'],
	/** Takes several reference images as repeated `image[]` parts. */
	multi: ['gpt-image-2-vip'],
};

export type ImageVerb = 'edited' | 'generated';

export function modelProperty(verb: ImageVerb): INodeProperties {
	return {
		// API: model
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [
			{
				name: 'GPT Image 2',
				value: 'gpt-image-2',
				description: verb === 'edited' ? 'Edits one image' : 'Generates images from a prompt',
			},
			{
				name: 'GPT Image 2 VIP',
				value: 'gpt-image-2-vip',
				description:
					verb === 'edited' ? 'Also accepts several reference images (up to 16)' : 'The VIP tier of GPT Image 2',
			},
		],
		default: 'gpt-image-2',
		description:
			'The TikHub model to use. To use a model not listed here, switch this field to Expression and type its name.',
	};
}

export function promptProperty(description: string, placeholder: string): INodeProperties {
	return {
		// API: prompt
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder,
		description,
	};
}

/**
 * Alphabetical, ignoring case. Not localeCompare: its first call loads ICU's collator, which
 * cost about half of the package's load time when n8n starts.
 */
function byDisplayName(a: INodeProperties, b: INodeProperties): number {
	const [x, y] = [a.displayName.toLowerCase(), b.displayName.toLowerCase()];
	return x < y ? -1 : x > y ? 1 : 0;
}

/** The Options collection: the shared options plus the node's own, sorted as n8n lists them. */
export function imageOptions(verb: ImageVerb, own: INodeProperties[] = []): INodeProperties {
	const shared: INodeProperties[] = [
		{
			// API: background
			displayName: 'Background',
			name: 'background',
			type: 'options',
			options: [
				{ name: 'Auto', value: 'auto' },
				{ name: 'Opaque', value: 'opaque' },
				{ name: 'Transparent', value: 'transparent', description: 'Needs output format PNG or WebP' },
			],
			default: 'auto',
			description: `Background of the ${verb} image`,
		},
		concurrencyOption(
			DEFAULT_CONCURRENCY,
			'How many input items are sent to TikHub at the same time. Each image takes 20 to 120 seconds, so several in parallel finish a batch much sooner; lower it if TikHub answers "rate limit" (429).',
		),
		maxRetriesOption(),
		{
			// API: n
			displayName: 'Number of Images',
			name: 'n',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10 },
			default: 1,
			description: `How many ${verb} images to create (1 to 10). Each one becomes an output item.`,
		},
		outputBinaryFieldOption(`Name of the binary field that holds the ${verb} image in the output items`),
		{
			// API: output_compression
			displayName: 'Output Compression',
			name: 'outputCompression',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 100,
			description: 'Compression level from 0 to 100 (%) for JPEG and WebP output',
			displayOptions: { show: { outputFormat: ['jpeg', 'webp'] } },
		},
		{
			// API: output_format
			displayName: 'Output Format',
			name: 'outputFormat',
			type: 'options',
			options: [
				{ name: 'PNG', value: 'png' },
				{ name: 'JPEG', value: 'jpeg' },
				{ name: 'WebP', value: 'webp' },
			],
			default: 'png',
			description: `File format of the ${verb} image. JPEG and WebP also offer Output Compression.`,
		},
		{
			displayName: 'Output Items',
			name: 'outputMode',
			type: 'options',
			options: [
				{
					name: 'One Item per Image',
					value: 'perImage',
					description: `Each ${verb} image becomes its own item, in the Output Binary Field`,
				},
				{
					name: 'One Item per Input Item',
					value: 'perInput',
					description:
						'All images of one request in one item, in the Output Binary Field name plus a number (data_0, data_1 …), for flows that upload a set',
				},
			],
			default: 'perImage',
			description: `How the ${verb} images are split into output items`,
		},
		{
			// API: quality
			displayName: 'Quality',
			name: 'quality',
			type: 'options',
			options: [
				{ name: 'Auto', value: 'auto' },
				{ name: 'High', value: 'high' },
				{ name: 'Medium', value: 'medium' },
				{ name: 'Low', value: 'low' },
			],
			default: 'auto',
			description: 'Higher quality costs more and takes longer',
		},
		{
			// API: response_format
			displayName: 'Response Format',
			name: 'responseFormat',
			type: 'options',
			options: [
				{ name: 'Base64 Data', value: 'b64_json' },
				{ name: 'URL', value: 'url' },
			],
			default: 'b64_json',
			description:
				'How TikHub hands over the image. The node outputs binary data either way (URLs are downloaded); with URL the output JSON also carries the link, which an AI agent can pass on.',
		},
		{
			// API: size
			displayName: 'Size',
			name: 'size',
			type: 'options',
			options: [
				{ name: 'Auto', value: 'auto' },
				{ name: 'Square (1024x1024)', value: '1024x1024' },
				{ name: 'Landscape (1536x1024)', value: '1536x1024' },
				{ name: 'Portrait (1024x1536)', value: '1024x1536' },
			],
			default: 'auto',
			description: `Size of the ${verb} image. For another size supported by the model, switch to Expression and type WIDTHxHEIGHT, e.g. 2048x2048.`,
		},
		timeoutOption(DEFAULT_TIMEOUT_SECONDS, 'How long to wait for TikHub to answer one request. Images often take 1 to 2 minutes.'),
		{
			// API: user
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			description: 'An ID for your end user, passed to TikHub and the model provider to help detect abuse',
		},
	];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...shared, ...own].sort(byDisplayName),
	};
}
