import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { readBinary } from '../harness/engine';
import { imageItem, png } from '../harness/fixtures';
import { runEdit } from '../harness/workflows';
import { detectFormat, type TikHubServer } from '../harness/server';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));
/** Another origin, standing in for a CDN or storage bucket that hosts result images. */
let cdn: TikHubServer;
useServer((started) => (cdn = started), { apiKey: 'cdn-key' });

/** Puts a WebP on the CDN and returns its URL. */
async function fileOnCdn(): Promise<string> {
	const form = new FormData();
	form.append('prompt', 'x');
	form.append('model', 'gpt-image-2');
	form.append('response_format', 'url');
	form.append('output_format', 'webp');
	form.append('image', new Blob([png()], { type: 'image/png' }), 'p.png');
	const response = await fetch(`${cdn.baseUrl}/v1/images/edits`, {
		method: 'POST',
		headers: { authorization: 'Bearer cdn-key' },
		body: form,
	});
	const body = (await response.json()) as { data: Array<{ url: string }> };
	return body.data[0].url;
}

describe('url results', () => {
	test('a URL on TikHub\'s own host is downloaded with the credential', async () => {
		await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x', options: { responseFormat: 'url' } },
			items: [imageItem()],
		});
		assert.deepEqual(server.fileAuthorizations, [`Bearer ${server.apiKey}`]);
	});

	test('a URL on another host is downloaded without the API key', async () => {
		const url = await fileOnCdn();
		server.fail({ kind: 'status', status: 200, body: { created: 1, data: [{ url, revised_prompt: 'x' }] } });
		const { items, error } = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x', options: { responseFormat: 'url' } },
			items: [imageItem()],
		});
		assert.equal(error, undefined);
		assert.deepEqual(cdn.fileAuthorizations, [undefined]);
		const binary = items[0].binary!.data;
		assert.equal(binary.mimeType, 'image/webp', 'typed by its bytes');
		assert.equal(detectFormat(await readBinary(binary)), 'webp');
	});

	test('a redirect from TikHub\'s host to another host does not carry the key along', async () => {
		const url = `${server.baseUrl}/redirect?to=${encodeURIComponent(await fileOnCdn())}`;
		server.fail({ kind: 'status', status: 200, body: { created: 1, data: [{ url }] } });
		const { items, error } = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x', options: { responseFormat: 'url' } },
			items: [imageItem()],
		});
		assert.equal(error, undefined);
		assert.deepEqual(cdn.fileAuthorizations, [undefined]);
		assert.equal(items[0].binary?.data.mimeType, 'image/webp');
	});

	test('a URL that has expired (404) fails with a download error, not an API error', async () => {
		server.fail({ kind: 'status', status: 200, body: { created: 1, data: [{ url: `${cdn.baseUrl}/files/gone.png` }] } });
		const { error } = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x', options: { responseFormat: 'url' } },
			items: [imageItem()],
		});
		assert.match(error?.message ?? '', /Could not download image 0 from the URL TikHub returned \(HTTP 404\)/);
		assert.match(error?.description ?? '', /Base64/);
	});

	test('a URL that does not answer with an image fails clearly', async () => {
		server.fail({
			kind: 'status',
			status: 200,
			body: { created: 1, data: [{ url: `${server.baseUrl}/v1/models` }] },
		});
		const { error } = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x', options: { responseFormat: 'url' } },
			items: [imageItem()],
		});
		assert.match(error?.message ?? '', /Result 0 from TikHub is not an image/);
	});
});
