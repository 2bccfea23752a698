import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import type { FixtureItem } from '../harness/engine/stand-in-nodes';
import { imageItem, png } from '../harness/fixtures';
import { runEdit } from '../harness/workflows';
import { encodePng, TINY_JPEG, type TikHubServer } from '../harness/server';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

/** A PNG without an alpha channel (colour type 2): a mask like this marks nothing to edit. */
function opaquePng(width: number, height: number): Buffer {
	const rgba = encodePng(width, height, [0, 0, 0, 255]);
	// Not a real re-encode: enough for the header check, which reads IHDR's colour type.
	const copy = Buffer.from(rgba);
	copy[25] = 2;
	return copy;
}

const withMask = (mask: Buffer, image = png(64, 64)): FixtureItem =>
	imageItem({
		data: { bytes: image, fileName: 'photo.png', mimeType: 'image/png' },
		mask: { bytes: mask, fileName: 'mask.png', mimeType: 'image/png' },
	});

const cases: Array<{ name: string; parameters: Record<string, unknown>; items?: FixtureItem[]; message: RegExp; description?: RegExp }> = [
	{
		name: 'a missing binary field names it and the fields that exist',
		parameters: { binaryPropertyName: 'photo' },
		items: [imageItem({ data: { bytes: png() }, logo: { bytes: png() } })],
		message: /Item 0 has no binary field "photo"/,
		description: /Its binary fields are: data, logo/,
	},
	{
		name: 'an item without any binary data says so',
		parameters: {},
		items: [{ json: { note: 'no file' } }],
		message: /no binary field "data"/,
		description: /carries no binary data at all/,
	},
	{
		name: 'an image that is not PNG, JPEG or WebP',
		parameters: {},
		items: [imageItem({ data: { bytes: Buffer.from('GIF89a\x01\x00\x01\x00'), fileName: 'a.gif' } })],
		message: /not a PNG, JPEG or WebP \(its bytes are image\/gif\)/,
	},
	{
		name: 'a mask that is not a PNG',
		parameters: { options: { maskBinaryPropertyName: 'mask' } },
		items: [withMask(TINY_JPEG)],
		message: /The mask "mask.png" in "mask" is not a PNG \(its bytes are image\/jpeg\)/,
	},
	{
		name: 'a mask of another size than the image',
		parameters: { options: { maskBinaryPropertyName: 'mask' } },
		items: [withMask(png(32, 64, [0, 0, 0, 0]))],
		message: /The mask is 32x64 but the image is 64x64/,
	},
	{
		name: 'a mask without transparency',
		parameters: { options: { maskBinaryPropertyName: 'mask' } },
		items: [withMask(opaquePng(64, 64))],
		message: /has no transparency/,
	},
	{
		name: 'several images on a model that takes one',
		parameters: { model: 'gpt-image-2', binaryPropertyName: 'data, logo' },
		items: [imageItem({ data: { bytes: png() }, logo: { bytes: png() } })],
		message: /gpt-image-2 takes one image, but 2 fields are listed \(data, logo\)/,
		description: /gpt-image-2-vip/,
	},
	{ name: 'n above 10', parameters: { options: { n: 11 } }, message: /"Number of Images" must be a whole number from 1 to 10; got 11/ },
	{ name: 'n below 1 by expression', parameters: { options: { n: '={{ 0 }}' } }, message: /from 1 to 10; got 0/ },
	{
		name: 'output compression above 100',
		parameters: { options: { outputFormat: 'jpeg', outputCompression: 101 } },
		message: /"Output Compression" must be a whole number from 0 to 100; got 101/,
	},
	{
		name: 'output compression with PNG output chosen by expression',
		parameters: { options: { outputFormat: '={{ "png" }}', outputCompression: 50 } },
		message: /applies only to JPEG and WebP/,
	},
	{
		name: 'a transparent background with JPEG output',
		parameters: { options: { outputFormat: 'jpeg', background: 'transparent' } },
		message: /transparent background needs PNG or WebP/,
	},
	{ name: 'a size that is not WIDTHxHEIGHT', parameters: { options: { size: '={{ "big" }}' } }, message: /"Size" must be "auto" or WIDTHxHEIGHT/ },
	{ name: 'an empty prompt', parameters: { prompt: '   ' }, message: /The prompt is empty/ },
];

describe('bad input is caught before any request is sent', () => {
	for (const { name, parameters, items, message, description } of cases) {
		test(name, async () => {
			const run = await runEdit(server, {
				parameters: { model: 'gpt-image-2', prompt: 'x', ...parameters },
				items: items ?? [imageItem()],
			});
			assert.match(run.error?.message ?? '(no error)', message);
			if (description) assert.match(run.error?.description ?? '', description);
			assert.equal(server.requests.length, 0, 'the server saw no request');
		});
	}

	test('output compression next to a fixed PNG format is hidden in n8n, so it is not sent', async () => {
		const run = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x', options: { outputFormat: 'png', outputCompression: 50 } },
			items: [imageItem()],
		});
		assert.equal(run.error, undefined);
		assert.equal(server.requests[0].fields.output_compression, undefined);
	});

	test('a custom model name by expression may take several images', async () => {
		const run = await runEdit(server, {
			parameters: { model: '={{ "gpt-image-3" }}', prompt: 'x', binaryPropertyName: 'data,logo' },
			items: [imageItem({ data: { bytes: png() }, logo: { bytes: png() } })],
		});
		assert.equal(run.error, undefined);
		assert.equal(server.requests[0].files.length, 2);
	});
});
