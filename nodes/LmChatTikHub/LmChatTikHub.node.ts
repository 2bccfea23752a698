import type { INodeType, INodeTypeDescription, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { lazyModelSearch } from '../shared/models/lazy-search';
import { chatModelProperties } from './description';

/**
 * TikHub's OpenAI-compatible chat API as the Chat Model of n8n's AI Agent and chains: the
 * node supplies a model built by n8n's AI node SDK (`supplyModel`), pointed at `<Base URL>/v1`.
 */
export class LmChatTikHub implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikHub Chat Model',
		name: 'lmChatTikHub',
		icon: { light: 'file:../../icons/tikhub.svg', dark: 'file:../../icons/tikhub.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"].value ?? $parameter["model"]}}',
		description: 'Chat models served by the TikHub AI proxy (GPT, Claude, Gemini, DeepSeek …) for AI Agents and chains',
		defaults: { name: 'TikHub Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		credentials: [{ name: 'tikHubApi', required: true }],
		properties: chatModelProperties,
	};

	methods = {
		listSearch: {
			searchChatModels: lazyModelSearch('chat'),
		},
	};

	async supplyData(this: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
		// Loaded when a workflow uses the model, not when n8n starts and reads every node's description.
		const [{ chatModelConfig }, { loadAiNodeSdk }] = await Promise.all([import('./model-config'), import('./sdk')]);
		const config = await chatModelConfig(this, itemIndex);
		const { supplyModel } = await loadAiNodeSdk(this);
		return supplyModel(this, config);
	}
}
