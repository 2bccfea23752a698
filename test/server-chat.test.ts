import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';

import { encodePng, TINY_JPEG, type TikHubServer } from '../harness/server/index';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((s) => (server = s));

/** Node's fetch parses in another realm: copy into this one so deepEqual compares plain objects. */
const local = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

async function post(path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${server.apiKey}` }) {
	const res = await fetch(`${server.baseUrl}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	const text = await res.text();
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of four shapes, read field by field
	let json: any;
	try {
		json = local(JSON.parse(text));
	} catch {
		json = undefined;
	}
	return { status: res.status, json, text, headers: res.headers };
}

const png = encodePng(3, 2, [0, 128, 255, 255]);
const dataUrl = (bytes: Buffer, mime = 'image/png') => `data:${mime};base64,${bytes.toString('base64')}`;

/** The `data:` payloads of an SSE answer. */
const sse = (text: string) =>
	text
		.split('\n\n')
		.filter((block) => block.includes('data: '))
		.map((block) => block.slice(block.indexOf('data: ') + 6));

describe('GET /v1/models', () => {
	it('lists chat, embedding, transcription, image and video models in OpenAI list shape', async () => {
		const res = await fetch(`${server.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${server.apiKey}` } });
		const body = local(await res.json()) as { object: string; data: Array<{ id: string; object: string }> };
		assert.equal(body.object, 'list');
		const ids = body.data.map((m) => m.id);
		for (const id of ['gpt-4o-mini', 'gpt-4.1', 'claude-sonnet-4-5-20250929', 'gemini-2.5-flash', 'deepseek-chat', 'text-embedding-3-small', 'text-embedding-3-large', 'whisper-1', 'gpt-4o-transcribe', 'gpt-image-2']) {
			assert.ok(ids.includes(id), id);
		}
		assert.ok(body.data.every((m) => m.object === 'model'));
	});
});

describe('POST /v1/chat/completions', () => {
	it('answers in chat.completion shape with usage, and records the body', async () => {
		const res = await post('/v1/chat/completions', {
			model: 'gpt-4o-mini',
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: dataUrl(png) } }] },
			],
		});
		assert.equal(res.status, 200);
		assert.equal(res.json.object, 'chat.completion');
		assert.equal(res.json.model, 'gpt-4o-mini');
		assert.equal(res.json.choices[0].message.role, 'assistant');
		assert.equal(res.json.choices[0].finish_reason, 'stop');
		assert.match(res.json.choices[0].message.content, /What is this\?.*1 image \(image\/png, \d+ bytes\)/);
		const { prompt_tokens, completion_tokens, total_tokens } = res.json.usage;
		assert.equal(total_tokens, prompt_tokens + completion_tokens);
		assert.equal(server.requests.at(-1)?.path, '/v1/chat/completions');
		assert.equal((server.requests.at(-1)?.json as { model: string }).model, 'gpt-4o-mini');
	});

	it('refuses what OpenAI refuses', async () => {
		const user = { role: 'user', content: 'hi' };
		const cases: Array<[unknown, RegExp]> = [
			[{ messages: [user] }, /model parameter/],
			[{ model: 'gpt-4o-mini', messages: [] }, /empty array/],
			[{ model: 'gpt-4o-mini', messages: [{ role: 'robot', content: 'x' }] }, /Invalid value: 'robot'/],
			[{ model: 'gpt-4o-mini', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: dataUrl(Buffer.from('not an image')) } }] }] }, /unsupported image/],
			[{ model: 'gpt-4o-mini', messages: [user], response_format: { type: 'json_object' } }, /must contain the word 'json'/],
			[{ model: 'gpt-4o-mini', messages: [user], max_tokens: 0 }, /below minimum/],
			[{ model: 'gpt-5-mini', messages: [user], max_tokens: 10 }, /Use 'max_completion_tokens'/],
			[{ model: 'gpt-5-mini', messages: [user], temperature: 0.2 }, /Only the default \(1\)/],
			[{ model: 'gpt-4o-mini', messages: [user], reasoning_effort: 'low' }, /reasoning_effort/],
			[{ model: 'gpt-4o-mini', messages: [user], max_output_tokens: 5 }, /Unrecognized request argument supplied: max_output_tokens/],
			[{ model: 'gpt-4o-mini', messages: [user, { role: 'tool', tool_call_id: 'nope', content: 'x' }] }, /preceeding message with 'tool_calls'/],
		];
		for (const [body, message] of cases) {
			const res = await post('/v1/chat/completions', body);
			assert.equal(res.status, 400, JSON.stringify(body));
			assert.match(res.json.error.message, message);
		}
		assert.equal((await post('/v1/chat/completions', { model: 'nope', messages: [user] })).status, 404);
	});

	it('answers JSON in json_object and json_schema modes', async () => {
		const object = await post('/v1/chat/completions', {
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'Give JSON with "caption" and "altText".' }],
			response_format: { type: 'json_object' },
		});
		assert.deepEqual(Object.keys(JSON.parse(object.json.choices[0].message.content)), ['caption', 'altText']);
		const schema = await post('/v1/chat/completions', {
			model: 'gpt-4o-mini',
			messages: [{ role: 'user', content: 'A product' }],
			response_format: { type: 'json_schema', json_schema: { name: 'p', schema: { type: 'object', properties: { name: { type: 'string' }, price: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } } } } },
		});
		const parsed = JSON.parse(schema.json.choices[0].message.content);
		assert.equal(typeof parsed.name, 'string');
		assert.equal(typeof parsed.price, 'number');
		assert.ok(Array.isArray(parsed.tags));
	});

	it('plays an AI Agent tool turn: calls the image tool with a prompt, then quotes the tool result', async () => {
		const tools = [
			{ type: 'function', function: { name: 'Calculator', parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] } } },
			{ type: 'function', function: { name: 'TikHub_Image_Generate', description: 'Make an image', parameters: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] } } },
		];
		const messages: unknown[] = [{ role: 'user', content: 'a red mug' }];
		const first = await post('/v1/chat/completions', { model: 'gpt-4o-mini', messages, tools, tool_choice: 'auto' });
		const choice = first.json.choices[0];
		assert.equal(choice.finish_reason, 'tool_calls');
		assert.equal(choice.message.content, null);
		assert.equal(choice.message.tool_calls.length, 1);
		const call = choice.message.tool_calls[0];
		assert.equal(call.function.name, 'TikHub_Image_Generate');
		assert.match(JSON.parse(call.function.arguments).prompt, /product shot: a red mug/);
		messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: JSON.stringify([{ fileName: 'mug.png', mimeType: 'image/png' }]) });
		const second = await post('/v1/chat/completions', { model: 'gpt-4o-mini', messages, tools });
		assert.equal(second.json.choices[0].finish_reason, 'stop');
		assert.match(second.json.choices[0].message.content, /fileName mug\.png/);
	});

	it('streams content and tool calls as chunks, then usage, then [DONE]', async () => {
		const text = await post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }], stream: true, stream_options: { include_usage: true } });
		assert.match(text.headers.get('content-type') ?? '', /text\/event-stream/);
		const data = sse(text.text);
		assert.equal(data.at(-1), '[DONE]');
		const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
		assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk'));
		assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'You said: hello there');
		assert.equal(chunks.at(-2).choices[0].finish_reason, 'stop');
		assert.deepEqual(chunks.at(-1).choices, []);
		assert.ok(chunks.at(-1).usage.total_tokens > 0);

		const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } } }];
		const called = sse((await post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'find x' }], tools, stream: true })).text);
		const deltas = called.slice(0, -1).map((d) => JSON.parse(d).choices[0]);
		const calls = deltas.flatMap((c) => c.delta.tool_calls ?? []);
		assert.equal(calls[0].function.name, 'lookup');
		assert.ok(calls[0].id);
		assert.deepEqual(Object.keys(JSON.parse(calls.map((c: { function: { arguments: string } }) => c.function.arguments).join(''))), ['query']);
		assert.equal(deltas.at(-1).finish_reason, 'tool_calls');
	});

	it('needs the key as Bearer and takes faults from the shared queue', async () => {
		const wrong = await post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { authorization: 'Bearer wrong' });
		assert.equal(wrong.status, 401);
		assert.equal(wrong.json.error.code, 'invalid_api_key');
		server.fail({ kind: 'status', status: 429, headers: { 'retry-after': '1' } }, { kind: 'html', status: 502 });
		const limited = await post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
		assert.equal(limited.status, 429);
		assert.equal(limited.headers.get('retry-after'), '1');
		assert.equal((await post('/v1/chat/completions', {})).status, 502);
	});

	it('uses scripted replies first', async () => {
		server.chat.replies.push('not { json');
		const res = await post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'json please' }], response_format: { type: 'json_object' } });
		assert.equal(res.json.choices[0].message.content, 'not { json');
	});
});

describe('POST /v1/responses', () => {
	it('answers in the Responses shape, with instructions, images and JSON formats', async () => {
		const res = await post('/v1/responses', {
			model: 'gpt-4.1',
			instructions: 'Answer in json.',
			input: [{ role: 'user', content: [{ type: 'input_text', text: 'name "title"' }, { type: 'input_image', image_url: dataUrl(TINY_JPEG, 'image/jpeg') }] }],
			text: { format: { type: 'json_object' } },
			max_output_tokens: 100,
		});
		assert.equal(res.status, 200, res.text);
		assert.equal(res.json.object, 'response');
		assert.equal(res.json.status, 'completed');
		const message = res.json.output[0];
		assert.equal(message.content[0].type, 'output_text');
		assert.deepEqual(Object.keys(JSON.parse(message.content[0].text)), ['title']);
		assert.equal(res.json.usage.total_tokens, res.json.usage.input_tokens + res.json.usage.output_tokens);
		assert.match((await post('/v1/responses', { model: 'gpt-4.1', input: 'x', max_output_tokens: 8 })).json.error.message, />= 16/);
		assert.match((await post('/v1/responses', { model: 'gpt-4.1', input: 'x', text: { format: { type: 'json_schema', schema: {} } } })).json.error.message, /text\.format\.name/);
	});

	it('calls a function tool, then reads its output', async () => {
		const tools = [{ type: 'function', name: 'make_image', parameters: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] } }];
		const first = await post('/v1/responses', { model: 'gpt-4.1', input: 'a lamp', tools });
		const call = first.json.output[0];
		assert.equal(call.type, 'function_call');
		const second = await post('/v1/responses', {
			model: 'gpt-4.1',
			tools,
			input: [{ role: 'user', content: 'a lamp' }, call, { type: 'function_call_output', call_id: call.call_id, output: '{"url":"https://x/lamp.png"}' }],
		});
		assert.match(second.json.output[0].content[0].text, /url https:\/\/x\/lamp\.png/);
	});
});

describe('POST /v1/messages', () => {
	const body = { model: 'claude-sonnet-4-5-20250929', max_tokens: 256, messages: [{ role: 'user', content: 'hi' }] };

	it('takes x-api-key or Bearer, needs max_tokens, answers in Anthropic shape', async () => {
		const res = await post('/v1/messages', { ...body, system: 'Be kind.' }, { 'x-api-key': server.apiKey, 'anthropic-version': '2023-06-01' });
		assert.equal(res.status, 200, res.text);
		assert.equal(res.json.type, 'message');
		assert.deepEqual(res.json.content, [{ type: 'text', text: 'You said: hi' }]);
		assert.equal(res.json.stop_reason, 'end_turn');
		assert.ok(res.json.usage.input_tokens > 0 && res.json.usage.output_tokens > 0);
		assert.equal((await post('/v1/messages', body)).status, 200);
		const noMax = await post('/v1/messages', { ...body, max_tokens: undefined });
		assert.equal(noMax.status, 400);
		assert.deepEqual(noMax.json.error, { type: 'invalid_request_error', message: 'max_tokens: Field required' });
		const wrong = await post('/v1/messages', body, { 'x-api-key': 'wrong' });
		assert.equal(wrong.status, 401);
		assert.equal(wrong.json.error.type, 'authentication_error');
	});

	it('checks images: base64 bytes must match media_type; URLs are taken', async () => {
		const image = (source: unknown) => ({ ...body, messages: [{ role: 'user', content: [{ type: 'image', source }, { type: 'text', text: 'what?' }] }] });
		const ok = await post('/v1/messages', image({ type: 'base64', media_type: 'image/png', data: png.toString('base64') }));
		assert.match(ok.json.content[0].text, /1 image \(image\/png/);
		const mismatch = await post('/v1/messages', image({ type: 'base64', media_type: 'image/jpeg', data: png.toString('base64') }));
		assert.match(mismatch.json.error.message, /does not match the provided media type/);
		const url = await post('/v1/messages', image({ type: 'url', url: 'https://example.com/a.png' }));
		assert.match(url.json.content[0].text, /example\.com\/a\.png/);
		assert.match((await post('/v1/messages', { ...body, messages: [{ role: 'system', content: 'x' }] })).json.error.message, /top-level `system`/);
	});
});

describe('POST /v1beta/models/{model}:generateContent', () => {
	const path = '/v1beta/models/gemini-2.5-flash:generateContent';
	const contents = [{ role: 'user', parts: [{ text: 'Describe' }, { inlineData: { mimeType: 'image/png', data: png.toString('base64') } }] }];

	it('takes x-goog-api-key, answers candidates with usageMetadata', async () => {
		const res = await post(path, { contents, systemInstruction: { parts: [{ text: 'Short.' }] }, generationConfig: { temperature: 0.5, maxOutputTokens: 200 } }, { 'x-goog-api-key': server.apiKey });
		assert.equal(res.status, 200, res.text);
		assert.equal(res.json.candidates[0].content.role, 'model');
		assert.equal(res.json.candidates[0].finishReason, 'STOP');
		assert.match(res.json.candidates[0].content.parts[0].text, /Describe.*1 image \(image\/png/);
		const usage = res.json.usageMetadata;
		assert.equal(usage.totalTokenCount, usage.promptTokenCount + usage.candidatesTokenCount);
		assert.equal(res.json.modelVersion, 'gemini-2.5-flash');
		assert.equal((await post(path, { contents }, { 'x-goog-api-key': 'wrong' })).status, 401);
	});

	it('answers JSON from responseSchema and refuses JSON-Schema-only words and unknown fields', async () => {
		const schema = { type: 'OBJECT', properties: { caption: { type: 'STRING' } }, required: ['caption'] };
		const res = await post(path, { contents, generationConfig: { responseMimeType: 'application/json', responseSchema: schema } });
		assert.equal(typeof JSON.parse(res.json.candidates[0].content.parts[0].text).caption, 'string');
		const extra = await post(path, { contents, generationConfig: { responseMimeType: 'application/json', responseSchema: { ...schema, additionalProperties: false } } });
		assert.equal(extra.status, 400);
		assert.match(extra.json.error.message, /Unknown name "additionalProperties"/);
		assert.match((await post(path, { contents, generationConfig: { maxTokens: 5 } })).json.error.message, /Unknown name "maxTokens"/);
		assert.equal((await post('/v1beta/models/nope:generateContent', { contents })).status, 404);
	});

	it('streams with :streamGenerateContent?alt=sse', async () => {
		const res = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', { contents: [{ role: 'user', parts: [{ text: 'stream me please' }] }] });
		const chunks = sse(res.text).map((d) => JSON.parse(d));
		assert.equal(chunks.map((c) => c.candidates[0].content.parts[0].text).join(''), 'You said: stream me please');
		assert.equal(chunks.at(-1).candidates[0].finishReason, 'STOP');
	});
});
