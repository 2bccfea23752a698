import { beforeEach, describe, expect, test } from '@jest/globals';
import { passthroughEgressFilter } from '@n8n/backend-network/egress';
import type { IDataObject, INode, ISupplyDataFunctions } from 'n8n-workflow';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { TikHubServer } from '../harness/server';
import { LmChatTikHub } from '../nodes/LmChatTikHub/LmChatTikHub.node';
import { chatModelConfig } from '../nodes/LmChatTikHub/model-config';
import { useServer } from './use-server';

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

/** What n8n's tracing of the model's calls wrote: the model node's input and output data, its AI events. */
let traced: unknown[] = [];

/** A supplyData context with the given parameters and credential (what the code under test reads). */
function supplyContext(parameters: IDataObject, credentials: IDataObject = { apiKey: KEY, baseUrl: 'https://ai.tikhub.io' }) {
	const record = (...args: unknown[]) => {
		traced.push(args);
		return { index: 0 };
	};
	const ctx = {
		// n8n's LLM tracing shows each call as the model node's run (what the editor and the execution show).
		addInputData: record,
		addOutputData: record,
		logAiEvent: record,
		getNextRunIndex: () => 0,
		setMetadata: () => {},
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
		const { onFailedAttempt, ...config } = await chatModelConfig(supplyContext({ model: model('gpt-4o-mini') }), 0);
		expect(typeof onFailedAttempt).toBe('function');
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

describe('examples/agent-product-shots.workflow.json', () => {
	test('its Chat Model makes a valid model config, its tool asks for a URL and lets the model write the prompt', async () => {
		const workflow = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'agent-product-shots.workflow.json'), 'utf8')) as {
			nodes: Array<{ name: string; type: string; typeVersion: number; parameters: IDataObject }>;
			connections: Record<string, Record<string, Array<Array<{ node: string; type: string }>>>>;
		};
		const byType = (type: string) => workflow.nodes.find((n) => n.type === type)!;
		const chatModel = byType('n8n-nodes-tikhub.lmChatTikHub');
		const tool = byType('n8n-nodes-tikhub.tikHubImageGenerateTool');
		const agent = byType('@n8n/n8n-nodes-langchain.agent');
		const config = await chatModelConfig(supplyContext(chatModel.parameters), 0);
		expect(config.model).toBe('gpt-4o-mini');
		expect(String(tool.parameters.prompt)).toMatch(/\$fromAI\('prompt'/);
		expect((tool.parameters.options as IDataObject).responseFormat).toBe('url');
		expect(agent).toMatchObject({ typeVersion: 3.1, parameters: { promptType: 'define' } });
		expect(workflow.connections[chatModel.name].ai_languageModel[0][0]).toEqual({ node: agent.name, type: 'ai_languageModel', index: 0 });
		expect(workflow.connections[tool.name].ai_tool[0][0]).toEqual({ node: agent.name, type: 'ai_tool', index: 0 });
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

/** The parts of the SDK's (LangChain) chat model these tests call. */
interface ChatModelLike {
	invoke(input: string): Promise<{ content: unknown; tool_calls?: Array<{ name: string; args: Record<string, unknown> }> }>;
	stream(input: string): Promise<AsyncIterable<{ content: unknown }>>;
	bindTools(tools: unknown[]): ChatModelLike;
}

describe('TikHub Chat Model: the supplied model talks to TikHub (the stand-in server)', () => {
	let server: TikHubServer;
	useServer((s) => (server = s));

	const supplied = async (parameters: IDataObject, apiKey = server.apiKey) => {
		const ctx = supplyContext(parameters, { apiKey, baseUrl: server.baseUrl });
		return (await new LmChatTikHub().supplyData.call(ctx, 0)).response as ChatModelLike;
	};
	const chatCalls = () => server.requests.filter((r) => r.path === '/v1/chat/completions');
	beforeEach(() => {
		traced = [];
	});

	test('an answer from POST /v1/chat/completions with the bearer key and only the options set', async () => {
		const chat = await supplied({ model: model('gpt-4o-mini'), options: { temperature: 0.2, maxTokens: 300 } });
		const answer = await chat.invoke('Name a colour');
		expect(String(answer.content)).toContain('Name a colour');
		const [call] = chatCalls();
		expect(call.authorization).toBe(`Bearer ${server.apiKey}`);
		expect(call.json).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.2, max_tokens: 300 });
		expect(call.json).not.toHaveProperty('stream', true);
	});

	test('streaming: stream: true SSE, the text arrives in pieces', async () => {
		const chat = await supplied({ model: model('gpt-4o-mini') });
		let text = '';
		let pieces = 0;
		for await (const chunk of await chat.stream('Tell me about olive oil')) {
			text += String(chunk.content);
			pieces++;
		}
		expect(text).toContain('Tell me about olive oil');
		expect(pieces).toBeGreaterThan(1);
		expect(chatCalls()[0].json).toMatchObject({ stream: true });
	});

	test('a reasoning model gets max_completion_tokens and reasoning_effort, as gpt-5 and o-series require', async () => {
		const chat = await supplied({ model: model('gpt-5-mini'), options: { maxTokens: 500, reasoningEffort: 'low' } });
		await chat.invoke('Think briefly');
		const body = chatCalls()[0].json as IDataObject;
		expect(body).toMatchObject({ model: 'gpt-5-mini', max_completion_tokens: 500, reasoning_effort: 'low' });
		expect(body).not.toHaveProperty('max_tokens');
	});

	test('tools: the model asks for a tool call when offered one (what the AI Agent relies on)', async () => {
		const chat = await supplied({ model: model('gpt-4o-mini') });
		const tool = {
			type: 'function',
			function: {
				name: 'TikHub_Image_Generate',
				description: 'Creates an image',
				parameters: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] },
			},
		};
		const answer = await chat.bindTools([tool]).invoke('make a product shot of a teapot');
		expect(answer.tool_calls?.[0]?.name).toBe('TikHub_Image_Generate');
		expect(String(answer.tool_calls?.[0]?.args.prompt)).toContain('teapot');
		const body = chatCalls()[0].json as { tools: Array<{ function: { strict?: unknown } }> };
		// Never `strict: null` in the tool definition: OpenAI-compatible gateways may reject it.
		expect(body.tools[0].function.strict ?? false).toBe(false);
	});

	test('Use Responses API: POST /v1/responses instead', async () => {
		const chat = await supplied({ model: model('gpt-4.1'), options: { useResponsesApi: true } });
		const answer = await chat.invoke('Hello there');
		expect(JSON.stringify(answer.content)).toContain('Hello there');
		expect(server.requests.map((r) => r.path)).toEqual(['/v1/responses']);
	});

	test('a wrong key: the call fails, and the error does not carry the key', async () => {
		const wrongKey = 'sk-wrong-key-abcdef123456';
		const chat = await supplied({ model: model('gpt-4o-mini'), options: { maxRetries: 0 } }, wrongKey);
		const error = await chat.invoke('Hello').then(
			() => undefined,
			(e: unknown) => e as Error,
		);
		expect(error).toBeDefined();
		expect(chatCalls()).toHaveLength(1);
		const said = JSON.stringify({ message: error?.message, stack: error?.stack, ...error });
		expect(said).toMatch(/401|Incorrect API key/);
		expect(said).not.toContain(server.apiKey);
		expect(said).not.toContain(wrongKey);
		// What the model node's run shows in n8n (input, error output, AI events) has no key either.
		expect(traced.length).toBeGreaterThan(0);
		expect(JSON.stringify(traced)).not.toContain(wrongKey);
	});
});
