import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@jest/globals';

import { detectFormat } from './server';

const root = join(__dirname, '..');

test('`npm run demo` builds, runs the example workflow and writes a PNG to ./out/', () => {
	rmSync(join(root, 'out'), { recursive: true, force: true });
	const env = { ...process.env };
	delete env.TIKHUB_API_KEY; // always against the built-in server here
	const run = spawnSync('npm', ['run', 'demo'], { cwd: root, env, encoding: 'utf8', timeout: 180_000 });
	assert.equal(run.status, 0, run.stdout + run.stderr);
	assert.match(run.stdout, /Done: 1 edited image\(s\) written to out\//);
	const bytes = readFileSync(join(root, 'out', 'sample-edited.png'));
	assert.equal(detectFormat(bytes), 'png');
});
