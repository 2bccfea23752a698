import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { clip, extractApiMessage, redact } from '../nodes/shared/http/error-messages';
import { backoffDelayMs, parseRetryAfterMs } from '../nodes/shared/http/retry-policy';

// Small units of the transport; the engine tests prove them end to end.
describe('retry policy', () => {
	test('Retry-After in seconds, as an HTTP date, long, or unreadable', () => {
		const now = Date.parse('2026-11-25T10:00:00Z');
		assert.equal(parseRetryAfterMs('2', now), 2000);
		assert.equal(parseRetryAfterMs(['1.5'], now), 1500);
		assert.equal(parseRetryAfterMs('Wed, 25 Nov 2026 10:00:03 GMT', now), 3000);
		assert.equal(parseRetryAfterMs('Wed, 25 Nov 2026 09:00:00 GMT', now), 0);
		assert.equal(parseRetryAfterMs('86400', now), 86_400_000);
		assert.equal(parseRetryAfterMs('soon', now), undefined);
		assert.equal(parseRetryAfterMs(undefined, now), undefined);
	});

	test('backoff doubles from 1 s with jitter and stays under 30 s', () => {
		assert.equal(backoffDelayMs(0, () => 0), 500);
		assert.equal(backoffDelayMs(0, () => 0.999), 1000);
		assert.equal(backoffDelayMs(3, () => 0), 4000);
		assert.ok(backoffDelayMs(20, () => 0.999) <= 30_000);
	});
});

describe('error messages', () => {
	test('redacts the key and any bearer token', () => {
		assert.equal(redact('key sk-123456 and Bearer abc.def', 'sk-123456'), 'key *** and Bearer ***');
	});

	test('reads an HTML gateway page by its title', () => {
		assert.equal(
			extractApiMessage('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'),
			'502 Bad Gateway',
		);
	});

	test('never throws on odd bodies', () => {
		for (const body of [null, undefined, 42, [], {}, { error: null }, { error: [] }, { detail: {} }, '']) {
			assert.doesNotThrow(() => extractApiMessage(body));
		}
		assert.equal(clip('x'.repeat(400)).length, 300);
	});
});
