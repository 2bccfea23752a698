import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { embeddingsProperties } from './description';

export class TikHubEmbeddings implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikHub Embeddings',
		name: 'tikHubEmbeddings',
		icon: { light: 'file:../../icons/tikhub.svg', dark: 'file:../../icons/tikhub.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"]}}',
		description: 'Turn texts into embedding vectors with OpenAI embedding models through the TikHub AI proxy',
		defaults: { name: 'TikHub Embeddings' },
		usableAsTool: {
			replacements: {
				description:
					'Turns a text into an embedding vector (a list of numbers for semantic search or similarity) with an OpenAI embedding model via TikHub. Put the text in "Text". Returns JSON with "embedding" (the numbers), "dimensions" (how many) and "model".',
			},
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tikHubApi', required: true }],
		properties: embeddingsProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Loaded at the first run, not when n8n starts and reads every node's description.
		const [{ runBatches }, { embeddingsPlan }] = await Promise.all([import('../shared/items/batch-loop'), import('./embed')]);
		return await runBatches(this, embeddingsPlan(this));
	}
}
