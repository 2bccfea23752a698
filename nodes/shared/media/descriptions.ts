import type { INodeProperties } from 'n8n-workflow';

/** Fields of nodes that take images in (input-images.ts reads what they name). */

/** "Image URL(s)", shown when the node's `imageSource` is `url`; the description says how many and of what kind. */
export function imageUrlsProperty(description: string): INodeProperties {
	return {
		displayName: 'Image URL(s)',
		name: 'imageUrls',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/product.png',
		description,
		displayOptions: { show: { imageSource: ['url'] } },
	};
}
