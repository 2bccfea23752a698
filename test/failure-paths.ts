import assert from 'node:assert/strict';
import { test } from '@jest/globals';

import type { NodeRun, NodeRunResult } from '../harness/workflows';
import type { TikHubServer } from '../harness/server';
import { expectNoSecret } from './secrets';

/** Runs the node under test with its Options and run settings (items, credentials, …). */
export type RunWith = (options: Record<string, unknown>, extra?: Partial<NodeRun>) => Promise<NodeRunResult>;

/**
 * The failure paths every node that calls TikHub once per request shares: 429 then success,
 * a wrong key (401, not retried, the key nowhere), and 5xx on every try.
 */
export function commonFailureTests(server: () => TikHubServer, run: RunWith): void {
	test('429 then success', async () => {
		server().fail({ kind: 'status', status: 429, headers: { 'retry-after': '0' } });
		const result = await run({});
		expectNoSecret(server(), result);
		assert.equal(result.error, undefined, result.error?.message);
		assert.equal(server().requests.length, 2);
		assert.ok(result.items.length > 0 && result.items.every((item) => item.json.error === undefined));
	});

	test('401 with a wrong key: an error without the key anywhere, not retried', async () => {
		const wrongKey = 'sk-wrong-key-that-must-not-leak-0123';
		const result = await run({}, { credentials: { apiKey: wrongKey, baseUrl: server().baseUrl } });
		expectNoSecret(server(), result, wrongKey);
		assert.equal(result.error?.httpCode, '401');
		assert.equal(server().requests.length, 1);
	});

	test('5xx on every try ends in a TikHub error after Max Retries + 1 tries', async () => {
		server().fail({ kind: 'status', status: 503 }, { kind: 'html', status: 502 });
		const result = await run({ maxRetries: 1 });
		expectNoSecret(server(), result);
		assert.match(result.error?.message ?? '', /502/);
		assert.equal(server().requests.length, 2);
	});
}
