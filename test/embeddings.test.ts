import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';

import type { FixtureItem } from '../harness/engine/stand-in-nodes';
import { EMBEDDINGS_NODE, runEmbeddings, type NodeRun } from '../harness/workflows';
import { embeddingVector, type TikHubServer } from '../harness/server';
import { expectNoSecret } from './secrets';
import { commonFailureTests } from './failure-paths';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

const texts = (count: number, prefix = 'text'): FixtureItem[] =>
	Array.from({ length: count }, (_, index) => ({ json: { text: `${prefix} ${index}` } }));

const embed = (options: Record<string, unknown> = {}, extra: Partial<NodeRun> = {}, model = 'text-embedding-3-small') =>
	runEmbeddings(server, {
		parameters: { model, text: '={{ $json.text }}', options },
		items: texts(3),
		...extra,
	});

const inputs = () => server.requests.map((request) => (request.json as { input: string[] }).input);

/** Each output item carries its own text's vector. */
function expectOwnVectors(run: Awaited<ReturnType<typeof embed>>, items: FixtureItem[], dimensions: number) {
	assert.equal(run.error, undefined, run.error?.message);
	assert.equal(run.items.length, items.length);
	for (const [index, item] of run.items.entries()) {
		assert.deepEqual(item.pairedItem, { item: index });
		assert.deepEqual(item.json.embedding, embeddingVector(String(items[index].json?.text), dimensions), `item ${index}`);
		assert.equal(item.json.dimensions, dimensions);
	}
}

describe('TikHub Embeddings: requests', () => {
	test('sends model and the items\' texts as input in one request; each item gets its vector', async () => {
		const run = await embed();
		expectOwnVectors(run, texts(3), 1536);
		assert.equal(server.requests.length, 1);
		assert.equal(server.requests[0].path, '/v1/embeddings');
		assert.deepEqual(server.requests[0].json, { model: 'text-embedding-3-small', input: ['text 0', 'text 1', 'text 2'] });
		assert.deepEqual(Object.keys(run.items[0].json), ['embedding', 'dimensions', 'model']);
		assert.equal(run.items[0].json.model, 'text-embedding-3-small');
	});

	test('the large model gives 3072 numbers; any model by expression is sent as it is', async () => {
		expectOwnVectors(await embed({}, {}, 'text-embedding-3-large'), texts(3), 3072);
		server.reset();
		await embed({}, {}, '={{ "text-embedding-ada-002" }}');
		assert.equal((server.requests[0].json as { model: string }).model, 'text-embedding-ada-002');
	});

	test('dimensions is sent when set, and the vectors have that length', async () => {
		const run = await embed({ dimensions: 256, timeout: 30, maxRetries: 1 });
		assert.deepEqual(server.requests[0].json, {
			model: 'text-embedding-3-small',
			input: ['text 0', 'text 1', 'text 2'],
			dimensions: 256,
		});
		expectOwnVectors(run, texts(3), 256);
	});

	test('5 items with Batch Size 2 make 3 requests of 2, 2 and 1, in order', async () => {
		const items = texts(5);
		const run = await embed({ batchSize: 2, dimensions: 8 }, { items });
		expectOwnVectors(run, items, 8);
		assert.deepEqual(inputs(), [['text 0', 'text 1'], ['text 2', 'text 3'], ['text 4']]);
	});

	test('1,000 items with the default Batch Size of 100 make 10 requests', async () => {
		const items = texts(1000);
		const run = await embed({ dimensions: 4 }, { items });
		expectOwnVectors(run, items, 4);
		assert.equal(server.requests.length, 10);
		assert.ok(inputs().every((input) => input.length === 100));
	});

	test('items with different models or dimensions go in separate requests, results still on their items', async () => {
		const items: FixtureItem[] = [
			{ json: { text: 'a', dims: 8 } },
			{ json: { text: 'b', dims: 16 } },
			{ json: { text: 'c', dims: 8 } },
			{ json: { text: 'd', dims: 16 } },
		];
		const run = await embed({ dimensions: '={{ $json.dims }}' }, { items });
		assert.equal(run.error, undefined, run.error?.message);
		assert.deepEqual(inputs(), [['a', 'c'], ['b', 'd']]);
		assert.deepEqual(run.items.map((item) => item.json.dimensions), [8, 16, 8, 16]);
		for (const [index, item] of run.items.entries()) {
			assert.deepEqual(item.json.embedding, embeddingVector(String(items[index].json?.text), Number(items[index].json?.dims)));
			assert.deepEqual(item.pairedItem, { item: index });
		}
	});

	test('data[] out of order is put back on the right items by index', async () => {
		const data = [2, 0, 1].map((index) => ({ object: 'embedding', index, embedding: embeddingVector(`text ${index}`, 8) }));
		server.fail({ kind: 'status', status: 200, body: { object: 'list', data, model: 'text-embedding-3-small' } });
		expectOwnVectors(await embed({ dimensions: 8 }), texts(3), 8);
	});

	test('data[] without any index is taken in order: each item gets its own vector', async () => {
		const data = [0, 1, 2].map((index) => ({ object: 'embedding', embedding: embeddingVector(`text ${index}`, 8) }));
		server.fail({ kind: 'status', status: 200, body: { object: 'list', data, model: 'text-embedding-3-small' } });
		expectOwnVectors(await embed({ dimensions: 8 }), texts(3), 8);
	});

	test('an empty text is refused on its item before any request', async () => {
		const items: FixtureItem[] = [{ json: { text: 'a' } }, { json: { text: '  ' } }, { json: {} }];
		const stopped = await embed({}, { items });
		assert.match(stopped.error?.message ?? '', /The text of item 1 is empty/);
		assert.equal(server.requests.length, 0);

		const run = await embed({ dimensions: 8 }, { items, continueOnFail: true });
		assert.deepEqual(run.items.map((item) => item.pairedItem), [0, 1, 2].map((item) => ({ item })));
		assert.equal(run.items[0].json.dimensions, 8);
		assert.match(String(run.items[1].json.error), /The text of item 1 is empty/);
		assert.match(String(run.items[2].json.error), /The text of item 2 is empty/);
		assert.deepEqual(inputs(), [['a']], 'only the good text was sent');
	});

	test('a Batch Size over 2048 is refused', async () => {
		const run = await embed({ batchSize: 4096 });
		assert.match(run.error?.message ?? '', /Batch Size must be a whole number from 1 to 2048/);
		assert.equal(server.requests.length, 0);
	});
});

describe('TikHub Embeddings: failures', () => {
	test('a 500 on the second request fails only its items (Continue On Fail)', async () => {
		server.fail({ kind: 'delay', ms: 0 }, { kind: 'status', status: 500 });
		const items = texts(5);
		const run = await embed({ batchSize: 2, dimensions: 8, maxRetries: 0 }, { items, continueOnFail: true });
		assert.equal(run.error, undefined);
		assert.deepEqual(run.items.map((item) => item.pairedItem), [0, 1, 2, 3, 4].map((item) => ({ item })));
		assert.deepEqual(
			run.items.map((item) => (item.json.error ? 'error' : item.json.dimensions)),
			[8, 8, 'error', 'error', 8],
		);
		assert.match(String(run.items[2].json.error), /TikHub error 500/);
		assert.equal(server.requests.length, 3);
		expectNoSecret(server, run);
	});

	test('without Continue On Fail the failing batch stops the node', async () => {
		server.fail({ kind: 'delay', ms: 0 }, { kind: 'status', status: 500 });
		const run = await embed({ batchSize: 2, maxRetries: 0 }, { items: texts(5) });
		assert.match(run.error?.message ?? '', /TikHub error 500/);
		assert.equal(server.requests.length, 2, 'no request after the failed one');
	});

	test('"Continue (using error output)": the failed batch\'s items go to the error output', async () => {
		server.fail({ kind: 'status', status: 400 });
		const run = await embed({ batchSize: 2, dimensions: 8 }, { items: texts(4), continueOnFail: 'continueErrorOutput' });
		const [success, errors] = run.result.outputs(EMBEDDINGS_NODE);
		assert.deepEqual(success.map((item) => item.pairedItem), [{ item: 2 }, { item: 3 }]);
		assert.deepEqual(errors.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }]);
		assert.match(String(errors[0].json.error), /TikHub error 400/);
		assert.equal(errors[1].json.text, 'text 1', "n8n adds the item's own JSON");
	});

	commonFailureTests(() => server, embed);

	for (const [what, body, message] of [
		['no data list', { object: 'list' }, /has no "data" list/],
		['too few embeddings', { data: [{ index: 0, embedding: [1] }] }, /1 embedding\(s\) for 3 text\(s\)/],
		[
			'an index out of range',
			{ data: [0, 1, 5].map((index) => ({ index, embedding: [1] })) },
			/an entry has the index 5, expected 0 to 2/,
		],
		['an index twice', { data: [0, 1, 1].map((index) => ({ index, embedding: [1] })) }, /the index 1 comes twice/],
		[
			'some entries with an index and some without',
			{ data: [{ index: 0, embedding: [1] }, { embedding: [1] }, { index: 2, embedding: [1] }] },
			/2 of 3 entries have an "index", the others none/,
		],
		['no numbers', { data: [0, 1, 2].map((index) => ({ index, embedding: 'abc' })) }, /has no list of numbers/],
	] as const) {
		test(`an answer in the wrong shape (${what}) fails the batch clearly`, async () => {
			server.fail({ kind: 'status', status: 200, body });
			const run = await embed({}, { continueOnFail: true });
			assert.equal(run.items.length, 3);
			for (const item of run.items) assert.match(String(item.json.error), message);
			assert.match(String(run.items[0].json.errorDescription), /input items 0, 1, 2/);
		});
	}
});
