import { sleep } from 'n8n-workflow';

/**
 * A pause shared by every item of one execution. When TikHub answers 429 to one item,
 * all items wait out the same Retry-After before their next request, so a rate limit
 * does not turn into a storm of retries from the items still in flight.
 */
export class BackoffGate {
	private resumeAt = 0;

	/** Holds every request until `ms` from now (never shortens a longer pause). */
	pauseFor(ms: number): void {
		this.resumeAt = Math.max(this.resumeAt, Date.now() + ms);
	}

	/**
	 * Resolves once no pause is in force; returns early when the execution is cancelled, or at
	 * `until` (a Date.now() time, e.g. a video's Max Wait) when the pause lasts longer.
	 */
	async wait(signal?: AbortSignal, until = Infinity): Promise<void> {
		let remaining = Math.min(this.resumeAt, until) - Date.now();
		while (remaining > 0 && !signal?.aborted) {
			await sleepUnlessAborted(remaining, signal);
			remaining = Math.min(this.resumeAt, until) - Date.now();
		}
	}
}

/** n8n-workflow's `sleep`, cut short when the execution is cancelled. */
export async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return await sleep(ms);
	if (signal.aborted) return;
	let onAbort = () => {};
	const aborted = new Promise<void>((resolve) => {
		onAbort = resolve;
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		// n8n-workflow 2.x clears its timer (and rejects) when the signal aborts; 1.x ignores the
		// signal, and the race ends the wait instead.
		await Promise.race([sleep(ms, signal).catch(() => {}), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
