/**
 * Runs `task(0) … task(count - 1)` with at most `limit` running at once and returns every
 * outcome in index order. With `stopOnFailure`, no new task starts after one fails; the ones
 * already running finish, and tasks never started are reported as `skipped`. `shouldStop`
 * (e.g. the execution was cancelled) also stops new tasks from starting.
 */
export type Outcome<T> =
	| { status: 'fulfilled'; value: T }
	| { status: 'rejected'; reason: unknown }
	| { status: 'skipped' };

export async function runPool<T>(
	count: number,
	limit: number,
	task: (index: number) => Promise<T>,
	options: { stopOnFailure?: boolean; shouldStop?: () => boolean } = {},
): Promise<Array<Outcome<T>>> {
	const outcomes: Array<Outcome<T>> = Array.from({ length: count }, () => ({ status: 'skipped' }));
	let next = 0;
	let failed = false;

	const worker = async () => {
		while (next < count && !(failed && options.stopOnFailure) && !options.shouldStop?.()) {
			const index = next++;
			try {
				outcomes[index] = { status: 'fulfilled', value: await task(index) };
			} catch (reason) {
				outcomes[index] = { status: 'rejected', reason };
				failed = true;
			}
		}
	};

	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	await Promise.all(Array.from({ length: workers }, worker));
	return outcomes;
}
