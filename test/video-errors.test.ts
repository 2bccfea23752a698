import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { expectNoSecret } from './secrets';
import { TINY_WEBP, type TikHubServer } from '../harness/server';
import { createCalls, FAST, frameItem, runVideo, statusChecks, useServer } from './video-harness';

let server: TikHubServer;
useServer((started) => (server = started));

const creates = () => createCalls(server);
const polls = () => statusChecks(server);

const generate = (parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runVideo>[1]> = {}) =>
	runVideo(server, {
		parameters: { operation: 'generate', prompt: 'A cat', ...parameters, options: { ...FAST, ...(parameters.options as object) } },
		...extra,
	});

describe('creating a task is never repeated when it may have worked', () => {
	test('a 500 on create is not retried, and the error says a task may exist', async () => {
		server.videos.script({ createFault: { kind: 'status', status: 500 } });
		const run = await generate({ provider: 'seedance', options: { maxRetries: 3 } });
		expectNoSecret(server, run);
		assert.equal(creates().length, 1);
		assert.equal(run.error?.httpCode, '500');
		assert.match(run.error?.description ?? '', /Not retried automatically: TikHub may have received the request and started the \(billed\) work/);
	});

	test('a connection cut on create is not retried either', async () => {
		server.videos.script({ createFault: { kind: 'reset' } });
		const run = await generate({ provider: 'kling', options: { maxRetries: 3 } });
		assert.equal(creates().length, 1);
		assert.match(run.error?.message ?? '', /Could not reach TikHub/);
		assert.match(run.error?.description ?? '', /Not retried automatically/);
	});

	test('no connection at all: nothing can have been made, so create is tried again (and fails clearly)', async () => {
		// Port 1 on the loopback refuses connections.
		const run = await generate({ provider: 'seedance', options: { maxRetries: 1 } }, { credentials: { apiKey: server.apiKey, baseUrl: 'http://127.0.0.1:1' } });
		assert.match(run.error?.message ?? '', /Could not reach TikHub: the connection failed \(tried 2 times\)/);
		assert.doesNotMatch(run.error?.description ?? '', /Not retried/);
	});

	test('a 429 on create means nothing was made: retried after Retry-After, then the video is made once', async () => {
		server.videos.script({ createFault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } } }, { polls: 0 });
		const run = await generate({ provider: 'kling' });
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(creates().length, 2);
		assert.equal(server.videos.tasks.size, 1);
		assert.ok(run.items[0].binary?.data);
	});

	test('a 400 from the provider is shown with its message and not retried', async () => {
		// Seedance 1.5 Pro takes 4 to 12 s; the server, like Ark, rejects 20.
		const run = await generate({ provider: 'seedance', options: { duration: 20 } });
		assert.equal(creates().length, 1);
		assert.equal(run.error?.httpCode, '400');
		assert.equal(run.error?.message, 'TikHub error 400: duration: 20 is out of range [2, 12]');
	});
});

describe("Kling's code in a 200 answer", () => {
	test('code other than 0 on create is an error with Kling\'s message; nothing is polled', async () => {
		server.videos.script({ rejectCreate: { code: 1102, message: 'Account balance not enough' } });
		const run = await generate({ provider: 'kling' });
		expectNoSecret(server, run);
		assert.equal(run.error?.message, 'Kling error 1102: Account balance not enough');
		assert.equal(polls().length, 0);
	});

	test('an answer that echoes the key has it masked', async () => {
		server.videos.script({ rejectCreate: { code: 1000, message: `Authorization failed for ${server.apiKey}` } });
		const run = await generate({ provider: 'kling' });
		expectNoSecret(server, run);
		assert.equal(run.error?.message, 'Kling error 1000: Authorization failed for ***');
	});

	test('a wrong key: 401 with the key masked', async () => {
		const run = await generate({ provider: 'seedance' }, { credentials: { apiKey: 'sk-wrong-key-123456', baseUrl: server.baseUrl } });
		expectNoSecret(server, run, 'sk-wrong-key-123456');
		assert.equal(run.error?.httpCode, '401');
		assert.equal(creates().length, 1);
	});
});

describe('the download', () => {
	test('an expired result URL: the error says the URL may have expired and names the task', async () => {
		server.videos.script({ polls: 0, expiredUrl: true });
		const run = await generate({ provider: 'seedance' }, { onError: 'continueRegularOutput' });
		const taskId = [...server.videos.tasks.keys()][0];
		const [item] = run.items;
		assert.equal(item.json.error, `Could not download the video of Seedance task ${taskId} (HTTP 404)`);
		assert.match(String(item.json.errorDescription), /The video URL may have expired: Seedance keeps results for about 24 hours/);
		assert.match(String(item.json.errorDescription), new RegExp(`Run Get Task with task ID ${taskId}`));
		assert.equal(item.json.taskId, taskId);
		assert.ok(item.json.videoUrl, 'the URL is kept for the record');
	});

	test('Kling: the hint gives Kling\'s 30 days', async () => {
		server.videos.script({ polls: 0, expiredUrl: true });
		const run = await generate({ provider: 'kling' });
		assert.match(run.error?.description ?? '', /Kling keeps results for about 30 days/);
	});

	test('a result that is no MP4 (an error page) is reported, not passed on as a video', async () => {
		server.videos.script({ polls: 0, video: Buffer.from('<html><title>Link expired</title></html>') });
		const run = await generate({ provider: 'seedance' });
		assert.match(run.error?.message ?? '', /is not an MP4 video/);
		assert.match(run.error?.description ?? '', /without the "ftyp" box/);
	});

	test('the result is downloaded without the key when it lives on another host', async () => {
		// The stand-in serves results on its own host; the credential's base URL names the same host another way.
		const run = await generate({ provider: 'seedance' }, { credentials: { apiKey: server.apiKey, baseUrl: server.baseUrl.replace('127.0.0.1', 'localhost') } });
		assert.equal(run.error, undefined, run.error?.message);
		assert.deepEqual(server.fileAuthorizations, [undefined]);
	});
});

describe('checked before anything is sent', () => {
	const rejects = async (parameters: Record<string, unknown>, message: RegExp, items = [frameItem()]) => {
		server.reset();
		const run = await generate(parameters, { items });
		assert.match(run.error?.message ?? '', message);
		assert.equal(server.videos.requests.length, 0, 'no request was sent');
	};

	test('missing or unusable inputs', async () => {
		await rejects({ provider: 'seedance', prompt: '' }, /The prompt is empty/);
		await rejects({ provider: 'kling', prompt: ' ' }, /The prompt is empty/);
		await rejects({ provider: 'kling', prompt: 'x'.repeat(2501) }, /Kling takes at most 2500/);
		await rejects({ provider: 'seedance', imageSource: 'binary', binaryPropertyName: 'photo' }, /has no binary field "photo"/);
		await rejects({ provider: 'seedance', imageSource: 'url', imageUrl: 'ftp://x/a.png' }, /is not an http\(s\) URL/);
		// Left empty, n8n itself stops at a required field; an expression can still come out empty.
		await rejects({ provider: 'seedance', imageSource: 'url', imageUrl: '={{ "" }}' }, /The Image URL is empty/);
		await rejects({ provider: 'seedance', model: '={{ "" }}' }, /Choose a model/);
	});

	test("each provider's own limits", async () => {
		await rejects({ provider: 'kling', imageSource: 'binary' }, /is 200x200; Kling needs at least 300 pixels/, [frameItem(200, 200)]);
		await rejects(
			{ provider: 'kling', imageSource: 'binary' },
			/Kling takes JPEG or PNG/,
			[{ json: {}, binary: { data: { bytes: TINY_WEBP, fileName: 'a.webp', mimeType: 'image/webp' } } }],
		);
		await rejects({ provider: 'kling', imageSource: 'binary', options: { aspectRatio: '16:9' } }, /aspect ratio of an image-to-video from the image/);
		await rejects({ provider: 'kling', options: { aspectRatio: '4:3' } }, /must be one of 16:9, 9:16, 1:1/);
		await rejects({ provider: 'kling', options: { duration: 7.5 } }, /whole number of seconds/);
		await rejects({ provider: 'seedance', options: { duration: 'five' } }, /"Duration" must be a number/);
		await rejects({ provider: 'seedance', options: { aspectRatio: 'wide' } }, /must be like 16:9/);
	});

	test('a bad item stops the run before any other item creates a (billed) task', async () => {
		const run = await generate({ provider: 'seedance', prompt: '={{ $json.prompt }}' }, { items: [{ json: { prompt: 'ok' } }, { json: { prompt: '' } }] });
		assert.match(run.error?.message ?? '', /The prompt is empty/);
		assert.equal(server.videos.requests.length, 0);
	});
});
