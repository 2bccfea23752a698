import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { IDataObject } from 'n8n-workflow';

import { imageItem } from '../harness/fixtures';
import { CHAT_NODE, runChat } from '../harness/workflows';
import type { TikHubServer } from '../harness/server';
import { expectNoSecret } from './secrets';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

const rl = (value: string) => ({ __rl: true, mode: 'id', value });
const oneItem = [{ json: {} }];
const chat = (extra: IDataObject = {}): IDataObject => ({ api: 'chatCompletions', model: rl('gpt-4o-mini'), prompt: 'Hello', ...extra });
const models: Record<string, string> = {
	chatCompletions: 'gpt-4o-mini',
	responses: 'gpt-4.1',
	messages: 'claude-sonnet-4-5-20250929',
	generateContent: 'gemini-2.5-flash',
};

describe('TikHub Chat: bad input is refused before any request', () => {
	const cases: Array<{ name: string; parameters: IDataObject; items?: Parameters<typeof runChat>[1]['items']; message: RegExp; description?: RegExp }> = [
		{ name: 'an empty prompt', parameters: chat({ prompt: '  ' }), message: /The prompt is empty/ },
		{ name: 'an empty model', parameters: chat({ model: rl(' ') }), message: /No model is set/ },
		{
			name: 'a missing binary field',
			parameters: chat({ imageSource: 'binary', binaryPropertyName: 'photo' }),
			items: [imageItem()],
			message: /Item 0 has no binary field "photo"/,
			description: /Its binary fields are: data/,
		},
		{ name: 'no binary at all', parameters: chat({ imageSource: 'binary' }), message: /has no binary field "data"/, description: /carries no binary data/ },
		{ name: 'a URL that is no URL', parameters: chat({ imageSource: 'url', imageUrls: 'photo.png' }), message: /"photo.png" is not an http\(s\) URL/ },
		{ name: 'no URL', parameters: chat({ imageSource: 'url', imageUrls: '\n \n' }), message: /No image URL is given/ },
		{
			// Issue 17, point 1: the URL is shown without its user-info and query.
			name: 'a URL of another scheme, shown without its password and token',
			parameters: chat({ imageSource: 'url', imageUrls: 'ftp://ann:hunter2@cdn.example.com/shoe.png?sig=s3cr3t' }),
			message: /^"ftp:\/\/cdn\.example\.com\/shoe\.png" is not an http\(s\) URL$/,
		},
		{ name: 'a binary field listed twice', parameters: chat({ imageSource: 'binary', binaryPropertyName: 'data, data' }), items: [imageItem()], message: /The binary field "data" is listed twice/ },
		{
			name: 'a JSON schema that is not JSON',
			parameters: chat({ options: { responseFormat: 'jsonSchema', jsonSchema: '{"type": "object",' } }),
			message: /The JSON Schema option is not valid JSON/,
		},
		{ name: 'a JSON schema that is not an object', parameters: chat({ options: { responseFormat: 'jsonSchema', jsonSchema: '[1]' } }), message: /must be a JSON object/ },
		{ name: 'JSON Schema format without a schema', parameters: chat({ options: { responseFormat: 'jsonSchema' } }), message: /no JSON Schema is set/ },
		{ name: 'a temperature above 2', parameters: chat({ options: { temperature: '={{ 3 }}' } }), message: /Temperature must be a number from 0 to 2/ },
		{ name: 'max tokens that are no whole number', parameters: chat({ options: { maxTokens: '={{ 10.5 }}' } }), message: /Max Tokens must be a whole number/ },
		{
			name: 'a temperature above 1 for Anthropic',
			parameters: chat({ api: 'messages', model: rl(models.messages), options: { temperature: 1.5 } }),
			message: /Anthropic takes 0 to 1/,
		},
		{
			name: 'max tokens under the thinking budget for Anthropic',
			parameters: chat({ api: 'messages', model: rl(models.messages), options: { reasoningEffort: 'medium', maxTokens: 2000 } }),
			message: /must be above the thinking budget of Reasoning Effort "medium" \(8192 tokens\)/,
		},
		{
			name: 'max tokens under 16 for Responses',
			parameters: chat({ api: 'responses', model: rl(models.responses), options: { maxTokens: 8 } }),
			message: /the Responses format takes at least 16/,
		},
	];
	for (const { name, parameters, items, message, description } of cases) {
		test(name, async () => {
			const run = await runChat(server, { parameters, items: items ?? oneItem });
			assert.match(run.error?.message ?? '', message);
			if (description) assert.match(run.error?.description ?? '', description);
			assert.equal(server.requests.length, 0, 'nothing was sent');
		});
	}

	test('a bad item 2 stops the run before item 1 is sent', async () => {
		const run = await runChat(server, {
			parameters: chat({ prompt: '={{ $json.q }}' }),
			items: [{ json: { q: 'fine' } }, { json: { q: '' } }],
		});
		assert.match(run.error?.message ?? '', /The prompt is empty/);
		assert.equal(server.requests.length, 0);
	});
});

describe('TikHub Chat: failures', () => {
	test('429 with Retry-After, then success', async () => {
		server.fail({ kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached' } } });
		const started = Date.now();
		const run = await runChat(server, { parameters: chat(), items: oneItem });
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(server.requests.length, 2);
		assert.ok(Date.now() - started >= 900);
		assert.equal(run.items[0].json.text, 'You said: Hello');
	});

	for (const api of Object.keys(models)) {
		test(`${api}: a wrong key gives 401 and the key appears nowhere`, async () => {
			const run = await runChat(server, {
				parameters: chat({ api, model: rl(models[api]) }),
				items: oneItem,
				credentials: { apiKey: 'sk-wrong-secret-key', baseUrl: server.baseUrl },
			});
			assert.equal(run.error?.httpCode, '401');
			assert.match(run.error?.description ?? '', /API key/);
			expectNoSecret(server, run, 'sk-wrong-secret-key');
			expectNoSecret(server, run);
		});
	}

	test('5xx on every try ends in an error naming the status', async () => {
		server.fail({ kind: 'status', status: 500 }, { kind: 'html', status: 502 });
		const run = await runChat(server, { parameters: chat({ options: { maxRetries: 1 } }), items: oneItem });
		assert.equal(server.requests.length, 2);
		assert.equal(run.error?.httpCode, '502');
		assert.match(run.error?.message ?? '', /502/);
	});

	test('TikHub refusing a field (400) shows its message', async () => {
		const run = await runChat(server, { parameters: chat({ options: { reasoningEffort: 'low' } }), items: oneItem });
		assert.equal(run.error?.httpCode, '400');
		assert.match(run.error?.message ?? '', /reasoning_effort/);
	});

	test('an answer of the wrong shape (no message text) is an error, not an empty text', async () => {
		for (const api of Object.keys(models)) {
			server.fail({ kind: 'emptyData' });
			const run = await runChat(server, { parameters: chat({ api, model: rl(models[api]) }), items: oneItem });
			assert.match(run.error?.message ?? '', /answered without the model's text/, api);
			assert.match(run.error?.description ?? '', /"data":\[\]/, api);
		}
	});

	test('a body cut half way is reported as not JSON', async () => {
		server.fail({ kind: 'brokenJson' });
		const run = await runChat(server, { parameters: chat({ options: { maxRetries: 0 } }), items: oneItem });
		assert.match(run.error?.message ?? '', /not the expected JSON/);
	});

	test('Gemini blocking the prompt is said so', async () => {
		server.fail({ kind: 'status', status: 200, body: { promptFeedback: { blockReason: 'SAFETY' } } });
		const run = await runChat(server, { parameters: chat({ api: 'generateContent', model: rl(models.generateContent) }), items: oneItem });
		assert.match(run.error?.message ?? '', /blocked the prompt \(SAFETY\)/);
	});

	test('a model answer that is not valid JSON becomes an error item with the raw text; other items go on', async () => {
		server.chat.replies.push('Sure! Here is your caption: a red mug');
		const run = await runChat(server, {
			parameters: chat({ options: { responseFormat: 'jsonObject', concurrency: 1 } }),
			items: [{ json: { n: 1 } }, { json: { n: 2 } }],
			continueOnFail: 'continueErrorOutput',
		});
		assert.equal(run.error, undefined);
		const [success, errors] = run.result.outputs(CHAT_NODE);
		assert.deepEqual(success.map((item) => item.pairedItem), [{ item: 1 }]);
		assert.deepEqual(success[0].json.output, { reply: 'You said: Hello' });
		assert.deepEqual(errors.map((item) => item.pairedItem), [{ item: 0 }]);
		assert.equal(errors[0].json.error, "The model's answer is not valid JSON");
		const details = errors[0].json.details as Record<string, string>;
		assert.match(details.errorDescription, /The answer began: Sure! Here is your caption/);
		assert.equal(details.text, 'Sure! Here is your caption: a red mug');
		assert.equal(details.finishReason, 'stop');
	});

	test('a JSON answer cut at Max Tokens says to raise it', async () => {
		const run = await runChat(server, {
			parameters: chat({ prompt: 'json with "caption"', options: { responseFormat: 'jsonObject', maxTokens: 3 } }),
			items: oneItem,
			continueOnFail: true,
		});
		assert.equal(run.items[0].json.error, "The model's answer is not valid JSON");
		assert.match(String(run.items[0].json.errorDescription), /cut off at Max Tokens: raise it/);
	});
});

describe('TikHub Chat: image URLs are read with the shared list parser (issue 17, point 2)', () => {
	test('a comma inside a URL does not split it: one image is sent', async () => {
		const url = server.host(
			Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
			'png',
			'image/png',
		);
		const withCommas = `${url}?tr=w-300,h-300`;
		await runChat(server, { parameters: chat({ imageSource: 'url', imageUrls: withCommas }), items: oneItem });
		const sent = server.requests.find((r) => r.path === '/v1/chat/completions');
		const messages = (sent?.json as IDataObject | undefined)?.messages as IDataObject[] | undefined;
		const parts = (messages?.at(-1)?.content ?? []) as IDataObject[];
		const images = parts.filter((part) => part.type === 'image_url');
		assert.equal(images.length, 1);
		assert.equal((images[0].image_url as IDataObject).url, withCommas);
	});
});
