import type { INodeProperties } from 'n8n-workflow';

import { modelOptionsProperty } from '../shared/models/model-options';
import { maxRetriesOption, optionsCollection, timeoutOption } from '../shared/items/run-options';

/** The embeddings node's fields, each next to the JSON field of POST /v1/embeddings it fills (request.ts). */

export const DEFAULT_BATCH_SIZE = 100;
export const MAX_BATCH_SIZE = 2048;
export const EMBEDDINGS_DEFAULT_TIMEOUT_SECONDS = 120;

export const embeddingsProperties: INodeProperties[] = [
	// API: model
	modelOptionsProperty('text-embedding-3-small', [
		['Text Embedding 3 Small', 'text-embedding-3-small', '1536 dimensions by default'],
		['Text Embedding 3 Large', 'text-embedding-3-large', '3072 dimensions by default'],
	]),
	{
		// API: input (one entry per item)
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.description }}',
		description: 'The text of this item to embed. Items are sent to TikHub together, up to Batch Size per request.',
	},
	optionsCollection([
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
				default: DEFAULT_BATCH_SIZE,
				description: `How many input items go in one request (at most ${MAX_BATCH_SIZE}). A failing request fails only its items.`,
			},
			{
				// API: dimensions
				displayName: 'Dimensions',
				name: 'dimensions',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1536,
				description:
					'How many numbers each embedding has (text-embedding-3 models shorten their vectors on request). Sent only when set.',
			},
			maxRetriesOption(),
			timeoutOption(EMBEDDINGS_DEFAULT_TIMEOUT_SECONDS, 'How long to wait for TikHub to answer one request (one batch).'),
	]),
];
