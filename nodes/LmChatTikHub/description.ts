import type { INodeProperties } from 'n8n-workflow';

import { maxRetriesOption, optionsCollection, timeoutOption } from '../shared/items/run-options';

/**
 * The Chat Model's fields. Each option is the OpenAI chat-completions field named beside it;
 * model-config.ts turns them into the SDK's OpenAI-compatible model config.
 */

export const DEFAULT_CHAT_MODEL = 'gpt-4o-mini';

export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high'] as const;

export const chatModelProperties: INodeProperties[] = [
	{
		displayName: 'Connect this node to an AI Agent or a chain (e.g. Basic LLM Chain) as its Chat Model',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		// API: model
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: DEFAULT_CHAT_MODEL },
		required: true,
		description: 'The chat model TikHub serves. Choose from the list, or type its ID.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a model...',
				typeOptions: { searchListMethod: 'searchChatModels', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. gpt-4o-mini',
			},
		],
	},
	optionsCollection([
		{
			// API: frequency_penalty
			displayName: 'Frequency Penalty',
			name: 'frequencyPenalty',
			type: 'number',
			typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 1 },
			default: 0,
			description: 'Positive values make the model less likely to repeat the same words and lines',
		},
		maxRetriesOption('How often a failed call (429, 5xx, network error) is retried before the agent or chain fails'),
		{
			// API: max_tokens (max_completion_tokens for gpt-5 and o-series models)
			displayName: 'Maximum Number of Tokens',
			name: 'maxTokens',
			type: 'number',
			typeOptions: { minValue: -1 },
			default: -1,
			description: 'The most tokens one answer may have; -1 leaves it to the model',
		},
		{
			// API: presence_penalty
			displayName: 'Presence Penalty',
			name: 'presencePenalty',
			type: 'number',
			typeOptions: { minValue: -2, maxValue: 2, numberPrecision: 1 },
			default: 0,
			description: 'Positive values make the model more likely to talk about new topics',
		},
		{
			// API: reasoning_effort (reasoning.effort with the Responses API)
			displayName: 'Reasoning Effort',
			name: 'reasoningEffort',
			type: 'options',
			options: [
				{ name: 'Minimal', value: 'minimal', description: 'Fastest, fewest reasoning tokens' },
				{ name: 'Low', value: 'low', description: 'Favors speed and economical token usage' },
				{ name: 'Medium', value: 'medium', description: 'Balance between speed and reasoning' },
				{ name: 'High', value: 'high', description: 'More complete reasoning, more tokens, slower' },
			],
			default: 'medium',
			description: 'For reasoning models (gpt-5, o-series, DeepSeek reasoner …) only: how much they think before answering',
		},
		{
			// API: temperature
			displayName: 'Sampling Temperature',
			name: 'temperature',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 1 },
			default: 0.7,
			description: 'Lower is more focused and repeatable, higher more varied. Reasoning models accept only 1.',
		},
		timeoutOption(300, 'How long one model call may take before it fails'),
		{
			// API: top_p
			displayName: 'Top P',
			name: 'topP',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 1 },
			default: 1,
			description: 'Nucleus sampling: 0.5 considers only the most likely half of the choices. Change this or the temperature, not both.',
		},
		{
			displayName: 'Use Responses API',
			name: 'useResponsesApi',
			type: 'boolean',
			default: false,
			description: 'Whether to call POST /v1/responses instead of POST /v1/chat/completions (OpenAI models only)',
		},
	]),
];
