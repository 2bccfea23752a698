import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { readBinary } from '../harness/engine';
import { runGenerate } from '../harness/workflows';
import { expectNoSecret } from './secrets';
import { detectFormat, readImageSize, type TikHubServer } from '../harness/server';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

const prompt = 'a bottle of olive oil on a marble table';
const oneItem = [{ json: {} }];

describe('TikHub Image Generate', () => {
	test('sends every field that is set in the JSON body, under its API name and JSON type', async () => {
		const { error } = await runGenerate(server, {
			parameters: {
				model: 'gpt-image-2-vip',
				prompt,
				options: {
					n: 2,
					size: '1536x1024',
					quality: 'high',
					background: 'opaque',
					outputFormat: 'webp',
					outputCompression: 70,
					moderation: 'low',
					responseFormat: 'b64_json',
					user: 'user-7',
					// Settings of the node itself: never sent.
					binaryPropertyOutput: 'image',
					outputMode: 'perImage',
					timeout: 120,
					maxRetries: 1,
					concurrency: 2,
				},
			},
			items: oneItem,
		});
		assert.equal(error, undefined);
		const [request] = server.requests;
		assert.equal(request.path, '/v1/images/generations');
		assert.match(String(request.headers['content-type']), /^application\/json/);
		assert.deepEqual(request.json, {
			model: 'gpt-image-2-vip',
			prompt,
			n: 2,
			size: '1536x1024',
			quality: 'high',
			response_format: 'b64_json',
			background: 'opaque',
			output_format: 'webp',
			output_compression: 70,
			moderation: 'low',
			user: 'user-7',
		});
	});

	test('sends only model and prompt when no option is set', async () => {
		await runGenerate(server, { parameters: { model: 'gpt-image-2', prompt, options: { user: ' ' } }, items: oneItem });
		assert.deepEqual(server.requests[0].json, { model: 'gpt-image-2', prompt });
	});

	for (const [responseFormat, outputFormat, mimeType, extension] of [
		['b64_json', 'png', 'image/png', 'png'],
		['url', 'png', 'image/png', 'png'],
		['b64_json', 'jpeg', 'image/jpeg', 'jpg'],
		['url', 'webp', 'image/webp', 'webp'],
	] as const) {
		test(`a ${responseFormat} ${outputFormat} result becomes ${mimeType} binary named *.${extension}`, async () => {
			const { items, error } = await runGenerate(server, {
				parameters: { model: 'gpt-image-2', prompt, options: { responseFormat, outputFormat } },
				items: oneItem,
			});
			assert.equal(error, undefined);
			const binary = items[0].binary?.data;
			assert.ok(binary);
			assert.equal(binary.mimeType, mimeType);
			assert.equal(binary.fileExtension, extension);
			assert.match(binary.fileName ?? '', new RegExp(`^generated-\\d+-1\\.${extension}$`));
			assert.equal(detectFormat(await readBinary(binary)), outputFormat);
			assert.equal(server.fileRequests, responseFormat === 'url' ? 1 : 0);
		});
	}

	test('runs without input binary: one request per input item, outputs in order and paired', async () => {
		const { items, error } = await runGenerate(server, {
			parameters: { model: 'gpt-image-2', prompt: '={{ $json.idea }}', options: { concurrency: 3 } },
			items: ['a red shoe', 'a blue hat', 'a green bag', 'a white cup'].map((idea) => ({ json: { idea } })),
		});
		assert.equal(error, undefined);
		assert.deepEqual(
			server.requests.map((request) => (request.json as { prompt: string }).prompt).sort(),
			['a blue hat', 'a green bag', 'a red shoe', 'a white cup'],
		);
		assert.deepEqual(
			items.map((item) => [item.pairedItem, item.json.revisedPrompt]),
			[
				[{ item: 0 }, 'Generated: a red shoe'],
				[{ item: 1 }, 'Generated: a blue hat'],
				[{ item: 2 }, 'Generated: a green bag'],
				[{ item: 3 }, 'Generated: a white cup'],
			],
		);
		assert.equal(new Set(items.map((item) => item.binary?.data.fileName)).size, 4, 'file names differ per item');
	});

	test('n=2 gives two items with their index, the size asked for, and what an agent can act on', async () => {
		const { items, error } = await runGenerate(server, {
			parameters: {
				model: 'gpt-image-2',
				prompt,
				options: { n: 2, size: '1024x1536', responseFormat: 'url', binaryPropertyOutput: 'image' },
			},
			items: oneItem,
		});
		assert.equal(error, undefined);
		assert.equal(items.length, 2);
		for (const [index, item] of items.entries()) {
			const { json } = item;
			assert.equal(json.index, index);
			assert.equal(json.model, 'gpt-image-2');
			assert.equal(typeof json.created, 'number');
			assert.equal(json.revisedPrompt, `Generated: ${prompt}`);
			assert.match(String(json.url), new RegExp(`^${server.baseUrl}/files/`));
			assert.equal(json.format, 'png');
			assert.equal(json.mimeType, 'image/png');
			assert.equal(json.width, 1024);
			assert.equal(json.height, 1536);
			assert.equal(json.fileName, item.binary?.image.fileName);
			assert.equal(json.fileSize, (await readBinary(item.binary!.image)).length);
			assert.deepEqual((json.usage as { total_tokens: number }).total_tokens, 100);
			assert.deepEqual(readImageSize(await readBinary(item.binary!.image)), { width: 1024, height: 1536 });
		}
	});

	test('"One Item per Input Item" puts both images of a call in one item', async () => {
		const { items } = await runGenerate(server, {
			parameters: { model: 'gpt-image-2', prompt, options: { n: 2, outputMode: 'perInput' } },
			items: oneItem,
		});
		assert.equal(items.length, 1);
		assert.deepEqual(Object.keys(items[0].binary ?? {}), ['data_0', 'data_1']);
	});

	test('the same local checks as the edit node: nothing is sent for a bad field', async () => {
		const run = await runGenerate(server, {
			parameters: { model: 'gpt-image-2', prompt, options: { outputFormat: 'jpeg', background: 'transparent' } },
			items: oneItem,
		});
		assert.match(run.error?.message ?? '', /transparent background needs PNG or WebP/);
		assert.equal(server.requests.length, 0);
	});

	test('a rejected request becomes an error item with Continue On Fail, the key never shown', async () => {
		const run = await runGenerate(server, {
			parameters: { model: 'gpt-image-2', prompt, options: { size: '={{ $json.size }}' } },
			items: [{ json: { size: '1024x1024' } }, { json: { size: '9999x9999' } }],
			continueOnFail: true,
		});
		expectNoSecret(server, run);
		assert.equal(run.items.length, 2);
		assert.equal(run.items[0].binary?.data.mimeType, 'image/png');
		assert.match(String(run.items[1].json.error), /TikHub error 400: .*size/);
		assert.deepEqual(run.items[1].pairedItem, { item: 1 });
	});
});
