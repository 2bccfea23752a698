import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runItems } from '../shared/items/item-loop';
import { modelSearch } from '../shared/models/model-list';
import { prepareChat } from './chat';
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
			chatModelSearch: modelSearch('chat'),
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, async (itemIndex) => await prepareChat(this, itemIndex));
	}
}
