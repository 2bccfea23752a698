import type { INodeProperties } from 'n8n-workflow';

import { imageOptions, modelProperty, promptProperty } from '../shared/images/descriptions';

/**
 * The generate node's fields: the shared image fields plus `moderation`. Each sets the JSON
 * field of POST /v1/images/generations named in image-fields.ts (request.ts sends them).
 */
export const imageGenerateProperties: INodeProperties[] = [
	modelProperty('generated'),
	promptProperty(
		'The image to create, in plain words (up to 32,000 characters)',
		'e.g. A bottle of olive oil on a marble table, soft morning light, product photo',
	),
	imageOptions('generated', [
		{
			// API: moderation
			displayName: 'Moderation',
			name: 'moderation',
			type: 'options',
			options: [
				{ name: 'Auto', value: 'auto', description: 'The provider\'s standard content filter' },
				{ name: 'Low', value: 'low', description: 'A less strict filter' },
			],
			default: 'auto',
			description: 'How strictly the provider filters what it generates',
		},
	]),
];
