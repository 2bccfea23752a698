/**
 * The TikHub-compatible server in its own process, so the benchmark's memory figures are the
 * node's alone. Arguments: the latency in ms, and optionally a file that every image request is
 * answered with, as base64 (a large `b64_json` answer), after a small first one (the warm-up). Prints its base URL and key as one JSON
 * line, then serves until killed.
 */
import { readFileSync } from 'node:fs';

import { encodePng, startTikHubServer } from '../harness/server';

void (async () => {
	const server = await startTikHubServer({ keepRequests: false });
	server.latencyMs = Number(process.argv[2] ?? 0);
	const answerFile = process.argv[3];
	if (answerFile) {
		const answer = (bytes: Buffer) => ({ kind: 'status' as const, status: 200, body: { created: 1764057600, data: [{ b64_json: bytes.toString('base64') }] } });
		// Queued as answers (a 200 "fault"): a small one for the warm-up, then the file for every request.
		const large = answer(readFileSync(answerFile));
		server.fail(answer(encodePng(64, 64, [0, 0, 255, 255])), ...Array.from({ length: 100 }, () => large));
	}
	console.log(JSON.stringify({ baseUrl: server.baseUrl, apiKey: server.apiKey }));
	process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
})();
