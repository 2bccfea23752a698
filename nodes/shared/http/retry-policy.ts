/**
 * When to retry a TikHub call and how long to wait first. Pure functions: no I/O, easy to test.
 */

/** Statuses worth another try: rate limits and server or gateway failures. 4xx other than 429 never are. */
export const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Network failures worth another try (axios / Node error codes). */
export const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	// The connection broke while the answer was coming in (axios: "stream has been aborted").
	// The request reached TikHub, like a reset before the first byte may have: retried alike.
	'ERR_BAD_RESPONSE',
	'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * Network failures that prove the request never reached the server (no connection was made),
 * so even a call that creates something billed can be sent again safely.
 */
export const UNSENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

const BASE_DELAY_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/**
 * A server may ask for a long pause; the node waits at most this long. A longer Retry-After
 * fails the item at once, saying when to try again, rather than waiting and failing anyway.
 */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Exponential backoff with jitter for the given retry (0 = first retry):
 * 1 s, 2 s, 4 s … capped at 30 s, each scaled by a random factor in [0.5, 1).
 */
export function backoffDelayMs(retry: number, random: () => number = Math.random): number {
	const ceiling = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** retry);
	return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Reads a `Retry-After` header: delta seconds ("2", "1.5") or an HTTP date.
 * Returns milliseconds (0 for a date in the past), or undefined when absent or unreadable.
 */
export function parseRetryAfterMs(value: unknown, now: number = Date.now()): number | undefined {
	const header = Array.isArray(value) ? value[0] : value;
	if (typeof header !== 'string' && typeof header !== 'number') return undefined;
	const text = String(header).trim();
	if (text === '') return undefined;

	let ms: number;
	if (/^\d+(\.\d+)?$/.test(text)) {
		ms = Number(text) * 1000;
	} else {
		const date = Date.parse(text);
		if (Number.isNaN(date)) return undefined;
		ms = date - now;
	}
	return Math.max(0, Math.round(ms));
}

/** The wait before retry number `retry`: the server's Retry-After when given, else backoff. */
export function retryDelayMs(retry: number, retryAfterMs?: number): number {
	return retryAfterMs ?? backoffDelayMs(retry);
}
