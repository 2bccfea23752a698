import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from '@jest/globals';

import { png } from '../harness/fixtures';
import { readBinary, type BinaryMode } from '../harness/engine';
import { runGenerate } from '../harness/workflows';
import type { TikHubServer } from '../harness/server';
import { base64ByteLength, decodeBase64, decodeBase64Head } from '../nodes/shared/media/base64-binary';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

/** A PNG header and 600 KB of incompressible bytes: many slices of the decoder. */
const image = Buffer.concat([png(300, 200), randomBytes(600_000)]);

describe('base64 answers into the binary store (binaryFromBase64)', () => {
	test('length and head come from the text without decoding it all', () => {
		for (const length of [0, 1, 2, 3, 4, 5, 1000]) {
			const bytes = randomBytes(length);
			for (const text of [bytes.toString('base64'), bytes.toString('base64url'), `data:image/png;base64,${bytes.toString('base64')}`]) {
				assert.equal(base64ByteLength(text), length);
				assert.deepEqual(decodeBase64Head(text, 10), bytes.subarray(0, 10));
				assert.deepEqual(decodeBase64(text), bytes);
			}
		}
	});

	const modes: BinaryMode[] = ['default', 'filesystem', 'filesystem'];
	const answers: Array<[string, string]> = [
		['plain base64', image.toString('base64')],
		['base64 with line breaks every 76 characters', image.toString('base64').replace(/.{76}/g, '$&\r\n')],
		['a data: URL', `data:image/png;base64,${image.toString('base64')}`],
	];

	// filesystem twice: the first run in a process stores whole, later ones stream slice by slice.
	test.each(modes.flatMap((mode) => answers.map(([what, b64]) => [mode, what, b64] as const)))(
		'%s binary mode, %s: the stored bytes are the image',
		async (binaryMode, _what, b64) => {
			server.fail({ kind: 'status', status: 200, body: { created: 1764057600, data: [{ b64_json: b64 }] } });
			const { items, error } = await runGenerate(server, {
				parameters: { model: 'gpt-image-2', prompt: 'x' },
				items: [{ json: {} }],
				binaryMode,
			});
			assert.equal(error, undefined);
			assert.equal(items.length, 1);
			assert.deepEqual(
				[items[0].json.fileSize, items[0].json.mimeType, items[0].json.width, items[0].json.height],
				[image.length, 'image/png', 300, 200],
			);
			assert.ok((await readBinary(items[0].binary!.data)).equals(image));
		},
	);
});
