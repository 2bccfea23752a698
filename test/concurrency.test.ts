import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { imageItem } from '../harness/fixtures';
import { runEdit } from '../harness/workflows';
import type { TikHubServer } from '../harness/server';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

const items = (count: number) =>
	Array.from({ length: count }, (_, index) => imageItem(undefined, { prompt: `item ${index}` }));

describe('concurrency', () => {
	test('with concurrency 4 the server sees 4 requests at once, never more; outputs stay in input order', async () => {
		server.latencyMs = 300;
		const run = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: '={{ $json.prompt }}', options: { concurrency: 4 } },
			items: items(10),
		});
		assert.equal(run.error, undefined);
		assert.equal(server.maxInFlight, 4);
		assert.deepEqual(
			run.items.map((item) => [item.pairedItem, item.json.revisedPrompt]),
			Array.from({ length: 10 }, (_, index) => [{ item: index }, `Edited: item ${index}`]),
		);
	});

	test('concurrency 1 edits one item after another', async () => {
		server.latencyMs = 50;
		await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: 'x', options: { concurrency: 1 } },
			items: items(3),
		});
		assert.equal(server.maxInFlight, 1);
	});

	test('a 429 storm with concurrency on still ends with every item done or reported', async () => {
		server.latencyMs = 100;
		const limited = { kind: 'status', status: 429, headers: { 'retry-after': '1' } } as const;
		server.fail(limited, limited, limited, limited, limited, limited);
		const started = Date.now();
		const run = await runEdit(server, {
			parameters: { model: 'gpt-image-2', prompt: '={{ $json.prompt }}', options: { concurrency: 4, maxRetries: 3 } },
			items: items(8),
			continueOnFail: true,
		});
		assert.equal(run.items.length, 8);
		assert.deepEqual(
			run.items.map((item) => item.pairedItem),
			Array.from({ length: 8 }, (_, item) => ({ item })),
		);
		const done = run.items.filter((item) => item.binary?.data).length;
		const reported = run.items.filter((item) => item.json.error).length;
		assert.equal(done + reported, 8);
		assert.equal(done, 8, 'three retries are enough to get past six 429s');
		// The whole batch waited out the Retry-After instead of each item hammering the server.
		assert.ok(Date.now() - started >= 1000);
		assert.ok(server.requests.length <= 8 + 6, `${server.requests.length} requests for 8 items and 6 rate limits`);
	});
});
