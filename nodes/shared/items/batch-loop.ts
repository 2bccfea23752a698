import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { BackoffGate } from '../http/backoff-gate';
import { collectOutput, prepareItems, preparedValue, type RunContext } from './item-loop';
import { runPool, type Outcome } from './pool';

/**
 * The item loop for endpoints that take several input items in one request (embeddings):
 *
 * 1. **Prepare** every input item as runItems does (its parameters and local checks, no request).
 * 2. **Group** the prepared items that may share a request (same `key`: model, dimensions, …),
 *    in input order, and cut each group into batches of at most its `batchSize`.
 * 3. **Send** each batch; it returns one list of output items per item of the batch, in order.
 *    A batch that fails fails only its own items (error items with On Error set to continue).
 *
 * Output, error items and the error output are built by item-loop.ts, as for every node.
 */

export interface BatchItem<P> {
	itemIndex: number;
	value: P;
}

export interface BatchPlan<P> {
	/** Reads and checks one item; throws a NodeOperationError naming what is wrong. No request. */
	prepare: (itemIndex: number) => Promise<P>;
	/** Items with the same key may go in one request. */
	key: (value: P) => string;
	/** The most items one request of this group carries (read from its first item). */
	batchSize: (value: P) => number;
	/** Sends one batch; returns each item's output items, in the batch's order. */
	send: (batch: Array<BatchItem<P>>, run: RunContext) => Promise<INodeExecutionData[][]>;
}

/** Requests in flight at once. */
const BATCH_CONCURRENCY = 1;

export async function runBatches<P>(ctx: IExecuteFunctions, plan: BatchPlan<P>): Promise<INodeExecutionData[][]> {
	const { prepared, pool } = await prepareItems(ctx, plan.prepare, 4);
	const outcomes: Array<Outcome<INodeExecutionData[]>> = prepared.map((outcome) => {
		try {
			preparedValue(outcome);
			return { status: 'skipped' };
		} catch (reason) {
			return { status: 'rejected', reason };
		}
	});

	const batches = groupInBatches(prepared, plan);
	// A batch holds its slot to the end (answered() is the item loop's; batches have no use for it).
	const run: RunContext = { gate: new BackoffGate(), answered: async () => undefined, sent: () => undefined };
	const results = await runPool(
		batches.length,
		BATCH_CONCURRENCY,
		async (index) => {
			const batch = batches[index];
			const answer = await plan.send(batch, run);
			if (answer.length !== batch.length) {
				throw new Error(`a batch of ${batch.length} items gave ${answer.length} results`);
			}
			return answer;
		},
		pool,
	);
	for (const [index, result] of results.entries()) {
		for (const [position, { itemIndex }] of batches[index].entries()) {
			if (result.status === 'fulfilled') outcomes[itemIndex] = { status: 'fulfilled', value: result.value[position] };
			else if (result.status === 'rejected') outcomes[itemIndex] = { status: 'rejected', reason: result.reason };
		}
	}
	// Items whose batch never went (the run stopped at a failed batch, or was cancelled) fail
	// with what stopped it; without Continue On Fail that failure is the node's error.
	const stoppedBy = results.find((result) => result.status === 'rejected');
	const reason = stoppedBy ? stoppedBy.reason : new Error('the execution was cancelled');
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if (outcome.status === 'skipped') outcomes[itemIndex] = { status: 'rejected', reason };
	}
	return [collectOutput(ctx, outcomes)];
}

/** Prepared items grouped by key (groups in order of their first item), cut into batches. */
function groupInBatches<P>(prepared: Array<Outcome<P>>, plan: BatchPlan<P>): Array<Array<BatchItem<P>>> {
	const groups = new Map<string, Array<BatchItem<P>>>();
	for (const [itemIndex, outcome] of prepared.entries()) {
		if (outcome.status !== 'fulfilled') continue;
		const key = plan.key(outcome.value);
		const group = groups.get(key) ?? [];
		group.push({ itemIndex, value: outcome.value });
		groups.set(key, group);
	}
	const batches: Array<Array<BatchItem<P>>> = [];
	for (const group of groups.values()) {
		const size = Math.max(1, Math.floor(plan.batchSize(group[0].value)));
		for (let start = 0; start < group.length; start += size) batches.push(group.slice(start, start + size));
	}
	return batches;
}
