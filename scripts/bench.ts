/**
 * `npm run bench`: how fast and how lean the built node is, run through n8n's engine against
 * the TikHub-compatible server (in a child process, with a set latency). Not a test: figures
 * depend on the machine. Prints a table; the README quotes it.
 *
 *  (a) wall time for N items at concurrency 1 and at the default, next to the ideal ceil(N/C) x latency
 *  (b) peak RSS growth while editing one large image, as a multiple of the image size
 *  (c) cold require() time of the node module
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { deflateSync } from 'node:zlib';

import { DEFAULT_CONCURRENCY } from '../nodes/shared/items/parameters';
import { runWorkflow } from '../harness/engine';
import { registerFixture } from '../harness/engine/stand-in-nodes';
import { png } from '../harness/fixtures';
import { editWorkflow } from '../harness/workflows';
import { PNG_SIGNATURE, pngChunk } from '../harness/server';
import { loadBuiltPackage } from './built-package';

const root = resolve(__dirname, '..');
const ITEMS = Number(process.env.BENCH_ITEMS ?? 16);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 1000);
const LARGE_MB = Number(process.env.BENCH_IMAGE_MB ?? 20);

async function startServer(latencyMs: number): Promise<{ child: ChildProcess; baseUrl: string; apiKey: string }> {
	const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'bench-server.ts'), String(latencyMs)], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
	return { child, ...(JSON.parse(line) as { baseUrl: string; apiKey: string }) };
}

async function stopServer(child: ChildProcess) {
	child.kill('SIGTERM');
	await once(child, 'exit');
}

async function editItems(
	server: { baseUrl: string; apiKey: string },
	items: Parameters<typeof registerFixture>[0],
	options: Record<string, unknown>,
	onNodeStart?: (nodeName: string) => void,
) {
	const result = await runWorkflow(
		loadBuiltPackage(),
		editWorkflow({ model: 'gpt-image-2', prompt: 'bench', options }, registerFixture(items)),
		{
			credentials: { tikHubApi: { apiKey: server.apiKey, baseUrl: server.baseUrl } },
			binaryMode: 'filesystem',
			onNodeStart,
		},
	);
	if (result.error) throw result.error;
	return result;
}

/** A PNG of incompressible pixels (stored deflate blocks), about `megabytes` MB. */
function largePng(megabytes: number): Buffer {
	const width = 2048;
	const stride = width * 4 + 1;
	const height = Math.ceil((megabytes * 1024 * 1024) / stride);
	const raw = randomBytes(height * stride);
	for (let row = 0; row < height; row++) raw[row * stride] = 0; // filter byte: None
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

async function wallTimes() {
	const server = await startServer(LATENCY_MS);
	const rows: string[][] = [];
	try {
		const items = Array.from({ length: ITEMS }, () => ({ binary: { data: { bytes: png(256, 256), fileName: 'p.png', mimeType: 'image/png' } } }));
		for (const concurrency of [1, DEFAULT_CONCURRENCY]) {
			const started = Date.now();
			await editItems(server, items, { concurrency });
			const seconds = (Date.now() - started) / 1000;
			const ideal = (Math.ceil(ITEMS / concurrency) * LATENCY_MS) / 1000;
			rows.push([
				`${ITEMS} items, concurrency ${concurrency}${concurrency === DEFAULT_CONCURRENCY ? ' (default)' : ''}`,
				`${seconds.toFixed(2)} s`,
				`ideal ${ideal.toFixed(2)} s (+${(((seconds - ideal) / ideal) * 100).toFixed(1)}%)`,
			]);
		}
	} finally {
		await stopServer(server.child);
	}
	return rows;
}

/**
 * Peak memory of one large edit, in a fresh process: the image is written to disk first and
 * streamed into n8n's filesystem binary store, so nothing before our node holds it in memory,
 * and the growth measured from the node's start is the node's own.
 */
async function peakMemory() {
	const file = join(mkdtempSync(join(tmpdir(), 'tikhub-bench-')), 'large.png');
	writeFileSync(file, largePng(LARGE_MB));
	// Garbage collection timing moves the peak from run to run: report the median of 5.
	const runs = Array.from({ length: 5 }, () => {
		const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--memory-child', file], {
			cwd: root,
			encoding: 'utf8',
		});
		return JSON.parse(output.trim().split('\n').pop() as string) as Record<string, number>;
	});
	const median = (key: string) => runs.map((run) => run[key]).sort((a, b) => a - b)[2];
	const [rss, buffers, size] = [median('rss'), median('buffers'), runs[0].size];
	const range = (key: string) =>
		`${(Math.min(...runs.map((r) => r[key])) / size).toFixed(1)}-${(Math.max(...runs.map((r) => r[key])) / size).toFixed(1)}x`;
	const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
	return [
		[`peak RSS growth, one ${mb(size)} image (median of 5)`, mb(rss), `${(rss / size).toFixed(2)}x the image (runs ${range('rss')})`],
		[`peak Buffer memory growth, same edits`, mb(buffers), `${(buffers / size).toFixed(2)}x the image (runs ${range('buffers')})`],
	];
}

/** The child of peakMemory: one edit of the file given, figures printed as JSON. */
async function memoryChild(file: string) {
	const server = await startServer(0);
	try {
		const size = statSync(file).size;
		const item = { binary: { data: { bytes: createReadStream(file), fileName: 'large.png', mimeType: 'image/png' } } };
		let rss = { base: 0, peak: 0 };
		let buffers = { base: 0, peak: 0 };
		let sampler: NodeJS.Timeout | undefined;
		const sample = () => {
			const usage = process.memoryUsage();
			rss.peak = Math.max(rss.peak, usage.rss);
			buffers.peak = Math.max(buffers.peak, usage.arrayBuffers);
		};
		await editItems(server, [item], {}, (nodeName) => {
			if (nodeName !== 'TikHub Image Edit') return;
			global.gc?.();
			const usage = process.memoryUsage();
			rss = { base: usage.rss, peak: usage.rss };
			buffers = { base: usage.arrayBuffers, peak: usage.arrayBuffers };
			sampler = setInterval(sample, 2);
		});
		clearInterval(sampler);
		sample();
		console.log(JSON.stringify({ size, rss: rss.peak - rss.base, buffers: buffers.peak - buffers.base }));
	} finally {
		await stopServer(server.child);
	}
}

function requireTime() {
	const script = `
		require('n8n-workflow');
		const t = process.hrtime.bigint();
		require(${JSON.stringify(join(root, 'dist/nodes/TikHubImageEdit/TikHubImageEdit.node.js'))});
		require(${JSON.stringify(join(root, 'dist/credentials/TikHubApi.credentials.js'))});
		console.log(Number(process.hrtime.bigint() - t) / 1e6);`;
	const runs = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })));
	runs.sort((a, b) => a - b);
	return [['cold require of node + credential (n8n-workflow already loaded)', `${runs[2].toFixed(1)} ms`, 'median of 5 fresh processes']];
}

void (async () => {
	if (process.argv[2] === '--memory-child') {
		await memoryChild(process.argv[3]);
		process.exit(0);
	}
	const rows = [...(await wallTimes()), ...(await peakMemory()), ...requireTime()];
	const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
	console.log(`\nTikHub Image Edit benchmark (${LATENCY_MS} ms server latency, Node ${process.version}, ${cpus().length} cores)\n`);
	for (const row of rows) console.log(`| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`);
	process.exit(0);
})();
