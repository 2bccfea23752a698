import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import type { FixtureItem } from '../harness/engine/stand-in-nodes';
import { imageItem } from '../harness/fixtures';
import { runEdit } from '../harness/workflows';
import { expectNoSecret } from './secrets';
import type { TikHubServer } from '../harness/server';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

/** Five items: #1 has no image (caught locally), #3 asks for a size TikHub rejects (400). */
const batch: FixtureItem[] = [
	imageItem(undefined, { size: '1024x1024' }),
	{ json: { size: '1024x1024' } },
	imageItem(undefined, { size: '1024x1024' }),
	imageItem(undefined, { size: '9999x9999' }),
	imageItem(undefined, { size: '1024x1024' }),
];
const parameters = { model: 'gpt-image-2', prompt: 'x', options: { size: '={{ $json.size }}' } };

describe('nothing is lost', () => {
	for (const concurrency of [1, 4]) {
		test(`with Continue On Fail, 5 items where 2 fail give 5 items in order (concurrency ${concurrency})`, async () => {
			const run = await runEdit(server, {
				parameters: { ...parameters, options: { ...parameters.options, concurrency } },
				items: batch,
				continueOnFail: true,
			});
			expectNoSecret(server, run);
			assert.equal(run.error, undefined);
			assert.deepEqual(
				run.items.map((item) => item.pairedItem),
				[0, 1, 2, 3, 4].map((item) => ({ item })),
			);
			assert.deepEqual(
				run.items.map((item) => (item.json.error ? 'error' : item.binary?.data.mimeType)),
				['image/png', 'error', 'image/png', 'error', 'image/png'],
			);
			assert.match(String(run.items[1].json.error), /Item 1 has no binary field "data"/);
			assert.match(String(run.items[3].json.error), /TikHub error 400: .*size/);
			assert.equal(run.items[3].json.httpCode, '400');
			assert.equal(server.requests.length, 4, 'the item without an image sent nothing');
		});
	}

	test('without Continue On Fail, a local failure stops the node before any item is sent', async () => {
		const run = await runEdit(server, {
			parameters: { ...parameters, options: { ...parameters.options, concurrency: 1 } },
			items: batch,
		});
		expectNoSecret(server, run);
		assert.match(run.error?.message ?? '', /Item 1 has no binary field "data"/);
		assert.equal((run.error as { context?: { itemIndex?: number } }).context?.itemIndex, 1);
		assert.equal(run.items.length, 0);
		assert.equal(server.requests.length, 0, 'every item is checked before the first paid request');
	});
});
