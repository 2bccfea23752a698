import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { readBinary } from '../harness/engine';
import { imageItem, largePngPair } from '../harness/fixtures';
import { readMp4Duration, TINY_JPEG, type TikHubServer } from '../harness/server';
import { createCalls, expectOneVideo, FAST, frameItem, runVideo, statusChecks, useServer, type VideoResult } from './video-harness';

let server: TikHubServer;
useServer((started) => (server = started));

const creates = () => createCalls(server);
const polls = () => statusChecks(server);

const oneVideo = async (run: VideoResult) => await expectOneVideo(server, run);

describe('Seedance generate', () => {
	test('text-to-video: sends the fields Ark takes, waits through queued and running, outputs the MP4', async () => {
		server.videos.script({ polls: 2 });
		const run = await runVideo(server, {
			parameters: {
				provider: 'seedance',
				operation: 'generate',
				model: 'doubao-seedance-1-5-pro-251215',
				prompt: 'A red sneaker turns on a marble table',
				imageSource: 'none',
				options: { ...FAST, aspectRatio: '9:16', duration: 6, resolution: '1080p', watermark: false, generateAudio: true, seed: 7, cameraFixed: true },
			},
		});
		const { json, bytes } = await oneVideo(run);

		assert.equal(creates().length, 1);
		assert.equal(creates()[0].path, '/seedance/v3/contents/generations/tasks');
		assert.deepEqual(creates()[0].body, {
			model: 'doubao-seedance-1-5-pro-251215',
			content: [{ type: 'text', text: 'A red sneaker turns on a marble table' }],
			ratio: '9:16',
			duration: 6,
			resolution: '1080p',
			watermark: false,
			generate_audio: true,
			seed: 7,
			camera_fixed: true,
		});
		const taskId = String(json.taskId);
		assert.match(taskId, /^cgt-/);
		assert.deepEqual(
			polls().map((request) => request.path),
			Array(3).fill(`/seedance/v3/contents/generations/tasks/${taskId}`),
			'queued, running, then succeeded',
		);
		assert.ok(polls().every((request) => request.authorization === `Bearer ${server.apiKey}`));
		assert.equal(json.status, 'succeeded');
		assert.equal(json.provider, 'seedance');
		assert.equal(json.model, 'doubao-seedance-1-5-pro-251215');
		assert.equal(json.videoUrl, server.videos.tasks.get(taskId)?.videoUrl);
		assert.equal(json.duration, 6);
		assert.equal(json.aspectRatio, '9:16');
		assert.equal(json.resolution, '1080p');
		assert.equal(json.mimeType, 'video/mp4');
		assert.equal(json.fileSize, bytes.length);
		assert.equal(readMp4Duration(bytes), 6);
	});

	test('fields left unset are not sent', async () => {
		const run = await runVideo(server, {
			parameters: { provider: 'seedance', model: 'doubao-seedance-1-0-pro-250528', prompt: 'A cat', options: FAST },
		});
		await oneVideo(run);
		assert.deepEqual(creates()[0].body, { model: 'doubao-seedance-1-0-pro-250528', content: [{ type: 'text', text: 'A cat' }] });
	});

	test('image-to-video from a binary field: the image goes inline as a data: URI with role first_frame', async () => {
		const frame = frameItem(256, 256);
		const run = await runVideo(server, {
			parameters: { provider: 'seedance', operation: 'generate', prompt: 'The product spins', imageSource: 'binary', options: FAST },
			items: [frame],
		});
		await oneVideo(run);
		const content = (creates()[0].body as { content: unknown[] }).content;
		const expected = `data:image/png;base64,${(frame.binary?.data.bytes as Buffer).toString('base64')}`;
		assert.deepEqual(content, [
			{ type: 'text', text: 'The product spins' },
			{ type: 'image_url', image_url: { url: expected }, role: 'first_frame' },
		]);
	});

	test('a JPEG first frame is sent with its own type in the data: URI', async () => {
		const run = await runVideo(server, {
			parameters: { provider: 'seedance', prompt: 'x', imageSource: 'binary', binaryPropertyName: 'photo', options: FAST },
			items: [{ json: {}, binary: { photo: { bytes: TINY_JPEG, fileName: 'photo.jpg', mimeType: 'image/jpeg' } } }],
		});
		await oneVideo(run);
		const [, image] = (creates()[0].body as { content: Array<{ image_url?: { url: string } }> }).content;
		assert.equal(image.image_url?.url, `data:image/jpeg;base64,${TINY_JPEG.toString('base64')}`);
	});

	test('a first frame over 4 MB that is cut short is refused before the task is created (filesystem mode: walked as it is read)', async () => {
		const { cut } = largePngPair(4.5);
		const run = await runVideo(server, {
			parameters: { provider: 'seedance', prompt: 'x', imageSource: 'binary', options: FAST },
			items: [imageItem({ data: { bytes: cut, fileName: 'frame.png', mimeType: 'image/png' } })],
			binaryMode: 'filesystem',
		});
		assert.match(run.error?.message ?? '', /The image "frame\.png" in "data" is cut short/);
		assert.equal(creates().length, 0);
	});

	test('image-to-video from a URL: the URL is passed on for Seedance to fetch, without a prompt', async () => {
		const url = 'https://cdn.example.com/products/shoe.png?token=abc';
		const run = await runVideo(server, {
			parameters: { provider: 'seedance', prompt: '', imageSource: 'url', imageUrl: url, options: FAST },
		});
		await oneVideo(run);
		assert.deepEqual((creates()[0].body as { content: unknown[] }).content, [
			{ type: 'image_url', image_url: { url }, role: 'first_frame' },
		]);
	});

	test('in filesystem binary mode the video is kept by n8n\'s binary store', async () => {
		const run = await runVideo(server, {
			parameters: { provider: 'seedance', prompt: 'A cat', options: { ...FAST, binaryPropertyOutput: 'video' } },
			binaryMode: 'filesystem',
		});
		assert.equal(run.error, undefined, run.error?.message);
		const binary = run.items[0].binary?.video;
		assert.ok(binary?.id, 'stored with an id');
		assert.equal((await readBinary(binary)).toString('latin1', 4, 8), 'ftyp');
	});
});

describe('Kling generate', () => {
	test('text-to-video: duration as a string, sound "on", polls the text2video path, normalises "succeed"', async () => {
		server.videos.script({ polls: 2 });
		const run = await runVideo(server, {
			parameters: {
				provider: 'kling',
				operation: 'generate',
				model: 'kling-v2-6',
				prompt: 'A cute rabbit reads a newspaper',
				imageSource: 'none',
				options: { ...FAST, duration: 10, aspectRatio: '1:1', mode: 'pro', sound: true, negativePrompt: 'blur' },
			},
		});
		const { json, bytes } = await oneVideo(run);
		assert.equal(creates()[0].path, '/kling/v1/videos/text2video');
		assert.deepEqual(creates()[0].body, {
			model_name: 'kling-v2-6',
			prompt: 'A cute rabbit reads a newspaper',
			negative_prompt: 'blur',
			duration: '10',
			mode: 'pro',
			sound: 'on',
			aspect_ratio: '1:1',
		});
		assert.deepEqual(
			polls().map((request) => request.path),
			Array(3).fill(`/kling/v1/videos/text2video/${String(json.taskId)}`),
		);
		assert.equal(json.status, 'succeeded');
		assert.equal(json.providerStatus, 'succeed');
		assert.equal(json.provider, 'kling');
		assert.equal(json.taskType, 'text2video');
		assert.equal(json.model, 'kling-v2-6');
		assert.equal(json.duration, 10);
		assert.equal(json.aspectRatio, '1:1');
		assert.ok(String(json.videoUrl).startsWith(server.baseUrl));
		assert.equal(readMp4Duration(bytes), 10);
	});

	test('image-to-video from a binary field: bare base64 in "image", no aspect ratio, polled under image2video', async () => {
		const frame = frameItem(400, 300, 'shoe.png');
		const run = await runVideo(server, {
			parameters: { provider: 'kling', model: 'kling-v2-5-turbo', prompt: 'Zoom in', imageSource: 'binary', options: { ...FAST, duration: 5, sound: false } },
			items: [frame],
		});
		const { json } = await oneVideo(run);
		assert.equal(creates()[0].path, '/kling/v1/videos/image2video');
		assert.deepEqual(creates()[0].body, {
			model_name: 'kling-v2-5-turbo',
			image: (frame.binary?.data.bytes as Buffer).toString('base64'),
			prompt: 'Zoom in',
			duration: '5',
			sound: 'off',
		});
		assert.ok(polls().every((request) => request.path === `/kling/v1/videos/image2video/${String(json.taskId)}`));
		assert.equal(json.taskType, 'image2video');
	});

	test('image-to-video from a URL: the URL goes in "image"', async () => {
		const run = await runVideo(server, {
			parameters: { provider: 'kling', imageSource: 'url', imageUrl: 'https://cdn.example.com/a.jpg', options: FAST },
		});
		await oneVideo(run);
		assert.deepEqual(creates()[0].body, { model_name: 'kling-v2-6', image: 'https://cdn.example.com/a.jpg' });
	});

	test('in filesystem binary mode the first frame is read from n8n\'s store and reaches Kling byte for byte', async () => {
		const frame = frameItem(320, 320);
		const run = await runVideo(server, {
			parameters: { provider: 'kling', imageSource: 'binary', prompt: 'x', options: FAST },
			items: [frame],
			binaryMode: 'filesystem',
		});
		await oneVideo(run);
		assert.equal((creates()[0].body as { image: string }).image, (frame.binary?.data.bytes as Buffer).toString('base64'));
	});
});
