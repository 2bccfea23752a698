import type { INodeProperties } from 'n8n-workflow';

/**
 * The node's fields. Each comment names the multipart form field of
 * POST /v1/images/edits that the parameter fills (see request.ts, which sends them).
 */

export const KNOWN_MODELS = {
	/** Takes exactly one image. */
	single: ['gpt-image-2'],
	/** Takes several reference images as repeated `image[]` parts. */
	multi: ['gpt-image-2-vip'],
};

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_TIMEOUT_SECONDS = 300;
export const DEFAULT_MAX_RETRIES = 2;

export const imageEditProperties: INodeProperties[] = [
	{
		// form: model
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: [
			{
				name: 'GPT Image 2',
				value: 'gpt-image-2',
				description: 'Edits one image',
			},
			{
				name: 'GPT Image 2 VIP',
				value: 'gpt-image-2-vip',
				description: 'Also accepts several reference images (up to 16)',
			},
		],
		default: 'gpt-image-2',
		description:
			'The TikHub model that edits the image. To use a model not listed here, switch this field to Expression and type its name.',
	},
	{
		// form: prompt
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. Replace the background with a sunny beach, keep the product unchanged',
		description: 'What to change in the image, in plain words (up to 32,000 characters)',
	},
	{
		// form: image (one) or image[] (several)
		displayName: 'Input Binary Field(s)',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		description:
			'Binary field of the input item with the image to edit (PNG, JPEG or WebP). With GPT Image 2 VIP you can list several fields separated by commas, e.g. "data, logo", to send several reference images.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				// form: background
				displayName: 'Background',
				name: 'background',
				type: 'options',
				options: [
					{ name: 'Auto', value: 'auto' },
					{ name: 'Opaque', value: 'opaque' },
					{
						name: 'Transparent',
						value: 'transparent',
						description: 'Needs output format PNG or WebP',
					},
				],
				default: 'auto',
				description: 'Background of the edited image',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 32 },
				default: DEFAULT_CONCURRENCY,
				description:
					'How many input items are edited at the same time. Each edit takes 20 to 120 seconds, so several in parallel finish a batch much sooner; lower it if TikHub answers "rate limit" (429).',
			},
			{
				// form: mask
				displayName: 'Mask Binary Field',
				name: 'maskBinaryPropertyName',
				type: 'string',
				default: '',
				placeholder: 'e.g. mask',
				description:
					'Binary field of the input item with a mask: a PNG of exactly the same width and height as the (first) image, whose fully transparent pixels mark the area to edit. It must be on the same item as the image, e.g. read by a second node and joined with a Merge node (Combine by Position). Leave empty to let the model edit the whole image.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: DEFAULT_MAX_RETRIES,
				description:
					'How many times to try again when TikHub is rate limited (429), fails (500, 502, 503, 504) or cannot be reached. Waits longer each time and follows the Retry-After header.',
			},
			{
				// form: n
				displayName: 'Number of Images',
				name: 'n',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 1,
				description: 'How many edited versions to create (1 to 10). Each one becomes an output item.',
			},
			{
				displayName: 'Output Binary Field',
				name: 'binaryPropertyOutput',
				type: 'string',
				default: 'data',
				description: 'Name of the binary field that holds the edited image in the output items',
			},
			{
				// form: output_compression
				displayName: 'Output Compression',
				name: 'outputCompression',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 100 },
				default: 100,
				description: 'Compression level from 0 to 100 (%) for JPEG and WebP output',
				displayOptions: { show: { outputFormat: ['jpeg', 'webp'] } },
			},
			{
				// form: output_format
				displayName: 'Output Format',
				name: 'outputFormat',
				type: 'options',
				options: [
					{ name: 'PNG', value: 'png' },
					{ name: 'JPEG', value: 'jpeg' },
					{ name: 'WebP', value: 'webp' },
				],
				default: 'png',
				description: 'File format of the edited image. JPEG and WebP also offer Output Compression.',
			},
			{
				displayName: 'Output Items',
				name: 'outputMode',
				type: 'options',
				options: [
					{
						name: 'One Item per Image',
						value: 'perImage',
						description: 'Each edited image becomes its own item, in the Output Binary Field',
					},
					{
						name: 'One Item per Input Item',
						value: 'perInput',
						description:
							'All images of one edit in one item, in the Output Binary Field name plus a number (data_0, data_1 …), for flows that upload a set',
					},
				],
				default: 'perImage',
				description: 'How the edited images are split into output items',
			},
			{
				// form: quality
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
				// form: response_format
				displayName: 'Response Format',
				name: 'responseFormat',
				type: 'options',
				options: [
					{ name: 'Base64 Data', value: 'b64_json' },
					{ name: 'URL', value: 'url' },
				],
				default: 'b64_json',
				description:
					'How TikHub hands over the image. Usually leave this out: the node outputs binary data either way (URLs are downloaded).',
			},
			{
				// form: size
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
				description:
					'Size of the edited image. For another size supported by the model, switch to Expression and type WIDTHxHEIGHT, e.g. 2048x2048.',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TIMEOUT_SECONDS,
				description:
					'How long to wait for TikHub to answer one request. Image edits often take 1 to 2 minutes.',
			},
			{
				// form: user
				displayName: 'User',
				name: 'user',
				type: 'string',
				default: '',
				description:
					'An ID for your end user, passed to TikHub and the model provider to help detect abuse',
			},
		],
	},
];
