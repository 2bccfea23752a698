import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { imageItem, png } from '../harness/fixtures';
import { runEdit } from '../harness/workflows';
import type { TikHubServer } from '../harness/server';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

describe('form fields', () => {
	test('sends every field that is set as its form part', async () => {
		const { error } = await runEdit(server, {
			parameters: {
				model: 'gpt-image-2',
				prompt: 'add a hat',
				options: {
					n: 2,
					size: '1024x1536',
					quality: 'high',
					responseFormat: 'b64_json',
					background: 'opaque',
					outputFormat: 'webp',
					outputCompression: 80,
					user: 'user-42',
				},
			},
			items: [imageItem()],
		});
		assert.equal(error, undefined);
		const [request] = server.requests;
		assert.deepEqual(request.fields, {
			model: 'gpt-image-2',
			prompt: 'add a hat',
			n: '2',
			size: '1024x1536',
			quality: 'high',
			response_format: 'b64_json',
			background: 'opaque',
			output_format: 'webp',
			output_compression: '80',
			user: 'user-42',
		});
	});

	test('leaves every unset field out of the form', async () => {
		await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'add a hat', options: { user: '  ' } },
			items: [imageItem()],
		});
		assert.deepEqual(server.requests[0].fieldNames, ['model', 'prompt', 'image']);
	});

	test('takes a custom model name and every field from expressions', async () => {
		const { error } = await runEdit(server, {
			parameters: {
				model: '={{ "gpt-image-3-" + "preview" }}',
				prompt: '={{ $json.caption }}',
				binaryPropertyName: '={{ $json.field }}',
				options: { size: '={{ "2048x2048" }}', n: '={{ 1 + 1 }}', user: '={{ $json.user }}' },
			},
			items: [
				imageItem(
					{ photo: { bytes: png(), fileName: 'p.png', mimeType: 'image/png' } },
					{ caption: 'make it night', field: 'photo', user: 'u-1' },
				),
			],
		});
		assert.equal(error, undefined);
		assert.deepEqual(server.requests[0].fields, {
			model: 'gpt-image-3-preview',
			prompt: 'make it night',
			size: '2048x2048',
			n: '2',
			user: 'u-1',
		});
	});

	test('sends one image as `image` with its file name and type', async () => {
		await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x' },
			items: [imageItem({ data: { bytes: png(40, 30), fileName: 'shoe.png', mimeType: 'image/png' } })],
		});
		const [file] = server.requests[0].files;
		assert.equal(file.field, 'image');
		assert.equal(file.fileName, 'shoe.png');
		assert.equal(file.contentType, 'image/png');
		assert.deepEqual(file.bytes, png(40, 30));
	});

	test('sends two binary fields as two `image[]` parts with their names and types', async () => {
		const { error } = await runEdit(server, {
			parameters: { model: 'gpt-image-2-vip', prompt: 'combine them', binaryPropertyName: 'data, logo' },
			items: [
				imageItem({
					data: { bytes: png(64, 64), fileName: 'product.png', mimeType: 'image/png' },
					logo: { bytes: png(32, 32, [0, 0, 255, 255]), fileName: 'logo.png', mimeType: 'image/png' },
				}),
			],
		});
		assert.equal(error, undefined);
		const { files, fieldNames } = server.requests[0];
		assert.deepEqual(
			files.map((f) => [f.field, f.fileName, f.contentType]),
			[
				['image[]', 'product.png', 'image/png'],
				['image[]', 'logo.png', 'image/png'],
			],
		);
		assert.ok(!fieldNames.includes('image'));
	});

	test('sends the mask as `mask`', async () => {
		const { error } = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'fill the hole', options: { maskBinaryPropertyName: 'mask' } },
			items: [
				imageItem({
					data: { bytes: png(64, 64), fileName: 'photo.png', mimeType: 'image/png' },
					mask: { bytes: png(64, 64, [0, 0, 0, 0]), fileName: 'mask.png', mimeType: 'image/png' },
				}),
			],
		});
		assert.equal(error, undefined);
		const mask = server.requests[0].files.find((f) => f.field === 'mask');
		assert.equal(mask?.fileName, 'mask.png');
		assert.equal(mask?.contentType, 'image/png');
		assert.deepEqual(server.requests[0].fieldNames, ['model', 'prompt', 'image', 'mask']);
	});

	test('names the file after the bytes when the input has no file name or a wrong type', async () => {
		await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x' },
			items: [imageItem({ data: { bytes: png(), mimeType: 'application/octet-stream' } })],
		});
		const [file] = server.requests[0].files;
		assert.equal(file.fileName, 'data.png');
		assert.equal(file.contentType, 'image/png');
	});
});
