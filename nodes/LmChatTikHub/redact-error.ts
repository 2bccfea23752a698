import { isRecord, redact } from '../shared/http/error-messages';

/**
 * Masks the key in an error of a model call before n8n wraps it (the SDK calls this first on
 * every failed attempt): a gateway may echo a wrong key in its 401 ("Incorrect API key
 * provided: <key>"), and n8n would show that text as the AI Agent's error and in the model
 * node's run. Changes the error in place: its message, stack and every string inside it (the
 * API's error body), a few levels deep.
 */
export function redactErrorInPlace(error: unknown, secrets: readonly string[], depth = 0, seen = new Set<unknown>()): void {
	if (!isRecord(error) || depth > 4 || seen.has(error)) return;
	seen.add(error);
	const target = error as Record<string, unknown>;
	for (const key of new Set([...Object.keys(target), 'message', 'stack'])) {
		let value: unknown;
		try {
			value = target[key];
		} catch {
			// A getter that throws holds nothing to mask.
			continue;
		}
		if (typeof value === 'string') {
			const safe = redact(value, secrets);
			if (safe !== value) {
				try {
					target[key] = safe;
				} catch {
					// A read-only property: nothing the error shows can be changed there.
				}
			}
		} else if (Array.isArray(value)) {
			value.forEach((entry, index) => {
				if (typeof entry === 'string') value[index] = redact(entry, secrets);
				else redactErrorInPlace(entry, secrets, depth + 1, seen);
			});
		} else if (isRecord(value)) {
			redactErrorInPlace(value, secrets, depth + 1, seen);
		}
	}
}
