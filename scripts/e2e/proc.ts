// Child processes for the e2e scripts. Each child gets its own process group so that
// stopping it also stops what it started (n8n's task broker and runners among them):
// a broker left on its port makes the next n8n run fail silently.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	seconds: number;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/** Copies the child's output to ours as it comes (for long installs). */
	echo?: boolean;
	/** Runs the child as this user and group (root only), e.g. Postgres, which refuses root. */
	uid?: number;
	gid?: number;
}

const live = new Set<ChildProcess>();

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is already gone.
	}
}

/** Stops every child group still running: for exits and Ctrl-C. */
export function killAll(): void {
	for (const child of live) killGroup(child, 'SIGKILL');
}

const tempDirs = new Set<string>();

/** A temp folder removed when the script ends, even on Ctrl-C (unless E2E_KEEP=1). */
export function tempDir(prefix: string): string {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	tempDirs.add(dir);
	return dir;
}

export function removeTempDir(dir: string): void {
	tempDirs.delete(dir);
	if (process.env.E2E_KEEP === '1') log(`kept ${dir}`);
	else rmSync(dir, { recursive: true, force: true });
}

const interruptHandlers: Array<() => Promise<void>> = [];

/**
 * Work to do on Ctrl-C or SIGTERM before the exit handler SIGKILLs what is left (at most 30 s):
 * e.g. a database's own clean shutdown.
 */
export function onInterrupt(handler: () => Promise<void>): void {
	interruptHandlers.push(handler);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => {
		const timeout = new Promise((r) => setTimeout(r, 30_000).unref());
		const cleanups = Promise.allSettled(interruptHandlers.map((handler) => handler()));
		void Promise.race([cleanups, timeout]).then(() => process.exit(130));
	});
}
process.once('exit', () => {
	killAll();
	for (const dir of tempDirs) removeTempDir(dir);
});

/** Starts a long-lived child (a server) in its own process group. */
export function start(command: string, args: string[], options: RunOptions = {}): ChildProcess {
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		uid: options.uid,
		gid: options.gid,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	live.add(child);
	child.once('exit', () => live.delete(child));
	return child;
}

/**
 * Stops a child: SIGTERM (or `signal`) to it alone, so it can shut down what it started itself
 * (n8n stops its task runners), then SIGKILL to its whole group after a grace period or once
 * it exited.
 */
export async function stop(child: ChildProcess, graceMs = 15_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	const exited =
		child.exitCode !== null || child.signalCode !== null
			? Promise.resolve()
			: new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill(signal);
	const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	// The leader may have exited while children of its group live on.
	killGroup(child, 'SIGKILL');
	live.delete(child);
}

/** Runs a command to its end and collects its output. Never throws on a non-zero exit. */
export async function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
	const began = Date.now();
	const child = start(command, args, options);
	let stdout = '';
	let stderr = '';
	child.stdout?.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		if (options.echo) process.stdout.write(chunk);
	});
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
		if (options.echo) process.stderr.write(chunk);
	});
	const timer =
		options.timeoutMs === undefined
			? undefined
			: setTimeout(() => {
					stderr += `\n[e2e] timed out after ${options.timeoutMs} ms, stopping ${command}\n`;
					killGroup(child, 'SIGKILL');
				}, options.timeoutMs);
	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
		child.once('error', reject);
		child.once('close', (c, s) => resolve([c, s]));
	});
	if (timer) clearTimeout(timer);
	// Whatever the command left behind in its group goes with it.
	killGroup(child, 'SIGKILL');
	live.delete(child);
	return { code, signal, stdout, stderr, seconds: (Date.now() - began) / 1000 };
}

/** Like run, but throws with the command's output tail when it fails. */
export async function runOk(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const tail = (result.stderr + '\n' + result.stdout).trim().split('\n').slice(-30).join('\n');
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.code ?? result.signal}):\n${tail}`);
	}
	return result;
}

let logTag = 'e2e';

/** Names the script in log lines: [e2e 12:00:00] by default. */
export function setLogTag(tag: string): void {
	logTag = tag;
}

export function log(message: string): void {
	const time = new Date().toISOString().slice(11, 19);
	console.log(`[${logTag} ${time}] ${message}`);
}

/** Runs a script's main and exits with its code; if it throws: the error and "<tag>: 0 passed, 1 failed". */
export function runScript(tag: string, main: () => Promise<number>): void {
	main().then(
		(code) => process.exit(code),
		(error: unknown) => {
			console.error(`${tag}: ${error instanceof Error ? error.message : String(error)}`);
			console.log(`${tag}: 0 passed, 1 failed`);
			process.exit(1);
		},
	);
}
