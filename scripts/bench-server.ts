/**
 * The TikHub-compatible server in its own process, so the benchmark's memory figures are the
 * node's alone. Prints its base URL and key as one JSON line, then serves until killed.
 */
import { startTikHubServer } from '../harness/server';

void (async () => {
	const server = await startTikHubServer();
	server.latencyMs = Number(process.argv[2] ?? 0);
	console.log(JSON.stringify({ baseUrl: server.baseUrl, apiKey: server.apiKey }));
	process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
})();
