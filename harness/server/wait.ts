import { setTimeout as sleep } from 'node:timers/promises';

/** Waits ms; resolves false instead when the signal aborts (client gone or server closing). */
export async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
	if (signal.aborted) return false;
	if (ms <= 0) return true;
	try {
		await sleep(ms, undefined, { signal });
		return true;
	} catch {
		return false;
	}
}
