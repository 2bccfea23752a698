import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { png } from '../harness/fixtures';
import { readBinary } from '../harness/engine';
import { tinyMp4, TINY_WEBP, type TikHubServer } from '../harness/server';
import { expectNoSecret } from './secrets';
import { createCalls, expectOneVideo, FAST, frameItem, runVideo, statusChecks, useServer, type VideoResult } from './video-harness';

let server: TikHubServer;
useServer((started) => (server = started));

const creates = () => createCalls(server);
const polls = () => statusChecks(server);
const MODEL = 'veo-3.1-generate-preview';
const OPERATION = /^models\/veo-3\.1-generate-preview\/operations\/[0-9a-f]+$/;

const generate = (parameters: Record<string, unknown> = {}, extra: Partial<Parameters<typeof runVideo>[1]> = {}) =>
	runVideo(server, { parameters: { provider: 'veo', operation: 'generate', model: MODEL, prompt: 'A cat surfs a wave', ...parameters, options: { ...FAST, ...(parameters.options as object) } }, ...extra });

const oneVideo = async (run: VideoResult) => await expectOneVideo(server, run);

describe('Veo generate', () => {
	test('text-to-video: predictLongRunning with the set parameters, fetchPredictOperation with the operation name, the inline video as binary', async () => {
		server.videos.script({ polls: 2 });
		const run = await generate({
			options: { duration: 8, aspectRatio: '9:16', resolution: '1080p', negativePrompt: 'blur, text', generateAudio: true },
		});
		const { json, bytes } = await oneVideo(run);
		assert.equal(creates().length, 1);
		assert.equal(creates()[0].method, 'POST');
		assert.equal(creates()[0].path, `/v1beta/models/${MODEL}:predictLongRunning`);
		assert.deepEqual(creates()[0].body, {
			instances: [{ prompt: 'A cat surfs a wave' }],
			parameters: { durationSeconds: 8, aspectRatio: '9:16', resolution: '1080p', negativePrompt: 'blur, text', generateAudio: true },
		});
		const taskId = String(json.taskId);
		assert.match(taskId, OPERATION, 'the operation name, slashes and all, is the task id');
		assert.equal(polls().length, 3, 'running, running, done');
		for (const poll of polls()) {
			assert.equal(poll.method, 'POST');
			assert.equal(poll.path, `/v1beta/models/${MODEL}:fetchPredictOperation`);
			assert.deepEqual(poll.body, { operationName: taskId });
			assert.equal(poll.authorization, `Bearer ${server.apiKey}`);
		}
		assert.equal(json.status, 'succeeded');
		assert.equal(json.provider, 'veo');
		assert.equal(json.model, MODEL);
		assert.equal(json.duration, 8);
		assert.equal(json.aspectRatio, '9:16');
		assert.equal(json.fileSize, bytes.length);
		assert.equal(json.mimeType, 'video/mp4');
		assert.ok(bytes.equals(server.videos.tasks.get(taskId)?.video as Buffer), 'the bytes Veo sent inline');
		assert.equal(server.fileRequests, 0, 'nothing downloaded: the video came in the answer');
	});

	test('an inline video has no URL: videoUrl is still in the output, as null', async () => {
		const { json } = await oneVideo(await generate());
		assert.ok('videoUrl' in json, 'the interface promises the key on a finished task');
		assert.equal(json.videoUrl, null);
		assert.equal(server.fileRequests, 0);
	});

	test('fields left unset are not sent: parameters stays empty', async () => {
		await oneVideo(await generate({ model: 'veo-3.0-fast-generate-001', prompt: 'A dog' }));
		assert.deepEqual(creates()[0].body, { instances: [{ prompt: 'A dog' }], parameters: {} });
		assert.equal(creates()[0].path, '/v1beta/models/veo-3.0-fast-generate-001:predictLongRunning');
	});

	test('image-to-video from a binary field: the image inline as bytesBase64Encoded with its MIME type', async () => {
		const frame = frameItem(256, 144);
		await oneVideo(await generate({ imageSource: 'binary', prompt: '' }, { items: [frame] }));
		assert.deepEqual(creates()[0].body, {
			instances: [{ image: { bytesBase64Encoded: (frame.binary?.data.bytes as Buffer).toString('base64'), mimeType: 'image/png' } }],
			parameters: {},
		});
	});

	test('image-to-video from a URL: the node downloads the image without the key and sends it inline', async () => {
		const image = png(200, 120);
		const url = server.host(image, 'png', 'image/png').replace('127.0.0.1', 'localhost');
		await oneVideo(await generate({ imageSource: 'url', imageUrl: url }));
		assert.deepEqual(server.fileAuthorizations, [undefined], 'the TikHub key never goes to the image host');
		const instance = (creates()[0].body as { instances: Array<Record<string, unknown>> }).instances[0];
		assert.deepEqual(instance, { prompt: 'A cat surfs a wave', image: { bytesBase64Encoded: image.toString('base64'), mimeType: 'image/png' } });
	});

	test('a large inline video (12 MB) goes to n8n\'s filesystem binary store whole, with its byte count', async () => {
		const large = Buffer.concat([tinyMp4(8).subarray(0, 40), Buffer.alloc(12 * 1024 * 1024, 7)]);
		server.videos.script({ polls: 0, video: large });
		const run = await generate({}, { binaryMode: 'filesystem' });
		assert.equal(run.error, undefined, run.error?.message);
		const binary = run.items[0].binary?.data;
		assert.match(String(binary?.id), /^filesystem/, 'kept in the store, not in the item');
		assert.equal(run.items[0].json.fileSize, large.length);
		assert.ok((await readBinary(binary as never)).equals(large));
	});

	test('the Gemini API shapes: generateVideoResponse.generatedSamples[0].video.uri and generatedVideos[0].video.uri are downloaded', async () => {
		for (const veoShape of ['generateVideoResponse', 'generatedVideos'] as const) {
			server.reset();
			server.videos.script({ polls: 0, veoShape });
			const { json } = await oneVideo(await generate());
			const task = server.videos.tasks.get(String(json.taskId));
			assert.equal(json.videoUrl, task?.videoUrl, veoShape);
			assert.equal(server.fileRequests, 1, veoShape);
		}
	});
});

describe('Veo failures', () => {
	test('done with an error: the item fails with Google\'s message and the operation name', async () => {
		server.videos.script({ polls: 1, fail: 'The prompt could not be submitted' });
		const run = await generate({}, { onError: 'continueRegularOutput' });
		const taskId = [...server.videos.tasks.keys()][0];
		const [item] = run.items;
		assert.equal(item.json.error, `Veo task ${taskId} failed: The prompt could not be submitted (code 3)`);
		assert.equal(item.json.taskId, taskId);
		assert.equal(item.json.provider, 'veo');
		assert.equal(item.json.status, 'failed');
		assert.equal(server.fileRequests, 0);
	});

	test('the safety filter removed the video: an error item that says so, with Google\'s reasons', async () => {
		server.videos.script({ polls: 0, filtered: ['Video generation was blocked because it may depict a real person.'] });
		const run = await generate({}, { onError: 'continueErrorOutput' });
		assert.equal(run.items.length, 0);
		const taskId = [...server.videos.tasks.keys()][0];
		const { error, details } = run.errorItems[0].json as { error: string; details: Record<string, unknown> };
		assert.equal(error, `Veo task ${taskId} failed: Google's safety filter removed the video: Video generation was blocked because it may depict a real person.`);
		assert.equal(details.taskId, taskId);
	});

	test('Max Wait: the error names the operation for Get Task', async () => {
		server.videos.script({ polls: Infinity });
		const run = await generate({ options: { pollInterval: 0.05, maxWait: 0.3 } });
		const taskId = [...server.videos.tasks.keys()][0];
		assert.equal(run.error?.message, `Veo task ${taskId} did not finish within 0.3 s (status: running)`);
		assert.match(run.error?.description ?? '', new RegExp(`Task ID ${taskId.replace(/[.]/g, '\\.')}`));
	});

	test('429 with Retry-After on status checks is waited out, then the video arrives', async () => {
		const limited = { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } } } as const;
		server.videos.script({ polls: 0, pollFaults: [limited] });
		const started = Date.now();
		await oneVideo(await generate({ options: { maxRetries: 2 } }));
		assert.ok(Date.now() - started >= 900, 'honoured Retry-After: 1');
		assert.equal(polls().length, 2);
	});

	test('a first frame Veo does not take (WebP) fails before any request', async () => {
		const run = await generate({ imageSource: 'binary' }, { items: [{ json: {}, binary: { data: { bytes: TINY_WEBP, fileName: 'a.webp', mimeType: 'image/webp' } } }] });
		assert.equal(run.error?.message, 'The image "a.webp" in "data" is image/webp; Veo takes JPEG or PNG');
		assert.equal(server.videos.requests.length, 0);
	});

	test('Veo\'s limits are checked before any request: duration, aspect ratio, resolution', async () => {
		for (const [options, message] of [
			[{ duration: 10 }, "Veo's duration must be a whole number of seconds from 4 to 8 (Veo 3: 4, 6 or 8); got 10"],
			[{ aspectRatio: '1:1' }, 'Veo\'s aspect ratio must be 16:9 or 9:16; got "1:1"'],
			[{ resolution: '480p' }, 'Veo\'s resolution must be 720p or 1080p; got "480p"'],
		] as const) {
			const run = await generate({ options });
			assert.equal(run.error?.message, message);
		}
		assert.equal(server.videos.requests.length, 0);
	});
});

describe('Veo create and get', () => {
	test('create returns the operation name; get takes it as it is, reads the model from it, and downloads when done', async () => {
		server.videos.script({ polls: 1 });
		const created = await runVideo(server, { parameters: { provider: 'veo', operation: 'create', model: 'veo-2.0-generate-001', prompt: 'A boat' } });
		assert.equal(created.error, undefined, created.error?.message);
		assert.equal(polls().length, 0);
		const taskId = String(created.items[0].json.taskId);
		assert.match(taskId, /^models\/veo-2\.0-generate-001\/operations\/[0-9a-f]+$/);
		assert.deepEqual(created.items[0].json, { taskId, status: 'queued', provider: 'veo', model: 'veo-2.0-generate-001' });

		const first = await runVideo(server, { parameters: { provider: 'veo', operation: 'get', taskId } });
		assert.equal(first.error, undefined, first.error?.message);
		assert.deepEqual(first.items[0].json, { taskId, status: 'running', provider: 'veo', model: 'veo-2.0-generate-001' });
		assert.equal(first.items[0].binary, undefined);

		const done = await runVideo(server, { parameters: { provider: 'veo', operation: 'get', taskId, options: { binaryPropertyOutput: 'video' } } });
		expectNoSecret(server, done);
		assert.equal(done.error, undefined, done.error?.message);
		assert.equal(done.items[0].json.status, 'succeeded');
		assert.equal(done.items[0].binary?.video?.mimeType, 'video/mp4');
		assert.deepEqual(
			polls().map((poll) => [poll.path, poll.body]),
			[
				['/v1beta/models/veo-2.0-generate-001:fetchPredictOperation', { operationName: taskId }],
				['/v1beta/models/veo-2.0-generate-001:fetchPredictOperation', { operationName: taskId }],
			],
		);
	});

	for (const name of ['operations/abc123', 'abc123']) {
		test(`create answering the operation name "${name}" (no models/<m>/ prefix): the billed task is taken and returned`, async () => {
			server.videos.script({ createFault: { kind: 'status', status: 200, body: { name } } });
			const created = await runVideo(server, { parameters: { provider: 'veo', operation: 'create', model: MODEL, prompt: 'A boat' } });
			assert.equal(created.error, undefined, created.error?.message);
			assert.deepEqual(created.items[0].json, { taskId: name, status: 'queued', provider: 'veo', model: MODEL });
		});

		test(`generate with the operation name "${name}": polled under the request's model, not refused after billing`, async () => {
			server.videos.script({ createFault: { kind: 'status', status: 200, body: { name } } });
			const run = await generate({}, { onError: 'continueRegularOutput' });
			assert.deepEqual(
				polls().map((poll) => [poll.path, poll.body]).slice(0, 1),
				[[`/v1beta/models/${MODEL}:fetchPredictOperation`, { operationName: name }]],
			);
			// The stand-in made no such task (the create was a canned answer): its 404 is the end, naming the task.
			const [item] = run.items;
			assert.doesNotMatch(String(item.json.error), /cannot be checked/);
			assert.equal(item.json.taskId, name);
		});
	}

	test('get with a task id that is no operation name fails before any request', async () => {
		const run = await runVideo(server, { parameters: { provider: 'veo', operation: 'get', taskId: 'abc123' } });
		assert.equal(run.error?.message, '"abc123" is not a Veo operation name');
		assert.equal(server.videos.requests.length, 0);
	});

	test('get of an operation Google does not know: the 404 names the task', async () => {
		const run = await runVideo(server, { parameters: { provider: 'veo', operation: 'get', taskId: `models/${MODEL}/operations/nope` } });
		assert.equal(run.error?.httpCode, '404');
		assert.match(run.error?.description ?? '', new RegExp(`No Veo task with ID models/${MODEL.replace(/[.]/g, '\\.')}/operations/nope`));
	});
});
