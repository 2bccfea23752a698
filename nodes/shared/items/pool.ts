/**
 * Runs `task(0) … task(count - 1)` with at most `limit` holding a slot at once, in index order,
 * and returns every outcome in index order. A task holds its slot until it ends or calls
 * `release()` (e.g. once its paid request is answered, while it stores the results): the next
 * task then starts at once, with at most `maxRunning` (default `limit`) tasks unfinished.
 * With `stopOnFailure`, no new task starts after one fails; the ones already running finish,
 * and tasks never started are reported as `skipped`. `shouldStop` (e.g. the execution was
 * cancelled) also stops new tasks from starting.
 */
export type Outcome<T> =
	| { status: 'fulfilled'; value: T }
	| { status: 'rejected'; reason: unknown }
	| { status: 'skipped' };

export interface PoolOptions {
	stopOnFailure?: boolean;
	shouldStop?: () => boolean;
	/** Tasks unfinished at once, released or not (at least `limit`). */
	maxRunning?: number;
}

/** Gives up a task's slot; returns the indexes of the tasks that started in its place. */
export type Release = () => number[];

export async function runPool<T>(
	count: number,
	limit: number,
	task: (index: number, release: Release) => Promise<T>,
	options: PoolOptions = {},
): Promise<Array<Outcome<T>>> {
	const outcomes: Array<Outcome<T>> = Array.from({ length: count }, () => ({ status: 'skipped' }));
	const slots = Math.max(1, Math.floor(limit) || 1);
	const maxRunning = Math.max(slots, Math.floor(options.maxRunning ?? slots));
	let next = 0;
	let held = 0;
	let running = 0;
	let failed = false;

	return await new Promise((resolve) => {
		const startMore = (): number[] => {
			const started: number[] = [];
			while (
				next < count &&
				held < slots &&
				running < maxRunning &&
				!(failed && options.stopOnFailure) &&
				!options.shouldStop?.()
			) {
				started.push(next);
				start(next++);
			}
			if (running === 0) resolve(outcomes);
			return started;
		};
		const start = (index: number) => {
			held++;
			running++;
			let holding = true;
			const release = (): number[] => {
				if (!holding) return [];
				holding = false;
				held--;
				return startMore();
			};
			void Promise.resolve()
				.then(async () => await task(index, release))
				.then(
					(value) => {
						outcomes[index] = { status: 'fulfilled', value };
					},
					(reason: unknown) => {
						outcomes[index] = { status: 'rejected', reason };
						failed = true;
					},
				)
				.finally(() => {
					running--;
					if (holding) release();
					else startMore();
				});
		};
		startMore();
	});
}
