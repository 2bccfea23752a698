/**
 * `npm run demo`: runs examples/edit-image.workflow.json through n8n's execution engine with
 * the BUILT package (dist/), editing examples/sample.png and writing the result to ./out/.
 *
 * Without TIKHUB_API_KEY it runs against the built-in TikHub-compatible server on 127.0.0.1.
 * With TIKHUB_API_KEY it calls the real TikHub (TIKHUB_BASE_URL overrides https://ai.tikhub.io).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { type RunResult, runWorkflow } from '../test/engine';
import { startTikHubServer, type TikHubServer } from '../test/server';
import { describeImage, loadBuiltPackage } from './built-package';
import { loadExampleWorkflow } from './example-workflow';

const root = resolve(__dirname, '..');
const outDir = join(root, 'out');
const samplePath = join(root, 'examples', 'sample.png');

function fail(result: RunResult): never {
	const error = result.error;
	console.error(`Demo failed: ${error?.message ?? 'unknown error'}`);
	if (error?.description) console.error(error.description);
	process.exit(1);
}

async function main() {
	const apiKey = process.env.TIKHUB_API_KEY;
	let server: TikHubServer | undefined;
	let credentials: { apiKey: string; baseUrl: string };
	if (apiKey) {
		credentials = { apiKey, baseUrl: process.env.TIKHUB_BASE_URL || 'https://ai.tikhub.io' };
	} else {
		server = await startTikHubServer();
		credentials = { apiKey: server.apiKey, baseUrl: server.baseUrl };
	}
	const target = server ? 'the built-in TikHub-compatible server' : credentials.baseUrl;
	console.log(`Editing examples/sample.png with TikHub Image Edit (dist/) against ${target} …`);

	mkdirSync(outDir, { recursive: true });
	const started = Date.now();
	try {
		const result = await runWorkflow(loadBuiltPackage(), loadExampleWorkflow(samplePath, outDir), {
			credentials: { tikHubApi: credentials },
			binaryMode: 'filesystem',
		});
		if (result.error) fail(result);
		const saved = result.output('Save Edited Image');
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		for (const item of saved) {
			console.log(`  ${describeImage(String(item.json.fileName))}`);
		}
		const edit = result.output('TikHub Image Edit')[0]?.json ?? {};
		const revised = edit.revisedPrompt ? `; revised prompt: "${String(edit.revisedPrompt)}"` : '';
		console.log(
			`Done: ${saved.length} edited image(s) written to out/ in ${seconds} s (model ${String(edit.model)}${revised}).`,
		);
		if (saved.length === 0) process.exit(1);
	} finally {
		await server?.close();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
