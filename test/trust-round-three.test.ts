import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { describe, test } from '@jest/globals';

import { logLines } from '../harness/engine';
import { imageItem, png } from '../harness/fixtures';
import { runEdit, runGenerate } from '../harness/workflows';
import { encodePng, PNG_SIGNATURE, pngChunk, tinyMp4, type TikHubServer } from '../harness/server';
import { expectNoSecret } from './secrets';
import { FAST, runVideo, statusChecks, useServer } from './video-harness';

/**
 * Issue 17, "Trust, round three": the points an exploratory review of odd inputs and odd answers
 * found, one describe per point, each through n8n's engine against the stand-in server.
 */

let server: TikHubServer;
useServer((started) => (server = started));
/** Another origin: the web host or bucket images and videos live on. */
let cdn: TikHubServer;
useServer((started) => (cdn = started), { apiKey: 'cdn-key-0123456789' });

const TOKEN = 'sig-secret-0123';
const noInput = [{ json: {} }];
const edit = (parameters: Record<string, unknown>) => ({ model: 'gpt-image-2', prompt: 'put it on a beach', imageSource: 'url', ...parameters });
const polls = () => statusChecks(server);
const generateVideo = (parameters: Record<string, unknown>, extra: Partial<Parameters<typeof runVideo>[1]> = {}) =>
	runVideo(server, {
		parameters: { operation: 'generate', provider: 'seedance', prompt: 'A cat', ...parameters, options: { ...FAST, ...(parameters.options as object) } },
		...extra,
	});
/**
 * What a run showed: the error's message and description, every output item (error items too)
 * and every log line. (Not the node's own parameters, which hold what the user typed.)
 */
const everything = (run: { error?: { message: string; description?: string | null; context?: unknown }; items: unknown[]; errorItems?: unknown[] }) =>
	[run.error?.message, run.error?.description, JSON.stringify([run.error?.context, run.items, run.errorItems]), ...logLines].join('\n');
/** A URL on the CDN with user-info and a signed query, as users paste them. */
const secretUrl = (path: string) => cdn.baseUrl.replace('http://', 'http://user:hunter2@') + `${path}?X-Amz-Signature=${TOKEN}`;

/** An RGBA PNG whose pixel (x, y) is `pixel(x, y)`, rows unfiltered. */
function rgbaPng(width: number, height: number, pixel: (x: number, y: number) => number[]): Buffer {
	const raw = Buffer.alloc((width * 4 + 1) * height);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * (width * 4 + 1) + 1 + x * 4);
	}
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8;
	ihdr[9] = 6;
	return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

describe('1. URLs in messages never show secrets', () => {
	test('a download failure names the URL without user-info or query', async () => {
		const run = await runEdit(server, { parameters: edit({ imageUrls: secretUrl('/files/gone.png') }), items: noInput });
		assert.equal(run.error?.message, `Could not download the image from ${cdn.baseUrl}/files/gone.png (HTTP 404)`);
		assert.doesNotMatch(everything(run), /hunter2|sig-secret/);
		expectNoSecret(server, run);
	});

	test('the wrong number of URLs, an invalid URL, the video image URL: no secrets, at most ~200 characters', async () => {
		const two = await runEdit(server, {
			parameters: edit({ imageUrls: `${secretUrl('/files/a.png')}\n${secretUrl('/files/b.png')}` }),
			items: noInput,
		});
		assert.match(two.error?.message ?? '', /gpt-image-2 takes one image, but 2 URLs are listed/);
		assert.doesNotMatch(everything(two), /hunter2|sig-secret/);

		const long = `https://user:hunter2@example.com/${'x'.repeat(5000)}.png?sig=${TOKEN}`;
		const video = await generateVideo({ imageSource: 'url', imageUrl: `ftp://user:hunter2@example.com/a.png?sig=${TOKEN}` });
		assert.equal(video.error?.message, 'The Image URL "ftp://example.com/a.png" is not an http(s) URL');
		const invalid = await runEdit(server, { parameters: edit({ imageUrls: long.replace('https://', 'https:/') }), items: noInput });
		assert.ok((invalid.error?.message.length ?? 0) <= 300, `message of ${invalid.error?.message.length} characters`);
		for (const run of [video, invalid]) assert.doesNotMatch(everything(run), /hunter2|sig-secret/);
		assert.equal(server.requests.length + server.videos.requests.length, 0);
	});
});

describe('2. One URL is one URL', () => {
	test('a comma inside a URL does not split it; several URLs go one per line (or comma-separated full URLs)', async () => {
		const url = cdn.host(png(40, 30), 'png', 'image/png');
		const run = await runEdit(server, { parameters: edit({ imageUrls: `${url}?tr=w-300,h-300` }), items: noInput });
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(server.requests[0].files.length, 1);
		assert.deepEqual(server.requests[0].files[0].bytes, png(40, 30));

		server.reset();
		const a = cdn.host(png(16, 16), 'png', 'image/png');
		const vip = await runEdit(server, {
			parameters: edit({ model: 'gpt-image-2-vip', imageUrls: `${a}?tr=w-1,h-1, ${a}?v=2\n${a}?v=3` }),
			items: noInput,
		});
		assert.equal(vip.error, undefined, vip.error?.message);
		assert.equal(server.requests[0].files.length, 3);
	});

	test('a data:image URL is an inline image; another data: URL is refused in a short message', async () => {
		const inline = `data:image/png;base64,${png(24, 24).toString('base64')}`;
		const run = await runEdit(server, { parameters: edit({ imageUrls: inline }), items: noInput });
		assert.equal(run.error, undefined, run.error?.message);
		assert.deepEqual(server.requests[0].files[0].bytes, png(24, 24));
		assert.equal(server.requests[0].files[0].contentType, 'image/png');

		const text = `data:text/plain;base64,${Buffer.alloc(100_000, 'a').toString('base64')}`;
		const refused = await runEdit(server, { parameters: edit({ imageUrls: text }), items: noInput });
		assert.match(refused.error?.message ?? '', /The image given as a data: URL says "text\/plain", not image\/png, image\/jpeg, image\/webp/);
		assert.ok(`${refused.error?.message}${refused.error?.description}`.length < 400, 'no 100 KB message');
		assert.equal(server.requests.length, 1);
	});

	test('the video node takes a data:image URL as its first frame, sent inline', async () => {
		const run = await generateVideo({ imageSource: 'url', imageUrl: `data:image/png;base64,${png(320, 320).toString('base64')}` });
		assert.equal(run.error, undefined, run.error?.message);
		const body = server.videos.requests[0].body as { content: Array<{ type: string; image_url?: { url: string } }> };
		assert.match(body.content[1].image_url?.url ?? '', /^data:image\/png;base64,iVBOR/);
	});
});

describe('3. An error after a task was created keeps the task', () => {
	test('a 401 on a status check: the error item carries taskId, provider and the last status', async () => {
		server.videos.script({ polls: 5, pollFaults: [{ kind: 'status', status: 401, body: { error: { message: 'key revoked' } } }] });
		const run = await generateVideo({}, { onError: 'continueErrorOutput' });
		const taskId = [...server.videos.tasks.keys()][0];
		const details = run.errorItems[0]?.json.details as Record<string, unknown>;
		assert.equal(details.taskId, taskId);
		assert.equal(details.provider, 'seedance');
		assert.equal(details.status, 'queued');
	});

	test("Kling's error code in a status answer, and a 404 on Get Task, name the task too", async () => {
		server.videos.script({ polls: 5, pollFaults: [{ kind: 'status', status: 200, body: { code: 1201, message: 'Invalid task', request_id: 'r' } }] });
		const kling = await generateVideo({ provider: 'kling' }, { onError: 'continueRegularOutput' });
		const taskId = [...server.videos.tasks.keys()][0];
		assert.equal(kling.items[0].json.taskId, taskId);
		assert.equal(kling.items[0].json.provider, 'kling');
		assert.equal(kling.items[0].json.status, 'queued');

		const get = await runVideo(server, { parameters: { provider: 'seedance', operation: 'get', taskId: 'cgt-gone' }, onError: 'continueRegularOutput' });
		assert.equal(get.items[0].json.taskId, 'cgt-gone');
		assert.equal(get.items[0].json.provider, 'seedance');
	});

	test('a failed download keeps the task and shows its URL without the signature', async () => {
		server.videos.script({ polls: 0, expiredUrl: true, signedUrl: true });
		const run = await generateVideo({}, { onError: 'continueErrorOutput' });
		const details = run.errorItems[0]?.json.details as Record<string, unknown>;
		assert.equal(details.status, 'succeeded');
		assert.equal(details.provider, 'seedance');
		assert.doesNotMatch(everything(run), /sig-secret/);
	});
});

describe('4. One odd status answer does not abandon a billed task', () => {
	test('answers without a status, without data, or about another task are skipped; the wait goes on', async () => {
		const other = { id: 'cgt-someone-else', status: 'succeeded', content: { video_url: cdn.host(tinyMp4(5), 'mp4', 'video/mp4') } };
		server.videos.script({
			polls: 1,
			pollFaults: [
				{ kind: 'status', status: 200, body: {} },
				{ kind: 'status', status: 200, body: [1, 2] },
				{ kind: 'status', status: 200, body: other },
			],
		});
		const run = await generateVideo({});
		assert.equal(run.error, undefined, run.error?.message);
		const taskId = [...server.videos.tasks.keys()][0];
		assert.equal(run.items[0].json.taskId, taskId, 'the video is the polled task, not another one');
		assert.equal(cdn.fileRequests, 0);
		assert.equal(polls().length, 5);
	});

	test('only Max Wait ends the wait; the error names the task and the last odd answer', async () => {
		server.videos.script({ polls: 0, pollFaults: Array(60).fill({ kind: 'status', status: 200, body: { code: 0, data: null } }) });
		const run = await generateVideo({ provider: 'kling', options: { maxWait: 0.5 } });
		const taskId = [...server.videos.tasks.keys()][0];
		assert.match(run.error?.message ?? '', new RegExp(`Kling task ${taskId} did not finish within 0.5 s`));
		assert.match(run.error?.description ?? '', /Kling answered without a task \(task \d+\).*\{"code":0,"data":null\}/);
		assert.ok(polls().length >= 3);
	});

	test('status words are matched whatever their case', async () => {
		const video = cdn.host(tinyMp4(5), 'mp4', 'video/mp4');
		server.videos.script({
			polls: Infinity,
			pollFaults: [{ kind: 'status', status: 200, body: { code: 0, data: { task_status: 'SUCCEED', task_result: { videos: [{ url: video }] } } } }],
		});
		const run = await generateVideo({ provider: 'kling', options: { maxWait: 5 } });
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(run.items[0].json.status, 'succeeded');
		assert.equal(polls().length, 1);
	});
});

describe('5. Max Wait and Timeout are hard bounds', () => {
	test('a status check slower than Max Wait is cut at Max Wait', async () => {
		server.videos.script({ polls: 5, pollFaults: [{ kind: 'delay', ms: 8000 }] });
		const started = Date.now();
		const run = await generateVideo({ options: { maxWait: 1, timeout: 120 } });
		const elapsed = Date.now() - started;
		assert.match(run.error?.message ?? '', /did not finish within 1 s/);
		assert.ok(elapsed < 3500, `ended at Max Wait, not after the 8 s check (${elapsed} ms)`);
	});

	test('a 429 with Retry-After on a status check pushes the next check out', async () => {
		const limited = { kind: 'status', status: 429, headers: { 'retry-after': '2' } } as const;
		server.videos.script({ polls: 0, pollFaults: [limited] });
		const run = await generateVideo({ options: { maxRetries: 0 } });
		assert.equal(run.error, undefined, run.error?.message);
		const [first, second] = polls();
		assert.ok(second.at - first.at >= 1900, `next check ${second.at - first.at} ms after the 429`);
	});

	test('Timeout bounds a whole video download: a trickling body fails at Timeout, naming the URL without its query', async () => {
		server.videos.script({ polls: 0, trickleMs: 100, signedUrl: true, video: Buffer.concat([tinyMp4(5), Buffer.alloc(4000)]) });
		const started = Date.now();
		const run = await generateVideo({ options: { timeout: 1, maxRetries: 0 } });
		const elapsed = Date.now() - started;
		const path = new URL(String([...server.videos.tasks.values()][0].videoUrl)).pathname;
		assert.match(run.error?.message ?? '', new RegExp(`Could not download the video of Seedance task \\S+ \\(${server.baseUrl}${path}\\): no answer within 1 s`));
		assert.doesNotMatch(everything(run), /sig-secret/);
		assert.ok(elapsed < 4000, `failed at Timeout (${elapsed} ms)`);
	});

	test('Timeout bounds an image result download too', async () => {
		const slow = cdn.host(Buffer.concat([png(8, 8), Buffer.alloc(4000)]), 'png', 'image/png', { trickleMs: 100 });
		server.fail({ kind: 'status', status: 200, body: { created: 1, data: [{ url: `${slow}?token=${TOKEN}` }] } });
		const started = Date.now();
		const run = await runGenerate(server, { parameters: { model: 'gpt-image-2', prompt: 'a cat', options: { timeout: 1, maxRetries: 0 } }, items: noInput });
		assert.match(run.error?.message ?? '', new RegExp(`Could not download image 0 from the URL TikHub returned \\(${slow}\\): no answer within 1 s`));
		assert.doesNotMatch(everything(run), /sig-secret/);
		assert.ok(Date.now() - started < 4000);
	});
});

describe('6. Paid results are kept', () => {
	test('a result that cannot be downloaded is listed as missing; the others (a data: URL among them) are output', async () => {
		const good = cdn.host(png(10, 10), 'png', 'image/png');
		const inline = `data:image/png;base64,${png(12, 12).toString('base64')}`;
		server.fail({
			kind: 'status',
			status: 200,
			body: { created: 1, data: [{ url: good }, { url: `${cdn.baseUrl}/files/expired.png?sig=${TOKEN}` }, { url: inline }] },
		});
		const run = await runGenerate(server, { parameters: { model: 'gpt-image-2', prompt: 'a cat', options: { n: 3 } }, items: noInput });
		assert.equal(run.error, undefined, run.error?.message);
		assert.deepEqual(run.items.map((item) => [item.json.index, item.json.width]), [[0, 10], [2, 12]]);
		assert.equal(run.items[1].json.url, undefined, 'a data: URL is not passed on as a link');
		assert.deepEqual(run.items[0].json.missingImages, [{ index: 1, reason: 'Could not download image 1 from the URL TikHub returned (HTTP 404)' }]);
		assert.equal(cdn.fileRequests, 1, 'only the good URL was served; the data: URL was decoded, not fetched');
	});

	test('fewer images than asked for are said the same way', async () => {
		server.fail({ kind: 'status', status: 200, body: { created: 1, data: [{ b64_json: png(8, 8).toString('base64') }] } });
		const run = await runGenerate(server, { parameters: { model: 'gpt-image-2', prompt: 'a cat', options: { n: 3 } }, items: noInput });
		assert.equal(run.items.length, 1);
		assert.deepEqual(run.items[0].json.missingImages, [
			{ index: 1, reason: 'TikHub returned 1 of the 3 images asked for' },
			{ index: 2, reason: 'TikHub returned 1 of the 3 images asked for' },
		]);
	});
});

describe('7. Checks from the pixels where they are cheap', () => {
	const withMask = (mask: Buffer) =>
		imageItem({
			data: { bytes: png(64, 64), fileName: 'photo.png', mimeType: 'image/png' },
			mask: { bytes: mask, fileName: 'mask.png', mimeType: 'image/png' },
		});
	const maskEdit = { model: 'gpt-image-2', prompt: 'a hat', options: { maskBinaryPropertyName: 'mask' } };

	test('a mask with an alpha channel but no transparent pixel is refused before any request', async () => {
		for (const binaryMode of ['default', 'filesystem'] as const) {
			const run = await runEdit(server, { parameters: maskEdit, items: [withMask(encodePng(64, 64, [0, 0, 0, 255]))], binaryMode });
			assert.match(run.error?.message ?? '', /The mask "mask.png" in "mask" has no fully transparent pixel/);
		}
		assert.equal(server.requests.length, 0);
	});

	test('a mask with one transparent pixel, in its last row, is sent', async () => {
		const mask = rgbaPng(64, 64, (x, y) => (x === 63 && y === 63 ? [0, 0, 0, 0] : [0, 0, 0, 255]));
		const run = await runEdit(server, { parameters: maskEdit, items: [withMask(mask)], binaryMode: 'filesystem' });
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(server.requests.length, 1);
	});

	test('a whole PNG larger than the 256 KB head (IDAT and IEND past it) is sent, with its mask, in every binary mode', async () => {
		// Noise does not deflate: both files are ~640 KB, so their chunk walk runs past the head.
		let seed = 7;
		const noise = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
		const image = rgbaPng(400, 400, () => [noise(), noise(), noise(), 255]);
		const mask = rgbaPng(400, 400, (x, y) => (x === 399 && y === 399 ? [0, 0, 0, 0] : [noise(), noise(), noise(), 255]));
		assert.ok(image.length > 300 * 1024 && mask.length > 300 * 1024, `${image.length} and ${mask.length} bytes`);
		for (const binaryMode of ['default', 'filesystem'] as const) {
			const items = [imageItem({ data: { bytes: image, fileName: 'big.png', mimeType: 'image/png' }, mask: { bytes: mask, fileName: 'mask.png', mimeType: 'image/png' } })];
			const run = await runEdit(server, { parameters: maskEdit, items, binaryMode });
			assert.equal(run.error, undefined, `${binaryMode}: ${run.error?.message}`);
		}
		assert.equal(server.requests.length, 2);
		assert.ok(server.requests[1].files.find((file) => file.field === 'image')?.bytes.equals(image));
	});

	test('a truncated PNG (cut inside or before IDAT) is refused locally, from a binary field and from a URL', async () => {
		const whole = png(64, 64);
		const cutInside = whole.subarray(0, whole.length - 20);
		const cutBefore = whole.subarray(0, 33);
		for (const bytes of [cutInside, cutBefore]) {
			const run = await runEdit(server, {
				parameters: { model: 'gpt-image-2', prompt: 'a hat' },
				items: [imageItem({ data: { bytes, fileName: 'cut.png', mimeType: 'image/png' } })],
				binaryMode: 'filesystem',
			});
			assert.match(run.error?.message ?? '', /The image "cut.png" in "data" is cut short/);
		}
		const url = cdn.host(cutInside, 'png', 'image/png');
		const byUrl = await runEdit(server, { parameters: edit({ imageUrls: url }), items: noInput });
		assert.match(byUrl.error?.message ?? '', /is cut short: it ends inside or right after its pixel data/);
		assert.equal(server.requests.length, 0);
	});

	test('the same binary field listed twice is refused', async () => {
		const run = await runEdit(server, { parameters: { model: 'gpt-image-2-vip', prompt: 'a hat', binaryPropertyName: 'data, data' }, items: [imageItem()] });
		assert.match(run.error?.message ?? '', /The binary field "data" is listed twice/);
		assert.equal(server.requests.length, 0);
	});
});

describe('8. Task ids are checked', () => {
	test('empty-looking, dot, slash, query, fragment and whitespace ids fail before any request', async () => {
		const ids = ['.', '..', 'abc/def', 'a?b=1', 'a#b', 'cgt-1 cgt-2'];
		const run = await runVideo(server, {
			parameters: { provider: 'seedance', operation: 'get', taskId: '={{ $json.id }}' },
			items: ids.map((id) => ({ json: { id } })),
			onError: 'continueRegularOutput',
		});
		assert.equal(server.videos.requests.length, 0);
		assert.equal(run.items.length, ids.length);
		for (const item of run.items) assert.match(String(item.json.error), /"Task ID" (cannot be|"[^"]*" contains)/);
		assert.match(String(run.items[5].json.error), /contains whitespace/);
	});

	test('a good id is encoded into the path', async () => {
		const run = await runVideo(server, { parameters: { provider: 'kling', operation: 'get', taskId: 'id%41', taskType: 'text2video' } });
		assert.equal(server.videos.requests[0].path, '/kling/v1/videos/text2video/id%2541');
		assert.match(run.error?.message ?? '', /TikHub error 404/);
	});
});

describe('9. Redirects to other schemes', () => {
	test('a redirect to file: ends with a message naming the URL (without query), not "TikHub request failed"', async () => {
		const run = await runEdit(server, { parameters: edit({ imageUrls: `${cdn.baseUrl}/redirect?to=file:///etc/passwd&sig=${TOKEN}` }), items: noInput });
		assert.equal(
			run.error?.message,
			`Could not download the image from ${cdn.baseUrl}/redirect (${cdn.baseUrl}/redirect redirects to file:///etc/passwd; redirects to non-http(s) URLs are refused)`,
		);
		assert.doesNotMatch(everything(run), /sig-secret/);
		assert.equal(server.requests.length, 0);
	});
});
