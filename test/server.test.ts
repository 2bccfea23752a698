import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import FormDataEncoder from 'form-data';
import { request } from 'node:http';
import { crc32, inflateSync } from 'node:zlib';

import {
	encodePng,
	readImageSize,
	startTikHubServer,
	TINY_JPEG,
	TINY_WEBP,
	type TikHubServer,
} from '../harness/server/index';

interface EditBody {
	created: number;
	data: Array<{ url?: string; b64_json?: string; revised_prompt?: string }>;
	background?: string;
	output_format: string;
	quality?: string;
	size: string;
	usage: { total_tokens: number };
}

interface ErrorBody {
	error: { message: string; type: string; param: string | null; code: string | null };
}

type Part = string | { bytes: Buffer; name: string; type: string };

let server: TikHubServer;

/**
 * Node's fetch lives outside jest's sandbox, so the objects it parses have the other realm's
 * prototypes and strict deepEqual would call them different: copy them into this realm first.
 */
const local = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function form(parts: Array<[string, Part]>): FormData {
	const data = new FormData();
	for (const [name, value] of parts) {
		if (typeof value === 'string') data.append(name, value);
		else data.append(name, new Blob([value.bytes], { type: value.type }), value.name);
	}
	return data;
}

function png(width: number, height: number, name = 'in.png') {
	return { bytes: encodePng(width, height, [255, 0, 0, 255]), name, type: 'image/png' };
}

function edit(parts: Array<[string, Part]>, key = server.apiKey): Promise<Response> {
	return fetch(`${server.baseUrl}/v1/images/edits`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}` },
		body: form(parts),
	});
}

const basic = (): Array<[string, Part]> => [
	['model', 'gpt-image-2'],
	['prompt', 'make it blue'],
	['image', png(37, 23)],
];

// Walks every chunk, checks its CRC with node's own crc32 and inflates the pixels.
function decodePng(bytes: Buffer): { width: number; height: number; pixels: Buffer } {
	assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	let offset = 8;
	const idat: Buffer[] = [];
	let width = 0;
	let height = 0;
	while (offset < bytes.length) {
		const length = bytes.readUInt32BE(offset);
		const type = bytes.toString('latin1', offset + 4, offset + 8);
		const data = bytes.subarray(offset + 8, offset + 8 + length);
		assert.equal(bytes.readUInt32BE(offset + 8 + length), crc32(bytes.subarray(offset + 4, offset + 8 + length)), `${type} CRC`);
		if (type === 'IHDR') {
			width = data.readUInt32BE(0);
			height = data.readUInt32BE(4);
		}
		if (type === 'IDAT') idat.push(data);
		offset += 12 + length;
	}
	return { width, height, pixels: inflateSync(Buffer.concat(idat)) };
}

describe('TikHub stand-in server', () => {
	beforeAll(async () => {
		server = await startTikHubServer();
	});
	afterAll(async () => {
		await server.close();
	});
	beforeEach(() => server.reset());

	it('listens on 127.0.0.1 with the default key', () => {
		assert.match(server.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
		assert.equal(server.apiKey, 'test-key-0123456789');
	});

	it('answers 401 without a key, echoes a wrong key, and records both', async () => {
		const none = await fetch(`${server.baseUrl}/v1/models`);
		assert.equal(none.status, 401);
		assert.equal(((await none.json()) as ErrorBody).error.code, 'invalid_api_key');

		const wrong = await edit(basic(), 'sk-wrong-secret');
		assert.equal(wrong.status, 401);
		const body = (await wrong.json()) as ErrorBody;
		assert.equal(
			body.error.message,
			'Incorrect API key provided: sk-wrong-secret. You can find your API key at https://ai.tikhub.io.',
		);
		assert.equal(body.error.type, 'invalid_request_error');
		assert.equal(body.error.param, null);

		assert.equal(server.requests.length, 2);
		assert.equal(server.requests[0].authorization, undefined);
		assert.equal(server.requests[1].authorization, 'Bearer sk-wrong-secret');
		assert.equal(server.requests[1].fields.prompt, 'make it blue');
	});

	it('lists models', async () => {
		const res = await fetch(`${server.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${server.apiKey}` } });
		assert.equal(res.status, 200);
		const body = (await res.json()) as { object: string; data: Array<{ id: string }> };
		assert.equal(body.object, 'list');
		const ids = local(body.data.map((model) => model.id));
		for (const id of ['gpt-image-2', 'gpt-image-2-vip']) assert.ok(ids.includes(id), id);
	});

	it('answers 404 JSON for unknown routes', async () => {
		const api = await fetch(`${server.baseUrl}/v1/nope`, { headers: { authorization: `Bearer ${server.apiKey}` } });
		assert.equal(api.status, 404);
		assert.deepEqual(local(await api.json()), { error: { message: 'Not found' } });
		assert.equal((await fetch(`${server.baseUrl}/elsewhere`)).status, 404);
		assert.equal((await fetch(`${server.baseUrl}/files/unknown.png`)).status, 404);
	});

	// The node builds its body with Node's FormData; a second, independent encoder proves the
	// server parses multipart as other clients write it, not only as our node does.
	it('parses a multipart body written by the form-data package', async () => {
		const body = new FormDataEncoder();
		body.append('model', 'gpt-image-2');
		body.append('prompt', 'make it blue');
		body.append('image[]', encodePng(8, 6, [0, 0, 255, 255]), { filename: 'a.png', contentType: 'image/png' });
		body.append('image[]', TINY_JPEG, { filename: 'b.jpg', contentType: 'image/jpeg' });
		const status = await new Promise<number>((resolve, reject) => {
			const req = request(`${server.baseUrl}/v1/images/edits`, {
				method: 'POST',
				headers: { ...body.getHeaders(), authorization: `Bearer ${server.apiKey}` },
			});
			req.on('response', (res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			});
			req.on('error', reject);
			body.pipe(req);
		});
		assert.equal(status, 200);
		const [recorded] = server.requests;
		assert.equal(recorded.parseError, undefined);
		assert.deepEqual(local(recorded.fieldNames), ['model', 'prompt', 'image[]', 'image[]']);
		assert.deepEqual(
			recorded.files.map((file) => [file.fileName, file.contentType, file.bytes.length]),
			[
				['a.png', 'image/png', encodePng(8, 6, [0, 0, 255, 255]).length],
				['b.jpg', 'image/jpeg', TINY_JPEG.length],
			],
		);
	});

	it('edits a png into a real png of the same size', async () => {
		const res = await edit(basic());
		assert.equal(res.status, 200);
		assert.match(res.headers.get('content-type') ?? '', /application\/json/);
		const body = (await res.json()) as EditBody;
		assert.equal(body.data.length, 1);
		assert.equal(body.data[0].revised_prompt, 'Edited: make it blue');
		assert.equal(body.data[0].url, undefined);
		const out = Buffer.from(body.data[0].b64_json ?? '', 'base64');
		assert.equal(out.readUInt32BE(16), 37);
		assert.equal(out.readUInt32BE(20), 23);
		const decoded = decodePng(out);
		assert.equal(decoded.pixels.length, 23 * (37 * 4 + 1));
		assert.equal(body.size, '37x23');
		assert.equal(body.output_format, 'png');
		assert.equal(body.usage.total_tokens, 100);
		assert.ok(!('quality' in body) && !('background' in body));
		assert.ok(Math.abs(body.created - Date.now() / 1000) < 5);
	});

	it('records text fields and file parts in order', async () => {
		const res = await edit([
			['model', 'gpt-image-2'],
			['prompt', 'p1'],
			['image', png(8, 8, 'photo.png')],
			['mask', png(8, 8, 'mask.png')],
			['quality', 'high'],
			['background', 'opaque'],
		]);
		assert.equal(res.status, 200);
		const body = (await res.json()) as EditBody;
		assert.equal(body.quality, 'high');
		assert.equal(body.background, 'opaque');
		const [recorded] = server.requests;
		assert.equal(recorded.method, 'POST');
		assert.equal(recorded.path, '/v1/images/edits');
		assert.match(String(recorded.headers['content-type']), /^multipart\/form-data; boundary=/);
		assert.deepEqual(recorded.fields, { model: 'gpt-image-2', prompt: 'p1', quality: 'high', background: 'opaque' });
		assert.deepEqual(recorded.fieldNames, ['model', 'prompt', 'image', 'mask', 'quality', 'background']);
		assert.deepEqual(
			recorded.files.map(({ field, fileName, contentType }) => ({ field, fileName, contentType })),
			[
				{ field: 'image', fileName: 'photo.png', contentType: 'image/png' },
				{ field: 'mask', fileName: 'mask.png', contentType: 'image/png' },
			],
		);
		assert.deepEqual(recorded.files[0].bytes, encodePng(8, 8, [255, 0, 0, 255]));
	});

	it('records several image[] parts and sizes from the first', async () => {
		const res = await edit([
			['prompt', 'merge'],
			['image[]', png(20, 10, 'a.png')],
			['image[]', { bytes: TINY_JPEG, name: 'b.jpg', type: 'image/jpeg' }],
		]);
		assert.equal(((await res.json()) as EditBody).size, '20x10');
		const { files } = server.requests[0];
		assert.deepEqual(
			files.map((file) => [file.field, file.fileName, file.contentType]),
			[
				['image[]', 'a.png', 'image/png'],
				['image[]', 'b.jpg', 'image/jpeg'],
			],
		);
	});

	it('returns n images, each a different colour', async () => {
		const res = await edit([...basic(), ['n', '3']]);
		const body = (await res.json()) as EditBody;
		assert.equal(body.data.length, 3);
		assert.equal(new Set(body.data.map((entry) => entry.b64_json)).size, 3);
	});

	it('honours an explicit size, fast even when large', async () => {
		const started = Date.now();
		const res = await edit([...basic(), ['size', '2048x2048']]);
		const body = (await res.json()) as EditBody;
		const out = Buffer.from(body.data[0].b64_json ?? '', 'base64');
		assert.deepEqual(readImageSize(out), { width: 2048, height: 2048 });
		assert.equal(body.size, '2048x2048');
		assert.ok(Date.now() - started < 1500, 'a 2048x2048 answer should be quick');
	});

	it('returns jpeg and webp with the right magic bytes', async () => {
		const jpeg = (await (await edit([...basic(), ['output_format', 'jpeg']])).json()) as EditBody;
		const jpegBytes = Buffer.from(jpeg.data[0].b64_json ?? '', 'base64');
		assert.deepEqual([...jpegBytes.subarray(0, 3)], [0xff, 0xd8, 0xff]);
		assert.deepEqual([...jpegBytes.subarray(-2)], [0xff, 0xd9]);
		assert.equal(jpeg.output_format, 'jpeg');

		const webp = (await (await edit([...basic(), ['output_format', 'webp']])).json()) as EditBody;
		const webpBytes = Buffer.from(webp.data[0].b64_json ?? '', 'base64');
		assert.equal(webpBytes.toString('latin1', 0, 4), 'RIFF');
		assert.equal(webpBytes.toString('latin1', 8, 12), 'WEBP');
		assert.equal(webpBytes.readUInt32LE(4), webpBytes.length - 8);
	});

	it('reads sizes from png, jpeg and webp headers', async () => {
		assert.deepEqual(readImageSize(TINY_JPEG), { width: 1, height: 1 });
		assert.deepEqual(readImageSize(TINY_WEBP), { width: 1, height: 1 });
		// Progressive JPEG (SOF2) after an APP marker.
		const sof2 = Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x04, 0, 0, 0xff, 0xc2, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x02, 0x58]);
		assert.deepEqual(readImageSize(sof2), { width: 600, height: 300 });
		const riff = (fourcc: string, payload: number[]) =>
			Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBP' + fourcc + '\0\0\0\0', 'latin1'), Buffer.from(payload), Buffer.alloc(10)]);
		// VP8L: 14 bits width-1, 14 bits height-1; 300x200 -> 299 | 199 << 14.
		const bits = 299 | (199 << 14);
		const vp8l = riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff]);
		assert.deepEqual(readImageSize(vp8l), { width: 300, height: 200 });
		// VP8X: flags and reserved, then 24-bit width-1 and height-1.
		const vp8x = riff('VP8X', [0x10, 0, 0, 0, 0xff, 0x04, 0, 0xff, 0x02, 0]);
		assert.deepEqual(readImageSize(vp8x), { width: 1280, height: 768 });
		assert.equal(readImageSize(Buffer.from('not an image')), undefined);

		const fromJpeg = (await (await edit([['prompt', 'p'], ['image', { bytes: TINY_JPEG, name: 'a.jpg', type: 'image/jpeg' }]])).json()) as EditBody;
		assert.equal(fromJpeg.size, '1x1');
		const fromWebp = (await (await edit([['prompt', 'p'], ['image', { bytes: vp8x, name: 'a.webp', type: 'image/webp' }]])).json()) as EditBody;
		assert.equal(fromWebp.size, '1280x768');
	});

	it('serves url results as downloadable files', async () => {
		const res = await edit([...basic(), ['response_format', 'url'], ['n', '2']]);
		const body = (await res.json()) as EditBody;
		assert.equal(body.data.length, 2);
		assert.equal(body.data[0].b64_json, undefined);
		const url = body.data[0].url ?? '';
		assert.match(url, new RegExp(`^${server.baseUrl}/files/[0-9a-f]+\\.png$`));
		const file = await fetch(url);
		assert.equal(file.status, 200);
		assert.equal(file.headers.get('content-type'), 'image/png');
		assert.deepEqual(readImageSize(Buffer.from(await file.arrayBuffer())), { width: 37, height: 23 });

		const jpeg = (await (await edit([...basic(), ['response_format', 'url'], ['output_format', 'jpeg']])).json()) as EditBody;
		const jpegFile = await fetch(jpeg.data[0].url ?? '');
		assert.equal(jpegFile.headers.get('content-type'), 'image/jpeg');
		assert.deepEqual(Buffer.from(await jpegFile.arrayBuffer()), TINY_JPEG);
		assert.equal(server.fileRequests, 2);
	});

	it('rejects requests the real API would reject, with param', async () => {
		const cases: Array<[Array<[string, Part]>, string]> = [
			[[['model', 'gpt-image-2'], ['image', png(4, 4)]], 'prompt'],
			[[['prompt', 'p']], 'image'],
			[[['prompt', 'p'], ['image', { bytes: Buffer.from('iVBORw0KGgo='), name: 'a.png', type: 'image/png' }]], 'image'],
			[[...basic(), ['size', '']], 'size'],
			[[...basic(), ['n', '11']], 'n'],
			[[...basic(), ['quality', 'ultra']], 'quality'],
			[[...basic(), ['mask', png(5, 5)]], 'mask'],
			[[...basic(), ['output_format', 'jpeg'], ['background', 'transparent']], 'background'],
		];
		for (const [parts, param] of cases) {
			const res = await edit(parts);
			assert.equal(res.status, 400, param);
			const body = (await res.json()) as ErrorBody;
			assert.equal(body.error.param, param);
			assert.equal(body.error.type, 'invalid_request_error');
		}
	});

	it('answers status faults with their body and headers, one per request, then normally', async () => {
		server.fail(
			{ kind: 'status', status: 429, body: { error: { message: 'Slow down' } }, headers: { 'retry-after': '1' } },
			{ kind: 'status', status: 500, body: 'plain failure' },
			{ kind: 'status', status: 503 },
		);
		const limited = await edit(basic());
		assert.equal(limited.status, 429);
		assert.equal(limited.headers.get('retry-after'), '1');
		assert.deepEqual(local(await limited.json()), { error: { message: 'Slow down' } });

		const plain = await edit(basic());
		assert.equal(plain.status, 500);
		assert.equal(await plain.text(), 'plain failure');

		const fallback = await edit(basic());
		assert.equal(fallback.status, 503);
		assert.equal(((await fallback.json()) as ErrorBody).error.type, 'server_error');

		assert.equal((await edit(basic())).status, 200);
		assert.equal(server.requests.length, 4);
	});

	it('answers an html gateway page', async () => {
		server.fail({ kind: 'html', status: 502 });
		const res = await edit(basic());
		assert.equal(res.status, 502);
		assert.match(res.headers.get('content-type') ?? '', /text\/html/);
		assert.match(await res.text(), /<h1>502 Bad Gateway<\/h1>/);
	});

	it('resets the socket', async () => {
		server.fail({ kind: 'reset' });
		await assert.rejects(edit(basic()));
		assert.equal(server.requests.length, 1);
		assert.equal((await edit(basic())).status, 200);
	});

	it('sends truncated json', async () => {
		server.fail({ kind: 'brokenJson' });
		const res = await edit(basic());
		assert.equal(res.status, 200);
		assert.match(res.headers.get('content-type') ?? '', /application\/json/);
		await assert.rejects(res.json(), { name: 'SyntaxError' });
	});

	it('delays, then answers normally', async () => {
		server.fail({ kind: 'delay', ms: 120 });
		const started = Date.now();
		const res = await edit(basic());
		assert.ok(Date.now() - started >= 110);
		assert.equal(res.status, 200);
		assert.equal(((await res.json()) as EditBody).data.length, 1);
	});

	it('answers empty data and entries without an image', async () => {
		server.fail({ kind: 'emptyData' }, { kind: 'noImage' });
		const empty = (await (await edit(basic())).json()) as EditBody;
		assert.deepEqual(local(empty.data), []);
		assert.equal(typeof empty.created, 'number');
		const noImage = (await (await edit(basic())).json()) as EditBody;
		assert.deepEqual(local(noImage.data), [{ revised_prompt: 'x' }]);
	});

	it('applies latency and counts requests in flight', async () => {
		server.latencyMs = 150;
		const started = Date.now();
		const answers = await Promise.all([edit(basic()), edit(basic()), edit(basic())]);
		const elapsed = Date.now() - started;
		assert.deepEqual(
			answers.map((res) => res.status),
			[200, 200, 200],
		);
		await Promise.all(answers.map((res) => res.arrayBuffer()));
		assert.ok(elapsed >= 140, `took ${elapsed} ms`);
		assert.ok(elapsed < 450, `parallel requests should overlap, took ${elapsed} ms`);
		assert.equal(server.maxInFlight, 3);

		server.reset();
		assert.equal(server.latencyMs, 0);
		assert.equal(server.maxInFlight, 0);
		assert.equal(server.requests.length, 0);
	});

	it('a server started with keepRequests: false (the benchmark\'s) answers the same and records nothing', async () => {
		const quiet = await startTikHubServer({ keepRequests: false });
		try {
			const res = await fetch(`${quiet.baseUrl}/v1/images/edits`, {
				method: 'POST',
				headers: { authorization: `Bearer ${quiet.apiKey}` },
				body: form(basic()),
			});
			assert.equal(res.status, 200);
			assert.equal(((await res.json()) as EditBody).data.length, 1);
			assert.equal(quiet.requests.length, 0);
		} finally {
			await quiet.close();
		}
	});

	it('closes promptly while a request is still waiting', async () => {
		const other = await startTikHubServer({ apiKey: 'other-key' });
		assert.equal(other.apiKey, 'other-key');
		other.latencyMs = 10_000;
		const pending = fetch(`${other.baseUrl}/v1/images/edits`, {
			method: 'POST',
			headers: { authorization: 'Bearer other-key' },
			body: form(basic()),
		});
		while (other.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		const started = Date.now();
		await other.close();
		await assert.rejects(pending);
		assert.ok(Date.now() - started < 500);
	});
});
