import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { sleepUnlessAborted } from '../shared/http/backoff-gate';
import { RETRYABLE_STATUSES } from '../shared/http/retry-policy';
import type { Waiting } from './fields';
import type { TaskState } from './providers/types';

/**
 * Waiting for a task inside the node: check its status right away, then every Poll Interval,
 * until it ends, Max Wait passes, or the execution is cancelled. Each check goes through the
 * shared transport (its retries, Retry-After and the run's back-off gate); a check that still
 * fails for a passing reason (rate limit, 5xx, network) is skipped, not fatal: the task keeps
 * running at TikHub, so the next check may well succeed.
 */

export interface WaitFor {
	/** "Seedance", "Kling": for messages. */
	label: string;
	/** The task as created. */
	task: TaskState;
	/** One status check. */
	check(): Promise<TaskState>;
	waiting: Waiting;
	/** What an error item carries so a flow can fetch the task later (taskId, provider). */
	itemJson: IDataObject;
}

export async function waitForTask(ctx: IExecuteFunctions, itemIndex: number, wait: WaitFor): Promise<TaskState> {
	const signal = ctx.getExecutionCancelSignal?.();
	const deadline = Date.now() + wait.waiting.maxWaitMs;
	let task = wait.task;
	let lastFailure: Error | undefined;
	for (;;) {
		if (signal?.aborted) throw cancelled(ctx, itemIndex, wait, task);
		const checked = await settle(wait.check);
		if ('value' in checked) {
			task = checked.value;
			lastFailure = undefined;
		} else {
			if (signal?.aborted) throw cancelled(ctx, itemIndex, wait, task);
			if (!isPassing(checked.error)) throw checked.error;
			lastFailure = checked.error;
			ctx.logger.debug(`Status check of ${wait.label} task ${task.taskId} failed, trying again later`, { itemIndex });
		}
		if (task.phase !== 'pending') return task;
		const left = deadline - Date.now();
		if (left <= 0) throw tooLong(ctx, itemIndex, wait, task, lastFailure);
		await sleepUnlessAborted(Math.min(wait.waiting.pollIntervalMs, left), signal);
	}
}

/** The outcome of a call as a value, so the caller decides which failures to pass on. */
export async function settle<T>(call: () => Promise<T>): Promise<{ value: T } | { error: unknown }> {
	try {
		return { value: await call() };
	} catch (error) {
		return { error };
	}
}

/** A failure the next check may not meet: rate limit, server error, network, unreadable answer. */
function isPassing(error: unknown): error is NodeApiError {
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

function tooLong(
	ctx: IExecuteFunctions,
	itemIndex: number,
	wait: WaitFor,
	task: TaskState,
	lastFailure?: Error,
): NodeOperationError {
	const waited = duration(wait.waiting.maxWaitMs);
	const failure = lastFailure ? ` The last status check failed: ${lastFailure.message}` : '';
	const error = new NodeOperationError(
		ctx.getNode(),
		`${wait.label} task ${task.taskId} did not finish within ${waited} (status: ${task.status})`,
		{
			itemIndex,
			description: `${laterHint(task)} Or raise "Max Wait (Seconds)" under Options.${failure}`,
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
