import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { png } from '../harness/fixtures';
import { runEdit } from '../harness/workflows';
import { expectNoSecret } from './secrets';
import { TINY_JPEG, type TikHubServer } from '../harness/server';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));
/** Another origin, standing in for the web host or bucket the images live on. */
let cdn: TikHubServer;
useServer((started) => (cdn = started), { apiKey: 'cdn-key' });

const edit = (parameters: Record<string, unknown>) => ({
	model: 'gpt-image-2',
	prompt: 'put it on a beach',
	imageSource: 'url',
	...parameters,
});
const noInput = [{ json: {} }];

describe('images from URLs', () => {
	test('one URL is downloaded without the key and sent as `image`', async () => {
		const url = cdn.host(png(40, 30), 'png', 'image/png');
		const run = await runEdit(server, { parameters: edit({ imageUrls: url }), items: noInput });
		assert.equal(run.error, undefined);
		assert.deepEqual(cdn.fileAuthorizations, [undefined], 'the TikHub key never goes to another host');
		const [file] = server.requests[0].files;
		assert.equal(file.field, 'image');
		assert.equal(file.contentType, 'image/png');
		assert.match(file.fileName, /\.png$/);
		assert.deepEqual(file.bytes, png(40, 30));
		assert.equal(run.items[0].binary?.data.mimeType, 'image/png');
		expectNoSecret(server, run);
	});

	test('several URLs, separated by commas and new lines, go as `image[]` on the VIP model', async () => {
		const a = cdn.host(png(64, 64), 'png', 'image/png');
		const b = cdn.host(TINY_JPEG, 'jpg', 'image/jpeg');
		const c = cdn.host(png(16, 16), 'png', 'image/png');
		const run = await runEdit(server, {
			parameters: edit({ model: 'gpt-image-2-vip', imageUrls: `${a}, ${b}\n${c}\n` }),
			items: noInput,
		});
		assert.equal(run.error, undefined);
		assert.deepEqual(
			server.requests[0].files.map((file) => [file.field, file.contentType]),
			[
				['image[]', 'image/png'],
				['image[]', 'image/jpeg'],
				['image[]', 'image/png'],
			],
		);
	});

	test('a mask from Options > Mask URL is sent as `mask`', async () => {
		const image = cdn.host(png(64, 64), 'png', 'image/png');
		const mask = cdn.host(png(64, 64, [0, 0, 0, 0]), 'png', 'image/png');
		const run = await runEdit(server, { parameters: edit({ imageUrls: image, options: { maskUrl: mask } }), items: noInput });
		assert.equal(run.error, undefined);
		assert.deepEqual(server.requests[0].fieldNames, ['model', 'prompt', 'image', 'mask']);
		assert.deepEqual(server.requests[0].files[1].bytes, png(64, 64, [0, 0, 0, 0]));
	});

	test('the URLs an agent fills in come through expressions', async () => {
		const url = cdn.host(png(), 'png', 'image/png');
		const run = await runEdit(server, {
			parameters: edit({ prompt: '={{ $json.instruction }}', imageUrls: '={{ $json.link }}' }),
			items: [{ json: { instruction: 'make it night', link: url } }],
		});
		assert.equal(run.error, undefined);
		assert.equal(server.requests[0].fields.prompt, 'make it night');
		assert.equal(server.requests[0].files.length, 1);
	});

	test('a URL that fails is named (without its query string) before any edit request', async () => {
		const good = cdn.host(png(), 'png', 'image/png');
		const run = await runEdit(server, {
			parameters: edit({ imageUrls: '={{ $json.link }}' }),
			items: [{ json: { link: good } }, { json: { link: `${cdn.baseUrl}/files/gone.png?token=secret-token` } }],
		});
		assert.match(run.error?.message ?? '', new RegExp(`Could not download the image from ${cdn.baseUrl}/files/gone.png \\(HTTP 404\\)`));
		assert.doesNotMatch(JSON.stringify(run.error), /secret-token/);
		assert.equal(server.requests.length, 0, 'no edit was paid for: item 1 failed its check first');
	});

	test('with Continue On Fail a failing URL is an error item and the others are edited', async () => {
		const good = cdn.host(png(), 'png', 'image/png');
		const run = await runEdit(server, {
			parameters: edit({ imageUrls: '={{ $json.link }}' }),
			items: [{ json: { link: `${cdn.baseUrl}/files/gone.png?sig=1` } }, { json: { link: good } }],
			continueOnFail: true,
		});
		assert.equal(run.items.length, 2);
		assert.match(String(run.items[0].json.error), /gone\.png \(HTTP 404\)/);
		assert.equal(run.items[1].binary?.data.mimeType, 'image/png');
		assert.equal(server.requests.length, 1);
	});

	test('a URL that is no image, or a mask URL of another size, is caught before any edit request', async () => {
		const page = cdn.host(Buffer.from('<html>not found</html>'), 'html', 'text/html');
		const notImage = await runEdit(server, { parameters: edit({ imageUrls: page }), items: noInput });
		assert.match(notImage.error?.message ?? '', /is not a PNG, JPEG or WebP image/);

		const image = cdn.host(png(64, 64), 'png', 'image/png');
		const mask = cdn.host(png(32, 32, [0, 0, 0, 0]), 'png', 'image/png');
		const wrongMask = await runEdit(server, { parameters: edit({ imageUrls: image, options: { maskUrl: mask } }), items: noInput });
		assert.match(wrongMask.error?.message ?? '', /The mask is 32x32 but the image is 64x64/);
		assert.equal(server.requests.length, 0);
	});

	test('several URLs on a model that takes one are refused before downloading', async () => {
		const run = await runEdit(server, { parameters: edit({ imageUrls: 'https://a.example/1.png, https://a.example/2.png' }), items: noInput });
		assert.match(run.error?.message ?? '', /gpt-image-2 takes one image, but 2 URLs are listed/);
		assert.equal(cdn.fileRequests + server.requests.length, 0);
	});
});
