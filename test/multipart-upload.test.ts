import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, test } from '@jest/globals';

import { imageItem, largePngPair, png } from '../harness/fixtures';
import { readBinary } from '../harness/engine';
import { runEdit } from '../harness/workflows';
import type { BinaryMode } from '../harness/engine';
import type { TikHubServer } from '../harness/server';
import { multipartBody, type FormPart } from '../nodes/shared/http/multipart';
import { rememberReadable } from '../nodes/shared/media/readable';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

/** A PNG header followed by incompressible bytes: several chunks of the binary store's stream. */
const largeImage = Buffer.concat([png(64, 64), randomBytes(700_000)]);

const prompt = 'Mets un chapeau rouge 🎩 sur le produit\nzweite Zeile\r\n"dritte" Zeile';
const fileName = 'фото-商品 1.png';

/** Polls `done` every 10 ms for up to 5 s; fails naming `what` if it never holds. */
async function waitFor(done: () => boolean, what: string): Promise<void> {
	for (let waited = 0; !done(); waited += 10) {
		if (waited >= 5000) assert.fail(`waited 5 s for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

async function readAll(body: Readable | Buffer): Promise<Buffer> {
	if (Buffer.isBuffer(body)) return body;
	const chunks: Buffer[] = [];
	for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
	return Buffer.concat(chunks);
}

function parts(image: Buffer): FormPart[] {
	return [
		{ name: 'model', value: 'gpt-image-2' },
		{ name: 'prompt', value: prompt },
		{ name: 'image[]', fileName, contentType: 'image/png', byteLength: image.length, open: async () => image },
		{
			name: 'image[]',
			fileName: 'say "cheese"\r\n.png',
			contentType: 'image/png',
			byteLength: image.length,
			open: async () => Readable.from([image.subarray(0, 1000), image.subarray(1000)]),
		},
		{ name: 'quality', value: 'low' },
	];
}

describe('the streamed multipart encoder', () => {
	test('writes byte for byte what Node\'s FormData writes, with the exact Content-Length, as a Buffer and as a stream', async () => {
		const image = largeImage.subarray(0, 5000);
		const form = new FormData();
		form.append('model', 'gpt-image-2');
		form.append('prompt', prompt);
		form.append('image[]', new Blob([image], { type: 'image/png' }), fileName);
		form.append('image[]', new Blob([image], { type: 'image/png' }), 'say "cheese"\r\n.png');
		form.append('quality', 'low');
		const response = new Response(form);
		const boundary = /boundary=(.+)$/.exec(response.headers.get('content-type') ?? '')?.[1] as string;
		const expected = Buffer.from(await response.arrayBuffer());

		const body = multipartBody(parts(image), boundary);
		assert.equal(body.contentType, `multipart/form-data; boundary=${boundary}`);
		assert.equal(body.contentLength, expected.length);
		// No stream of n8n's seen yet (as in n8n's in-memory mode): one Buffer.
		const whole = await body.open();
		assert.ok(Buffer.isBuffer(whole));
		assert.deepEqual(whole, expected);
		// Once a store stream has shown the Readable class: a stream, read again for every open().
		rememberReadable(Readable.from([]));
		for (let attempt = 0; attempt < 2; attempt++) {
			const streamed = await body.open();
			assert.ok(!Buffer.isBuffer(streamed));
			assert.deepEqual(await readAll(streamed), expected);
		}
	});

	test('says when the request is on its way: a small body once read through, a large one at its first megabyte', async () => {
		rememberReadable(Readable.from([]));
		const file = (bytes: Buffer): FormPart => ({
			name: 'image',
			fileName: 'a.png',
			contentType: 'image/png',
			byteLength: bytes.length,
			open: async () => Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]),
		});
		const readCountingSent = async (bytes: Buffer) => {
			let sentAt: number | undefined;
			let read = 0;
			const stream = (await multipartBody([file(bytes)]).open(() => (sentAt ??= read))) as Readable;
			for await (const chunk of stream) read += (chunk as Uint8Array).length;
			return { sentAt, read };
		};
		const small = await readCountingSent(largeImage.subarray(0, 300_000));
		// (The stream reads a step ahead of its reader: the closing line may still be in its buffer.)
		assert.ok(small.sentAt !== undefined && small.sentAt >= 300_000, `a small body counts as sent once its file was read through (${small.sentAt})`);
		const large = await readCountingSent(Buffer.concat([largeImage, largeImage]));
		assert.ok(large.sentAt !== undefined && large.sentAt < large.read, `sent after ${large.sentAt} of ${large.read} bytes`);
	});

	test('fails the body rather than sending one of another length when a file changed size', async () => {
		const body = multipartBody([
			{ name: 'image', fileName: 'a.png', contentType: 'image/png', byteLength: 10, open: async () => Readable.from([Buffer.alloc(12)]) },
		]);
		await assert.rejects(readAll(await body.open()), /"a\.png" changed while it was being sent \(10 bytes expected\)/);
	});

	test('runs a file part\'s check on every byte sent, and ends the body before its closing line when the check fails', async () => {
		const seen: number[] = [];
		const checked = (problem?: Error) => ({ push: (chunk: Uint8Array) => seen.push(chunk.length), end: () => problem });
		const part = (problem?: Error) => ({
			name: 'image',
			fileName: 'a.png',
			contentType: 'image/png',
			byteLength: 3000,
			open: async () => Readable.from([Buffer.alloc(1000), Buffer.alloc(2000)]),
			verify: () => checked(problem),
		});
		const fine = multipartBody([part()]);
		assert.equal((await readAll(await fine.open())).length, fine.contentLength);
		assert.deepEqual(seen, [1000, 2000]);

		const body = multipartBody([part(new Error('the image is cut short'))]);
		const stream = (await body.open()) as Readable;
		let received = 0;
		await assert.rejects(
			(async () => {
				for await (const chunk of stream) received += (chunk as Uint8Array).length;
			})(),
			/the image is cut short/,
		);
		// The file went out, its part's line break and the closing boundary did not.
		assert.ok(received >= 3000 && received < body.contentLength, `${received} of ${body.contentLength} bytes`);
	});
});

describe('uploads through n8n\'s request helper', () => {
	const modes: BinaryMode[] = ['default', 'filesystem'];

	test.each(modes)('%s binary mode: an exact Content-Length, not chunked; non-ASCII names and values arrive intact', async (binaryMode) => {
		const { items, error } = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt },
			items: [imageItem({ data: { bytes: largeImage, fileName, mimeType: 'image/png' } })],
			binaryMode,
		});
		assert.equal(error, undefined);
		const [request] = server.requests;
		assert.equal(request.parseError, undefined);
		assert.equal(request.headers['content-length'], String(request.bodyLength));
		assert.equal(request.headers['transfer-encoding'], undefined);
		assert.match(String(request.headers['content-type']), /^multipart\/form-data; boundary=-+TikHubFormBoundary[0-9a-f]{24}$/);
		// Line breaks in text values are sent as CRLF, as every browser and Node's FormData send them.
		assert.equal(request.fields.prompt, prompt.replace(/\r?\n/g, '\r\n'));
		assert.deepEqual(
			request.files.map((file) => [file.field, file.fileName, file.contentType]),
			[['image', fileName, 'image/png']],
		);
		assert.ok(request.files[0].bytes.equals(largeImage));
		assert.equal(items[0].binary?.data.fileName, 'фото-商品 1-edited.png');
		assert.ok((await readBinary(items[0].binary!.data)).length > 0);
	});

	test('a PNG over 4 MB is walked as it is sent: a cut one ends its own upload unfinished (never billed, not retried) and fails its item; in-memory mode refuses it before sending', async () => {
		// Larger than the 4 MB up to which a PNG is walked through when its item is checked.
		const { whole, cut } = largePngPair(4.5);
		const items = [
			imageItem({ data: { bytes: cut, fileName: 'cut.png', mimeType: 'image/png' } }),
			imageItem({ data: { bytes: whole, fileName: 'whole.png', mimeType: 'image/png' } }),
		];
		const parameters = { model: 'gpt-image-2', prompt: 'x', options: { concurrency: 1 } };
		const run = await runEdit(server, { parameters, items, binaryMode: 'filesystem', continueOnFail: true });
		assert.equal(run.error, undefined, run.error?.message);
		assert.match(String(run.items[0].json.error), /^The image "cut\.png" in "data" is cut short: it ends inside or right after its pixel data/);
		assert.match(String(run.items[0].json.errorDescription), /The file is incomplete/);
		assert.equal(run.items[1].json.error, undefined);
		assert.ok(run.items[1].binary?.data);
		// Only the whole image reached the API; the cut one's single try stopped short of its end.
		assert.equal(server.requests.length, 1);
		assert.ok(server.requests[0].files[0].bytes.equals(whole));
		assert.equal(server.unfinishedUploads, 1);

		server.reset();
		const stopped = await runEdit(server, { parameters, items: items.slice(0, 1), binaryMode: 'filesystem' });
		assert.match(stopped.error?.message ?? '', /The image "cut\.png" in "data" is cut short/);
		assert.equal((stopped.error as { context?: { itemIndex?: number } }).context?.itemIndex, 0);
		assert.equal(server.requests.length, 0);
		// The node ends as soon as its upload is stopped; the server sees the connection go a moment
		// later. Waited for here, so that it is not counted in the next run.
		await waitFor(() => server.unfinishedUploads === 1, 'the stopped run\'s unfinished upload');

		server.reset();
		const inMemory = await runEdit(server, { parameters, items: items.slice(0, 1), binaryMode: 'default' });
		assert.match(inMemory.error?.message ?? '', /The image "cut\.png" in "data" is cut short/);
		assert.equal(server.requests.length + server.unfinishedUploads, 0);
	});

	test.each(modes)('%s binary mode: a retry after a 500 sends the whole body again', async (binaryMode) => {
		server.fail({ kind: 'status', status: 500 });
		const { error } = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x' },
			items: [imageItem({ data: { bytes: largeImage, fileName: 'big.png', mimeType: 'image/png' } })],
			binaryMode,
		});
		assert.equal(error, undefined);
		assert.equal(server.requests.length, 2);
		for (const request of server.requests) {
			assert.equal(request.parseError, undefined);
			assert.equal(request.headers['content-length'], String(request.bodyLength));
			assert.ok(request.files[0].bytes.equals(largeImage));
		}
	});
});
