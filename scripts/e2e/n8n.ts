// Environment and commands for running the installed n8n app headless on this machine only.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

import { run, runOk, start, stop, type RunResult } from './proc';

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** An installed n8n and the node it runs on. */
export interface N8nApp {
	n8nScript: string;
	nodeBin: string;
	/** PATH with nodeBin's folder first. */
	path: string;
}

export interface N8nEnvOptions {
	userFolder: string;
	/** Folders Read/Write Files from Disk may touch. */
	fileAccess: string[];
	binaryMode?: string;
	/** More settings, e.g. N8N_EXPRESSION_ENGINE. */
	extra?: Record<string, string>;
	/** Port for the editor and REST API (the screenshot script); otherwise a free one. */
	port?: number;
}

export async function n8nEnv(n8n: N8nApp, options: N8nEnvOptions): Promise<NodeJS.ProcessEnv> {
	// Only what n8n needs from ours: no N8N_* or DB_* settings leak in from the caller's shell.
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !/^(N8N_|DB_|EXECUTIONS_|NODE_OPTIONS$|QUEUE_)/.test(key)),
	);
	return {
		...inherited,
		PATH: n8n.path,
		N8N_USER_FOLDER: options.userFolder,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(options.port ?? (await freePort())),
		// The task broker gets a port of its own too: a leftover broker on the default 5679
		// would otherwise make this run fail without a word.
		N8N_RUNNERS_ENABLED: 'true',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_RESTRICT_FILE_ACCESS_TO: options.fileAccess.join(';'),
		// 1.x warns about each of these at start unless they are set; 2.x's defaults.
		DB_SQLITE_POOL_SIZE: '2',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
		N8N_LOG_LEVEL: 'info',
		...(options.binaryMode ? { N8N_DEFAULT_BINARY_DATA_MODE: options.binaryMode } : {}),
		...options.extra,
	};
}

/** Runs `n8n <args>` on the node n8n was installed for. */
export async function n8nCommand(
	n8n: N8nApp,
	args: string[],
	env: NodeJS.ProcessEnv,
	timeoutMs = 3 * 60_000,
): Promise<RunResult> {
	return await run(n8n.nodeBin, [n8n.n8nScript, ...args], { env, timeoutMs });
}

export async function n8nCommandOk(
	n8n: N8nApp,
	args: string[],
	env: NodeJS.ProcessEnv,
	timeoutMs = 3 * 60_000,
): Promise<RunResult> {
	return await runOk(n8n.nodeBin, [n8n.n8nScript, ...args], { env, timeoutMs });
}

export interface RunningN8n {
	child: ChildProcess;
	/** Everything n8n printed so far. */
	output: () => string;
}

export interface StartOptions {
	/** The n8n command and its flags: `start` by default, e.g. `worker --concurrency=5`. */
	args?: string[];
	/** The URL that answers 2xx once the process is ready; by default the main's /healthz/readiness. */
	readyUrl?: string;
	timeoutMs?: number;
}

/** `n8n start` (or `args`) in its own process group; resolves once it is fully ready. Stop it with proc.stop. */
export async function startN8n(n8n: N8nApp, env: NodeJS.ProcessEnv, options: StartOptions = {}): Promise<RunningN8n> {
	const { args = ['start'], timeoutMs = 120_000 } = options;
	const child = start(n8n.nodeBin, [n8n.n8nScript, ...args], { env });
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	// /healthz answers as soon as the HTTP server is up; /readiness once the REST API is too
	// (on a worker: once its database and Redis connections are).
	const url = options.readyUrl ?? `http://127.0.0.1:${env.N8N_PORT}/healthz/readiness`;
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`n8n ${args[0]} exited ${child.exitCode}:\n${output.slice(-3000)}`);
		const ok = await fetch(url).then(
			(r) => r.ok,
			() => false,
		);
		if (ok) return { child, output: () => output };
		await new Promise((r) => setTimeout(r, 500));
	}
	await stop(child);
	throw new Error(`n8n ${args[0]} did not answer ${url} within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`);
}

/** Log lines worth a reader's eye (about our package, or errors), outside any execution JSON. */
export function notableLogLines(output: string): string[] {
	const lines = output.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	const outside = start === -1 || end < start ? lines : [...lines.slice(0, start), ...lines.slice(end + 1)];
	return outside
		.filter((l) => /tikhub|unrecognized|failed to load|icon|\berror\b|\bwarn/i.test(l))
		.map((l) => l.trim())
		.slice(0, 30);
}
