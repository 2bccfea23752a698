// A case that n8n runs as a published workflow behind its production webhook, as a chat or a
// web page calls it (e.g. an AI Agent streaming its answer): `n8n publish:workflow`, `n8n
// start`, one request to the webhook, the whole answer read, n8n stopped again.
import { waitForWebhook } from '../queue/traffic';
import { n8nCommandOk, startN8n, type N8nApp } from './n8n';
import { log, stop } from './proc';

export interface ServedRequest {
	/** The webhook's path (the Webhook node's `path`). */
	path: string;
	/** Sent as JSON with POST. */
	body: unknown;
}

export interface ServedAnswer {
	status: number;
	contentType: string;
	body: string;
	/** What n8n printed while it ran. */
	log: string;
}

export async function runServed(app: N8nApp, env: NodeJS.ProcessEnv, workflowId: string, request: ServedRequest): Promise<ServedAnswer> {
	await n8nCommandOk(app, ['publish:workflow', `--id=${workflowId}`], env);
	const running = await startN8n(app, env);
	try {
		const url = `http://127.0.0.1:${env.N8N_PORT}/webhook/${request.path}`;
		await waitForWebhook(url, 'POST');
		log(`POST ${url}`);
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(request.body),
			signal: AbortSignal.timeout(3 * 60_000),
		});
		const body = await response.text();
		return { status: response.status, contentType: response.headers.get('content-type') ?? '', body, log: running.output() };
	} finally {
		await stop(running.child, 20_000);
	}
}
