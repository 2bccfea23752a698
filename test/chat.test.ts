import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { imageItem, png } from '../harness/fixtures';
import { runChat } from '../harness/workflows';
import { TINY_JPEG, type TikHubServer } from '../harness/server';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));
/** Another origin, standing in for the web host the images live on. */
let cdn: TikHubServer;
useServer((started) => (cdn = started), { apiKey: 'cdn-key' });

const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const oneItem = [{ json: {} }];
const prompt = 'Describe a red mug in one line';

/** Every option set, the same for each format. */
const allOptions = {
	systemMessage: 'You write product copy.',
	temperature: 0.4,
	maxTokens: 300,
	topP: 0.9,
	user: 'user-7',
	// Settings of the node itself: never sent.
	timeout: 60,
	maxRetries: 1,
	concurrency: 2,
	includeFullResponse: false,
};

const chat = (api: string, model: string, extra: Record<string, unknown> = {}) => ({ api, model: rl(model), prompt, ...extra });

describe('TikHub Chat: the body of each API format', () => {
	test('chatCompletions: every option under its OpenAI name; Max Tokens as max_tokens, as TikHub documents', async () => {
		const run = await runChat(server, { parameters: chat('chatCompletions', 'gpt-4o-mini', { options: allOptions }), items: oneItem });
		assert.equal(run.error, undefined, run.error?.message);
		const [request] = server.requests;
		assert.equal(request.path, '/v1/chat/completions');
		assert.equal(request.authorization, `Bearer ${server.apiKey}`);
		assert.deepEqual(request.json, {
			model: 'gpt-4o-mini',
			messages: [
				{ role: 'system', content: 'You write product copy.' },
				{ role: 'user', content: prompt },
			],
			temperature: 0.4,
			top_p: 0.9,
			max_tokens: 300,
			user: 'user-7',
		});
	});

	test('chatCompletions: other providers get max_tokens; reasoning effort as reasoning_effort', async () => {
		await runChat(server, { parameters: chat('chatCompletions', 'deepseek-chat', { options: { maxTokens: 50 } }), items: oneItem });
		assert.deepEqual(server.requests[0].json, { model: 'deepseek-chat', messages: [{ role: 'user', content: prompt }], max_tokens: 50 });
		const run = await runChat(server, { parameters: chat('chatCompletions', 'gpt-5-mini', { options: { reasoningEffort: 'low', maxTokens: 500 } }), items: oneItem });
		assert.equal(run.error, undefined, run.error?.message);
		assert.deepEqual(server.requests[1].json, { model: 'gpt-5-mini', messages: [{ role: 'user', content: prompt }], max_completion_tokens: 500, reasoning_effort: 'low' });
	});

	test('chatCompletions: only reasoning models (o-series, gpt-5, with or without "openai/") get max_completion_tokens', async () => {
		const cases: Array<[string, string]> = [
			['gpt-4o-mini', 'max_tokens'],
			['gpt-4.1', 'max_tokens'],
			['openai/gpt-4o', 'max_tokens'],
			['chatgpt-4o-latest', 'max_tokens'],
			['o3-mini', 'max_completion_tokens'],
			['O4-mini', 'max_completion_tokens'],
			['openai/o1', 'max_completion_tokens'],
			['gpt-5', 'max_completion_tokens'],
			['openai/gpt-5-nano', 'max_completion_tokens'],
		];
		for (const [model, key] of cases) {
			// A canned answer: the body is what this test is about, whatever the model.
			server.fail({ kind: 'status', status: 200, body: { model, choices: [{ message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] } });
			const run = await runChat(server, { parameters: chat('chatCompletions', model, { options: { maxTokens: 64 } }), items: oneItem });
			assert.equal(run.error, undefined, `${model}: ${run.error?.message}`);
			const body = server.requests.at(-1)?.json as Record<string, unknown>;
			assert.equal(body[key], 64, model);
			assert.deepEqual(Object.keys(body).filter((name) => /max_/.test(name)), [key], model);
		}
	});

	test('responses: instructions, max_output_tokens, reasoning.effort, input as a string', async () => {
		const run = await runChat(server, { parameters: chat('responses', 'gpt-4.1', { options: allOptions }), items: oneItem });
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(server.requests[0].path, '/v1/responses');
		assert.deepEqual(server.requests[0].json, {
			model: 'gpt-4.1',
			input: prompt,
			instructions: 'You write product copy.',
			temperature: 0.4,
			top_p: 0.9,
			max_output_tokens: 300,
			user: 'user-7',
		});
		await runChat(server, { parameters: chat('responses', 'gpt-5-mini', { options: { reasoningEffort: 'high' } }), items: oneItem });
		assert.deepEqual(server.requests[1].json, { model: 'gpt-5-mini', input: prompt, reasoning: { effort: 'high' } });
	});

	test('messages: system, max_tokens, metadata.user_id, x-api-key and anthropic-version headers', async () => {
		const run = await runChat(server, {
			parameters: chat('messages', 'claude-sonnet-4-5-20250929', { options: { ...allOptions, temperature: 0.7 } }),
			items: oneItem,
		});
		assert.equal(run.error, undefined, run.error?.message);
		const [request] = server.requests;
		assert.equal(request.path, '/v1/messages');
		assert.equal(request.headers['x-api-key'], server.apiKey);
		assert.equal(request.headers['anthropic-version'], '2023-06-01');
		assert.equal(request.authorization, `Bearer ${server.apiKey}`);
		assert.deepEqual(request.json, {
			model: 'claude-sonnet-4-5-20250929',
			max_tokens: 300,
			messages: [{ role: 'user', content: prompt }],
			system: 'You write product copy.',
			temperature: 0.7,
			top_p: 0.9,
			metadata: { user_id: 'user-7' },
		});
	});

	test('messages: max_tokens defaults to 4096; reasoning effort becomes a thinking budget above it', async () => {
		await runChat(server, { parameters: chat('messages', 'claude-sonnet-4-5-20250929'), items: oneItem });
		assert.deepEqual(server.requests[0].json, { model: 'claude-sonnet-4-5-20250929', max_tokens: 4096, messages: [{ role: 'user', content: prompt }] });
		await runChat(server, { parameters: chat('messages', 'claude-sonnet-4-5-20250929', { options: { reasoningEffort: 'medium' } }), items: oneItem });
		const body = server.requests[1].json as Record<string, unknown>;
		assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 8192 });
		assert.equal(body.max_tokens, 8192 + 4096);
	});

	test('generateContent: model in the path (URL-encoded), systemInstruction, generationConfig, x-goog-api-key; no user field', async () => {
		const run = await runChat(server, {
			parameters: chat('generateContent', 'gemini-2.5-flash', { options: { ...allOptions, reasoningEffort: 'low' } }),
			items: oneItem,
		});
		assert.equal(run.error, undefined, run.error?.message);
		const [request] = server.requests;
		assert.equal(request.path, '/v1beta/models/gemini-2.5-flash:generateContent');
		assert.equal(request.headers['x-goog-api-key'], server.apiKey);
		assert.deepEqual(request.json, {
			contents: [{ role: 'user', parts: [{ text: prompt }] }],
			systemInstruction: { parts: [{ text: 'You write product copy.' }] },
			generationConfig: { temperature: 0.4, topP: 0.9, maxOutputTokens: 300, thinkingConfig: { thinkingBudget: 1024 } },
		});
		// A model id that needs encoding is encoded into the path; "models/" in front is dropped.
		await runChat(server, { parameters: chat('generateContent', 'models/gemini 2.5?x'), items: oneItem, continueOnFail: true });
		assert.equal(server.requests[1].path, '/v1beta/models/gemini%202.5%3Fx:generateContent');
	});

	test('only the model and prompt are sent when no option is set, in every format', async () => {
		for (const [api, model] of [['chatCompletions', 'gpt-4o-mini'], ['responses', 'gpt-4.1'], ['generateContent', 'gemini-2.5-flash']]) {
			const run = await runChat(server, { parameters: chat(api, model, { options: { systemMessage: ' ', user: '' } }), items: oneItem });
			assert.equal(run.error, undefined, run.error?.message);
		}
		assert.deepEqual(
			server.requests.map((r) => r.json),
			[
				{ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] },
				{ model: 'gpt-4.1', input: prompt },
				{ contents: [{ role: 'user', parts: [{ text: prompt }] }] },
			],
		);
	});

	test('the model from the list mode and a plain string both work', async () => {
		await runChat(server, { parameters: { prompt, model: { __rl: true, mode: 'list', value: 'gpt-4.1', cachedResultName: 'gpt-4.1' } }, items: oneItem });
		await runChat(server, { parameters: { prompt, model: 'deepseek-chat' }, items: oneItem });
		assert.deepEqual(server.requests.map((r) => (r.json as { model: string }).model), ['gpt-4.1', 'deepseek-chat']);
	});
});

describe('TikHub Chat: the output', () => {
	test('text, model, finishReason and usage, paired to each input item; the full response on request', async () => {
		const run = await runChat(server, {
			parameters: { api: 'chatCompletions', model: rl('gpt-4o-mini'), prompt: '={{ "Say " + $json.word }}', options: { includeFullResponse: true } },
			items: [{ json: { word: 'one' } }, { json: { word: 'two' } }],
		});
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(run.items.length, 2);
		for (const [i, word] of ['one', 'two'].entries()) {
			const { json, pairedItem } = run.items[i];
			assert.deepEqual(pairedItem, { item: i });
			assert.equal(json.text, `You said: Say ${word}`);
			assert.equal(json.model, 'gpt-4o-mini');
			assert.equal(json.finishReason, 'stop');
			const usage = json.usage as Record<string, number>;
			assert.equal(usage.totalTokens, usage.inputTokens + usage.outputTokens);
			assert.equal((json.response as { object: string }).object, 'chat.completion');
			assert.equal(json.output, undefined);
		}
	});

	test('each format reads its own answer into the same fields', async () => {
		const expected: Record<string, [string, string]> = {
			chatCompletions: ['gpt-4o-mini', 'stop'],
			responses: ['gpt-4.1', 'completed'],
			messages: ['claude-sonnet-4-5-20250929', 'end_turn'],
			generateContent: ['gemini-2.5-flash', 'STOP'],
		};
		for (const [api, [model, finishReason]] of Object.entries(expected)) {
			const run = await runChat(server, { parameters: chat(api, model), items: oneItem });
			assert.equal(run.error, undefined, run.error?.message);
			const { json } = run.items[0];
			assert.equal(json.text, `You said: ${prompt}`, api);
			assert.equal(json.model, model, api);
			assert.equal(json.finishReason, finishReason, api);
			const usage = json.usage as Record<string, number>;
			assert.ok(usage.inputTokens > 0 && usage.outputTokens > 0, api);
			assert.equal(usage.totalTokens, usage.inputTokens + usage.outputTokens, api);
		}
	});

	test('chatCompletions: a tool call answer without any content key is an empty text, not an error', async () => {
		const message = { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } }] };
		server.fail({ kind: 'status', status: 200, body: { model: 'gpt-4o-mini', choices: [{ index: 0, message, finish_reason: 'tool_calls' }] } });
		const run = await runChat(server, { parameters: chat('chatCompletions', 'gpt-4o-mini'), items: oneItem });
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(run.items[0].json.text, '');
		assert.equal(run.items[0].json.finishReason, 'tool_calls');
	});

	test('an answer cut at Max Tokens says so in finishReason', async () => {
		const run = await runChat(server, { parameters: chat('chatCompletions', 'gpt-4o-mini', { options: { maxTokens: 2 } }), items: oneItem });
		assert.equal(run.items[0].json.finishReason, 'length');
	});
});

describe('TikHub Chat: images (vision)', () => {
	const photo = png(12, 8, [0, 0, 255, 255]);
	const twoImages = () => imageItem({
		data: { bytes: photo, fileName: 'photo.png', mimeType: 'image/png' },
		logo: { bytes: TINY_JPEG, fileName: 'logo.jpg', mimeType: 'image/jpeg' },
	});
	const b64 = (bytes: Buffer) => bytes.toString('base64');
	const content = (api: string) => {
		const json = server.requests[0].json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
		if (api === 'chatCompletions' || api === 'messages') return json.messages[0].content;
		if (api === 'responses') return json.input[0].content;
		return json.contents[0].parts;
	};

	const expectedInline: Record<string, unknown> = {
		chatCompletions: [
			{ type: 'text', text: prompt },
			{ type: 'image_url', image_url: { url: `data:image/png;base64,${b64(photo)}` } },
			{ type: 'image_url', image_url: { url: `data:image/jpeg;base64,${b64(TINY_JPEG)}` } },
		],
		responses: [
			{ type: 'input_text', text: prompt },
			{ type: 'input_image', image_url: `data:image/png;base64,${b64(photo)}` },
			{ type: 'input_image', image_url: `data:image/jpeg;base64,${b64(TINY_JPEG)}` },
		],
		messages: [
			{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: b64(photo) } },
			{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: b64(TINY_JPEG) } },
			{ type: 'text', text: prompt },
		],
		generateContent: [
			{ text: prompt },
			{ inlineData: { mimeType: 'image/png', data: b64(photo) } },
			{ inlineData: { mimeType: 'image/jpeg', data: b64(TINY_JPEG) } },
		],
	};
	const models: Record<string, string> = {
		chatCompletions: 'gpt-4o-mini',
		responses: 'gpt-4.1',
		messages: 'claude-sonnet-4-5-20250929',
		generateContent: 'gemini-2.5-flash',
	};

	for (const api of Object.keys(models)) {
		test(`${api}: binary images go inline as base64, typed from their bytes`, async () => {
			const run = await runChat(server, {
				parameters: chat(api, models[api], { imageSource: 'binary', binaryPropertyName: 'data, logo' }),
				items: [twoImages()],
				binaryMode: 'filesystem',
			});
			assert.equal(run.error, undefined, run.error?.message);
			assert.deepEqual(content(api), expectedInline[api]);
			assert.match(String(run.items[0].json.text), /2 images \(image\/png, \d+ bytes; image\/jpeg/);
		});
	}

	test('URL images: sent as URLs for chatCompletions, responses and messages; the provider fetches them', async () => {
		const a = cdn.host(photo, 'png', 'image/png');
		const b = 'https://images.example.com/a,b.jpg?sig=1';
		for (const api of ['chatCompletions', 'responses', 'messages']) {
			server.reset();
			const run = await runChat(server, { parameters: chat(api, models[api], { imageSource: 'url', imageUrls: `${a}\n\n${b}\n` }), items: oneItem });
			assert.equal(run.error, undefined, run.error?.message);
			const parts = content(api) as unknown[];
			const urls = JSON.stringify(parts);
			assert.ok(urls.includes(a) && urls.includes(b), `${api}: ${urls}`);
			assert.equal(parts.length, 3);
		}
		assert.equal(cdn.fileRequests, 0, 'the node does not download them');
	});

	test('URL images for generateContent are downloaded without the key and sent inline', async () => {
		const a = cdn.host(photo, 'png', 'image/png');
		const run = await runChat(server, { parameters: chat('generateContent', 'gemini-2.5-flash', { imageSource: 'url', imageUrls: a }), items: oneItem });
		assert.equal(run.error, undefined, run.error?.message);
		assert.deepEqual(cdn.fileAuthorizations, [undefined]);
		assert.deepEqual(content('generateContent'), [{ text: prompt }, { inlineData: { mimeType: 'image/png', data: b64(photo) } }]);
	});

	test('a GIF is taken; a file that is no image is refused before any request', async () => {
		const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
		const ok = await runChat(server, {
			parameters: chat('chatCompletions', 'gpt-4o-mini', { imageSource: 'binary' }),
			items: [imageItem({ data: { bytes: gif, fileName: 'a.gif', mimeType: 'image/gif' } })],
		});
		assert.equal(ok.error, undefined, ok.error?.message);
		assert.match(String(ok.items[0].json.text), /image\/gif/);
		server.reset();
		const bad = await runChat(server, {
			parameters: chat('chatCompletions', 'gpt-4o-mini', { imageSource: 'binary' }),
			items: [imageItem({ data: { bytes: Buffer.from('%PDF-1.7 not an image'), fileName: 'doc.png', mimeType: 'image/png' } })],
		});
		assert.match(bad.error?.message ?? '', /"doc.png" in "data" is not a PNG, JPEG, WebP or GIF image/);
		assert.equal(server.requests.length, 0);
	});
});

describe('TikHub Chat: JSON answers', () => {
	test('jsonObject: response_format json_object, a system hint when the messages do not say "json", the parsed object in output', async () => {
		const run = await runChat(server, {
			parameters: chat('chatCompletions', 'gpt-4o-mini', { prompt: 'Give a "caption" and an "altText" for a red mug', options: { responseFormat: 'jsonObject' } }),
			items: oneItem,
		});
		assert.equal(run.error, undefined, run.error?.message);
		const body = server.requests[0].json as { messages: Array<{ role: string; content: string }>; response_format: unknown };
		assert.deepEqual(body.response_format, { type: 'json_object' });
		assert.equal(body.messages[0].role, 'system');
		assert.match(body.messages[0].content, /JSON object/);
		const output = run.items[0].json.output as Record<string, string>;
		assert.deepEqual(Object.keys(output), ['caption', 'altText']);
		assert.equal(run.items[0].json.text, JSON.stringify(output));
		// A prompt that says JSON already gets no hint.
		server.reset();
		await runChat(server, { parameters: chat('chatCompletions', 'gpt-4o-mini', { prompt: 'Answer in JSON', options: { responseFormat: 'jsonObject' } }), items: oneItem });
		assert.equal((server.requests[0].json as { messages: unknown[] }).messages.length, 1);
	});

	const schema = { type: 'object', properties: { caption: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['caption', 'tags'], additionalProperties: false };

	test('jsonSchema in each format: OpenAI json_schema, Responses text.format, Anthropic system prompt, Gemini responseSchema', async () => {
		const models: Array<[string, string]> = [['chatCompletions', 'gpt-4o-mini'], ['responses', 'gpt-4.1'], ['messages', 'claude-sonnet-4-5-20250929'], ['generateContent', 'gemini-2.5-flash']];
		for (const [api, model] of models) {
			const run = await runChat(server, { parameters: chat(api, model, { options: { responseFormat: 'jsonSchema', jsonSchema: JSON.stringify(schema) } }), items: oneItem });
			assert.equal(run.error, undefined, `${api}: ${run.error?.message}`);
			const output = run.items[0].json.output as { caption: string; tags: string[] };
			assert.equal(typeof output.caption, 'string', api);
			assert.ok(Array.isArray(output.tags), api);
		}
		const [completions, responses, messages, gemini] = server.requests.map((r) => r.json as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
		assert.deepEqual(completions.response_format, { type: 'json_schema', json_schema: { name: 'response', schema } });
		assert.deepEqual(responses.text, { format: { type: 'json_schema', name: 'response', schema } });
		// json_schema needs no word "json" in the messages: no hint added where the API has the switch.
		assert.deepEqual(completions.messages, [{ role: 'user', content: prompt }]);
		assert.equal(responses.instructions, undefined);
		assert.match(messages.system, /JSON object only.*"caption"/s);
		assert.equal(gemini.generationConfig.responseMimeType, 'application/json');
		// Gemini's schema words only: additionalProperties dropped.
		assert.deepEqual(gemini.generationConfig.responseSchema, { type: 'object', properties: schema.properties, required: ['caption', 'tags'] });
	});

	test('OpenAI\'s {name, schema, strict} wrapper is read as such', async () => {
		await runChat(server, {
			parameters: chat('chatCompletions', 'gpt-4o-mini', { options: { responseFormat: 'jsonSchema', jsonSchema: JSON.stringify({ name: 'caption_set', strict: true, schema }) } }),
			items: oneItem,
		});
		assert.deepEqual((server.requests[0].json as Record<string, unknown>).response_format, {
			type: 'json_schema',
			json_schema: { name: 'caption_set', schema, strict: true },
		});
	});

	test('jsonObject for messages and generateContent: a JSON instruction / responseMimeType', async () => {
		await runChat(server, { parameters: chat('messages', 'claude-sonnet-4-5-20250929', { prompt: 'name "title"', options: { responseFormat: 'jsonObject', systemMessage: 'Be brief.' } }), items: oneItem });
		await runChat(server, { parameters: chat('generateContent', 'gemini-2.5-flash', { prompt: 'name "title"', options: { responseFormat: 'jsonObject' } }), items: oneItem });
		const [messages, gemini] = server.requests.map((r) => r.json as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
		assert.equal(messages.system, 'Be brief.\n\nAnswer with one JSON object only, with no text before or after it.');
		assert.deepEqual(gemini.generationConfig, { responseMimeType: 'application/json' });
	});

	test('a JSON answer wrapped in a ```json fence is read', async () => {
		server.chat.replies.push('```json\n{"caption": "A mug"}\n```');
		const run = await runChat(server, { parameters: chat('messages', 'claude-sonnet-4-5-20250929', { options: { responseFormat: 'jsonObject' } }), items: oneItem });
		assert.deepEqual(run.items[0].json.output, { caption: 'A mug' });
	});
});

describe('TikHub Chat: the model list', () => {
	test('"From List" offers the chat models of GET /v1/models only, searchable', async () => {
		const { TikHubChat } = await import('../nodes/TikHubChat/TikHubChat.node');
		const ctx = {
			getNode: () => ({ name: 'TikHub Chat' }),
			getCredentials: async () => ({ apiKey: server.apiKey, baseUrl: server.baseUrl }),
			helpers: {
				httpRequestWithAuthentication: async (_name: string, options: { url: string }) =>
					await (await fetch(options.url, { headers: { authorization: `Bearer ${server.apiKey}` } })).json(),
			},
		};
		const search = new TikHubChat().methods.listSearch.chatModelSearch;
		const all = await search.call(ctx as never);
		const ids = all.results.map((r) => r.value);
		assert.ok(ids.includes('gpt-4o-mini') && ids.includes('claude-sonnet-4-5-20250929') && ids.includes('gemini-2.5-flash') && ids.includes('deepseek-chat'));
		assert.ok(!ids.some((id) => /embedding|whisper|transcribe|image|sora|veo|kling|seedance/.test(String(id))), ids.join());
		const some = await search.call(ctx as never, 'GEMINI');
		assert.deepEqual(some.results.map((r) => r.value), ['gemini-2.5-flash']);
	});
});
