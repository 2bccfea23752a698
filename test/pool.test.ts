import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import { runPool } from '../nodes/shared/items/pool';

const tick = async (ms = 5) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('runPool', () => {
	test('a task that releases its slot lets the next one start; unfinished tasks stay within maxRunning', async () => {
		let holding = 0;
		let maxHolding = 0;
		let running = 0;
		let maxRunning = 0;
		const outcomes = await runPool(
			12,
			2,
			async (index, release) => {
				running++;
				holding++;
				maxRunning = Math.max(maxRunning, running);
				maxHolding = Math.max(maxHolding, holding);
				await tick();
				holding--;
				release(); // the "request" is answered
				release(); // twice is harmless
				await tick(20); // storing the results
				running--;
				return index;
			},
			{ maxRunning: 4 },
		);
		assert.deepEqual(
			outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : outcome.status)),
			Array.from({ length: 12 }, (_, index) => index),
		);
		assert.equal(maxHolding, 2);
		assert.equal(maxRunning, 4);
	});

	test('without release a task holds its slot to the end; after a failure nothing new starts', async () => {
		let running = 0;
		let maxRunning = 0;
		const outcomes = await runPool(
			6,
			2,
			async (index) => {
				running++;
				maxRunning = Math.max(maxRunning, running);
				await tick();
				running--;
				if (index === 1) throw new Error('no');
				return index;
			},
			{ stopOnFailure: true, maxRunning: 4 },
		);
		assert.equal(maxRunning, 2);
		assert.deepEqual(
			outcomes.map((outcome) => outcome.status),
			['fulfilled', 'rejected', 'fulfilled', 'skipped', 'skipped', 'skipped'],
		);
	});

	test('release() names the tasks that started in the slot it gave up', async () => {
		const startedBy = new Map<number, number[]>();
		await runPool(5, 2, async (index, release) => {
			await tick();
			startedBy.set(index, release());
			assert.deepEqual(release(), [], 'a second release starts nothing');
			return index;
		}, { maxRunning: 4 });
		// Items 0 and 1 start at once; each release hands the slot to the next one waiting.
		assert.deepEqual([...startedBy.entries()].sort(([a], [b]) => a - b), [[0, [2]], [1, [3]], [2, [4]], [3, []], [4, []]]);
	});

	test('no tasks: done at once', async () => {
		assert.deepEqual(await runPool(0, 4, async () => 1), []);
	});
});
