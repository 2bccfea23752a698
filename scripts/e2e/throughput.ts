// Throughput inside the real n8n 2.x app (npm run bench:n8n): how much faster TikHub Image Edit
// (Concurrency 4, its default) edits 16 images than n8n's own OpenAI node (Image > Edit), which
// sends one request after the other. Both call the local TikHub stand-in, which answers each
// POST /v1/images/edits after 1 s. The packed package is installed as test:n8n installs it, each
// workflow (Read Files of 16 PNGs -> the edit node) runs RUNS times with `n8n execute`, and each
// node's time is its own executionTime from the run data: n8n's start and the read are not in it.
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { encodePng, startTikHubServer, type TikHubServer } from '../../harness/server';
import { checkExecution, nodeOutput, parseRawOutput, type ExecutionReport } from './checks';
import { CREDENTIAL_ID, makeWorkspace } from './fixtures';
import { ensureN8n, LINES, nodeRuntime } from './install-n8n';
import { n8nCommand, n8nCommandOk, n8nEnv, type N8nApp } from './n8n';
import { buildAndPack, installIntoUserFolder } from './package';
import { log, removeTempDir, runOk, runScript, setLogTag, tempDir } from './proc';

const ITEMS = 16;
const LATENCY_MS = 1000;
const CONCURRENCY = 4;
const RUNS = 2;
const TARGET = 3.8;
const PROMPT = 'Put the product on a sunny beach, keep its shape and colour unchanged';
const OPENAI_CREDENTIAL = 'openai-stand-in';

/** One workflow to time: its file, id, and the node whose executionTime counts. */
interface Bench {
	label: string;
	id: string;
	node: string;
	file: string;
}

interface Sample {
	seconds: number;
	/** The whole `n8n execute`, start and shutdown included. */
	wallSeconds: number;
	maxInFlight: number;
	/** The multipart file part names the edits used (image, image[]). */
	parts: string;
	/** Where the node's time went, from the stand-in's request arrival times. */
	breakdown: string;
}

const ourNode = {
	name: 'TikHub Image Edit',
	type: 'n8n-nodes-tikhub.tikHubImageEdit',
	typeVersion: 1,
	parameters: { model: 'gpt-image-2', prompt: PROMPT, binaryPropertyName: 'data', options: { concurrency: CONCURRENCY } },
	credentials: { tikHubApi: { id: CREDENTIAL_ID, name: 'TikHub account' } },
};

// Parameters as the installed node reads them (OpenAi/v2/actions/image/edit.operation.js, version 2.3):
// a modelId resource locator, `images` binary fields sent as `image[]` parts, size "auto" so that the
// stand-in answers with images as large as ours gets (256x256), and an empty Options (no mask).
const openAiNode = {
	name: 'OpenAI Image Edit',
	type: '@n8n/n8n-nodes-langchain.openAi',
	typeVersion: 2.3,
	parameters: {
		resource: 'image',
		operation: 'edit',
		modelId: { __rl: true, mode: 'id', value: 'gpt-image-1' },
		prompt: PROMPT,
		images: { values: [{ binaryPropertyName: 'data' }] },
		size: 'auto',
		options: {},
	},
	credentials: { openAiApi: { id: OPENAI_CREDENTIAL, name: 'OpenAI (stand-in)' } },
};

/** Manual trigger -> Read Files (the 16 PNGs under /files/in/) -> the edit node. */
function workflowFor(id: string, node: { name: string }): object {
	const link = (to: string) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	return {
		id,
		name: `Throughput: ${node.name}`,
		nodes: [
			{ id: randomUUID(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: randomUUID(),
				name: 'Read Images',
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1,
				position: [220, 0],
				parameters: { operation: 'read', fileSelector: '/files/in/*.png', options: {} },
			},
			{ id: randomUUID(), position: [440, 0], ...node },
		],
		connections: { Start: link('Read Images'), 'Read Images': link(node.name) },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** 16 different 256x256 PNGs, under in/ in the workspace's files folder. */
function inputImages(): Record<string, Buffer> {
	const files: Record<string, Buffer> = {};
	for (let i = 0; i < ITEMS; i++) files[`in/image-${String(i).padStart(2, '0')}.png`] = encodePng(256, 256, [i * 15, 120, 200, 255]);
	return files;
}

/** Notes when each request reached the stand-in (once parsed: its 1 s started at its arrival, a few ms before) into `into`. */
function stampArrivals(server: TikHubServer, into: number[]): void {
	const push = server.requests.push.bind(server.requests);
	server.requests.push = (...requests) => {
		into.push(...requests.map(() => Date.now()));
		return push(...requests);
	};
}

/**
 * The node's time split by the stand-in's arrival times (each answer leaves at most LATENCY_MS after
 * its request was parsed, and frees a slot for the request `inFlight` places later): node start to the
 * first request, an answer to the next request in its slot, the last answer to the node's end.
 */
function breakdown(arrivals: number[], startTime: number, executionTime: number, inFlight: number): string {
	const sorted = [...arrivals].sort((a, b) => a - b);
	const gaps = sorted.slice(inFlight).map((at, i) => at - (sorted[i] + LATENCY_MS));
	const ms = (value: number) => `${Math.round(value)} ms`;
	return (
		`start -> 1st request ${ms(sorted[0] - startTime)}, ` +
		`answer -> next request median ${ms(median(gaps))} (max ${ms(Math.max(...gaps))}), ` +
		`last answer -> node end ${ms(startTime + executionTime - (sorted[sorted.length - 1] + LATENCY_MS))}`
	);
}

/** Runs one workflow once; throws unless all 16 items were edited. */
async function runOnce(app: N8nApp, env: NodeJS.ProcessEnv, server: TikHubServer, bench: Bench, arrivals: number[]): Promise<Sample> {
	const before = server.requests.length;
	server.maxInFlight = 0;
	arrivals.length = 0;
	const result = await n8nCommand(app, ['execute', `--id=${bench.id}`, '--rawOutput'], env);
	const tail = () => (result.stdout + '\n' + result.stderr).trim().split('\n').slice(-15).join('\n');
	let report: ExecutionReport;
	try {
		report = parseRawOutput(result.stdout);
	} catch (error) {
		throw new Error(`${bench.label}: ${(error as Error).message}; n8n execute exited ${result.code ?? result.signal}:\n${tail()}`);
	}
	const problems = checkExecution(report);
	const outputs = nodeOutput(report, bench.node)?.length ?? 0;
	if (outputs !== ITEMS) problems.push(`${bench.node} output ${outputs} items, expected ${ITEMS}`);
	const edits = server.requests.slice(before).filter((r) => r.method === 'POST' && r.path === '/v1/images/edits');
	if (edits.length !== ITEMS) problems.push(`the stand-in saw ${edits.length} edits, expected ${ITEMS}`);
	const task = report.data?.resultData?.runData?.[bench.node]?.[0] as { startTime?: number; executionTime?: number } | undefined;
	const { startTime, executionTime } = task ?? {};
	if (startTime === undefined || executionTime === undefined) problems.push(`${bench.node} has no start or execution time in the run data`);
	if (problems.length > 0) throw new Error(`${bench.label}: ${problems.join('; ')}\n${tail()}`);
	const parts = [...new Set(edits.flatMap((e) => e.files.map((f) => f.field)))].join(', ');
	return {
		seconds: executionTime! / 1000,
		wallSeconds: result.seconds,
		maxInFlight: server.maxInFlight,
		parts,
		breakdown: breakdown(arrivals, startTime!, executionTime!, server.maxInFlight),
	};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const s = (seconds: number) => `${seconds.toFixed(2)} s`;

function printResults(machine: string, ours: Sample[], theirs: Sample[]): void {
	const [oursMedian, theirsMedian] = [median(ours.map((x) => x.seconds)), median(theirs.map((x) => x.seconds))];
	const ratio = theirsMedian / oursMedian;
	const waves = Math.ceil(ITEMS / CONCURRENCY);
	const latency = LATENCY_MS / 1000;
	const lines = (label: string, samples: Sample[]) => {
		console.log(`  ${label}:`);
		for (const [i, x] of samples.entries()) {
			console.log(`    run ${i + 1} ${s(x.seconds)} (n8n execute ${s(x.wallSeconds)}, ${x.maxInFlight} in flight, parts ${x.parts}): ${x.breakdown}`);
		}
	};
	console.log(`\nThroughput in n8n: ${ITEMS} images, stand-in latency ${LATENCY_MS} ms; ${machine}`);
	lines(`TikHub Image Edit (Concurrency ${CONCURRENCY})`, ours);
	lines('OpenAI Image Edit (n8n)', theirs);
	console.log(
		`  TikHub Image Edit median ${s(oursMedian)}: ${s(oursMedian - waves * latency)} over ${waves} waves x ${latency} s, ` +
			`${(((oursMedian - waves * latency) / waves) * 1000).toFixed(0)} ms per wave`,
	);
	console.log(
		`  OpenAI Image Edit median ${s(theirsMedian)}: ${s(theirsMedian - ITEMS * latency)} over ${ITEMS} x ${latency} s, ` +
			`${(((theirsMedian - ITEMS * latency) / ITEMS) * 1000).toFixed(0)} ms per request`,
	);
	const perRun = ours.map((x, i) => `${(theirs[i].seconds / x.seconds).toFixed(2)}x`).join(', ');
	console.log(`  ratio (OpenAI / TikHub): runs ${perRun}; medians ${ratio.toFixed(2)}x (target >= ${TARGET}x: ${ratio >= TARGET ? 'met' : 'NOT met'})`);
}

async function main(): Promise<number> {
	setLogTag('bench:n8n');
	const line = LINES.find((l) => l.major === '2')!;
	const packDir = tempDir('tikhub-bench-pack-');
	const workflowDir = tempDir('tikhub-bench-workflows-');
	const server = await startTikHubServer();
	server.latencyMs = LATENCY_MS;
	const arrivals: number[] = [];
	stampArrivals(server, arrivals);
	const benches: Bench[] = [
		{ label: 'TikHub Image Edit', id: 'benchTikHubImageEdit', node: ourNode.name, file: join(workflowDir, 'tikhub.json') },
		{ label: 'OpenAI Image Edit', id: 'benchOpenAiImageEdit', node: openAiNode.name, file: join(workflowDir, 'openai.json') },
	];
	writeFileSync(benches[0].file, JSON.stringify(workflowFor(benches[0].id, ourNode)));
	writeFileSync(benches[1].file, JSON.stringify(workflowFor(benches[1].id, openAiNode)));
	const ws = makeWorkspace('bench', server, benches.map((b) => b.file), inputImages());
	try {
		const pkg = await buildAndPack(packDir);
		const installed = await ensureN8n(line);
		const app: N8nApp = { n8nScript: installed.n8nScript, ...(await nodeRuntime(line.node)) };
		const nodeVersion = (await runOk(app.nodeBin, ['--version'])).stdout.trim();
		const env = await n8nEnv(app, { userFolder: ws.userFolder, fileAccess: [ws.filesDir, ws.outDir], binaryMode: 'filesystem' });
		await installIntoUserFolder(pkg, ws.userFolder, env);
		// n8n's OpenAI credential (n8n-nodes-base OpenAiApi.credentials.js): its Base URL field is `url`.
		const openAiCredentialFile = join(ws.root, 'openai-credential.json');
		const openAiData = { apiKey: server.apiKey, organizationId: '', url: `${server.baseUrl}/v1`, header: false };
		writeFileSync(openAiCredentialFile, JSON.stringify([{ id: OPENAI_CREDENTIAL, name: 'OpenAI (stand-in)', type: 'openAiApi', data: openAiData }]));
		log('importing credentials and workflows (the first start runs DB migrations)');
		for (const file of [ws.credentialFile, openAiCredentialFile]) await n8nCommandOk(app, ['import:credentials', `--input=${file}`], env);
		for (const workflow of ws.workflows) await n8nCommandOk(app, ['import:workflow', `--input=${workflow.file}`], env);

		const samples = new Map<Bench, Sample[]>(benches.map((b) => [b, []]));
		for (let run = 1; run <= RUNS; run++) {
			for (const bench of benches) {
				const sample = await runOnce(app, env, server, bench, arrivals);
				log(`run ${run}: ${bench.label} ${s(sample.seconds)} (n8n execute ${s(sample.wallSeconds)})`);
				samples.get(bench)!.push(sample);
			}
		}
		const cpu = cpus();
		const machine = `${cpu.length} CPUs (${cpu[0]?.model.trim()}), n8n ${line.n8n} on Node ${nodeVersion}, binary mode filesystem`;
		printResults(machine, samples.get(benches[0])!, samples.get(benches[1])!);
		return 0;
	} finally {
		await server.close();
		removeTempDir(ws.root);
		removeTempDir(workflowDir);
		removeTempDir(packDir);
	}
}

runScript('bench:n8n', main);
