import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from '@jest/globals';

import { type BinaryMode, readBinary } from '../harness/engine';
import { imageItem, png } from '../harness/fixtures';
import { runEdit } from '../harness/workflows';
import { detectFormat, readImageSize, type TikHubServer } from '../harness/server';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

const formats = [
	{ outputFormat: 'png', mimeType: 'image/png', extension: 'png' },
	{ outputFormat: 'jpeg', mimeType: 'image/jpeg', extension: 'jpg' },
	{ outputFormat: 'webp', mimeType: 'image/webp', extension: 'webp' },
] as const;

describe('binary output', () => {
	for (const responseFormat of ['b64_json', 'url'] as const) {
		for (const { outputFormat, mimeType, extension } of formats) {
			test(`${responseFormat} ${outputFormat} result comes out as ${mimeType} binary named *.${extension}`, async () => {
				const { items, error } = await runEdit(server, {
					parameters: { model: 'gpt-image-2', prompt: 'x', options: { responseFormat, outputFormat } },
					items: [imageItem()],
				});
				assert.equal(error, undefined);
				assert.equal(items.length, 1);
				const binary = items[0].binary?.data;
				assert.ok(binary, 'output has binary.data');
				assert.equal(binary.mimeType, mimeType);
				assert.equal(binary.fileExtension, extension);
				assert.equal(binary.fileName, `photo-edited.${extension}`);
				assert.equal(detectFormat(await readBinary(binary)), outputFormat);
				assert.equal(server.fileRequests, responseFormat === 'url' ? 1 : 0);
			});
		}
	}

	test('json carries revisedPrompt, model, created, index, usage and the request settings', async () => {
		const { items } = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'add a hat', options: { size: '1024x1024', quality: 'low' } },
			items: [imageItem()],
		});
		const { json } = items[0];
		assert.equal(json.revisedPrompt, 'Edited: add a hat');
		assert.equal(json.model, 'gpt-image-2');
		assert.equal(typeof json.created, 'number');
		assert.equal(json.index, 0);
		assert.equal(json.size, '1024x1024');
		assert.equal(json.quality, 'low');
		assert.equal(json.outputFormat, 'png');
		assert.deepEqual((json.usage as { total_tokens: number }).total_tokens, 100);
	});

	test('base64 sent as a data URL still decodes to the image', async () => {
		server.fail({
			kind: 'status',
			status: 200,
			body: { created: 1, data: [{ b64_json: `data:image/png;base64,${png(12, 10).toString('base64')}` }] },
		});
		const { items, error } = await runEdit(server, { parameters: { model: 'gpt-image-2', prompt: 'x' }, items: [imageItem()] });
		assert.equal(error, undefined);
		assert.deepEqual(readImageSize(await readBinary(items[0].binary!.data)), { width: 12, height: 10 });
	});

	test('the PNG result has the size asked for', async () => {
		const { items } = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x', options: { size: '1536x1024' } },
			items: [imageItem()],
		});
		assert.deepEqual(readImageSize(await readBinary(items[0].binary!.data)), { width: 1536, height: 1024 });
	});

	test('n=3 gives 3 items paired to their input', async () => {
		const { items } = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x', options: { n: 3 } },
			items: [imageItem()],
		});
		assert.equal(items.length, 3);
		assert.deepEqual(
			items.map((item) => [item.json.index, item.pairedItem, item.binary?.data.fileName]),
			[
				[0, { item: 0 }, 'photo-edited-1.png'],
				[1, { item: 0 }, 'photo-edited-2.png'],
				[2, { item: 0 }, 'photo-edited-3.png'],
			],
		);
	});

	test('3 input items give 3 requests and outputs paired to the right inputs', async () => {
		const { items } = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: '={{ $json.prompt }}' },
			items: ['first', 'second', 'third'].map((prompt) => imageItem(undefined, { prompt })),
		});
		assert.equal(server.requests.length, 3);
		assert.deepEqual(
			items.map((item) => [item.pairedItem, item.json.revisedPrompt]),
			[
				[{ item: 0 }, 'Edited: first'],
				[{ item: 1 }, 'Edited: second'],
				[{ item: 2 }, 'Edited: third'],
			],
		);
	});

	test('"One Item per Input Item" puts all images of a call in one item', async () => {
		const { items } = await runEdit(server, {
			parameters: {
				model: 'gpt-image-2',
				prompt: 'x',
				options: { n: 2, outputMode: 'perInput', binaryPropertyOutput: 'edited' },
			},
			items: [imageItem()],
		});
		assert.equal(items.length, 1);
		assert.deepEqual(Object.keys(items[0].binary ?? {}), ['edited_0', 'edited_1']);
		assert.deepEqual(
			(items[0].json.images as Array<{ binaryProperty: string }>).map((image) => image.binaryProperty),
			['edited_0', 'edited_1'],
		);
		assert.deepEqual(items[0].pairedItem, { item: 0 });
	});

	test('an image of several MB in filesystem mode reaches TikHub byte for byte', async () => {
		// Streamed from n8n's store in 1 MiB parts: the parts must add up to the file exactly.
		const big = Buffer.concat([png(64, 64), randomBytes(3 * 1024 * 1024 + 12345)]);
		const { error } = await runEdit(server, {
			binaryMode: 'filesystem',
			parameters: { model: 'gpt-image-2', prompt: 'x' },
			items: [imageItem({ data: { bytes: big, fileName: 'big.png', mimeType: 'image/png' } })],
		});
		assert.equal(error, undefined);
		assert.ok(server.requests[0].files[0].bytes.equals(big));
	});

	for (const binaryMode of ['default', 'filesystem'] as BinaryMode[]) {
		test(`the same workflow passes with binary data mode "${binaryMode}"`, async () => {
			const { items, error } = await runEdit(server, {
				binaryMode,
				parameters: { model: 'gpt-image-2-vip', prompt: 'x', binaryPropertyName: 'data,logo' },
				items: [
					imageItem({
						data: { bytes: png(80, 60), fileName: 'a.png', mimeType: 'image/png' },
						logo: { bytes: png(20, 20), fileName: 'b.png', mimeType: 'image/png' },
					}),
				],
			});
			assert.equal(error, undefined);
			const binary = items[0].binary!.data;
			if (binaryMode === 'filesystem') {
				assert.match(binary.id ?? '', /^filesystem/, 'stored on disk, not inline');
			} else {
				assert.equal(binary.id, undefined);
			}
			assert.deepEqual(server.requests[0].files[0].bytes, png(80, 60), 'input bytes read through n8n');
			assert.deepEqual(readImageSize(await readBinary(binary)), { width: 80, height: 60 });
		});
	}
});
