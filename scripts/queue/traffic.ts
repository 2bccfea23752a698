// The requests sent to the main's production webhook, all at once: request n posts a PNG of
// its own size as the body and asks for an output size of its own, so every execution's
// input and output can be told apart and checked byte for byte and pixel for pixel.
import { encodePng } from '../../harness/server';
import type { ImageSize } from '../../harness/server/images';

export interface WebhookRequest {
	n: number;
	input: Buffer;
	inputSize: ImageSize;
	/** The output size asked for (query size=WIDTHxHEIGHT). */
	size: ImageSize;
	/** Filled in once sent. */
	status?: number;
	answer?: string;
}

export const sizeText = (size: ImageSize) => `${size.width}x${size.height}`;

export function planRequests(count: number): WebhookRequest[] {
	return Array.from({ length: count }, (_, i) => {
		const n = i + 1;
		const inputSize = { width: 40 + n, height: 30 + n };
		return {
			n,
			input: encodePng(inputSize.width, inputSize.height, [200, (20 * n) % 256, 40, 255]),
			inputSize,
			size: { width: 256 + 32 * n, height: 192 + 16 * n },
		};
	});
}

/** POSTs every request at the same moment; returns them with the webhook's answers. */
export async function sendAll(webhookUrl: string, requests: WebhookRequest[]): Promise<WebhookRequest[]> {
	return await Promise.all(
		requests.map(async (request) => {
			const url = `${webhookUrl}?size=${sizeText(request.size)}&n=${request.n}`;
			try {
				const response = await fetch(url, {
					method: 'POST',
					headers: {
						'content-type': 'image/png',
						'content-disposition': `attachment; filename="input-${request.n}.png"`,
					},
					body: request.input,
					signal: AbortSignal.timeout(60_000),
				});
				return { ...request, status: response.status, answer: await response.text() };
			} catch (error) {
				return { ...request, status: 0, answer: (error as Error).message };
			}
		}),
	);
}

/**
 * Waits until the main serves the webhook. n8n 2.41.1 activates published workflows after it
 * answers its readiness check, through its publication outbox (polled every 15 s), and a webhook
 * called before that answers 404. A CORS preflight asks without starting an execution: the
 * main lists the path's registered methods in Access-Control-Allow-Methods.
 */
export async function waitForWebhook(webhookUrl: string, method: string, timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let allowed = '';
	while (Date.now() < deadline) {
		// No Access-Control-Request-Method: n8n would then look the webhook up, and log each miss as an error.
		const response = await fetch(webhookUrl, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1' } }).catch(() => undefined);
		allowed = response?.headers.get('access-control-allow-methods') ?? '';
		if (allowed.split(/,\s*/).includes(method)) return;
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`${webhookUrl} was not registered for ${method} within ${timeoutMs / 1000} s (allowed: "${allowed}")`);
}
