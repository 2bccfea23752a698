import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { INodeProperties } from 'n8n-workflow';

import { TikHubVideo } from '../nodes/TikHubVideo/TikHubVideo.node.ts';
import { expectNoSecret } from './secrets';
import type { TikHubServer } from '../harness/server';
import { FAST, runVideo, statusChecks, useServer } from './video-harness';

let server: TikHubServer;
useServer((started) => (server = started));

const polls = () => statusChecks(server);

const generate = (provider: string, options: Record<string, unknown> = {}, extra: Partial<Parameters<typeof runVideo>[1]> = {}) =>
	runVideo(server, { parameters: { provider, operation: 'generate', prompt: 'A cat', options: { ...FAST, ...options } }, ...extra });

describe('a task that fails', () => {
	test('Seedance: the error carries Ark\'s own reason and the task id', async () => {
		server.videos.script({ polls: 1, fail: 'The output video may contain sensitive content' });
		const run = await generate('seedance');
		expectNoSecret(server, run);
		const taskId = [...server.videos.tasks.keys()][0];
		assert.equal(run.error?.message, `Seedance task ${taskId} failed: The output video may contain sensitive content (OutputVideoSensitiveContentDetected)`);
		assert.equal(server.fileRequests, 0);
	});

	test('Kling with Continue On Fail: an error item with task_status_msg, paired to its input', async () => {
		server.videos.script({ polls: 1, fail: 'Failure to pass the risk control system' });
		const run = await generate('kling', {}, { onError: 'continueRegularOutput' });
		assert.equal(run.error, undefined);
		assert.equal(run.items.length, 1);
		const [item] = run.items;
		const taskId = [...server.videos.tasks.keys()][0];
		assert.equal(item.json.error, `Kling task ${taskId} failed: Failure to pass the risk control system`);
		assert.equal(item.json.taskId, taskId);
		assert.equal(item.json.status, 'failed');
		assert.equal(item.json.provider, 'kling');
		assert.deepEqual(item.pairedItem, { item: 0 });
	});

	test('Seedance "cancelled" and "expired" end the wait as failures', async () => {
		for (const endStatus of ['cancelled', 'expired'] as const) {
			server.reset();
			server.videos.script({ polls: 0, endStatus });
			const run = await generate('seedance');
			assert.match(run.error?.message ?? '', new RegExp(`ended as "${endStatus}"`));
		}
	});

	test('with "Continue (using error output)" the failed task goes to the error output with its task id', async () => {
		server.videos.script({ polls: 0, fail: 'nope' });
		const run = await generate('seedance', {}, { onError: 'continueErrorOutput' });
		assert.equal(run.items.length, 0);
		assert.equal(run.errorItems.length, 1);
		const taskId = [...server.videos.tasks.keys()][0];
		const { error, details } = run.errorItems[0].json as { error: string; details: Record<string, unknown> };
		assert.match(error, new RegExp(`Seedance task ${taskId} failed: nope`));
		assert.equal(details.taskId, taskId, 'the task id rides along under details');
		assert.equal(details.provider, 'seedance');
	});
});

describe('max wait', () => {
	test('a task still running after Max Wait gives an error naming the task id and Get Task', async () => {
		server.videos.script({ polls: Infinity });
		const started = Date.now();
		const run = await generate('seedance', { pollInterval: 0.1, maxWait: 0.5 }, { onError: 'continueRegularOutput' });
		const elapsed = Date.now() - started;
		const taskId = [...server.videos.tasks.keys()][0];
		const [item] = run.items;
		assert.equal(item.json.error, `Seedance task ${taskId} did not finish within 0.5 s (status: running)`);
		assert.match(String(item.json.errorDescription), new RegExp(`Operation "Get Task" and Task ID ${taskId}`));
		assert.equal(item.json.taskId, taskId);
		assert.equal(item.json.provider, 'seedance');
		assert.ok(elapsed < 3000, `stopped at Max Wait (${elapsed} ms)`);
		const count = polls().length;
		// Issue 17: no check starts within 0.2 s of Max Wait (it could not finish within it).
		assert.ok(count >= 2 && count <= 6, `checked about every 0.1 s until 0.3 s, none within 0.2 s of Max Wait (${count})`);
		await new Promise((resolve) => setTimeout(resolve, 300));
		assert.equal(polls().length, count, 'no checks after giving up');
	});

	test('the defaults: checks every 10 s, waits up to 15 minutes, 10 items at once', () => {
		const options = new TikHubVideo().description.properties.find((property) => property.name === 'options')?.options as INodeProperties[];
		const defaultOf = (name: string) => options.find((option) => option.name === name)?.default;
		assert.equal(defaultOf('pollInterval'), 10);
		assert.equal(defaultOf('maxWait'), 900);
		assert.equal(defaultOf('concurrency'), 10);
	});
});

describe('rate limits and failures while polling', () => {
	test('429 with Retry-After on status checks: waits as told through the shared transport, then finishes', async () => {
		const limited = { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'RateLimitExceeded', message: 'Too many requests' } } } as const;
		server.videos.script({ polls: 1, pollFaults: [limited, limited] });
		const started = Date.now();
		const run = await generate('seedance', { maxRetries: 2 });
		expectNoSecret(server, run);
		assert.equal(run.error, undefined, run.error?.message);
		assert.ok(run.items[0].binary?.data);
		assert.ok(Date.now() - started >= 1900, 'honoured two Retry-After: 1');
		assert.equal(polls().length, 4, 'two 429s, then queued, then succeeded');
	});

	test('a check that still fails after its retries is skipped: the next check finds the task done', async () => {
		server.videos.script({ polls: 1, pollFaults: [{ kind: 'status', status: 503 }, { kind: 'reset' }] });
		const run = await generate('kling', { maxRetries: 0 });
		assert.equal(run.error, undefined, run.error?.message);
		assert.ok(run.items[0].binary?.data);
		assert.equal(polls().length, 4);
	});

	test('when every check fails until Max Wait, the error says so and names the task', async () => {
		const down = { kind: 'status', status: 502 } as const;
		server.videos.script({ polls: 0, pollFaults: Array(50).fill(down) });
		const run = await generate('seedance', { maxRetries: 0, pollInterval: 0.1, maxWait: 0.4 });
		const taskId = [...server.videos.tasks.keys()][0];
		assert.match(run.error?.message ?? '', new RegExp(`Seedance task ${taskId} did not finish within 0.4 s`));
		assert.match(run.error?.description ?? '', /The last status check failed: TikHub error 502/);
	});

	test('Kling: a status check answered 200 with a code other than 0 ends the wait with Kling\'s message and the task', async () => {
		server.videos.script({ polls: 5, pollFaults: [{ kind: 'status', status: 200, body: { code: 1201, message: 'Invalid task', request_id: 'r1' } }] });
		const run = await generate('kling');
		const taskId = [...server.videos.tasks.keys()][0];
		assert.equal(run.error?.message, `Kling error 1201 (task ${taskId}): Invalid task`);
		assert.equal(polls().length, 1);
	});

	test('a 401 on a status check is not waited out', async () => {
		server.videos.script({ polls: 5, pollFaults: [{ kind: 'status', status: 401, body: { error: { message: 'key revoked' } } }] });
		const run = await generate('seedance');
		assert.equal(run.error?.httpCode, '401');
		assert.equal(polls().length, 1);
	});
});

describe('cancellation', () => {
	test('cancelling the execution stops the waiting at once, even between long poll intervals', async () => {
		server.videos.script({ polls: Infinity });
		const controller = new AbortController();
		const cancelAt = { time: 0 };
		const running = generate('seedance', { pollInterval: 30, maxWait: 3600 }, { signal: controller.signal });
		while (polls().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
		await new Promise((resolve) => setTimeout(resolve, 100));
		cancelAt.time = Date.now();
		controller.abort();
		const run = await running;
		const stoppedAfter = Date.now() - cancelAt.time;
		assert.equal(run.result.run.status, 'canceled');
		assert.ok(stoppedAfter < 1000, `the node stopped ${stoppedAfter} ms after the cancel`);
		assert.equal(polls().length, 1, 'no check after the cancel');
	});

	test('cancelling during a batch stops every waiting item and starts no new one', async () => {
		server.videos.script(...Array(6).fill({ polls: Infinity }));
		const controller = new AbortController();
		const running = runVideo(server, {
			parameters: { provider: 'kling', prompt: 'x', options: { pollInterval: 0.05, concurrency: 3 } },
			items: Array.from({ length: 6 }, () => ({ json: {} })),
			signal: controller.signal,
		});
		while (server.videos.tasks.size < 3) await new Promise((resolve) => setTimeout(resolve, 20));
		await new Promise((resolve) => setTimeout(resolve, 150));
		const cancelledAt = Date.now();
		controller.abort();
		await running;
		assert.ok(Date.now() - cancelledAt < 1000);
		assert.equal(server.videos.tasks.size, 3, 'the three items not started were never created');
		const last = Math.max(...server.videos.requests.map((request) => request.at));
		assert.ok(last <= cancelledAt + 50, 'no request after the cancel');
	});
});

describe('concurrency', () => {
	test('ten items wait side by side: the batch takes about as long as one video', async () => {
		const videoMs = 800;
		server.videos.defaultScript = { polls: 0, afterMs: videoMs };
		const items = Array.from({ length: 10 }, (_, index) => ({ json: { prompt: `video ${index}` } }));
		const started = Date.now();
		const run = await runVideo(server, {
			parameters: { provider: 'seedance', prompt: '={{ $json.prompt }}', options: { pollInterval: 0.1 } },
			items,
		});
		const elapsed = Date.now() - started;
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(server.videos.maxPending, 10, 'all ten tasks were waited for at once (default Concurrency 10)');
		assert.ok(elapsed < videoMs * 3, `10 videos of ${videoMs} ms took ${elapsed} ms`);
		assert.deepEqual(
			run.items.map((item) => [item.pairedItem, (server.videos.tasks.get(String(item.json.taskId))?.body.content as Array<{ text: string }>)[0].text]),
			items.map((_, index) => [{ item: index }, `video ${index}`]),
			'outputs keep the input order',
		);
	});

	test('Concurrency 2 keeps at most two tasks waiting at once', async () => {
		server.videos.defaultScript = { polls: 1 };
		const run = await runVideo(server, {
			parameters: { provider: 'kling', prompt: 'x', options: { ...FAST, concurrency: 2 } },
			items: Array.from({ length: 5 }, () => ({ json: {} })),
		});
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(run.items.length, 5);
		assert.equal(server.videos.maxPending, 2);
	});
});
