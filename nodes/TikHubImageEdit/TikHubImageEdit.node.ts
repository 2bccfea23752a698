import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { BackoffGate } from '../shared/backoff-gate';
import { runPool } from '../shared/pool';
import { imageEditProperties } from './description';
import { editImage } from './edit';
import { readConcurrency } from './request';

export class TikHubImageEdit implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikHub Image Edit',
		name: 'tikHubImageEdit',
		icon: { light: 'file:../../icons/tikhub.svg', dark: 'file:../../icons/tikhub.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"]}}',
		description: 'Edit images with GPT Image models through the TikHub AI proxy',
		defaults: { name: 'TikHub Image Edit' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tikHubApi', required: true }],
		properties: imageEditProperties,
	};

	/**
	 * The item loop: items run concurrently up to the Concurrency option, results are
	 * emitted in input order and paired to their input item, failures become error items
	 * with Continue On Fail and stop the node otherwise.
	 */
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const concurrency = readConcurrency(this.getNodeParameter('options', 0, {}) as IDataObject);
		const continueOnFail = this.continueOnFail();
		const gate = new BackoffGate();
		const signal = this.getExecutionCancelSignal?.();

		const outcomes = await runPool(
			items.length,
			concurrency,
			async (itemIndex) => await editImage.call(this, itemIndex, gate),
			{ stopOnFailure: !continueOnFail, shouldStop: () => signal?.aborted === true },
		);

		const output: INodeExecutionData[] = [];
		for (const [itemIndex, outcome] of outcomes.entries()) {
			if (outcome.status === 'fulfilled') {
				output.push(...outcome.value);
			} else if (outcome.status === 'rejected') {
				const error = asNodeError(this, outcome.reason, itemIndex);
				if (!continueOnFail) throw error;
				output.push({
					json: {
						error: error.message,
						...(error.description ? { errorDescription: error.description } : {}),
						...(error instanceof NodeApiError && error.httpCode ? { httpCode: error.httpCode } : {}),
					},
					pairedItem: { item: itemIndex },
				});
			}
		}
		return [output];
	}
}

function asNodeError(
	ctx: IExecuteFunctions,
	reason: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (reason instanceof NodeApiError || reason instanceof NodeOperationError) {
		// n8n's own helpers may throw without saying which item failed.
		reason.context.itemIndex ??= itemIndex;
		return reason;
	}
	return new NodeOperationError(ctx.getNode(), reason as Error, { itemIndex });
}
