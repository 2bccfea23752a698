import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { callTikHub, type RequestPolicy } from '../shared/http/transport';
import type { BatchItem, BatchPlan } from '../shared/items/batch-loop';
import { clamp, number, readRequestPolicy, text } from '../shared/items/parameters';
import { isWholeNumberIn, throwIfProblem, type Problem } from '../shared/items/problems';
import { DEFAULT_BATCH_SIZE, EMBEDDINGS_DEFAULT_TIMEOUT_SECONDS, MAX_BATCH_SIZE } from './description';
import { buildEmbeddingsBody, type EmbeddingFields } from './request';

/**
 * Embeddings: each item is read and checked alone (no request), items that may share a request
 * (same model, dimensions, batch size, timeout, retries) are sent together, and each answer's
 * `data[]` is put back on its items by `index`.
 */

export interface PreparedText {
	text: string;
	fields: EmbeddingFields;
	batchSize: number;
	policy: Pick<RequestPolicy, 'timeoutMs' | 'maxRetries'>;
}

interface EmbeddingsResponse {
	data?: unknown;
	model?: unknown;
}

export function embeddingsPlan(ctx: IExecuteFunctions): BatchPlan<PreparedText> {
	return {
		prepare: async (itemIndex) => prepareText(ctx, itemIndex),
		key: ({ fields, batchSize, policy }) =>
			JSON.stringify([fields.model, fields.dimensions ?? null, batchSize, policy.timeoutMs, policy.maxRetries]),
		batchSize: ({ batchSize }) => batchSize,
		send: async (batch, { gate }) => await sendBatch(ctx, batch, gate),
	};
}

function prepareText(ctx: IExecuteFunctions, itemIndex: number): PreparedText {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const model = text(ctx.getNodeParameter('model', itemIndex, 'text-embedding-3-small')) ?? '';
	const raw = ctx.getNodeParameter('text', itemIndex, '') as unknown;
	const value = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw);
	const dimensions = number(options.dimensions);
	const batchSize = number(options.batchSize);
	throwIfProblem(ctx, itemIndex, checkText(itemIndex, model, value, dimensions, batchSize, options));
	return {
		text: value,
		fields: { model, dimensions },
		batchSize: clamp(batchSize, 1, MAX_BATCH_SIZE, DEFAULT_BATCH_SIZE),
		policy: readRequestPolicy(options, { timeoutSeconds: EMBEDDINGS_DEFAULT_TIMEOUT_SECONDS }),
	};
}

function checkText(
	itemIndex: number,
	model: string,
	value: string,
	dimensions: number | undefined,
	batchSize: number | undefined,
	options: IDataObject,
): Problem | undefined {
	if (!model) return { message: 'Choose a model, or type its name in "Model"' };
	if (value.trim() === '') {
		return {
			message: `The text of item ${itemIndex} is empty`,
			description: 'An empty text has no embedding. Check the expression in "Text", or filter out items without text first.',
		};
	}
	if (dimensions !== undefined && !isWholeNumberIn(dimensions, 1, 65536)) {
		return { message: `Dimensions must be a whole number of at least 1; got ${String(options.dimensions)}` };
	}
	if (batchSize !== undefined && !isWholeNumberIn(batchSize, 1, MAX_BATCH_SIZE)) {
		return { message: `Batch Size must be a whole number from 1 to ${MAX_BATCH_SIZE}; got ${String(options.batchSize)}` };
	}
	return undefined;
}

async function sendBatch(
	ctx: IExecuteFunctions,
	batch: Array<BatchItem<PreparedText>>,
	gate: RequestPolicy['gate'],
): Promise<INodeExecutionData[][]> {
	const first = batch[0];
	const { fields, policy } = first.value;
	const response = await callTikHub<EmbeddingsResponse>(
		ctx,
		first.itemIndex,
		{ method: 'POST', path: '/v1/embeddings', body: buildEmbeddingsBody(fields, batch.map(({ value }) => value.text)) },
		{ ...policy, gate },
	);
	const vectors = vectorsByIndex(ctx, batch, response);
	const model = typeof response.model === 'string' && response.model ? response.model : fields.model;
	return batch.map(({ itemIndex }, position) => [
		{
			json: { embedding: vectors[position], dimensions: vectors[position].length, model },
			pairedItem: { item: itemIndex },
		},
	]);
}

/**
 * `data[]` in the batch's order, by each entry's `index`; when no entry has an index, by position (the count is
 * checked first). An answer that does not match (some entries indexed and some not, an index twice) fails the batch.
 */
function vectorsByIndex(
	ctx: IExecuteFunctions,
	batch: Array<BatchItem<PreparedText>>,
	response: EmbeddingsResponse,
): number[][] {
	const items = batch.map(({ itemIndex }) => itemIndex);
	const fail = (problem: string) => {
		const message = `TikHub's embeddings answer does not match the request: ${problem}`;
		return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
			itemIndex: items[0],
			message,
			description: `The request carried ${batch.length} text(s), from input items ${items.join(', ')}; none of them got an embedding.`,
		});
	};
	if (!Array.isArray(response.data)) throw fail('it has no "data" list');
	if (response.data.length !== batch.length) {
		throw fail(`${response.data.length} embedding(s) for ${batch.length} text(s)`);
	}
	const entries = (response.data as unknown[]).map(
		(entry) => (entry ?? {}) as { index?: unknown; embedding?: unknown },
	);
	const indexed = entries.filter(({ index }) => index !== undefined && index !== null).length;
	if (indexed > 0 && indexed < entries.length) {
		throw fail(`${indexed} of ${entries.length} entries have an "index", the others none`);
	}
	const vectors: number[][] = new Array<number[]>(batch.length);
	for (const [position, entry] of entries.entries()) {
		const index = indexed === 0 ? position : entry.index;
		const { embedding } = entry;
		if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= batch.length) {
			throw fail(`an entry has the index ${JSON.stringify(index)}, expected 0 to ${batch.length - 1}`);
		}
		if (vectors[index]) throw fail(`the index ${index} comes twice`);
		if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((n) => typeof n === 'number')) {
			throw fail(`the entry with index ${index} has no list of numbers as its "embedding"`);
		}
		vectors[index] = embedding as number[];
	}
	return vectors;
}
