import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { TikHubApi } from '../credentials/TikHubApi.credentials';
import { testCredential } from '../harness/engine/credential-test';
import { imageItem, png } from '../harness/fixtures';
import { EDIT_NODE, runEdit } from '../harness/workflows';
import { expectNoSecret } from './secrets';
import type { TikHubServer } from '../harness/server';
import { useServer } from './use-server';

/**
 * The failures an adversarial review found in production-shaped flows (issue 11), one
 * describe per point, each through n8n's engine against the local server.
 */

let server: TikHubServer;
useServer((started) => (server = started));

const parameters = { model: 'gpt-image-2', prompt: 'add a hat' };
const passThrough = { kind: 'delay', ms: 0 } as const; // consumes a fault slot, then answers normally

describe('1. On Error "Continue (using error output)"', () => {
	test('every failure goes to the error output, successes to the main output', async () => {
		server.fail(passThrough, passThrough, { kind: 'status', status: 500 });
		const run = await runEdit(server, {
			parameters: { ...parameters, options: { size: '={{ $json.size }}', maxRetries: 0, concurrency: 1 } },
			items: [
				imageItem(undefined, { size: '1024x1024' }), // edited
				{ json: { size: '1024x1024' } }, // no binary: a local check
				imageItem(undefined, { size: '9999x9999' }), // TikHub answers 400
				imageItem(undefined, { size: '1024x1024' }), // TikHub answers 500
			],
			continueOnFail: 'continueErrorOutput',
		});
		assert.equal(run.error, undefined);
		const [success, errors] = run.result.outputs(EDIT_NODE);
		assert.deepEqual(success.map((item) => item.pairedItem), [{ item: 0 }]);
		assert.equal(success[0].binary?.data.mimeType, 'image/png');
		assert.deepEqual(errors.map((item) => item.pairedItem), [{ item: 1 }, { item: 2 }, { item: 3 }]);
		assert.match(String(errors[0].json.error), /no binary field "data"/);
		assert.match(String(errors[1].json.error), /TikHub error 400/);
		assert.match(String(errors[2].json.error), /TikHub error 500/);
		// n8n adds the input item's JSON; the node's own words are under `details`.
		assert.equal(errors[1].json.size, '9999x9999');
		assert.deepEqual(errors[1].json.details, {
			errorDescription: 'TikHub rejected the request. Check the fields named in the message (model, size, mask, output options).',
			httpCode: '400',
		});
		expectNoSecret(server, run);
	});

	test('"Continue (regular output)" keeps the error items on the main output', async () => {
		const run = await runEdit(server, {
			parameters,
			items: [imageItem(), { json: {} }],
			continueOnFail: 'continueRegularOutput',
		});
		const outputs = run.result.outputs(EDIT_NODE);
		assert.equal(outputs.length, 1);
		assert.deepEqual(Object.keys(outputs[0][1].json).sort(), ['error', 'errorDescription']);
	});
});

describe('2. an option expression that throws for one item', () => {
	test('fails that item alone; the input is never passed off as a result', async () => {
		const run = await runEdit(server, {
			parameters: {
				...parameters,
				options: { size: '={{ $json.size || $("Config").item.json.size }}', concurrency: '={{ 2 }}' },
			},
			items: [imageItem(undefined, { size: '1024x1024' }), imageItem(undefined, {})],
			continueOnFail: true,
		});
		assert.equal(run.error, undefined);
		assert.equal(run.items.length, 2);
		assert.match(String(run.items[0].json.revisedPrompt), /Edited/);
		assert.equal(run.items[1].binary, undefined, 'the unedited photo.png does not come out');
		assert.match(String(run.items[1].json.error), /Referenced node doesn't exist/);
		assert.equal(server.requests.length, 1);
	});
});

describe('3. no paid work thrown away', () => {
	test('a local failure in item 3 stops the run before items 0-2 are sent', async () => {
		const run = await runEdit(server, {
			parameters: { ...parameters, options: { concurrency: 1 } },
			items: [imageItem(), imageItem(), imageItem(), { json: {} }],
		});
		assert.match(run.error?.message ?? '', /Item 3 has no binary field "data"/);
		assert.equal(server.requests.length, 0);
	});

	test('an answer with some images missing outputs the images that came and reports the others', async () => {
		const image = png(64, 64).toString('base64');
		server.fail({
			kind: 'status',
			status: 200,
			body: { created: 1, data: [{ b64_json: image }, {}, { b64_json: image, revised_prompt: 'third' }] },
		});
		const run = await runEdit(server, { parameters: { ...parameters, options: { n: 3 } }, items: [imageItem()] });
		assert.equal(run.error, undefined);
		assert.deepEqual(run.items.map((item) => item.json.index), [0, 2]);
		assert.deepEqual(run.items[0].json.missingImages, [{ index: 1, reason: 'no "b64_json" or "url"' }]);
	});
});

describe('4. the key never leaks', () => {
	test('a key saved with spaces around it is sent trimmed and masked in every message', async () => {
		const ok = await runEdit(server, {
			parameters,
			items: [imageItem()],
			credentials: { apiKey: `  ${server.apiKey}\n`, baseUrl: server.baseUrl },
		});
		assert.equal(ok.error, undefined);
		assert.equal(server.requests[0].authorization, `Bearer ${server.apiKey}`);

		const wrong = 'sk-wrong-key-with-spaces';
		const run = await runEdit(server, {
			parameters,
			items: [imageItem()],
			credentials: { apiKey: ` ${wrong} `, baseUrl: server.baseUrl },
		});
		assert.equal(run.error?.httpCode, '401');
		expectNoSecret(server, run, wrong);
	});

	test('a 200 answer whose message echoes the key is masked', async () => {
		server.fail({
			kind: 'status',
			status: 200,
			body: { error: { message: `Quota exceeded for key ${server.apiKey}` } },
		});
		const run = await runEdit(server, { parameters, items: [imageItem()] });
		assert.match(run.error?.message ?? '', /TikHub answered without any image: Quota exceeded for key \*\*\*/);
		expectNoSecret(server, run);
	});

	test('an empty key gives a local error naming the credential', async () => {
		const run = await runEdit(server, {
			parameters,
			items: [imageItem()],
			credentials: { apiKey: '   ', baseUrl: server.baseUrl },
		});
		assert.match(run.error?.message ?? '', /The API key of the TikHub API credential is empty/);
		assert.equal(server.requests.length, 0);
	});
});

describe('5. retries', () => {
	test('a connection that breaks in the middle of the answer is retried', async () => {
		server.fail({ kind: 'cutBody' });
		const run = await runEdit(server, { parameters: { ...parameters, options: { maxRetries: 1 } }, items: [imageItem()] });
		assert.equal(run.error, undefined);
		assert.equal(run.items[0].binary?.data.mimeType, 'image/png');
		assert.equal(server.requests.length, 2);
	});

	test('the same break on the last try says what happened', async () => {
		server.fail({ kind: 'cutBody' });
		const run = await runEdit(server, { parameters: { ...parameters, options: { maxRetries: 0 } }, items: [imageItem()] });
		assert.match(run.error?.message ?? '', /the connection broke while the answer was coming in/);
	});

	test('a Retry-After beyond the 60 s the node waits fails at once, saying when to try again', async () => {
		server.fail({ kind: 'status', status: 429, headers: { 'retry-after': '3600' } });
		const started = Date.now();
		const run = await runEdit(server, { parameters, items: [imageItem()] });
		assert.ok(Date.now() - started < 5000, 'did not wait');
		assert.equal(server.requests.length, 1);
		assert.match(run.error?.message ?? '', /rate limit \(429\)/);
		assert.match(run.error?.description ?? '', /asked to wait 3600 s .* Run the item again after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
	});
});

describe('6. messages that say what is wrong', () => {
	test('an empty file and bytes that are no image are called what they are', async () => {
		const empty = await runEdit(server, {
			parameters,
			items: [imageItem({ data: { bytes: Buffer.alloc(0), fileName: 'a.png', mimeType: 'image/png' } })],
		});
		assert.match(empty.error?.message ?? '', /The image "a.png" in "data" is empty \(0 bytes\)/);
		const junk = await runEdit(server, {
			parameters,
			items: [imageItem({ data: { bytes: Buffer.from('just some text'), fileName: 'b.png', mimeType: 'image/png' } })],
		});
		assert.match(junk.error?.message ?? '', /"b.png" in "data" is not a PNG, JPEG or WebP image \(its bytes are no image format/);
		assert.equal(server.requests.length, 0);
	});

	test('a b64_json that is not text, and a relative result URL, say so', async () => {
		server.fail({ kind: 'status', status: 200, body: { created: 1, data: [{ b64_json: 42 }] } });
		const notText = await runEdit(server, { parameters, items: [imageItem()] });
		assert.match(notText.error?.message ?? '', /"b64_json" is a number, not base64 text/);

		server.fail({ kind: 'status', status: 200, body: { created: 1, data: [{ url: '/files/result.png' }] } });
		const relative = await runEdit(server, { parameters, items: [imageItem()] });
		assert.match(relative.error?.message ?? '', /Could not download image 0 .*"\/files\/result.png" is not a complete http\(s\) URL/);
	});

	test('a Base URL without a scheme points at the credential; one with spaces works in node and test', async () => {
		const noScheme = await runEdit(server, {
			parameters,
			items: [imageItem()],
			credentials: { apiKey: server.apiKey, baseUrl: server.baseUrl.replace('http://', '') },
		});
		assert.match(noScheme.error?.message ?? '', /Base URL "127\.0\.0\.1:\d+" of the TikHub API credential is not an http\(s\) URL/);
		assert.match(noScheme.error?.description ?? '', /https:\/\/ai\.tikhub\.io/);

		const spaced = { apiKey: server.apiKey, baseUrl: `  ${server.baseUrl}/ ` };
		assert.equal((await runEdit(server, { parameters, items: [imageItem()], credentials: spaced })).error, undefined);
		assert.equal(await testCredential(new TikHubApi(), spaced), 200);
	});

	test('the prompt limit counts characters, not UTF-16 units', async () => {
		const emoji = '🎨'.repeat(20_000); // 40,000 UTF-16 units
		const ok = await runEdit(server, { parameters: { ...parameters, prompt: emoji }, items: [imageItem()] });
		assert.equal(ok.error, undefined);
		const long = await runEdit(server, { parameters: { ...parameters, prompt: 'x'.repeat(32_001) }, items: [imageItem()] });
		assert.match(long.error?.message ?? '', /32001 characters long; the limit is 32000/);
	});

	test('a field listed twice is refused (issue 17: it was silently sent once)', async () => {
		const run = await runEdit(server, { parameters: { ...parameters, binaryPropertyName: 'data, data' }, items: [imageItem()] });
		assert.match(run.error?.message ?? '', /The binary field "data" is listed twice in "Input Binary Field\(s\)"/);
		assert.equal(server.requests.length, 0);
	});
});
