import type { INodeProperties } from 'n8n-workflow';

import { imageOptions, modelProperty, promptProperty } from '../shared/images/descriptions';

/**
 * The edit node's fields: the shared image fields plus where the images come from (binary
 * fields or URLs) and the mask. Comments name the multipart form field each one fills
 * (request.ts sends them).
 */

export const imageEditProperties: INodeProperties[] = [
	modelProperty('edited'),
	promptProperty(
		'What to change in the image, in plain words (up to 32,000 characters)',
		'e.g. Replace the background with a sunny beach, keep the product unchanged',
	),
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: [
			{ name: 'Binary Field', value: 'binary', description: 'Images read or downloaded by an earlier node' },
			{ name: 'URL', value: 'url', description: 'Images on the web, downloaded by this node' },
		],
		default: 'binary',
		description: 'Where the image to edit comes from',
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
		displayOptions: { show: { imageSource: ['binary'] } },
	},
	{
		// form: image (one) or image[] (several)
		displayName: 'Image URL(s)',
		name: 'imageUrls',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/product.png',
		description:
			'URL of the image to edit (PNG, JPEG or WebP), or a data:image/png;base64,… URL. With GPT Image 2 VIP, several URLs, one per line, send several reference images.',
		displayOptions: { show: { imageSource: ['url'] } },
	},
	imageOptions('edited', [
		{
			// form: mask
			displayName: 'Mask Binary Field',
			name: 'maskBinaryPropertyName',
			type: 'string',
			default: '',
			placeholder: 'e.g. mask',
			description:
				'Binary field of the input item with a mask: a PNG with an alpha channel, of exactly the same width and height as the (first) image, whose fully transparent pixels mark the area to edit. It must be on the same item as the image, e.g. read by a second node and joined with a Merge node (Combine by Position). Leave empty to let the model edit the whole image.',
		},
		{
			// form: mask
			displayName: 'Mask URL',
			name: 'maskUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/mask.png',
			description:
				'URL of a mask PNG (instead of Mask Binary Field): same width and height as the (first) image, fully transparent pixels mark the area to edit',
		},
	]),
];
