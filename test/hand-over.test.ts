import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { runItems } from '../nodes/shared/items/item-loop';

/**
 * The item loop's hand-over (nodes/shared/items/hand-over.ts): an item whose request is answered
 * gives its slot away at once, and stores its results only once the item that took the slot has
 * sent its request. A small fake context is enough here: the engine-level proof that outputs,
 * order and pairing are right is in concurrency.test.ts and the bench.
 */

const tick = async (ms = 2) => await new Promise((resolve) => setTimeout(resolve, ms));

function fakeContext(items: number, concurrency: number): IExecuteFunctions {
	const node = { name: 'TikHub', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
	return {
		getInputData: () => Array.from({ length: items }, () => ({ json: {} })),
		continueOnFail: () => false,
		getNodeParameter: (name: string, _index: number, fallback: unknown) => (name === 'options.concurrency' ? concurrency : fallback),
		getNode: () => node,
		getExecutionCancelSignal: () => undefined,
	} as unknown as IExecuteFunctions;
}

describe('hand-over between items', () => {
	test("an answered item stores its results after the next item's request is sent", async () => {
		const events: string[] = [];
		await runItems(fakeContext(3, 1), async (itemIndex) => async (run) => {
			events.push(`${itemIndex} sending`);
			await tick();
			events.push(`${itemIndex} sent`);
			run.sent();
			await tick(5);
			await run.answered();
			events.push(`${itemIndex} stores`);
			return [{ json: { itemIndex }, pairedItem: { item: itemIndex } }];
		});
		const at = (event: string) => events.indexOf(event);
		assert.ok(at('1 sent') < at('0 stores'), events.join(', '));
		assert.ok(at('2 sent') < at('1 stores'), events.join(', '));
		assert.ok(at('2 stores') > at('2 sent'), 'the last item stores once answered: nothing comes after it');
	});

	test('a next item that fails before sending does not hold the answered one up', async () => {
		const output = await runItems(fakeContext(2, 1), async (itemIndex) => async (run) => {
			if (itemIndex === 1) throw new Error('no request for this one');
			await tick();
			await run.answered();
			return [{ json: { itemIndex }, pairedItem: { item: itemIndex } }];
		}).catch((error: Error) => error);
		assert.ok(output instanceof Error && /no request for this one/.test(output.message));
	});

	test('a next item that never says it sent frees the answered one when it ends', async () => {
		const output = await runItems(fakeContext(2, 1), async (itemIndex) => async (run) => {
			await tick(itemIndex === 1 ? 20 : 2);
			await run.answered();
			return [{ json: { itemIndex }, pairedItem: { item: itemIndex } }];
		});
		assert.deepEqual(output[0].map((item) => item.json.itemIndex), [0, 1]);
	});
});
