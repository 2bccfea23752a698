import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { readBinary } from '../harness/engine';
import { expectNoSecret } from './secrets';
import type { TikHubServer } from '../harness/server';
import { frameItem, runVideo, statusChecks, useServer } from './video-harness';

let server: TikHubServer;
useServer((started) => (server = started));

const polls = () => statusChecks(server);

const get = (provider: string, taskId: string, extra: Record<string, unknown> = {}) =>
	runVideo(server, { parameters: { provider, operation: 'get', taskId, ...extra } });

describe('create', () => {
	test('Seedance: returns the task id and status at once, without checking on the task', async () => {
		const run = await runVideo(server, {
			parameters: { provider: 'seedance', operation: 'create', model: 'doubao-seedance-1-5-pro-251215', prompt: 'A cat', options: { duration: 5 } },
		});
		expectNoSecret(server, run);
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(polls().length, 0);
		assert.equal(run.items.length, 1);
		const [item] = run.items;
		assert.equal(item.binary, undefined);
		assert.deepEqual(item.json, {
			taskId: [...server.videos.tasks.keys()][0],
			status: 'queued',
			provider: 'seedance',
			model: 'doubao-seedance-1-5-pro-251215',
			duration: 5,
		});
	});

	test('Kling: returns the task id, "queued" for "submitted", and the task type for Get Task', async () => {
		const run = await runVideo(server, {
			parameters: { provider: 'kling', operation: 'create', imageSource: 'binary', prompt: 'x' },
			items: [frameItem()],
		});
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(polls().length, 0);
		const task = [...server.videos.tasks.values()][0];
		assert.deepEqual(run.items[0].json, {
			taskId: task.id,
			status: 'queued',
			providerStatus: 'submitted',
			provider: 'kling',
			taskType: 'image2video',
			model: 'kling-v2-6',
			createdAt: new Date(task.createdAt).toISOString(),
			updatedAt: run.items[0].json.updatedAt,
		});
		assert.match(String(run.items[0].json.updatedAt), /^\d{4}-\d\d-\d\dT/);
	});
});

describe('create, then get', () => {
	for (const provider of ['seedance', 'kling'] as const) {
		test(`${provider}: get answers the status while the task runs, then downloads the video once it is done`, async () => {
			server.videos.script({ polls: 2 });
			const created = await runVideo(server, { parameters: { provider, operation: 'create', prompt: 'A dog surfing' } });
			const taskId = String(created.items[0].json.taskId);

			const first = await get(provider, taskId);
			assert.equal(first.error, undefined, first.error?.message);
			assert.equal(first.items[0].binary, undefined);
			assert.equal(first.items[0].json.taskId, taskId);
			assert.equal(first.items[0].json.status, 'queued');
			assert.equal(first.items[0].json.provider, provider);

			const second = await get(provider, taskId);
			assert.equal(second.items[0].json.status, 'running');
			assert.equal(server.fileRequests, 0);

			const done = await get(provider, taskId, { options: { binaryPropertyOutput: 'video' } });
			expectNoSecret(server, done);
			assert.equal(done.error, undefined, done.error?.message);
			const [item] = done.items;
			assert.equal(item.json.status, 'succeeded');
			assert.equal(item.json.taskId, taskId);
			assert.ok(item.json.videoUrl);
			assert.equal(item.binary?.video?.mimeType, 'video/mp4');
			assert.equal(item.binary?.video?.fileName, `${taskId}.mp4`);
			assert.equal((await readBinary(item.binary.video)).toString('latin1', 4, 8), 'ftyp');
			assert.equal(polls().length, 3, 'one status check per get');
			if (provider === 'seedance') assert.equal(item.json.model, 'doubao-seedance-1-5-pro-251215', 'Seedance reports the model');
		});
	}

	test('Kling get with Task Type "auto" finds an image-to-video task under its own path', async () => {
		server.videos.script({ polls: 0 });
		const created = await runVideo(server, {
			parameters: { provider: 'kling', operation: 'create', imageSource: 'url', imageUrl: 'https://cdn.example.com/a.png' },
		});
		const taskId = String(created.items[0].json.taskId);
		const run = await get('kling', taskId);
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(run.items[0].json.taskType, 'image2video');
		assert.ok(run.items[0].binary?.data);
		assert.deepEqual(
			polls().map((request) => request.path),
			[`/kling/v1/videos/text2video/${taskId}`, `/kling/v1/videos/image2video/${taskId}`],
		);
	});

	test('Kling get with a Task Type looks only there', async () => {
		server.videos.script({ polls: 5 });
		const created = await runVideo(server, {
			parameters: { provider: 'kling', operation: 'create', imageSource: 'url', imageUrl: 'https://cdn.example.com/a.png' },
		});
		const taskId = String(created.items[0].json.taskId);
		const run = await get('kling', taskId, { taskType: 'image2video' });
		assert.equal(run.items[0].json.status, 'queued');
		assert.deepEqual(polls().map((request) => request.path), [`/kling/v1/videos/image2video/${taskId}`]);
	});

	test('get of an unknown task says so, naming the task and what to check', async () => {
		const seedance = await get('seedance', 'cgt-nope');
		assert.equal(seedance.error?.httpCode, '404');
		assert.match(seedance.error?.message ?? '', /The specified task is not found/);
		assert.match(seedance.error?.description ?? '', /No Seedance task with ID cgt-nope/);

		const kling = await get('kling', '123');
		assert.match(kling.error?.message ?? '', /Kling has no text-to-video or image-to-video task 123/);
	});

	test('get of a failed task is an error with the provider\'s reason', async () => {
		server.videos.script({ polls: 0, fail: 'The prompt was flagged by the content filter' });
		const created = await runVideo(server, { parameters: { provider: 'kling', operation: 'create', prompt: 'x' } });
		const taskId = String(created.items[0].json.taskId);
		const run = await runVideo(server, { parameters: { provider: 'kling', operation: 'get', taskId }, onError: 'continueRegularOutput' });
		assert.equal(run.error, undefined);
		assert.equal(run.items[0].json.error, `Kling task ${taskId} failed: The prompt was flagged by the content filter`);
		assert.equal(run.items[0].json.taskId, taskId);
		assert.equal(run.items[0].json.reason, 'The prompt was flagged by the content filter');
	});

	test('get with an empty Task ID fails before any request', async () => {
		const run = await get('seedance', '  ');
		assert.match(run.error?.message ?? '', /The Task ID is empty/);
		assert.equal(server.videos.requests.length, 0);
	});
});
