import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, test } from '@jest/globals';

import { loadExampleWorkflow } from '../scripts/example-workflow';
import { runWorkflow } from '../harness/engine';
import { readMp4Boxes, startTikHubServer, type TikHubServer } from '../harness/server';
import { videoSetup } from './video-harness';

let server: TikHubServer;
let outDir: string;
beforeAll(async () => {
	server = await startTikHubServer();
	outDir = mkdtempSync(join(tmpdir(), 'tikhub-video-example-'));
});
afterAll(async () => {
	await server.close();
	rmSync(outDir, { recursive: true, force: true });
});

const samplePath = join(__dirname, '..', 'examples', 'sample.png');

test('examples/image-to-video.workflow.json reads the product image, makes a Seedance video of it and writes the .mp4', async () => {
	// The example keeps the users' 10 s Poll Interval: here the task is done at the first check.
	server.videos.defaultScript = { polls: 0 };
	const workflow = loadExampleWorkflow('image-to-video', { filesDir: join(__dirname, '..', 'examples'), outDir });
	const result = await runWorkflow(videoSetup, workflow, {
		credentials: { tikHubApi: { apiKey: server.apiKey, baseUrl: server.baseUrl } },
		binaryMode: 'filesystem',
	});
	assert.equal(result.error, undefined, `${result.error?.message} | ${result.error?.description}`);

	const [create] = server.videos.requests.filter((request) => request.method === 'POST');
	assert.equal(create.path, '/seedance/v3/contents/generations/tasks');
	const content = (create.body as { content: Array<Record<string, unknown>> }).content;
	assert.deepEqual(content[1], {
		type: 'image_url',
		image_url: { url: `data:image/png;base64,${readFileSync(samplePath).toString('base64')}` },
		role: 'first_frame',
	});

	const files = readdirSync(outDir);
	assert.equal(files.length, 1);
	const [taskId] = server.videos.tasks.keys();
	assert.equal(files[0], `${taskId}.mp4`);
	const bytes = readFileSync(join(outDir, files[0]));
	assert.equal(bytes.toString('latin1', 4, 8), 'ftyp', 'the written file starts with an ftyp box');
	assert.deepEqual(readMp4Boxes(bytes)?.map((box) => box.type), ['ftyp', 'moov', 'mdat']);
});
