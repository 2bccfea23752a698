/**
 * `npm run bench`: how fast and how lean the built package is, run through n8n's engine against
 * the TikHub-compatible server. Not a test: figures depend on the machine, so each is set against
 * a limit measured or derived in the same run. Prints a table and writes bench-results.json (the
 * README's "Speed and memory" table is taken from it, with the machine it ran on).
 *
 *  - wall time for N edits at Concurrency 1 and 4 (median of 5 runs), next to the ideal ceil(N/C) x latency
 *  - peak RSS growth while editing one 20 MB image, and four at once (fresh processes, median of 5)
 *  - peak RSS growth while Image Generate stores a 20 MB image answered as base64
 *  - 500 image items at Concurrency 8 (peak RSS growth), 50 video tasks waited at once,
 *    1,000 embedding items in batches of 100 (when the Embeddings node is in the package)
 *  - cold require() of every node and credential package.json lists (n8n-workflow already loaded)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { deflateSync } from 'node:zlib';

import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY } from '../nodes/shared/items/parameters';
import { runWorkflow } from '../harness/engine';
import { registerFixture, type FixtureItem } from '../harness/engine/stand-in-nodes';
import { png } from '../harness/fixtures';
import { EDIT_NODE, GENERATE_NODE, GENERATE_TYPE, NODE_TYPE, nodeWorkflow } from '../harness/workflows';
import { PNG_SIGNATURE, pngChunk, startTikHubServer } from '../harness/server';
import { loadBuiltPackage } from './built-package';

const root = resolve(__dirname, '..');
const ITEMS = Number(process.env.BENCH_ITEMS ?? 16);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 1000);
const LARGE_MB = Number(process.env.BENCH_IMAGE_MB ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/**
 * Runs of each throughput row (their median is the figure). Single runs of the Concurrency 4 row
 * move by about ±25 ms on this machine, about the row's margin, so five rather than three.
 */
const TIME_RUNS = Number(process.env.BENCH_TIME_RUNS ?? 5);
const MB = 1024 * 1024;

interface Row {
	measure: string;
	result: string;
	reference: string;
	/** The figure and the limit it is held against, in the same unit (s, MB, ratio, ms, count). */
	value?: number;
	limit?: number;
	/** Whether the figure is within its limit; undefined for rows without one. */
	ok?: boolean;
}

const row = (measure: string, result: string, reference: string, value?: number, limit?: number): Row => ({
	measure,
	result,
	reference,
	value,
	limit,
	ok: value === undefined || limit === undefined ? undefined : value <= limit,
});

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// ---------------------------------------------------------------------------------------------
// The server in a child process (so memory figures are the node's alone) or in this one.

async function startServer(latencyMs: number, answerFile?: string): Promise<{ child: ChildProcess; baseUrl: string; apiKey: string }> {
	const args = ['--import', 'tsx', join(__dirname, 'bench-server.ts'), String(latencyMs), ...(answerFile ? [answerFile] : [])];
	const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
	const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
	return { child, ...(JSON.parse(line) as { baseUrl: string; apiKey: string }) };
}

async function stopServer(child: ChildProcess) {
	child.kill('SIGTERM');
	await once(child, 'exit');
}

/** Runs Start -> Input Items -> the node; resolves with the node's output and its own wall time. */
async function runNode(
	server: { baseUrl: string; apiKey: string },
	type: string,
	name: string,
	parameters: IDataObject,
	items: FixtureItem[],
	onNodeStart?: () => void,
) {
	let nodeStarted = 0;
	const workflowStarted = Date.now();
	const result = await runWorkflow(loadBuiltPackage(), nodeWorkflow(type, name, parameters, registerFixture(items)), {
		credentials: { tikHubApi: { apiKey: server.apiKey, baseUrl: server.baseUrl } },
		binaryMode: 'filesystem',
		onNodeStart: (nodeName) => {
			if (nodeName !== name) return;
			nodeStarted = Date.now();
			onNodeStart?.();
		},
	});
	if (result.error) throw result.error;
	const ended = Date.now();
	return { items: result.output(name), nodeSeconds: (ended - nodeStarted) / 1000, workflowSeconds: (ended - workflowStarted) / 1000 };
}

const EDIT = { type: NODE_TYPE, name: EDIT_NODE };

async function editItems(server: { baseUrl: string; apiKey: string }, items: FixtureItem[], options: IDataObject, onNodeStart?: () => void) {
	return await runNode(server, EDIT.type, EDIT.name, { model: 'gpt-image-2', prompt: 'bench', options }, items, onNodeStart);
}

/** A PNG of incompressible pixels (stored deflate blocks), about `megabytes` MB. */
function largePng(megabytes: number): Buffer {
	const width = 2048;
	const stride = width * 4 + 1;
	const height = Math.max(1, Math.ceil((megabytes * MB) / stride));
	const raw = randomBytes(height * stride);
	for (let line = 0; line < height; line++) raw[line * stride] = 0; // filter byte: None
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 6; // RGBA
	return Buffer.concat([
		PNG_SIGNATURE,
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(raw, { level: 0 })),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/** Folders of the files written for child processes, removed when the bench ends. */
const tempDirs: string[] = [];

function tempFile(name: string, bytes: Buffer): string {
	const dir = mkdtempSync(join(tmpdir(), 'tikhub-bench-'));
	tempDirs.push(dir);
	const file = join(dir, name);
	writeFileSync(file, bytes);
	return file;
}

// ---------------------------------------------------------------------------------------------
// Peak memory, measured in a fresh child process from the node's start.

interface MemoryFigures {
	rss: number;
	buffers: number;
	seconds: number;
	[key: string]: number;
}

/** Samples RSS and Buffer memory every 2 ms from `start()` (after a GC) to `stop()`. */
function memorySampler() {
	let rss = { base: 0, peak: 0 };
	let buffers = { base: 0, peak: 0 };
	let timer: NodeJS.Timeout | undefined;
	const sample = () => {
		const usage = process.memoryUsage();
		rss.peak = Math.max(rss.peak, usage.rss);
		buffers.peak = Math.max(buffers.peak, usage.arrayBuffers);
	};
	return {
		start() {
			global.gc?.();
			const usage = process.memoryUsage();
			rss = { base: usage.rss, peak: usage.rss };
			buffers = { base: usage.arrayBuffers, peak: usage.arrayBuffers };
			timer = setInterval(sample, 2);
		},
		stop() {
			clearInterval(timer);
			sample();
			return { rss: rss.peak - rss.base, buffers: buffers.peak - buffers.base };
		},
	};
}

function child(args: string[]): MemoryFigures {
	const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, ...args], {
		cwd: root,
		encoding: 'utf8',
		maxBuffer: 16 * MB,
	});
	return JSON.parse(output.trim().split('\n').pop() as string) as MemoryFigures;
}

/** `count` edits of the file at once (Concurrency `count`), in a child process. */
async function editMemoryChild(file: string, count: number) {
	const server = await startServer(0);
	try {
		const items = Array.from({ length: count }, (_, index) => ({
			binary: { data: { bytes: createReadStream(file), fileName: `large-${index}.png`, mimeType: 'image/png' } },
		}));
		// A small edit first, so the code paths are loaded and compiled before the measured one.
		await editItems(server, [{ binary: { data: { bytes: png(256, 256), fileName: 'warm-up.png', mimeType: 'image/png' } } }], {});
		const sampler = memorySampler();
		const run = await editItems(server, items, { concurrency: count }, () => sampler.start());
		console.log(JSON.stringify({ ...sampler.stop(), seconds: run.nodeSeconds, outputs: run.items.length }));
	} finally {
		await stopServer(server.child);
	}
}

/** Image Generate answered with the file as base64, in a child process. */
async function base64MemoryChild(file: string) {
	const server = await startServer(0, file);
	try {
		await runNode(server, GENERATE_TYPE, GENERATE_NODE, { model: 'gpt-image-2', prompt: 'warm-up' }, [{ json: {} }]);
		const sampler = memorySampler();
		const run = await runNode(server, GENERATE_TYPE, GENERATE_NODE, { model: 'gpt-image-2', prompt: 'bench' }, [{ json: {} }], () =>
			sampler.start(),
		);
		console.log(JSON.stringify({ ...sampler.stop(), seconds: run.nodeSeconds, fileSize: Number(run.items[0]?.json.fileSize) }));
	} finally {
		await stopServer(server.child);
	}
}

async function memoryRows(): Promise<Row[]> {
	const image = largePng(LARGE_MB);
	const file = tempFile('large.png', image);
	const size = image.length;
	const rows: Row[] = [];
	const describe = (runs: MemoryFigures[], inFlight: number) => {
		const ratios = runs.map((run) => run.rss / inFlight);
		return `${(median(runs.map((run) => run.rss)) / inFlight).toFixed(2)}x (runs ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x)`;
	};

	for (const count of [1, 4]) {
		const runs = Array.from({ length: RUNS }, () => child(['--edit-memory-child', file, String(count)]));
		const rss = median(runs.map((run) => run.rss));
		const what = count === 1 ? `one ${mb(size)} image` : `${count} such images at once (Concurrency ${count})`;
		rows.push(
			row(
				`peak RSS growth, editing ${what}, filesystem mode (median of ${RUNS} fresh processes)`,
				mb(rss),
				`${describe(runs, count * size)} the images in flight; limit 1.3x`,
				rss / (count * size),
				1.3,
			),
		);
		if (count === 1) {
			const buffers = median(runs.map((run) => run.buffers));
			rows.push(row('peak Buffer memory growth, same edits', mb(buffers), `${(buffers / size).toFixed(2)}x the image`));
		}
	}

	const answer = tempFile('answer.png', image);
	const runs = Array.from({ length: RUNS }, () => child(['--base64-memory-child', answer]));
	if (runs.some((run) => run.fileSize !== size)) throw new Error('Image Generate did not store the whole answer');
	const rss = median(runs.map((run) => run.rss));
	rows.push(
		row(
			`peak RSS growth, Image Generate storing one ${mb(size)} image answered as base64 (${mb(Math.ceil(size / 3) * 4)} of text), filesystem mode`,
			mb(rss),
			`${describe(runs, size)} the image (n8n's client holds the answer as bytes, text and parsed JSON: about 4x before the node decodes it)`,
		),
	);
	return rows;
}

// ---------------------------------------------------------------------------------------------
// Throughput.

async function wallTimes(): Promise<Row[]> {
	const server = await startServer(LATENCY_MS);
	const rows: Row[] = [];
	try {
		const items = Array.from({ length: ITEMS }, () => ({ binary: { data: { bytes: png(256, 256), fileName: 'p.png', mimeType: 'image/png' } } }));
		await editItems(server, items.slice(0, 2), { concurrency: 2 }); // warm-up: JIT, first connections
		const concurrencies = [1, DEFAULT_CONCURRENCY];
		const runs = new Map(concurrencies.map((concurrency) => [concurrency, [] as Array<{ nodeSeconds: number; workflowSeconds: number }>]));
		// Taken in turns, so a slow spell of the machine falls on both rows rather than on one.
		for (let round = 0; round < TIME_RUNS; round++) {
			for (const concurrency of concurrencies) {
				// Each run starts from a collected heap: otherwise a major GC the previous run left
				// due (30-40 ms, seen with --trace-gc) lands in this one or not, by chance.
				global.gc?.();
				runs.get(concurrency)?.push(await editItems(server, items, { concurrency }));
			}
		}
		for (const concurrency of concurrencies) {
			const times = runs.get(concurrency) ?? [];
			const seconds = median(times.map((run) => run.nodeSeconds));
			const workflow = median(times.map((run) => run.workflowSeconds));
			const ideal = (Math.ceil(ITEMS / concurrency) * LATENCY_MS) / 1000;
			const over = (seconds - ideal) / ideal;
			const all = times.map((run) => run.nodeSeconds.toFixed(2)).join(', ');
			rows.push(
				row(
					`${ITEMS} edits, ${LATENCY_MS / 1000} s latency, Concurrency ${concurrency}${concurrency === DEFAULT_CONCURRENCY ? ' (default)' : ''}`,
					`${seconds.toFixed(2)} s`,
					`ideal ${ideal.toFixed(2)} s (+${(over * 100).toFixed(1)}%; limit +3%); median of ${times.length} runs (${all} s); whole workflow ${workflow.toFixed(2)} s`,
					seconds,
					ideal * 1.03,
				),
			);
		}
	} finally {
		await stopServer(server.child);
	}
	return rows;
}

// ---------------------------------------------------------------------------------------------
// Scale.

const SCALE_ITEMS = 500;
const SCALE_CONCURRENCY = 8;
const SCALE_IMAGE_KB = 256;
const SCALE_LATENCY_MS = 50;

/** 500 edits at Concurrency 8 in a child process (filesystem mode). */
async function scaleChild() {
	const server = await startServer(SCALE_LATENCY_MS);
	try {
		const image = largePng(SCALE_IMAGE_KB / 1024);
		const items = Array.from({ length: SCALE_ITEMS }, (_, index) => ({
			binary: { data: { bytes: image, fileName: `item-${index}.png`, mimeType: 'image/png' } },
		}));
		await editItems(server, items.slice(0, 2), {});
		const sampler = memorySampler();
		const run = await editItems(server, items, { concurrency: SCALE_CONCURRENCY }, () => sampler.start());
		if (run.items.length !== SCALE_ITEMS) throw new Error(`${run.items.length} outputs for ${SCALE_ITEMS} items`);
		console.log(JSON.stringify({ ...sampler.stop(), seconds: run.nodeSeconds, size: image.length }));
	} finally {
		await stopServer(server.child);
	}
}

async function scaleRows(): Promise<Row[]> {
	const rows: Row[] = [];
	const scale = child(['--scale-child']);
	const ideal = (Math.ceil(SCALE_ITEMS / SCALE_CONCURRENCY) * SCALE_LATENCY_MS) / 1000;
	rows.push(
		row(
			`${SCALE_ITEMS} edits of ${mb(scale.size)} images, Concurrency ${SCALE_CONCURRENCY}, filesystem mode: peak RSS growth`,
			mb(scale.rss),
			`limit 150 MB; ${scale.seconds.toFixed(1)} s (ideal ${ideal.toFixed(1)} s at ${SCALE_LATENCY_MS} ms latency)`,
			scale.rss / MB,
			150,
		),
	);
	rows.push(await videoRow());
	rows.push(await embeddingsRow());
	return rows;
}

const VIDEO = { type: 'n8n-nodes-tikhub.tikHubVideo', name: 'TikHub Video' };
const VIDEO_TASKS = 50;
/**
 * Real tasks take 30 s to minutes; 10 s keeps the run short while the fixed costs (creating 50
 * tasks, one poll interval of detection) stay visible. Polls every second, the option's minimum.
 */
const VIDEO_TASK_MS = 10_000;

/** One video task, then 50 at once (Concurrency 50), each taking 3 s at the server. */
async function videoRow(): Promise<Row> {
	const server = await startTikHubServer();
	try {
		server.videos.defaultScript = { polls: 0, afterMs: VIDEO_TASK_MS };
		const parameters = { provider: 'seedance', operation: 'generate', prompt: 'The product spins', options: { pollInterval: 1, concurrency: VIDEO_TASKS } };
		const one = await runNode(server, VIDEO.type, VIDEO.name, parameters, [{ json: {} }]);
		const many = await runNode(server, VIDEO.type, VIDEO.name, parameters, Array.from({ length: VIDEO_TASKS }, () => ({ json: {} })));
		if (many.items.length !== VIDEO_TASKS || many.items.some((item) => !item.binary?.data)) throw new Error('not every video arrived');
		const ratio = many.nodeSeconds / one.nodeSeconds;
		return row(
			`${VIDEO_TASKS} video tasks waited at once (Concurrency ${VIDEO_TASKS}, ${VIDEO_TASK_MS / 1000} s each at the server, 1 s polls)`,
			`${many.nodeSeconds.toFixed(2)} s`,
			`${ratio.toFixed(2)}x one task's ${one.nodeSeconds.toFixed(2)} s; limit 1.1x`,
			ratio,
			1.1,
		);
	} finally {
		await server.close();
	}
}

const EMBEDDINGS = { type: 'n8n-nodes-tikhub.tikHubEmbeddings', name: 'TikHub Embeddings', folder: 'nodes/TikHubEmbeddings' };
const EMBEDDING_ITEMS = 1000;
const EMBEDDING_BATCH = 100;

/** 1,000 texts in batches of 100: 10 requests. Skipped while the package has no Embeddings node. */
async function embeddingsRow(): Promise<Row> {
	const measure = `${EMBEDDING_ITEMS.toLocaleString('en')} embedding items, Batch Size ${EMBEDDING_BATCH}: requests sent`;
	const expected = EMBEDDING_ITEMS / EMBEDDING_BATCH;
	if (!existsSync(join(root, EMBEDDINGS.folder)) || !(EMBEDDINGS.type in loadBuiltPackage().nodeTypes)) {
		return row(measure, 'skipped', `no ${EMBEDDINGS.type} in package.json's n8n.nodes yet (${EMBEDDINGS.folder}); expects ${expected}`);
	}
	const server = await startTikHubServer();
	try {
		const items = Array.from({ length: EMBEDDING_ITEMS }, (_, index) => ({ json: { text: `product description ${index}` } }));
		const run = await runNode(
			server,
			EMBEDDINGS.type,
			EMBEDDINGS.name,
			{ model: 'text-embedding-3-small', text: '={{ $json.text }}', options: { batchSize: EMBEDDING_BATCH } },
			items,
		);
		const requests = server.requests.filter((request) => request.path.endsWith('/embeddings')).length;
		return row(
			measure,
			`${requests} requests`,
			`expected ${expected}; ${run.items.length} output items in ${run.nodeSeconds.toFixed(2)} s`,
			requests === expected && run.items.length === EMBEDDING_ITEMS ? 0 : 1,
			0,
		);
	} catch (error) {
		return { ...row(measure, 'failed', String(error).slice(0, 200)), ok: false };
	} finally {
		await server.close();
	}
}

// ---------------------------------------------------------------------------------------------
// Cold load.

function coldLoadRow(): Row {
	const root = resolve(process.env.BENCH_PACKAGE ?? resolve(__dirname, '..'));
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
	const files = [...pkg.n8n.credentials, ...pkg.n8n.nodes].map((file) => join(root, file));
	const script = `
		require('n8n-workflow');
		const before = Object.keys(require.cache).length;
		const t = process.hrtime.bigint();
		for (const file of ${JSON.stringify(files)}) require(file);
		const ms = Number(process.hrtime.bigint() - t) / 1e6;
		console.log(JSON.stringify({ ms, modules: Object.keys(require.cache).length - before }));`;
	const runs = Array.from({ length: 9 }, () => JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })) as { ms: number; modules: number });
	const ms = median(runs.map((run) => run.ms));
	return row(
		`cold require of all ${pkg.n8n.nodes.length} nodes + ${pkg.n8n.credentials.length} credential in package.json (dist/, n8n-workflow already loaded)`,
		`${ms.toFixed(1)} ms`,
		`median of 9 fresh processes, ${runs[0].modules} modules; limit 30 ms`,
		ms,
		30,
	);
}

// ---------------------------------------------------------------------------------------------

async function main() {
	const startedAt = new Date();
	const loadBefore = loadavg();
	const only = process.env.BENCH_ONLY?.split(',');
	const parts: Array<[string, () => Row[] | Promise<Row[]>]> = [
		['time', wallTimes],
		['memory', memoryRows],
		['scale', scaleRows],
		['load', () => [coldLoadRow()]],
	];
	const rows: Row[] = [];
	try {
		for (const [name, measure] of parts) if (!only || only.includes(name)) rows.push(...(await measure()));
	} finally {
		for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
	}
	const loadAfter = loadavg();

	const machine = {
		cpu: cpus()[0]?.model.trim(),
		cores: cpus().length,
		memory: `${Math.round(totalmem() / 1024 ** 3)} GB`,
		node: process.version,
		loadAverage: { before: loadBefore.map((n) => Number(n.toFixed(2))), after: loadAfter.map((n) => Number(n.toFixed(2))) },
	};
	const resultsFile = process.env.BENCH_PACKAGE ? join(process.env.BENCH_PACKAGE, 'bench-results.json') : join(root, 'bench-results.json');
	writeFileSync(
		resultsFile,
		`${JSON.stringify({ startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), machine, latencyMs: LATENCY_MS, rows }, null, '\t')}\n`,
	);

	const cells = rows.map((r) => [r.measure, r.result, r.reference, r.ok === undefined ? '' : r.ok ? 'ok' : 'OVER']);
	const widths = [0, 1, 2, 3].map((column) => Math.max(...cells.map((cell) => cell[column].length)));
	console.log(
		`\nTikHub benchmark: Node ${process.version}, ${machine.cores} cores (${machine.cpu}), load average ${loadBefore[0].toFixed(1)} before, ${loadAfter[0].toFixed(1)} after\n`,
	);
	for (const cell of cells) console.log(`| ${cell.map((text, i) => text.padEnd(widths[i])).join(' | ')} |`);
	console.log(`\nWritten to ${resultsFile}`);
}

void (async () => {
	const [mode, ...args] = process.argv.slice(2);
	if (mode === '--edit-memory-child') await editMemoryChild(args[0], Number(args[1]));
	else if (mode === '--base64-memory-child') await base64MemoryChild(args[0]);
	else if (mode === '--scale-child') await scaleChild();
	else await main();
	process.exit(0);
})().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
