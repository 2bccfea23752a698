// Screenshots of the node in the real n8n 2.x editor (npm run docs:screenshot): starts n8n on
// 127.0.0.1 with a throwaway user folder, the packed package installed and the example
// workflow imported, signs in as a fresh owner in headless Chromium, and saves
// docs/workflow.png (the canvas after a run), docs/node-panel.png (the node's parameter panel
// with real input and output), docs/node-options.png and docs/node-search.png. Exits 1 when
// the node cannot be found by searching the node creator.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { startTikHubServer } from '../../harness/server';
import { launchChromium, type Browser, type Page } from './browser';
import { makeWorkspace, TIKHUB_NODE } from './fixtures';
import { ensureN8n, LINES, nodeRuntime } from './install-n8n';
import { freePort, n8nCommandOk, n8nEnv, notableLogLines, startN8n, type N8nApp, type RunningN8n } from './n8n';
import { buildAndPack, installIntoUserFolder, REPO } from './package';
import { log, removeTempDir, stop, tempDir } from './proc';

const OWNER = { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-password-123' };
const DOCS = join(REPO, 'docs');

async function setUpOwner(baseUrl: string): Promise<void> {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (!response.ok) throw new Error(`POST /rest/owner/setup: ${response.status} ${await response.text()}`);
}

/** Signs in through the real sign-in form, so the session is the browser's own. */
async function signIn(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(OWNER.email);
	await page.locator('input[type="password"]').first().fill(OWNER.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
}

/** Searches the node creator for the node, as a user adding it would; returns whether it is listed. */
async function findInNodeCreator(page: Page): Promise<boolean> {
	await page.locator('[data-test-id="node-creator-plus-button"]').first().click();
	await page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first().fill('TikHub');
	await page.waitForTimeout(1000);
	await page.screenshot({ path: join(DOCS, 'node-search.png') });
	log('saved docs/node-search.png');
	const found = await page.locator(`[data-test-id="node-creator-node-item"]:has-text("${TIKHUB_NODE}")`).count();
	await page.keyboard.press('Escape');
	await page.keyboard.press('Escape');
	await page.waitForTimeout(500);
	return found > 0;
}

async function shoot(page: Page, baseUrl: string, workflowId: string, editsReceived: () => number): Promise<string[]> {
	const problems: string[] = [];
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${TIKHUB_NODE}"]`).first();
	await node.waitFor({ state: 'visible', timeout: 60_000 });
	if (!(await findInNodeCreator(page))) {
		problems.push(`searching the node creator for "TikHub" does not list "${TIKHUB_NODE}" (see docs/node-search.png)`);
	}
	// Runs the workflow from the editor, against the local TikHub server, so the panel
	// shows the node's real input and output.
	await page.locator('[data-test-id="execute-workflow-button"]').first().click();
	const deadline = Date.now() + 60_000;
	while (editsReceived() === 0 && Date.now() < deadline) await page.waitForTimeout(250);
	if (editsReceived() === 0) throw new Error('running the workflow from the editor sent no request to TikHub');
	// Lets the run finish and the canvas show its result.
	await page.waitForTimeout(3000);
	await page.screenshot({ path: join(DOCS, 'workflow.png') });
	log('saved docs/workflow.png');
	await node.dblclick();
	await page.locator('[data-test-id="ndv"]').first().waitFor({ state: 'visible', timeout: 30_000 });
	await page.waitForTimeout(1500);
	await page.screenshot({ path: join(DOCS, 'node-panel.png') });
	log('saved docs/node-panel.png');
	// The list of options a user can add, for reviewing their names and order.
	await page.locator('[data-test-id="ndv"] input[placeholder="Add Option"]').first().click();
	await page.waitForTimeout(1000);
	await page.screenshot({ path: join(DOCS, 'node-options.png') });
	log('saved docs/node-options.png');
	return problems;
}

async function main(): Promise<string[]> {
	const line = LINES.find((l) => l.major === '2');
	if (!line) throw new Error('no n8n 2.x line configured');
	const installed = await ensureN8n(line);
	const app: N8nApp = { n8nScript: installed.n8nScript, ...(await nodeRuntime(line.node)) };
	const packDir = tempDir('tikhub-e2e-pack-');
	const server = await startTikHubServer();
	const ws = makeWorkspace('screenshot', server);
	let n8n: RunningN8n | undefined;
	let browser: Browser | undefined;
	const problems: string[] = [];
	try {
		const pkg = await buildAndPack(packDir);
		const port = await freePort();
		const env = await n8nEnv(app, {
			userFolder: ws.userFolder,
			fileAccess: [ws.filesDir, ws.outDir],
			port,
			// Quiets n8n's calls to api.n8n.io for lists this offline editor does not need.
			extra: { N8N_VERIFIED_PACKAGES_ENABLED: 'false', N8N_DISABLED_MODULES: 'mcp-registry' },
		});
		await installIntoUserFolder(pkg, ws.userFolder, env);
		await n8nCommandOk(app, ['import:credentials', `--input=${ws.credentialFile}`], env);
		await n8nCommandOk(app, ['import:workflow', `--input=${ws.workflowFile}`], env);
		log(`starting n8n ${line.n8n} on 127.0.0.1:${port}`);
		n8n = await startN8n(app, env);
		const baseUrl = `http://127.0.0.1:${port}`;
		await setUpOwner(baseUrl);
		browser = await launchChromium();
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.on('pageerror', (error) => log(`page error: ${error.message}`));
		await signIn(page, baseUrl);
		mkdirSync(DOCS, { recursive: true });
		const edits = () => server.requests.filter((r) => r.path === '/v1/images/edits').length;
		problems.push(...(await shoot(page, baseUrl, ws.workflowId, edits)));
	} finally {
		await browser?.close();
		if (n8n) {
			await stop(n8n.child);
			for (const line of notableLogLines(n8n.output())) log(`n8n log: ${line}`);
		}
		await server.close();
		removeTempDir(packDir);
		removeTempDir(ws.root);
	}
	return problems;
}

main().then(
	(problems) => {
		for (const problem of problems) console.error(`screenshot: PROBLEM: ${problem}`);
		process.exit(problems.length ? 1 : 0);
	},
	(error: unknown) => {
		console.error(`screenshot: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(1);
	},
);
