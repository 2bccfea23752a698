import assert from 'node:assert/strict';

import { logLines } from '../harness/engine';
import type { runEdit } from '../harness/workflows';
import type { TikHubServer } from '../harness/server';

/**
 * Fails when an API key shows up in what a run left behind: the execution's error (message,
 * description, context), every output item, and every line the node logged.
 */
export function expectNoSecret(
	server: TikHubServer,
	run: Awaited<ReturnType<typeof runEdit>>,
	...otherKeys: string[]
): void {
	const error = run.error
		? JSON.stringify({ ...run.error, message: run.error.message, stack: run.error.stack })
		: '';
	const everything = [error, JSON.stringify(run.items), JSON.stringify(run.result.run.data), ...logLines].join('\n');
	for (const key of [server.apiKey, ...otherKeys]) {
		assert.ok(!everything.includes(key), `the key ${key} leaked into an error, output or log line`);
	}
}
