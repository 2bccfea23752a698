// The requests sent to the main's production webhook, all at once: request n posts a PNG of
// its own size as the body and asks for an output size of its own, so every execution's
// input and output can be told apart and checked byte for byte and pixel for pixel.
import { encodePng } from '../../test/server';
import type { ImageSize } from '../../test/server/images';

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
