/**
 * `npm run demo [-- <example>]`: runs an example workflow through n8n's execution engine with
 * the BUILT package (dist/) and writes its results to ./out/. The example is a name from
 * examples/ (`edit-image`, the default, or `generate-and-edit`) or a path to a workflow file.
 *
 * Without TIKHUB_API_KEY it runs against the built-in TikHub-compatible server on 127.0.0.1.
 * With TIKHUB_API_KEY it calls the real TikHub (TIKHUB_BASE_URL overrides https://ai.tikhub.io).
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';

import { type RunResult, runWorkflow } from '../harness/engine';
import { startTikHubServer, type TikHubServer } from '../harness/server';
import { describeFile, loadBuiltPackage } from './built-package';
import { exampleFile, loadExampleWorkflow, REPO_ROOT } from './example-workflow';

const outDir = join(REPO_ROOT, 'out');

function fail(result: RunResult): never {
	const error = result.error;
	console.error(`Demo failed: ${error?.message ?? 'unknown error'}`);
	if (error?.description) console.error(error.description);
	process.exit(1);
}

async function main() {
	const example = process.argv[2] ?? 'edit-image';
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
	const workflow = loadExampleWorkflow(example, { filesDir: join(REPO_ROOT, 'examples'), outDir });
	console.log(`Running ${relative(REPO_ROOT, exampleFile(example))} (dist/) against ${target} …`);

	mkdirSync(outDir, { recursive: true });
	const started = Date.now();
	try {
		const result = await runWorkflow(loadBuiltPackage(), workflow, {
			credentials: { tikHubApi: credentials },
			binaryMode: 'filesystem',
		});
		if (result.error) fail(result);
		const writers = workflow.nodes.filter(
			(node) => node.type === 'n8n-nodes-base.readWriteFile' && node.parameters.operation === 'write',
		);
		const saved = writers.flatMap((node) => result.output(node.name));
		for (const item of saved) console.log(`  ${describeFile(String(item.json.fileName))}`);
		for (const node of workflow.nodes.filter((n) => n.type.startsWith('n8n-nodes-tikhub.'))) {
			const json = result.output(node.name)[0]?.json ?? {};
			const revised = json.revisedPrompt ? `, revised prompt "${String(json.revisedPrompt)}"` : '';
			console.log(`  ${node.name}: ${result.output(node.name).length} item(s), model ${String(json.model ?? '-')}${revised}`);
		}
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		console.log(`Done: ${saved.length} file(s) written to out/ in ${seconds} s.`);
		if (saved.length === 0) process.exit(1);
	} finally {
		await server?.close();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
