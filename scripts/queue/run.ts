// Proof in n8n's queue mode (npm run test:queue): Redis and Postgres on 127.0.0.1, one n8n
// 2.x main and two workers with the packed package installed in each one's user folder, the
// local TikHub server, and a published workflow whose production webhook takes an image and
// runs TikHub Image Edit on it. Sends the requests at once, waits for every execution, and
// checks from Postgres and each process's log that all succeeded with PNGs of the right size
// in the database binary store, that both workers ran executions and that the main ran none.
// Ends with "queue: N passed, M failed", one per check. E2E_KEEP=1 keeps the temp folder.
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

import { startTikHubServer, type TikHubServer } from '../../harness/server';
import { ensureN8n, LINES, nodeRuntime } from '../e2e/install-n8n';
import { n8nCommandOk, notableLogLines, type N8nApp } from '../e2e/n8n';
import { buildAndPack } from '../e2e/package';
import { log, onInterrupt, removeTempDir, runScript, setLogTag, tempDir } from '../e2e/proc';
import {
	checkAccepted,
	checkBinaryMode,
	checkExecutions,
	checkMain,
	checkStepOutput,
	checkTikHubRequests,
	checkWorkers,
	type Check,
} from './checks';
import { prepareMain, startMain, startWorkers, stopAll, type ClusterOptions, type QueueProcess } from './cluster';
import { flattedParser, loadExecutions, waitForExecutions } from './results';
import { ensureServices, startPostgres, startRedis, type Postgres, type Service } from './services';
import { planRequests, sendAll, waitForWebhook } from './traffic';
import { availableSteps, buildCredentials, buildWorkflow, WEBHOOK_PATH, WORKFLOW_ID } from './workflow';

setLogTag('queue');

const WORKERS = 2;
/** Per worker; with more requests than one worker takes at once, both must take some. */
const WORKER_CONCURRENCY = 5;
const REQUESTS = 12;
/** How long the TikHub server takes per edit, so executions overlap as real ones do. */
const TIKHUB_LATENCY_MS = 1500;

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function isListening(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		socket.once('connect', () => (socket.destroy(), resolve(true)));
		socket.once('error', () => resolve(false));
	});
}

/** No process group of ours alive and none of our ports answering, once all is stopped. */
async function checkNothingLeft(groups: number[], ports: number[]): Promise<Check> {
	const problems: string[] = [];
	for (const pgid of groups) {
		try {
			process.kill(-pgid, 0);
			problems.push(`process group ${pgid} is still running`);
		} catch {
			// Gone, as it should be.
		}
	}
	for (const port of ports) if (await isListening(port)) problems.push(`something still listens on 127.0.0.1:${port}`);
	return { name: 'everything started was stopped: no process left, no port listening', problems };
}

interface Running {
	server?: TikHubServer;
	redis?: Service;
	postgres?: Postgres;
	processes: QueueProcess[];
}

async function stopEverything(running: Running): Promise<void> {
	const processes = running.processes.splice(0);
	await stopAll(processes);
	await Promise.allSettled([running.redis?.stop(), running.postgres?.stop(), running.server?.close()]);
}

async function scenario(root: string, running: Running, checks: Check[]): Promise<void> {
	let began = Date.now();
	await ensureServices();
	const line = LINES.find((l) => l.major === '2');
	if (!line) throw new Error('no n8n 2.x line configured in scripts/e2e/install-n8n.ts');
	const installed = await ensureN8n(line);
	log(`n8n ${line.n8n} ready (${installed.installSeconds ? `installed in ${installed.installSeconds.toFixed(0)} s` : 'cached'})`);
	const app: N8nApp = { n8nScript: installed.n8nScript, ...(await nodeRuntime(line.node)) };
	const pkg = await buildAndPack(join(root, 'pack'));
	log(`installs and build: ${seconds(began)}`);

	began = Date.now();
	running.server = await startTikHubServer();
	running.server.latencyMs = TIKHUB_LATENCY_MS;
	running.redis = await startRedis();
	running.postgres = await startPostgres();
	const pg = running.postgres;
	const options: ClusterOptions = {
		app,
		pkg,
		root,
		workers: WORKERS,
		workerConcurrency: WORKER_CONCURRENCY,
		backends: {
			redisPort: running.redis.port,
			postgres: pg,
			encryptionKey: `queue-proof-${Math.random().toString(36).slice(2)}`,
		},
	};
	const mainEnv = await prepareMain(options);
	const steps = availableSteps(join(String(mainEnv.N8N_USER_FOLDER), '.n8n', 'nodes', 'node_modules', pkg.name));
	log(`workflow steps: Webhook -> ${steps.map((s) => s.node).join(', ')}`);
	writeFileSync(join(root, 'credentials.json'), JSON.stringify(buildCredentials(running.server), null, 2));
	writeFileSync(join(root, 'workflow.json'), JSON.stringify(buildWorkflow(steps), null, 2));
	log('importing credential and workflow into Postgres (the first command runs the migrations)');
	await n8nCommandOk(app, ['import:credentials', `--input=${join(root, 'credentials.json')}`], mainEnv);
	await n8nCommandOk(app, ['import:workflow', `--input=${join(root, 'workflow.json')}`], mainEnv);
	await n8nCommandOk(app, ['publish:workflow', `--id=${WORKFLOW_ID}`], mainEnv);
	log(`workflow ${WORKFLOW_ID} imported and published: ${seconds(began)}`);

	began = Date.now();
	// The imports ran the migrations: the main and the workers can boot side by side.
	const [mainStart, workersStart] = await Promise.allSettled([startMain(options, mainEnv), startWorkers(options)]);
	if (mainStart.status === 'fulfilled') running.processes.push(mainStart.value);
	if (workersStart.status === 'fulfilled') running.processes.push(...workersStart.value);
	if (mainStart.status === 'rejected') throw mainStart.reason;
	if (workersStart.status === 'rejected') throw workersStart.reason;
	const main = mainStart.value;
	const workers = workersStart.value;
	log(`cluster up (main and ${workers.length} workers): ${seconds(began)}`);
	const webhookUrl = `http://127.0.0.1:${mainEnv.N8N_PORT}/webhook/${WEBHOOK_PATH}`;
	await waitForWebhook(webhookUrl, 'POST');
	log(`the main serves POST /webhook/${WEBHOOK_PATH}: ${seconds(began)}`);

	began = Date.now();
	log(`POST ${REQUESTS} images to ${webhookUrl} at once`);
	const sent = await sendAll(webhookUrl, planRequests(REQUESTS));
	checks.push(checkAccepted(sent));
	const accepted = sent.filter((r) => r.status === 200).length;
	await waitForExecutions(pg, WORKFLOW_ID, accepted, 180_000);
	log(`${accepted} executions done: ${seconds(began)}; TikHub had up to ${running.server.maxInFlight} edits in flight`);

	const executions = await loadExecutions(pg, WORKFLOW_ID, flattedParser(installed.dir));
	checks.push(checkExecutions(executions, sent));
	for (const step of steps) checks.push(await checkStepOutput(step, executions, sent, pg));
	checks.push(checkTikHubRequests(steps, executions, sent, running.server.requests, running.server.apiKey));
	checks.push(checkWorkers(workers, executions));
	checks.push(checkMain(main, executions));
	checks.push(await checkBinaryMode(mainEnv, steps, executions, pg));
}

async function main(): Promise<number> {
	const began = Date.now();
	const root = tempDir('tikhub-queue-');
	const running: Running = { processes: [] };
	const started: { groups: number[]; ports: number[] } = { groups: [], ports: [] };
	const remember = () => {
		for (const p of running.processes) {
			if (p.child.pid) started.groups.push(p.child.pid);
			started.ports.push(...p.ports);
		}
		for (const s of [running.redis, running.postgres]) {
			if (s?.child.pid) started.groups.push(s.child.pid);
			if (s) started.ports.push(s.port);
		}
		if (running.server) started.ports.push(Number(new URL(running.server.baseUrl).port));
	};
	onInterrupt(async () => {
		log('interrupted: stopping everything');
		await stopEverything(running);
	});
	const checks: Check[] = [];
	try {
		await scenario(root, running, checks);
	} catch (error) {
		checks.push({ name: 'the queue-mode scenario ran to the end', problems: [(error as Error).message] });
	} finally {
		for (const p of running.processes) {
			const notable = notableLogLines(p.output()).filter((line) => !/trace-deprecation/.test(line));
			for (const line of notable) log(`${p.name} log: ${line}`);
		}
		if (process.env.E2E_KEEP === '1') {
			for (const p of running.processes) writeFileSync(join(root, `${p.name}.log`), p.output());
		}
		remember();
		const stopping = Date.now();
		await stopEverything(running);
		log(`stopped everything in ${seconds(stopping)}`);
		removeTempDir(root);
	}
	checks.push(await checkNothingLeft(started.groups, started.ports));

	console.log('\nChecks');
	for (const check of checks) {
		console.log(`  ${check.problems.length ? 'FAIL' : 'PASS'}  ${check.name}${check.problems.length === 0 && check.detail ? `: ${check.detail}` : ''}`);
		for (const problem of check.problems.slice(0, 20)) console.log(`        ${problem}`);
	}
	const failed = checks.filter((c) => c.problems.length).length;
	const passed = checks.length - failed;
	console.log(`  total ${seconds(began)}`);
	console.log(`queue: ${passed} passed, ${failed} failed`);
	return failed === 0 && passed > 0 ? 0 : 1;
}

runScript('queue', main);
