import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from '@jest/globals';

import { logLines, readBinary } from '../harness/engine';
import { AUDIO_HEADS, audioFile, audioItem, png, wav } from '../harness/fixtures';
import { AUDIO_NODE, runAudio, type NodeRun } from '../harness/workflows';
import type { TikHubServer } from '../harness/server';
import { expectNoSecret } from './secrets';
import { commonFailureTests } from './failure-paths';
import { useServer } from './use-server';

let server: TikHubServer;
useServer((started) => (server = started));

const transcribe = (options: Record<string, unknown> = {}, extra: Partial<NodeRun> = {}) =>
	runAudio(server, {
		parameters: { operation: 'transcribe', model: 'whisper-1', binaryPropertyName: 'data', options },
		items: [audioItem()],
		...extra,
	});

describe('TikHub Audio: the request', () => {
	test('sends every field that is set as its form field, and the file with its name and type', async () => {
		const run = await transcribe({
			language: 'de',
			prompt: 'TikHub, n8n',
			responseFormat: 'verbose_json',
			temperature: 0.2,
			timestampGranularities: ['segment', 'word'],
			// Settings of the node itself: never sent.
			binaryPropertyOutput: 'subs',
			timeout: 60,
			maxRetries: 1,
			concurrency: 1,
		});
		assert.equal(run.error, undefined, run.error?.message);
		const [request] = server.requests;
		assert.equal(request.path, '/v1/audio/transcriptions');
		assert.match(String(request.headers['content-type']), /^multipart\/form-data/);
		assert.equal(request.parseError, undefined);
		assert.deepEqual(request.fieldNames, [
			'file',
			'model',
			'language',
			'prompt',
			'response_format',
			'temperature',
			'timestamp_granularities[]',
			'timestamp_granularities[]',
		]);
		assert.deepEqual(request.fields, {
			model: 'whisper-1',
			language: 'de',
			prompt: 'TikHub, n8n',
			response_format: 'verbose_json',
			temperature: '0.2',
			'timestamp_granularities[]': 'word',
		});
		assert.deepEqual(request.fieldValues['timestamp_granularities[]'], ['segment', 'word']);
		const [file] = request.files;
		assert.equal(file.field, 'file');
		assert.equal(file.fileName, 'talk.wav');
		assert.equal(file.contentType, 'audio/wav');
		assert.deepEqual(file.bytes, wav());
	});

	test('sends only file and model when no option is set', async () => {
		const run = await transcribe({ language: ' ', prompt: '' });
		assert.equal(run.error, undefined, run.error?.message);
		assert.deepEqual(server.requests[0].fieldNames, ['file', 'model']);
		assert.deepEqual(run.items[0].json, { text: 'Transcript of talk.wav.' });
		assert.deepEqual(run.items[0].pairedItem, { item: 0 });
	});

	test('any model name by expression is sent as it is', async () => {
		await runAudio(server, {
			parameters: { operation: 'transcribe', model: '={{ "gpt-4o-mini-transcribe" }}', options: {} },
			items: [audioItem()],
		});
		assert.equal(server.requests[0].fields.model, 'gpt-4o-mini-transcribe');
	});

	test('reads the audio from the named binary field, also in filesystem binary mode', async () => {
		const run = await runAudio(server, {
			parameters: { model: 'whisper-1', binaryPropertyName: 'recording', options: {} },
			items: [{ json: {}, binary: { recording: { bytes: wav(300), fileName: 'memo.wav', mimeType: 'audio/x-wav' } } }],
			binaryMode: 'filesystem',
		});
		assert.equal(run.error, undefined, run.error?.message);
		const [file] = server.requests[0].files;
		assert.deepEqual(file.bytes, wav(300));
		assert.equal(file.contentType, 'audio/x-wav', "the input's own audio type is kept");
	});
});

describe('TikHub Audio: the audio is checked before anything is sent', () => {
	for (const [kind, fileName, mimeType, sentName, sentType] of [
		['mp3', 'song.mp3', 'audio/mpeg', 'song.mp3', 'audio/mpeg'],
		['mp3Frame', 'raw.mp3', 'audio/mpeg', 'raw.mp3', 'audio/mpeg'],
		['m4a', 'voice.m4a', 'audio/x-m4a', 'voice.m4a', 'audio/x-m4a'],
		['webm', 'call.webm', 'audio/webm', 'call.webm', 'audio/webm'],
		['ogg', 'note.ogg', 'audio/ogg', 'note.ogg', 'audio/ogg'],
		['flac', 'take.flac', 'audio/flac', 'take.flac', 'audio/flac'],
		['wav', 'talk.wav', 'audio/wav', 'talk.wav', 'audio/wav'],
		// No extension or the wrong one, no or a generic type: named and typed from the bytes.
		['mp3', 'download', 'application/octet-stream', 'download.mp3', 'audio/mpeg'],
		['flac', 'take.bin', 'application/octet-stream', 'take.flac', 'audio/flac'],
		['m4a', 'clip', 'video/mp4', 'clip.m4a', 'video/mp4'],
	] as const) {
		test(`${kind} "${fileName}" (${mimeType}) is accepted and sent as "${sentName}" (${sentType})`, async () => {
			const run = await transcribe({}, { items: [audioItem(audioFile(kind), fileName, mimeType)] });
			assert.equal(run.error, undefined, run.error?.message);
			const [file] = server.requests[0].files;
			assert.equal(file.fileName, sentName);
			assert.equal(file.contentType, sentType);
		});
	}

	test('a file without a name is named after its field with the right extension', async () => {
		const run = await transcribe({}, { items: [{ json: {}, binary: { data: { bytes: audioFile('ogg'), mimeType: 'audio/ogg' } } }] });
		assert.equal(run.error, undefined, run.error?.message);
		assert.equal(server.requests[0].files[0].fileName, 'data.ogg');
	});

	for (const [what, bytes] of [
		['a PNG image', png()],
		['a text file', Buffer.from('this is not audio at all')],
		['an AAC ADTS stream (not MP3)', Buffer.from([0xff, 0xf1, 0x50, 0x80, 0x00, 0x1f, 0xfc])],
	] as const) {
		test(`${what} is refused naming the field, and nothing is sent`, async () => {
			const run = await transcribe({}, { items: [audioItem(bytes, 'talk.mp3', 'audio/mpeg')] });
			assert.match(run.error?.message ?? '', /The audio "talk\.mp3" in "data" is not MP3, MP4\/M4A, WAV, WebM, Ogg or FLAC audio/);
			assert.match(run.error?.description ?? '', /"Input Binary Field"/);
			assert.equal(server.requests.length, 0);
		});
	}

	test('an empty file is refused', async () => {
		const run = await transcribe({}, { items: [audioItem(Buffer.alloc(0))] });
		assert.match(run.error?.message ?? '', /is empty \(0 bytes\)/);
		assert.equal(server.requests.length, 0);
	});

	test('an item without the binary field is refused naming its fields', async () => {
		const run = await transcribe({}, { items: [{ json: {}, binary: { other: { bytes: wav(), fileName: 'a.wav' } } }] });
		assert.match(run.error?.message ?? '', /Item 0 has no binary field "data"/);
		assert.match(run.error?.description ?? '', /Its binary fields are: other\. Set "Input Binary Field"/);
		assert.equal(server.requests.length, 0);
	});

	test('audio over 25 MB is refused before it is sent (streamed into the filesystem store, not held)', async () => {
		const limit = 25 * 1024 * 1024;
		let remaining = limit + 1;
		const stream = new Readable({
			read() {
				if (remaining === limit + 1) {
					const head = AUDIO_HEADS.mp3;
					remaining -= head.length;
					this.push(head);
					return;
				}
				const size = Math.min(remaining, 1024 * 1024);
				remaining -= size;
				this.push(size > 0 ? Buffer.alloc(size) : null);
			},
		});
		const run = await transcribe({}, { items: [audioItem(stream as never, 'long.mp3', 'audio/mpeg')], binaryMode: 'filesystem' });
		assert.match(run.error?.message ?? '', /The audio "long\.mp3" in "data" is 25\.0 MB; at most 25 MB can be transcribed at once/);
		assert.match(run.error?.description ?? '', /"Input Binary Field"/);
		assert.equal(server.requests.length, 0);
	});

	test('Timestamp Granularities with a format other than Verbose JSON are not sent, and the item goes through', async () => {
		const formats = [undefined, 'json', 'text', 'srt'];
		for (const responseFormat of formats) {
			const run = await transcribe({ ...(responseFormat ? { responseFormat } : {}), timestampGranularities: ['segment', 'word'] });
			assert.equal(run.error, undefined, `${responseFormat}: ${run.error?.message}`);
			assert.equal(typeof run.items[0].json.text, 'string', responseFormat);
			assert.equal(run.items[0].json.words, undefined, responseFormat);
		}
		assert.equal(server.requests.length, formats.length);
		for (const request of server.requests) assert.equal(request.fieldValues['timestamp_granularities[]'], undefined);
		assert.ok(logLines.some((line) => /^debug Timestamp Granularities are sent only with Response Format "Verbose JSON"; not sent with "srt"/.test(line)));
	});

	test('a temperature above 1 is refused before sending', async () => {
		const run = await transcribe({ temperature: 1.5 });
		assert.match(run.error?.message ?? '', /Temperature must be a number from 0 to 1/);
		assert.equal(server.requests.length, 0);
	});

	test('a bad item stops the run before the good ones are sent; with Continue On Fail only it fails', async () => {
		const items = [audioItem(), audioItem(png(), 'photo.png', 'image/png'), audioItem()];
		const stopped = await transcribe({}, { items });
		assert.match(stopped.error?.message ?? '', /photo\.png/);
		assert.equal(server.requests.length, 0);
		const run = await transcribe({}, { items, continueOnFail: true });
		assert.equal(run.error, undefined);
		assert.deepEqual(run.items.map((item) => item.pairedItem), [0, 1, 2].map((item) => ({ item })));
		assert.match(String(run.items[1].json.error), /not MP3/);
		assert.equal(server.requests.length, 2);
	});
});

describe('TikHub Audio: each response format', () => {
	test('json: json.text', async () => {
		const run = await transcribe({ responseFormat: 'json', language: 'en' });
		assert.deepEqual(run.items[0].json, { text: 'Transcript of talk.wav (en).' });
		assert.equal(run.items[0].binary, undefined);
	});

	test('text: the plain-text body becomes json.text, without OpenAI\'s trailing newline', async () => {
		const run = await transcribe({ responseFormat: 'text' });
		assert.equal(run.error, undefined, run.error?.message);
		assert.deepEqual(run.items[0].json, { text: 'Transcript of talk.wav.' });
	});

	for (const [responseFormat, extension, mimeType, start] of [
		['srt', 'srt', 'application/x-subrip', '1\n00:00:00,000 --> 00:00:00,500\n'],
		['vtt', 'vtt', 'text/vtt', 'WEBVTT\n\n00:00:00.000 --> 00:00:00.500\n'],
	] as const) {
		test(`${responseFormat}: json.text and a binary talk.${extension} (${mimeType}) in the output binary field`, async () => {
			const run = await transcribe({ responseFormat, binaryPropertyOutput: 'subtitles' }, { binaryMode: 'filesystem' });
			assert.equal(run.error, undefined, run.error?.message);
			const [item] = run.items;
			assert.ok(String(item.json.text).startsWith(start), String(item.json.text));
			const binary = item.binary?.subtitles;
			assert.ok(binary);
			assert.equal(binary.fileName, `talk.${extension}`);
			assert.equal(binary.mimeType, mimeType);
			// The file is the answer byte for byte; json.text is the same without the trailing blank line.
			const file = (await readBinary(binary)).toString('utf8');
			assert.ok(file.endsWith('talk.wav.\n\n'), JSON.stringify(file));
			assert.equal(item.json.text, file.trimEnd());
			assert.deepEqual(Object.keys(item.binary ?? {}), ['subtitles']);
		});
	}

	test('verbose_json: text, language, duration and segments; words only when asked for', async () => {
		const plain = await transcribe({ responseFormat: 'verbose_json', language: 'en' });
		assert.equal(plain.error, undefined, plain.error?.message);
		const json = plain.items[0].json as Record<string, unknown>;
		assert.deepEqual(Object.keys(json), ['text', 'language', 'duration', 'segments']);
		assert.equal(json.duration, 0.5);
		assert.equal((json.segments as Array<{ end: number }>)[0].end, 0.5);

		const words = await transcribe({ responseFormat: 'verbose_json', timestampGranularities: ['word'] });
		const wordJson = words.items[0].json as { words?: Array<{ word: string }>; segments?: unknown };
		assert.deepEqual(wordJson.words?.map((entry) => entry.word), ['Transcript', 'of', 'talk.wav.']);
		assert.equal(wordJson.segments, undefined);
	});
});

describe('TikHub Audio: failures', () => {
	commonFailureTests(() => server, transcribe);

	test('TikHub rejecting subtitles for a GPT-4o model: its 400 is the error', async () => {
		const run = await runAudio(server, {
			parameters: { model: 'gpt-4o-transcribe', options: { responseFormat: 'srt' } },
			items: [audioItem()],
		});
		assert.equal(run.error?.httpCode, '400');
		assert.match(run.error?.message ?? '', /not compatible with model/);
	});

	test('an answer in the wrong shape: JSON without text, or JSON where subtitles were asked', async () => {
		server.fail({ kind: 'status', status: 200, body: { transcript: 'x' } });
		const json = await transcribe();
		assert.match(json.error?.message ?? '', /TikHub answered the transcription without a "text" field/);
		server.fail({ kind: 'status', status: 200, body: { text: 'x' } });
		const srt = await transcribe({ responseFormat: 'srt' });
		assert.match(srt.error?.message ?? '', /without srt subtitles \(it sent JSON\)/);
	});

	test('"Continue (using error output)": failures go to the error output, paired to their items', async () => {
		server.fail({ kind: 'status', status: 400 });
		const run = await transcribe(
			{ concurrency: 1 },
			{ items: [audioItem(), audioItem(Buffer.from('text')), audioItem()], continueOnFail: 'continueErrorOutput' },
		);
		assert.equal(run.error, undefined);
		const [success, errors] = run.result.outputs(AUDIO_NODE);
		assert.deepEqual(success.map((item) => item.pairedItem), [{ item: 2 }]);
		assert.deepEqual(errors.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }]);
		assert.match(String(errors[0].json.error), /TikHub error 400/);
		assert.match(String(errors[1].json.error), /not MP3/);
		expectNoSecret(server, run);
	});
});
