import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { png } from '../harness/fixtures';
import type { TikHubServer } from '../harness/server';
import { createCalls, expectOneVideo, FAST, frameItem, runVideo, statusChecks, useServer, type VideoResult } from './video-harness';

let server: TikHubServer;
useServer((started) => (server = started));

const creates = () => createCalls(server);
const polls = () => statusChecks(server);

const generate = (parameters: Record<string, unknown> = {}, extra: Partial<Parameters<typeof runVideo>[1]> = {}) =>
	runVideo(server, { parameters: { provider: 'sora', operation: 'generate', model: 'sora-2', prompt: 'A calico cat plays the piano', ...parameters, options: { ...FAST, ...(parameters.options as object) } }, ...extra });

const oneVideo = async (run: VideoResult) => await expectOneVideo(server, run);

const contentCalls = () => server.videos.requests.filter((request) => request.call === 'content');

describe('Sora generate', () => {
	test('text-to-video: JSON with seconds as a string and the size, waits through queued and in_progress, downloads /content with the key', async () => {
		server.videos.script({ polls: 2 });
		const run = await generate({ model: 'sora-2-pro', options: { duration: 8, size: '1792x1024' } }, { binaryMode: 'filesystem' });
		const { json, bytes } = await oneVideo(run);
		assert.equal(creates().length, 1);
		assert.equal(creates()[0].path, '/v1/videos');
		assert.deepEqual(creates()[0].body, { model: 'sora-2-pro', prompt: 'A calico cat plays the piano', seconds: '8', size: '1792x1024' });
		const taskId = String(json.taskId);
		assert.match(taskId, /^video_/);
		assert.deepEqual(polls().map((poll) => `${poll.method} ${poll.path}`), Array(3).fill(`GET /v1/videos/${taskId}`));
		assert.deepEqual(contentCalls().map((call) => [call.path, call.authorization]), [[`/v1/videos/${taskId}/content`, `Bearer ${server.apiKey}`]]);
		assert.equal(json.status, 'succeeded');
		assert.equal(json.providerStatus, 'completed');
		assert.equal(json.provider, 'sora');
		assert.equal(json.model, 'sora-2-pro');
		assert.equal(json.videoUrl, `${server.baseUrl}/v1/videos/${taskId}/content`);
		assert.equal(json.duration, 8);
		assert.equal(json.size, '1792x1024');
		assert.equal(json.progress, 100);
		assert.equal(json.fileSize, bytes.length);
	});

	test('the aspect ratio gives the size: 16:9 -> 1280x720, 9:16 -> 720x1280; nothing set sends neither', async () => {
		for (const [aspectRatio, size] of [['16:9', '1280x720'], ['9:16', '720x1280']]) {
			server.reset();
			await oneVideo(await generate({ options: { aspectRatio } }));
			assert.deepEqual(creates()[0].body, { model: 'sora-2', prompt: 'A calico cat plays the piano', size });
		}
		server.reset();
		await oneVideo(await generate());
		assert.deepEqual(creates()[0].body, { model: 'sora-2', prompt: 'A calico cat plays the piano' });
	});

	test('image-to-video from a binary field: multipart with the image as the input_reference file', async () => {
		const frame = frameItem(1280, 720, 'product.png');
		await oneVideo(await generate({ imageSource: 'binary', options: { aspectRatio: '16:9', duration: 4 } }, { items: [frame] }));
		const [create] = creates();
		assert.equal(create.body, undefined, 'not JSON');
		assert.deepEqual(create.fields, { model: 'sora-2', prompt: 'A calico cat plays the piano', seconds: '4', size: '1280x720' });
		assert.equal(create.files?.length, 1);
		const [file] = create.files ?? [];
		assert.equal(file.field, 'input_reference');
		assert.equal(file.fileName, 'product.png');
		assert.equal(file.contentType, 'image/png');
		assert.ok(file.bytes.equals(frame.binary?.data.bytes as Buffer));
	});

	test('image-to-video from a URL: downloaded without the key, sent as the file; its size sets size when none is chosen', async () => {
		const image = png(720, 1280);
		const url = server.host(image, 'png', 'image/png').replace('127.0.0.1', 'localhost');
		await oneVideo(await generate({ imageSource: 'url', imageUrl: url }));
		assert.deepEqual(server.fileAuthorizations, [undefined]);
		const [create] = creates();
		assert.equal(create.fields?.size, '720x1280');
		assert.ok(create.files?.[0].bytes.equals(image));
		assert.equal(create.files?.[0].field, 'input_reference');
	});
});

describe('Sora checks before paying', () => {
	test('a first frame whose size is not the video size fails before any request, naming both sizes', async () => {
		const run = await generate({ imageSource: 'binary', options: { size: '1280x720' } }, { items: [frameItem(320, 320, 'square.png')] });
		assert.equal(run.error?.message, 'The image "square.png" in "data" is 320x320; Sora needs the first frame to be exactly the video\'s size, 1280x720');
		assert.equal(server.videos.requests.length, 0);
	});

	test('without Size, a first frame that is none of Sora\'s sizes is refused with the sizes it takes', async () => {
		const run = await generate({ imageSource: 'binary' }, { items: [frameItem(1792, 1024, 'wide.png')] });
		assert.equal(run.error?.message, 'The image "wide.png" in "data" is 1792x1024; Sora needs the first frame to be exactly one of its video sizes (1280x720, 720x1280)');
		assert.equal(server.videos.requests.length, 0);
	});

	test('a URL first frame of the wrong size is refused after its download, before any TikHub request', async () => {
		const url = server.host(png(640, 480), 'png', 'image/png').replace('127.0.0.1', 'localhost');
		const run = await generate({ imageSource: 'url', imageUrl: url, options: { aspectRatio: '9:16' } });
		assert.match(run.error?.message ?? '', /is 640x480; Sora needs the first frame to be exactly the video's size, 720x1280$/);
		assert.equal(server.videos.requests.length, 0);
	});

	test('duration, size and aspect ratio Sora does not make are refused', async () => {
		for (const [parameters, message] of [
			[{ options: { duration: 5 } }, "Sora's duration must be 4, 8 or 12 seconds; got 5"],
			[{ options: { size: '1024x1792' } }, "Sora's size 1024x1792 is made only by sora-2-pro; sora-2 makes 1280x720 or 720x1280"],
			[{ options: { aspectRatio: '1:1' } }, 'Sora\'s aspect ratio must be 16:9 (1280x720) or 9:16 (720x1280); got "1:1"'],
			[{ options: { size: '1280x720', aspectRatio: '9:16' } }, "Sora's size 1280x720 and aspect ratio 9:16 disagree"],
			[{ prompt: ' ' }, 'The prompt is empty'],
		] as const) {
			const run = await generate(parameters);
			assert.equal(run.error?.message, message);
		}
		assert.equal(server.videos.requests.length, 0);
	});
});

describe('Sora failures', () => {
	test('a failed video: the item fails with error.message and the video id', async () => {
		server.videos.script({ polls: 1, fail: 'The request was blocked by our moderation system' });
		const run = await generate({}, { onError: 'continueErrorOutput' });
		const taskId = [...server.videos.tasks.keys()][0];
		const { error, details } = run.errorItems[0].json as { error: string; details: Record<string, unknown> };
		assert.equal(error, `Sora task ${taskId} failed: The request was blocked by our moderation system (moderation_blocked)`);
		assert.equal(details.taskId, taskId);
		assert.equal(details.provider, 'sora');
		assert.equal(contentCalls().length, 0);
	});

	for (const [word, status] of [
		['cancelled', 'cancelled'],
		['Canceled', 'cancelled'],
		['EXPIRED', 'expired'],
	] as const) {
		test(`status "${word}" ends the task at once as ${status}, without waiting for Max Wait`, async () => {
			const answer = { kind: 'status', status: 200, body: { object: 'video', model: 'sora-2', status: word, progress: 0 } } as const;
			server.videos.script({ polls: Infinity, pollFaults: [answer] });
			const run = await generate({ options: { pollInterval: 0.05, maxWait: 30 } }, { onError: 'continueErrorOutput' });
			const taskId = [...server.videos.tasks.keys()][0];
			const { error, details } = run.errorItems[0].json as { error: string; details: Record<string, unknown> };
			assert.equal(error, `Sora task ${taskId} ended as "${status}": Sora says the task is ${word}, without a reason`);
			assert.equal(details.status, status);
			assert.equal(details.providerStatus, word === status ? undefined : word, 'OpenAI\'s word when it differs');
			assert.equal(polls().length, 1, 'one status check, no waiting');
			assert.equal(contentCalls().length, 0);
		});
	}

	test('Max Wait: the error names the video id for Get Task', async () => {
		server.videos.script({ polls: Infinity });
		const run = await generate({ options: { pollInterval: 0.05, maxWait: 0.8 } });
		const taskId = [...server.videos.tasks.keys()][0];
		assert.equal(run.error?.message, `Sora task ${taskId} did not finish within 0.8 s (status: running)`);
	});

	test('429 with Retry-After on a status check is waited out', async () => {
		const limited = { kind: 'status', status: 429, headers: { 'retry-after': '1' } } as const;
		server.videos.script({ polls: 0, pollFaults: [limited] });
		const started = Date.now();
		await oneVideo(await generate({ options: { maxRetries: 1 } }));
		assert.ok(Date.now() - started >= 900);
		assert.equal(polls().length, 2);
	});

	test('content gone (404) after completion: the error says OpenAI keeps videos about an hour', async () => {
		server.videos.script({ polls: 0, expiredUrl: true });
		const run = await generate({}, { onError: 'continueRegularOutput' });
		const [item] = run.items;
		assert.match(String(item.json.error), /HTTP 404/);
		assert.match(String(item.json.errorDescription), /OpenAI keeps Sora videos for about an hour/);
		assert.equal(item.json.taskId, [...server.videos.tasks.keys()][0]);
	});
});

describe('Sora create and get', () => {
	test('create returns the video id; get answers queued, then running with progress, then downloads', async () => {
		server.videos.script({ polls: 2 });
		const created = await runVideo(server, { parameters: { provider: 'sora', operation: 'create', model: 'sora-2', prompt: 'A kite', options: { duration: 12 } } });
		assert.equal(created.error, undefined, created.error?.message);
		assert.equal(polls().length, 0);
		const taskId = String(created.items[0].json.taskId);
		assert.equal(created.items[0].json.status, 'queued');
		assert.equal(created.items[0].json.provider, 'sora');
		assert.equal(created.items[0].json.duration, 12);

		const get = () => runVideo(server, { parameters: { provider: 'sora', operation: 'get', taskId } });
		assert.equal((await get()).items[0].json.status, 'queued');
		const running = (await get()).items[0].json;
		assert.equal(running.status, 'running');
		assert.equal(running.providerStatus, 'in_progress');
		assert.equal(running.progress, 40);
		const done = await get();
		const { json } = await oneVideo(done);
		assert.equal(json.status, 'succeeded');
		assert.equal(contentCalls().length, 1);
	});
});
