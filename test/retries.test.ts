import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { imageItem } from '../harness/fixtures';
import { runEdit } from '../harness/workflows';
import type { TikHubServer } from '../harness/server';
import { useServer } from './use-server';
import { expectNoSecret } from './secrets';

let server: TikHubServer;
useServer((started) => (server = started));

const edit = (options: Record<string, unknown> = {}) =>
	runEdit(server, { parameters: { model: 'gpt-image-2', prompt: 'x', options }, items: [imageItem()] });

async function succeedsAfterRetries(requests: number, options: Record<string, unknown> = {}) {
	const run = await edit(options);
	expectNoSecret(server, run);
	assert.equal(run.error, undefined, run.error?.message);
	assert.equal(run.items.length, 1);
	assert.equal(server.requests.length, requests);
	return run;
}

describe('retries', () => {
	test('429 twice with Retry-After, then success: waits as told and succeeds', async () => {
		server.fail(
			{ kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached' } } },
			{ kind: 'status', status: 429, headers: { 'retry-after': '1' } },
		);
		const started = Date.now();
		await succeedsAfterRetries(3);
		assert.ok(Date.now() - started >= 1900, 'honoured two Retry-After: 1');
	});

	test('500 once, then success', async () => {
		server.fail({ kind: 'status', status: 500 });
		await succeedsAfterRetries(2);
	});

	test('an HTML 502 page from a gateway once, then success', async () => {
		server.fail({ kind: 'html', status: 502 });
		await succeedsAfterRetries(2);
	});

	test('a reset socket once, then success', async () => {
		server.fail({ kind: 'reset' });
		await succeedsAfterRetries(2);
	});

	test('429 on every try ends with a clear rate-limit error after maxRetries + 1 tries', async () => {
		const limited = { kind: 'status', status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'Rate limit reached for gpt-image-2' } } } as const;
		server.fail(limited, limited, limited);
		const run = await edit({ maxRetries: 2 });
		expectNoSecret(server, run);
		assert.equal(server.requests.length, 3);
		assert.equal(run.error?.httpCode, '429');
		assert.match(run.error?.message ?? '', /rate limit \(429\) after 3 tries: Rate limit reached for gpt-image-2/);
		assert.match(run.error?.description ?? '', /Concurrency/);
	});

	test('401 is not retried and points at the credential', async () => {
		const run = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x' },
			items: [imageItem()],
			credentials: { apiKey: 'sk-this-key-is-wrong', baseUrl: server.baseUrl },
		});
		expectNoSecret(server, run, 'sk-this-key-is-wrong');
		assert.equal(server.requests.length, 1);
		assert.equal(run.error?.httpCode, '401');
		assert.match(run.error?.description ?? '', /API key in your TikHub API credential/);
	});

	test('400 shows the API message, the field and the status, without retrying', async () => {
		server.fail({
			kind: 'status',
			status: 400,
			body: { error: { message: 'Invalid value, expected one of auto, 1024x1024', type: 'invalid_request_error', param: 'size', code: null } },
		});
		const run = await edit();
		expectNoSecret(server, run);
		assert.equal(server.requests.length, 1);
		assert.equal(run.error?.httpCode, '400');
		assert.equal(run.error?.message, 'TikHub error 400: Invalid value, expected one of auto, 1024x1024 (field: size)');
	});

	test('other error shapes ({detail}, {message}, plain text) still give their message', async () => {
		for (const [body, expected] of [
			[{ detail: 'Model not available' }, 'TikHub error 400: Model not available'],
			[{ detail: [{ loc: ['body', 'n'], msg: 'must be <= 10' }] }, 'TikHub error 400: body.n: must be <= 10'],
			[{ message: 'Insufficient balance' }, 'TikHub error 400: Insufficient balance'],
			['upstream said no', 'TikHub error 400: upstream said no'],
			[{ error: 'quota exceeded' }, 'TikHub error 400: quota exceeded'],
			[{ error: { code: 42 } }, 'TikHub error 400: Bad Request'],
		] as const) {
			server.reset();
			server.fail({ kind: 'status', status: 400, body });
			const run = await edit();
			assert.equal(run.error?.message, expected);
		}
	});

	test('broken JSON in a 200 answer fails clearly instead of emitting empty items', async () => {
		server.fail({ kind: 'brokenJson' });
		const run = await edit();
		expectNoSecret(server, run);
		assert.equal(run.items.length, 0);
		assert.match(run.error?.message ?? '', /not the expected JSON/);
	});

	test('a 200 without any image fails clearly', async () => {
		for (const kind of ['emptyData', 'noImage'] as const) {
			server.reset();
			server.fail({ kind });
			const run = await edit();
			assert.match(run.error?.message ?? '', /TikHub answered without/);
		}
	});

	test('a 200 that carries an error instead of images shows that error', async () => {
		server.fail({ kind: 'status', status: 200, body: { error: { message: 'Your request was rejected by the safety system' } } });
		const run = await edit();
		assert.equal(run.error?.message, 'TikHub answered without any image: Your request was rejected by the safety system');
	});

	test('a redirect on the edit call is not followed and points at the Base URL', async () => {
		server.fail({ kind: 'status', status: 301, headers: { location: 'https://ai.tikhub.io/v1/images/edits' }, body: '' });
		const run = await edit();
		assert.equal(server.requests.length, 1);
		assert.equal(run.error?.httpCode, '301');
		assert.match(run.error?.description ?? '', /Base URL .* https/);
	});

	test('Max Retries set by expression is kept within 0 to 10', async () => {
		server.fail({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
		const run = await edit({ maxRetries: '={{ -5 }}' });
		assert.equal(server.requests.length, 1, 'a negative count means no retry');
		assert.equal(run.error?.httpCode, '500');
	});

	test('an answer slower than the timeout fails with the limit and how to raise it', async () => {
		server.latencyMs = 3000;
		const run = await edit({ timeout: 1, maxRetries: 0 });
		expectNoSecret(server, run);
		assert.match(run.error?.message ?? '', /did not answer within 1 s/);
		assert.match(run.error?.description ?? '', /Raise "Timeout \(Seconds\)"/);
	});
});
