import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { lazyModelSearch } from '../shared/models/lazy-search';
import { chatProperties } from './description';

export class TikHubChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikHub Chat',
		name: 'tikHubChat',
		icon: { light: 'file:../../icons/tikhub.svg', dark: 'file:../../icons/tikhub.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["model"].cachedResultName || $parameter["model"].value }}',
		description: 'Message a model (GPT, Claude, Gemini, DeepSeek) through the TikHub AI proxy: text, images (vision) and JSON answers, one request per item',
		defaults: { name: 'TikHub Chat' },
		usableAsTool: {
			replacements: {
				description:
					'Sends one message to an AI chat model (GPT, Claude, Gemini or DeepSeek via TikHub) and returns its answer. Put the whole question or task in "Prompt"; optional images by URL in "Image URL(s)" (one per line). Returns JSON: text (the answer), output (the parsed object when a JSON response format is set), model, finishReason and usage (inputTokens, outputTokens, totalTokens).',
			},
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tikHubApi', required: true }],
		properties: chatProperties,
	};

	methods = {
		listSearch: {
			chatModelSearch: lazyModelSearch('chat'),
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Loaded at the first run, not when n8n starts and reads every node's description.
		const [{ runItems }, { prepareChat }] = await Promise.all([import('../shared/items/item-loop'), import('./chat')]);
		return await runItems(this, async (itemIndex) => await prepareChat(this, itemIndex));
	}
}
