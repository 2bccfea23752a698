import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { TikHubApi } from '../credentials/TikHubApi.credentials';
import { testCredential } from '../harness/engine/credential-test';
import { readCredentials } from '../nodes/shared/http/credentials';
import { imageItem } from '../harness/fixtures';
import { runEdit } from '../harness/workflows';
import type { TikHubServer } from '../harness/server';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

const parameters = { model: 'gpt-image-2', prompt: 'add a hat' };

describe('TikHub API credential', () => {
	test('sends "Authorization: Bearer <key>" from the credential to its base URL', async () => {
		const { items, error } = await runEdit(server, { parameters, items: [imageItem()] });
		assert.equal(error, undefined);
		assert.equal(items.length, 1);
		assert.equal(server.requests.length, 1);
		assert.equal(server.requests[0].authorization, `Bearer ${server.apiKey}`);
		assert.equal(server.requests[0].path, '/v1/images/edits');
	});

	test('is loaded once per run, not once per request (n8n decrypts it from its database for each load)', async () => {
		const { items, error, result } = await runEdit(server, {
			parameters: { ...parameters, options: { concurrency: 2 } },
			items: [imageItem(), imageItem(), imageItem(), imageItem()],
		});
		assert.equal(error, undefined);
		assert.equal(items.length, 4);
		assert.deepEqual(
			server.requests.map((request) => request.authorization),
			Array.from({ length: 4 }, () => `Bearer ${server.apiKey}`),
		);
		assert.equal(result.credentialReads.get('tikHubApi'), 1);
	});

	test('tolerates a trailing slash on the base URL', async () => {
		const { error } = await runEdit(server, {
			parameters,
			items: [imageItem()],
			credentials: { apiKey: server.apiKey, baseUrl: `${server.baseUrl}//` },
		});
		assert.equal(error, undefined);
		assert.equal(server.requests[0].path, '/v1/images/edits');
	});

	test('a wrong key fails with 401 and a hint to check the credential, the key redacted', async () => {
		const wrongKey = 'sk-wrong-key-that-must-not-leak';
		const { error } = await runEdit(server, {
			parameters,
			items: [imageItem()],
			credentials: { apiKey: wrongKey, baseUrl: server.baseUrl },
		});
		assert.ok(error);
		assert.equal(error.httpCode, '401');
		assert.match(error.message, /401/);
		assert.match(error.description ?? '', /credential/i);
		assert.doesNotMatch(JSON.stringify({ message: error.message, description: error.description }), new RegExp(wrongKey));
		assert.equal(server.requests.length, 1, 'a 401 is not retried');
	});

	test('defaults the base URL to https://ai.tikhub.io', () => {
		const baseUrl = new TikHubApi().properties.find((p) => p.name === 'baseUrl');
		assert.equal(baseUrl?.default, 'https://ai.tikhub.io');
	});

	test('the credential test succeeds with the right key', async () => {
		const status = await testCredential(new TikHubApi(), { apiKey: server.apiKey, baseUrl: `${server.baseUrl}/` });
		assert.equal(status, 200);
		assert.equal(server.requests[0].path, '/v1/models');
		assert.equal(server.requests[0].authorization, `Bearer ${server.apiKey}`);
	});

	test('the credential test fails with a wrong key', async () => {
		const status = await testCredential(new TikHubApi(), { apiKey: 'wrong', baseUrl: server.baseUrl });
		assert.equal(status, 401);
	});
});

describe('reading the credential', () => {
	const context = (answers: Array<Record<string, string>>) => {
		let reads = 0;
		const ctx = {
			getCredentials: async () => answers[Math.min(reads++, answers.length - 1)],
			getNode: () => ({ name: 'TikHub', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }),
		} as unknown as IExecuteFunctions;
		return { ctx, reads: () => reads };
	};

	test('once per node run (n8n loads and decrypts it on every read), trimmed', async () => {
		const { ctx, reads } = context([{ apiKey: ' sk-1 ', baseUrl: 'http://127.0.0.1:1/' }]);
		const first = await readCredentials(ctx, 0);
		const again = await Promise.all([readCredentials(ctx, 1), readCredentials(ctx, 2)]);
		assert.deepEqual(first, {
			baseUrl: 'http://127.0.0.1:1',
			secrets: [' sk-1 ', 'sk-1'],
			apiKey: 'sk-1',
			decrypted: { apiKey: ' sk-1 ', baseUrl: 'http://127.0.0.1:1/' },
		});
		assert.deepEqual(again, [first, first]);
		assert.equal(reads(), 1);
		// Another run (another context object) reads it afresh.
		const other = context([{ apiKey: 'sk-2' }]);
		assert.equal((await readCredentials(other.ctx, 0)).apiKey, 'sk-2');
	});

	test('a read that failed is not kept: the next item reads again, and reports its own index', async () => {
		const { ctx, reads } = context([{ apiKey: '  ' }, { apiKey: 'sk-ok' }]);
		await assert.rejects(readCredentials(ctx, 3), (error: NodeOperationError) => {
			assert.match(error.message, /API key of the TikHub API credential is empty/);
			assert.equal(error.context.itemIndex, 3);
			return true;
		});
		assert.equal((await readCredentials(ctx, 4)).apiKey, 'sk-ok');
		assert.equal(reads(), 2);
	});
});
