import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { detectFormat, readImageSize } from '../harness/server';

const root = join(__dirname, '..');

/** `npm run demo -- <example>` against the built-in server (never the real TikHub here). */
function demo(...args: string[]) {
	rmSync(join(root, 'out'), { recursive: true, force: true });
	const env = { ...process.env };
	delete env.TIKHUB_API_KEY;
	const run = spawnSync('npm', ['run', 'demo', ...(args.length ? ['--', ...args] : [])], {
		cwd: root,
		env,
		encoding: 'utf8',
		timeout: 180_000,
	});
	assert.equal(run.status, 0, run.stdout + run.stderr);
	return run.stdout;
}

test('`npm run demo` builds, runs the edit example workflow and writes a PNG to ./out/', () => {
	const stdout = demo();
	assert.match(stdout, /Running examples\/edit-image.workflow.json/);
	assert.match(stdout, /Done: 1 file\(s\) written to out\//);
	assert.equal(detectFormat(readFileSync(join(root, 'out', 'sample-edited.png'))), 'png');
}, 180_000);

test('`npm run demo -- generate-and-edit` generates an image, edits it and writes it', () => {
	const stdout = demo('generate-and-edit');
	assert.match(stdout, /TikHub Image Generate: 1 item\(s\)/);
	assert.match(stdout, /TikHub Image Edit: 1 item\(s\)/);
	const [file] = readdirSync(join(root, 'out'));
	assert.match(file, /^generated-\d+-1-edited\.png$/);
	assert.deepEqual(readImageSize(readFileSync(join(root, 'out', file))), { width: 1024, height: 1024 });
}, 180_000);

test('`npm run demo -- subtitles` transcribes examples/sample.wav and writes out/sample.srt', () => {
	const stdout = demo('subtitles');
	assert.match(stdout, /TikHub Audio: 1 item\(s\)/);
	assert.match(stdout, /Done: 1 file\(s\) written to out\//);
	assert.equal(
		readFileSync(join(root, 'out', 'sample.srt'), 'utf8'),
		'1\n00:00:00,000 --> 00:00:01,000\nTranscript of sample.wav (en).\n\n',
	);
}, 180_000);
