// Redis and Postgres for the queue-mode proof. Installed from Debian's apt repos when missing;
// each run gets its own throwaway Redis and Postgres cluster, child processes listening on a
// free port of 127.0.0.1 only, stopped by process id (no system service is used or left on).
import type { ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';

import { freePort } from '../e2e/n8n';
import { log, run, runOk, start, stop, tempDir } from '../e2e/proc';

const isRoot = process.getuid?.() === 0;

function onPath(command: string): boolean {
	return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/** Debian's Postgres binaries (/usr/lib/postgresql/<major>/bin), the newest major first. */
function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d)) : [];
	majors.sort((a, b) => Number(b) - Number(a));
	const debian = majors.map((m) => join(root, m, 'bin')).find((bin) => existsSync(join(bin, 'initdb')));
	if (debian) return debian;
	// Elsewhere (e.g. a Postgres on PATH): initdb and friends side by side.
	const dir = (process.env.PATH ?? '').split(delimiter).find((d) => d && existsSync(join(d, 'initdb')));
	return dir || undefined;
}

// Debian starts a package's service on install unless policy-rc.d says no. This proof runs
// its own throwaway servers, so the packages' services (Redis on 6379, Postgres on 5432)
// must not be started behind our back and left listening: a policy-rc.d that denies every
// start is put in place for the install when there is none, and removed afterwards.
const POLICY = '/usr/sbin/policy-rc.d';
const DENY_POLICY = `if [ ! -e ${POLICY} ]; then printf '#!/bin/sh\\nexit 101\\n' > ${POLICY} && chmod 755 ${POLICY} && echo created; fi`;

/** Runs a command as root: directly when we are root, otherwise through `sudo -n`. */
async function asRoot(command: string, args: string[]) {
	const [cmd, ...rest] = isRoot ? [command, ...args] : ['sudo', '-n', command, ...args];
	return await runOk(cmd, rest, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 15 * 60_000 });
}

async function aptInstall(packages: string[]): Promise<void> {
	const created = (await asRoot('sh', ['-c', DENY_POLICY])).stdout.includes('created');
	try {
		await asRoot('apt-get', ['update', '-qq']);
		await asRoot('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
	} finally {
		if (created) await asRoot('rm', ['-f', POLICY]);
	}
}

/** Installs redis-server and postgresql with apt-get when missing; returns the seconds spent. */
export async function ensureServices(): Promise<number> {
	const missing = [
		...(onPath('redis-server') ? [] : ['redis-server']),
		...(postgresBinDir() ? [] : ['postgresql']),
	];
	if (missing.length === 0) return 0;
	const began = Date.now();
	log(`apt-get install ${missing.join(' ')}`);
	await aptInstall(missing);
	const seconds = (Date.now() - began) / 1000;
	log(`apt-get install ${missing.join(' ')}: ${seconds.toFixed(0)} s`);
	return seconds;
}

/** Polls `ready` until it says yes, the child exits, or time runs out. */
async function waitUntil(what: string, child: ChildProcess, output: () => string, ready: () => Promise<boolean>, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`${what} exited ${child.exitCode ?? child.signalCode}:\n${output().slice(-2000)}`);
		}
		if (await ready()) return;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`${what} not ready within ${timeoutMs / 1000} s:\n${output().slice(-2000)}`);
}

function capture(child: ChildProcess): () => string {
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	return () => output;
}

export interface Service {
	port: number;
	child: ChildProcess;
	stop(): Promise<void>;
}

/** Sends PING, expects +PONG. */
function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
	});
}

/** A Redis for Bull's queue: no persistence, 127.0.0.1 only. */
export async function startRedis(): Promise<Service> {
	const port = await freePort();
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
	const child = start('redis-server', args);
	const output = capture(child);
	await waitUntil('redis-server', child, output, () => redisPing(port));
	const version = /version=(\d+\.\d+\.\d+)/.exec(output())?.[1] ?? '?';
	log(`redis ${version} on 127.0.0.1:${port} (pid ${child.pid})`);
	return { port, child, stop: () => stop(child) };
}

export interface Postgres extends Service {
	host: string;
	user: string;
	password: string;
	database: string;
	/** Runs SQL through psql; returns its unaligned, tuples-only output. */
	query(sql: string): Promise<string>;
}

/** The uid and gid of a system user, from /etc/passwd. */
function systemUser(name: string): { uid: number; gid: number } | undefined {
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${name}:`));
	if (!line) return undefined;
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A throwaway Postgres cluster: initdb into a temp folder, then `postgres` as a child on a free
 * port of 127.0.0.1, its unix socket in that folder. Postgres refuses to run as root, so as
 * root it runs as Debian's `postgres` user. fsync is off: the data is thrown away.
 */
export async function startPostgres(): Promise<Postgres> {
	const bin = postgresBinDir();
	if (!bin) throw new Error('no Postgres binaries (initdb) found');
	const owner = isRoot ? systemUser('postgres') : undefined;
	if (isRoot && !owner) throw new Error('running as root needs the "postgres" user to run Postgres');
	const root = tempDir('tikhub-queue-pg-');
	const data = join(root, 'data');
	mkdirSync(data);
	const user = 'n8n';
	const password = `pw-${Math.random().toString(36).slice(2)}`;
	const pwfile = join(root, 'pwfile');
	writeFileSync(pwfile, password + '\n');
	if (owner) for (const path of [root, data, pwfile]) chownSync(path, owner.uid, owner.gid);
	const asOwner = { uid: owner?.uid, gid: owner?.gid, env: { ...process.env, LC_ALL: 'C.UTF-8' } };

	await runOk(
		join(bin, 'initdb'),
		['-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--locale=C.UTF-8'],
		{ ...asOwner, timeoutMs: 2 * 60_000 },
	);
	const port = await freePort();
	const settings = {
		listen_addresses: '127.0.0.1',
		port: String(port),
		unix_socket_directories: root,
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
	};
	const args = ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
	const child = start(join(bin, 'postgres'), args, asOwner);
	const output = capture(child);
	const isReady = async () => (await run(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)])).code === 0;
	await waitUntil('postgres', child, output, isReady);

	const query = async (sql: string, database = 'n8n') => {
		const result = await runOk(
			join(bin, 'psql'),
			['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database, '-c', sql],
			{ env: { ...process.env, PGPASSWORD: password }, timeoutMs: 60_000 },
		);
		return result.stdout;
	};
	await query('CREATE DATABASE n8n', 'postgres');
	const version = (await query('SHOW server_version')).trim();
	log(`postgres ${version} on 127.0.0.1:${port} (pid ${child.pid}), data in ${data}`);
	return {
		port,
		child,
		host: '127.0.0.1',
		user,
		password,
		database: 'n8n',
		query: (sql) => query(sql),
		// SIGINT: Postgres's fast shutdown (ends open sessions) rather than waiting for them.
		stop: () => stop(child, 15_000, 'SIGINT'),
	};
}
