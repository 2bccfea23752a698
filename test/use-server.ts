import { afterAll, beforeAll, beforeEach } from '@jest/globals';

import { startTikHubServer, type TikHubServer } from '../harness/server/index';

/**
 * Starts a TikHub-compatible server for the test file, resets it before each test and closes
 * it after the last: `let server: TikHubServer; useServer((s) => (server = s));`
 */
export function useServer(started: (server: TikHubServer) => void, options: { apiKey?: string } = {}): void {
	let server: TikHubServer;
	beforeAll(async () => {
		server = await startTikHubServer(options);
		started(server);
	});
	beforeEach(() => server.reset());
	afterAll(async () => await server.close());
}
