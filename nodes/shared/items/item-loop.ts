import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { BackoffGate } from '../http/backoff-gate';
import { readCredentials } from '../http/credentials';
import { HandOver } from './hand-over';
import { readConcurrency } from './parameters';
import { runPool, type Outcome } from './pool';

/**
 * The item loop every TikHub node runs, in two phases:
 *
 * 1. **Prepare** every input item: read its parameters and run every local check (binary
 *    present, type, size, mask, field values). No paid request is sent in this phase, so a bad
 *    item 7 stops the run (or becomes an error item) before items 0–6 are billed.
 * 2. **Send** the prepared items, `Concurrency` requests at a time, and turn each answer into
 *    output items. A job that calls `run.answered()` once its paid request is answered gives its
 *    slot to the next item, and stores its results once that item's request is on its way, so
 *    the next request does not wait for that (at most twice `Concurrency` items are then in
 *    hand at once).
 *
 * Every input item ends as output items or, with On Error set to continue, as one error item
 * paired to it, in input order, shaped so that n8n routes it to the error output when On Error
 * says so.
 */

export interface RunContext {
	/** Shared by the items of one run, so a 429 pauses them all. */
	gate: BackoffGate;
	/**
	 * The item's paid requests are answered: the next item's may start (optional to call).
	 * Resolves once that item's request is on its way; await it before storing results, so the
	 * storing does not hold that request up (hand-over.ts).
	 */
	answered(): Promise<void>;
	/** For the transport's `onSent`: this item's request is on its way. */
	sent(): void;
}

/** What preparing an item yields: the work left to do, which sends requests. */
export type ItemJob = (run: RunContext) => Promise<INodeExecutionData[]>;

/** Reads and checks one item; throws a NodeOperationError naming what is wrong. */
export type PrepareItem = (itemIndex: number) => Promise<ItemJob>;

export async function runItems(
	ctx: IExecuteFunctions,
	prepare: PrepareItem,
	settings: { defaultConcurrency?: number; maxConcurrency?: number } = {},
): Promise<INodeExecutionData[][]> {
	const concurrency = readConcurrency(ctx, settings.defaultConcurrency, settings.maxConcurrency);
	const { prepared, pool } = await prepareItems(ctx, prepare, concurrency);

	// Phase 2: the paid requests. An item that failed phase 1 fails here with the same error.
	const gate = new BackoffGate();
	const handOver = new HandOver(prepared.length);
	const outcomes = await runPool(
		prepared.length,
		concurrency,
		async (itemIndex, release) => {
			try {
				return await preparedValue(prepared[itemIndex])({
					gate,
					answered: async () => await handOver.after(release()),
					sent: () => handOver.done(itemIndex),
				});
			} finally {
				handOver.done(itemIndex);
			}
		},
		{ ...pool, maxRunning: 2 * concurrency },
	);
	return [collectOutput(ctx, outcomes)];
}

export interface PoolSettings {
	stopOnFailure: boolean;
	shouldStop: () => boolean;
}

/**
 * Phase 1 of every loop: prepares every input item, `concurrency` at a time, before the first
 * request of the run. Without Continue On Fail the first item that fails stops the node here.
 */
export async function prepareItems<T>(
	ctx: IExecuteFunctions,
	prepare: (itemIndex: number) => Promise<T>,
	concurrency: number,
): Promise<{ prepared: Array<Outcome<T>>; pool: PoolSettings }> {
	const count = ctx.getInputData().length;
	const continueOnFail = ctx.continueOnFail();
	// n8n loads the credential from its database while the items are checked, not after; a
	// credential that cannot be used is reported by each item's request (readCredentials).
	void readCredentials(ctx, 0).catch(() => undefined);
	const signal = ctx.getExecutionCancelSignal?.();
	const pool = { stopOnFailure: !continueOnFail, shouldStop: () => signal?.aborted === true };
	// Items are prepared side by side (reading headers, downloading URL images), but nothing is paid.
	const prepared = await runPool(count, concurrency, prepare, pool);
	const firstFailure = prepared.findIndex((outcome) => outcome.status === 'rejected');
	if (firstFailure !== -1 && !continueOnFail) {
		throw asNodeError(ctx, (prepared[firstFailure] as { reason: unknown }).reason, firstFailure);
	}
	return { prepared, pool };
}

/** A prepared item's value; an item that failed (or was never) prepared fails again with that error. */
export function preparedValue<T>(outcome: Outcome<T>): T {
	if (outcome.status === 'rejected') throw outcome.reason;
	if (outcome.status === 'skipped') throw new Error('the execution was cancelled');
	return outcome.value;
}

/**
 * Every item's outcome, in input order, as the node's output: its items, or (with On Error set
 * to continue) one error item paired to it; without Continue On Fail the first failure throws.
 */
export function collectOutput(
	ctx: IExecuteFunctions,
	outcomes: Array<Outcome<INodeExecutionData[]>>,
): INodeExecutionData[] {
	const continueOnFail = ctx.continueOnFail();
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if (outcome.status === 'fulfilled') {
			output.push(...outcome.value);
		} else if (outcome.status === 'rejected') {
			const error = asNodeError(ctx, outcome.reason, itemIndex);
			if (!continueOnFail) throw error;
			output.push(errorItem(ctx, error, itemIndex));
		}
	}
	return output;
}

/** n8n's own helpers may throw plain errors, or node errors that do not say which item failed. */
function asNodeError(
	ctx: IExecuteFunctions,
	reason: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (reason instanceof NodeApiError || reason instanceof NodeOperationError) {
		reason.context.itemIndex ??= itemIndex;
		return reason;
	}
	return new NodeOperationError(ctx.getNode(), reason as Error, { itemIndex });
}

/**
 * An input item's failure as an output item: `json.error` (the message), `json.errorDescription`
 * (what to do), `json.httpCode` when TikHub answered with an error status, and what the node
 * left in the error's `context.itemJson` (e.g. the id of a task to fetch later). With "Continue
 * (using error output)" n8n moves an item to the error output only when its JSON keys are all
 * among `error`, `message` and `details` (and then adds the input item's JSON), so there all but
 * the message go under `details`.
 */
function errorItem(
	ctx: IExecuteFunctions,
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const httpCode = error instanceof NodeApiError ? error.httpCode : undefined;
	const itemJson = error.context.itemJson;
	const about = {
		...(itemJson && typeof itemJson === 'object' && !Array.isArray(itemJson) ? (itemJson as IDataObject) : {}),
		...(error.description ? { errorDescription: error.description } : {}),
		...(httpCode ? { httpCode } : {}),
	};
	const toErrorOutput = ctx.getNode().onError === 'continueErrorOutput';
	return {
		json: toErrorOutput ? { error: error.message, details: about } : { error: error.message, ...about },
		pairedItem: { item: itemIndex },
	};
}
