import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { sleepUnlessAborted } from '../shared/http/backoff-gate';
import { isDeadlineError, retryAfterOf } from '../shared/http/call-errors';
import { redactKey } from '../shared/http/credentials';
import { clip } from '../shared/http/error-messages';
import { RETRYABLE_STATUSES } from '../shared/http/retry-policy';
import { settle } from '../shared/items/settle';
import type { Waiting } from './fields';
import { OddAnswerError, type TaskState } from './providers/types';

/**
 * Waiting for a task inside the node: check its status right away, then every Poll Interval,
 * until it ends, Max Wait passes, or the execution is cancelled. Each check goes through the
 * shared transport (its retries, Retry-After and the run's back-off gate) with Max Wait as its
 * hard deadline. A check that fails for a passing reason (rate limit, 5xx, network, an odd
 * answer that holds no task) is skipped, not fatal: the task keeps running (and is billed) at
 * TikHub, so the next check may well succeed. A Retry-After pushes the next check out.
 */

/** A status check is not started with less time than this left before Max Wait. */
const MIN_CHECK_MS = 200;

export interface WaitFor {
	/** "Seedance", "Kling": for messages. */
	label: string;
	/** The task as created. */
	task: TaskState;
	/** One status check; nothing it sends may run past `deadline` (a Date.now() time). */
	check(deadline: number): Promise<TaskState>;
	waiting: Waiting;
	/** What an error item carries so a flow can fetch the task later (taskId, provider). */
	itemJson: IDataObject;
	/** Told of every task state a check returned, so a later failure can name the last status. */
	onTask?(task: TaskState): void;
}

export async function waitForTask(ctx: IExecuteFunctions, itemIndex: number, wait: WaitFor): Promise<TaskState> {
	const signal = ctx.getExecutionCancelSignal?.();
	const deadline = Date.now() + wait.waiting.maxWaitMs;
	let task = wait.task;
	let lastFailure: Error | undefined;
	let lastOdd: OddAnswerError | undefined;
	for (;;) {
		if (signal?.aborted) throw cancelled(ctx, itemIndex, wait, task);
		let pauseMs = wait.waiting.pollIntervalMs;
		const checked = await settle(async () => sameTask(await wait.check(deadline), task.taskId, wait.label));
		if ('value' in checked) {
			task = checked.value;
			wait.onTask?.(task);
			lastFailure = undefined;
		} else {
			if (signal?.aborted) throw cancelled(ctx, itemIndex, wait, task);
			if (!isPassing(checked.error)) throw checked.error;
			// A check cut short by Max Wait itself says nothing new: the failure before it is kept.
			if (!isDeadlineError(checked.error)) lastFailure = checked.error;
			if (checked.error instanceof OddAnswerError) lastOdd = checked.error;
			// The server asked for a pause: the next check waits it out rather than polling through it.
			pauseMs = Math.max(pauseMs, retryAfterOf(checked.error) ?? 0);
			const said = await redactKey(ctx, itemIndex, checked.error.message);
			ctx.logger.warn(`Status check of ${wait.label} task ${task.taskId} failed, trying again later: ${clip(said, 200)}`, { itemIndex });
		}
		if (task.phase !== 'pending') return task;
		const left = deadline - Date.now();
		if (left <= 0) throw await tooLong(ctx, itemIndex, wait, task, lastFailure, lastOdd);
		await sleepUnlessAborted(Math.min(pauseMs, left), signal);
		// No check starts at Max Wait or too close to it to be answered within it.
		if (deadline - Date.now() < MIN_CHECK_MS && !signal?.aborted) throw await tooLong(ctx, itemIndex, wait, task, lastFailure, lastOdd);
	}
}

/** A status answer about another task than the one polled is no answer about this one. */
function sameTask(task: TaskState, taskId: string, label: string): TaskState {
	if (task.taskId === taskId) return task;
	throw new OddAnswerError(`${label} answered about task ${clip(task.taskId, 80)} when asked about task ${taskId}`);
}

export { settle };

/**
 * A failure the next check may not meet: rate limit, server error, network, an unreadable
 * answer, or an answer that holds no task (OddAnswerError).
 */
function isPassing(error: unknown): error is Error {
	if (error instanceof OddAnswerError) return true;
	if (!(error instanceof NodeApiError)) return false;
	const status = Number(error.httpCode);
	return !error.httpCode || RETRYABLE_STATUSES.has(status);
}

function laterHint(task: TaskState): string {
	return `The task keeps running at TikHub (and is billed either way). Fetch it later with Operation "Get Task" and Task ID ${task.taskId}.`;
}

function cancelled(ctx: IExecuteFunctions, itemIndex: number, wait: WaitFor, task: TaskState): NodeOperationError {
	const error = new NodeOperationError(
		ctx.getNode(),
		`The execution was cancelled while waiting for ${wait.label} task ${task.taskId}`,
		{ itemIndex, description: laterHint(task) },
	);
	error.context.itemJson = { ...wait.itemJson, status: task.status };
	return error;
}

async function tooLong(
	ctx: IExecuteFunctions,
	itemIndex: number,
	wait: WaitFor,
	task: TaskState,
	lastFailure?: Error,
	lastOdd?: OddAnswerError,
): Promise<NodeOperationError> {
	const waited = duration(wait.waiting.maxWaitMs);
	const failure = lastFailure ? ` The last status check failed: ${lastFailure.message}` : '';
	const odd =
		lastOdd && lastOdd !== lastFailure
			? ` An earlier status answer was skipped: ${lastOdd.message}${lastOdd.answer ? ` (${lastOdd.answer})` : ''}`
			: lastOdd?.answer
				? ` (the answer: ${lastOdd.answer})`
				: '';
	const error = new NodeOperationError(
		ctx.getNode(),
		`${wait.label} task ${task.taskId} did not finish within ${waited} (status: ${task.status})`,
		{
			itemIndex,
			description: await redactKey(ctx, itemIndex, `${laterHint(task)} Or raise "Max Wait (Seconds)" under Options.${failure}${odd}`),
		},
	);
	error.context.itemJson = { ...wait.itemJson, status: task.status };
	return error;
}

/** 900000 -> "15 min", 90000 -> "1 min 30 s", 500 -> "0.5 s". */
export function duration(ms: number): string {
	if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
	const minutes = Math.floor(ms / 60_000);
	const rest = Math.round((ms % 60_000) / 1000);
	const hours = Math.floor(minutes / 60);
	const head = hours ? `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}` : `${minutes} min`;
	return rest ? `${head} ${rest} s` : head;
}
