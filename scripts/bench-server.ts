/**
 * The TikHub-compatible server in its own process, so the benchmark's memory figures are the
 * node's alone. Arguments: the latency in ms, and optionally a file that every image request is
 * answered with, as base64 (a large `b64_json` answer). Prints its base URL and key as one JSON
 * line, then serves until killed.
 */
import { readFileSync } from 'node:fs';

import { startTikHubServer } from '../harness/server';

void (async () => {
	const server = await startTikHubServer();
	server.latencyMs = Number(process.argv[2] ?? 0);
	const answerFile = process.argv[3];
	if (answerFile) {
		const body = { created: 1764057600, data: [{ b64_json: readFileSync(answerFile).toString('base64') }] };
		// Queued as answers (a 200 "fault"), enough for every request of a benchmark run.
		server.fail(...Array.from({ length: 100 }, () => ({ kind: 'status' as const, status: 200, body })));
	}
	console.log(JSON.stringify({ baseUrl: server.baseUrl, apiKey: server.apiKey }));
	process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
})();
