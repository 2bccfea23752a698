import { describe, expect, test } from '@jest/globals';
import { passthroughEgressFilter } from '@n8n/backend-network/egress';
import type { IDataObject, INode, ISupplyDataFunctions } from 'n8n-workflow';

import { LmChatTikHub } from '../nodes/LmChatTikHub/LmChatTikHub.node';
import { chatModelConfig } from '../nodes/LmChatTikHub/model-config';

/**
 * TikHub Chat Model at unit level: its parameters become the SDK's OpenAI-compatible model
 * config, and supplyData hands n8n a chat model pointed at <Base URL>/v1. (The real proof, an
 * AI Agent and a chain running on it, is in `npm run test:n8n`.)
 */

const KEY = 'sk-chat-model-secret-0123';

const node: INode = {
	id: 'chat-model',
	name: 'TikHub Chat Model',
	type: 'n8n-nodes-tikhub.lmChatTikHub',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** A supplyData context with the given parameters and credential (what the code under test reads). */
function supplyContext(parameters: IDataObject, credentials: IDataObject = { apiKey: KEY, baseUrl: 'https://ai.tikhub.io' }) {
	const ctx = {
		getNode: () => node,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown, options?: { extractValue?: boolean }) => {
			const value = parameters[name];
			if (value === undefined) return fallback;
			if (options?.extractValue && typeof value === 'object' && value !== null && '__rl' in value) return (value as IDataObject).value;
			return value;
		},
		getCredentials: async () => credentials,
		helpers: { getSecureEgressFilter: () => passthroughEgressFilter },
		// Read by the SDK's tracing and failed-attempt handlers only when a call runs.
		logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
	};
	return ctx as unknown as ISupplyDataFunctions;
}

const model = (value: string) => ({ __rl: true, mode: 'id', value });

describe('TikHub Chat Model: parameters -> the SDK model config', () => {
	test('with no options: <Base URL>/v1, the key, the model, Chat Completions, 300 s, 2 retries, nothing else', async () => {
		const config = await chatModelConfig(supplyContext({ model: model('gpt-4o-mini') }), 0);
		expect(config).toEqual({
			type: 'openai',
			baseUrl: 'https://ai.tikhub.io/v1',
			apiKey: KEY,
			model: 'gpt-4o-mini',
			useResponsesApi: false,
			timeout: 300_000,
			maxRetries: 2,
			supportsStrictToolCalling: false,
		});
	});

	test('every option maps to its OpenAI field; Timeout is seconds', async () => {
		const config = await chatModelConfig(
			supplyContext({
				model: { __rl: true, mode: 'list', value: 'deepseek-reasoner' },
				options: {
					temperature: 0.2,
					maxTokens: 800,
					topP: 0.9,
					frequencyPenalty: 0.5,
					presencePenalty: -0.5,
					reasoningEffort: 'minimal',
					useResponsesApi: true,
					timeout: 45,
					maxRetries: 0,
				},
			}),
			0,
		);
		expect(config).toMatchObject({
			model: 'deepseek-reasoner',
			temperature: 0.2,
			maxTokens: 800,
			topP: 0.9,
			frequencyPenalty: 0.5,
			presencePenalty: -0.5,
			reasoning: { effort: 'minimal' },
			useResponsesApi: true,
			timeout: 45_000,
			maxRetries: 0,
		});
	});

	test('Maximum Number of Tokens -1 (its default) leaves the length to the model', async () => {
		const config = await chatModelConfig(supplyContext({ model: model('gpt-4o'), options: { maxTokens: -1 } }), 0);
		expect(config).not.toHaveProperty('maxTokens');
	});

	test('the credential is read as every node reads it: trimmed key, base URL without its trailing slash', async () => {
		const config = await chatModelConfig(
			supplyContext({ model: model('gpt-4o') }, { apiKey: `  ${KEY}\n`, baseUrl: 'http://127.0.0.1:8080/ ' }),
			0,
		);
		expect(config.apiKey).toBe(KEY);
		expect(config.baseUrl).toBe('http://127.0.0.1:8080/v1');
	});

	test('no model, a bad option or an empty key fail before any model is made, without the key', async () => {
		await expect(chatModelConfig(supplyContext({ model: model('  ') }), 0)).rejects.toThrow('No model chosen');
		await expect(chatModelConfig(supplyContext({ model: model('gpt-4o'), options: { temperature: 3 } }), 0)).rejects.toThrow(
			'Sampling Temperature must be a number from 0 to 2, got "3"',
		);
		await expect(
			chatModelConfig(supplyContext({ model: model('gpt-4o'), options: { reasoningEffort: 'extreme' } }), 0),
		).rejects.toThrow('Reasoning Effort must be one of minimal, low, medium, high');
		await expect(chatModelConfig(supplyContext({ model: model('gpt-4o') }, { apiKey: '   ' }), 0)).rejects.toThrow(
			'The API key of the TikHub API credential is empty',
		);
	});
});

describe('TikHub Chat Model: supplyData', () => {
	test('hands n8n a chat model of the SDK pointed at <Base URL>/v1 with the options set', async () => {
		const ctx = supplyContext({ model: model('gpt-4o-mini'), options: { temperature: 0.3, timeout: 20, maxRetries: 1 } });
		const { response } = await new LmChatTikHub().supplyData.call(ctx, 0);
		const chat = response as {
			model: string;
			temperature?: number;
			timeout?: number;
			useResponsesApi: boolean;
			clientConfig?: { baseURL?: string };
			_llmType(): string;
		};
		expect(chat._llmType()).toBe('openai');
		expect(chat.model).toBe('gpt-4o-mini');
		expect(chat.temperature).toBe(0.3);
		expect(chat.timeout).toBe(20_000);
		expect(chat.useResponsesApi).toBe(false);
		expect(chat.clientConfig?.baseURL).toBe('https://ai.tikhub.io/v1');
		// What n8n may log or show of the model (its serialized form) never holds the key.
		expect(JSON.stringify(response)).not.toContain(KEY);
	});

	test('the description: an ai_languageModel sub-node with no inputs, the chat model list, the tikHubApi credential', () => {
		const { description, methods } = new LmChatTikHub();
		expect(description.name).toBe('lmChatTikHub');
		expect(description.inputs).toEqual([]);
		expect(description.outputs).toEqual(['ai_languageModel']);
		expect(description.credentials).toEqual([{ name: 'tikHubApi', required: true }]);
		expect(typeof methods.listSearch.searchChatModels).toBe('function');
		const names = (description.properties.find((p) => p.name === 'options')?.options ?? []).map((o) => o.name);
		expect(names.sort()).toEqual(
			['frequencyPenalty', 'maxRetries', 'maxTokens', 'presencePenalty', 'reasoningEffort', 'temperature', 'timeout', 'topP', 'useResponsesApi'].sort(),
		);
	});
});
