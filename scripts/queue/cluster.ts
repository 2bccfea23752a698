// One n8n main and its workers in queue mode: Postgres holds workflows, executions and (in
// n8n 2.x's queue-mode default) binary data; Bull queues executions in Redis. Each process
// has a user folder of its own with the package installed there, as separate hosts would,
// and its own ports on 127.0.0.1 (editor, task broker, worker health server).
import { join } from 'node:path';

import { freePort, n8nEnv, startN8n, type N8nApp, type RunningN8n } from '../e2e/n8n';
import { installIntoUserFolder, type PackedPackage } from '../e2e/package';
import { log, stop } from '../e2e/proc';

export interface QueueBackends {
	redisPort: number;
	postgres: { host: string; port: number; user: string; password: string; database: string };
	/** The same key on the main and every worker: they decrypt each other's credentials. */
	encryptionKey: string;
}

export interface QueueProcess extends RunningN8n {
	/** "main", "worker-1", … */
	name: string;
	env: NodeJS.ProcessEnv;
	/** The ports this process was given, to check none is left listening afterwards. */
	ports: number[];
}

/** The environment of one queue-mode process; binary data mode left at n8n's default. */
export async function queueEnv(app: N8nApp, userFolder: string, fileAccess: string[], backends: QueueBackends, extra: Record<string, string> = {}) {
	const { postgres } = backends;
	return await n8nEnv(app, {
		userFolder,
		fileAccess,
		extra: {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(backends.redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			DB_POSTGRESDB_DATABASE: postgres.database,
			N8N_ENCRYPTION_KEY: backends.encryptionKey,
			// Offline: no calls to api.n8n.io for lists nobody looks at here.
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_DISABLED_MODULES: 'mcp-registry',
			...extra,
		},
	});
}

function portsOf(env: NodeJS.ProcessEnv): number[] {
	return ['N8N_PORT', 'N8N_RUNNERS_BROKER_PORT', 'QUEUE_HEALTH_CHECK_PORT'].flatMap((key) => (env[key] ? [Number(env[key])] : []));
}

export interface ClusterOptions {
	app: N8nApp;
	pkg: PackedPackage;
	backends: QueueBackends;
	/** Holds one user folder per process; n8n may read and write files only under it. */
	root: string;
	workers: number;
	/** `n8n worker --concurrency`: executions one worker runs at once. */
	workerConcurrency: number;
}

/** A user folder with the package installed the way the Community Nodes panel does it. */
async function prepare(options: ClusterOptions, name: string, extra: Record<string, string> = {}) {
	const userFolder = join(options.root, name);
	const env = await queueEnv(options.app, userFolder, [options.root], options.backends, extra);
	await installIntoUserFolder(options.pkg, userFolder, env);
	return env;
}

/** The main's environment, ready for `n8n import:*` and `publish:workflow` before it starts. */
export async function prepareMain(options: ClusterOptions): Promise<NodeJS.ProcessEnv> {
	return await prepare(options, 'main');
}

export async function startMain(options: ClusterOptions, env: NodeJS.ProcessEnv): Promise<QueueProcess> {
	const began = Date.now();
	const running = await startN8n(options.app, env);
	log(`main ready on 127.0.0.1:${env.N8N_PORT} in ${((Date.now() - began) / 1000).toFixed(0)} s (pid ${running.child.pid})`);
	return { ...running, name: 'main', env, ports: portsOf(env) };
}

/** Starts the workers side by side; each answers /healthz/readiness once it has Postgres and Redis. */
export async function startWorkers(options: ClusterOptions): Promise<QueueProcess[]> {
	const began = Date.now();
	const names = Array.from({ length: options.workers }, (_, i) => `worker-${i + 1}`);
	const started = await Promise.allSettled(
		names.map(async (name): Promise<QueueProcess> => {
			const healthPort = await freePort();
			const env = await prepare(options, name, {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			});
			const running = await startN8n(options.app, env, {
				args: ['worker', `--concurrency=${options.workerConcurrency}`],
				readyUrl: `http://127.0.0.1:${healthPort}/healthz/readiness`,
			});
			log(`${name} ready, health on 127.0.0.1:${healthPort} (pid ${running.child.pid})`);
			return { ...running, name, env, ports: portsOf(env) };
		}),
	);
	const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
	const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
	if (failure) {
		await stopAll(workers);
		throw failure.reason;
	}
	log(`${workers.length} workers ready in ${((Date.now() - began) / 1000).toFixed(0)} s`);
	return workers;
}

/** SIGTERM each (n8n shuts down gracefully, its task runners with it), then SIGKILL its group. */
export async function stopAll(processes: QueueProcess[]): Promise<void> {
	await Promise.all(processes.map((p) => stop(p.child, 20_000)));
}
