// Headless Debian Chromium driven by playwright-core. playwright-core lives in the e2e cache
// folder, not in the repo's dependencies, so it is loaded by path and typed here by hand
// with only what the screenshot script uses.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { cacheRoot } from './install-n8n';
import { log, runOk } from './proc';

const PLAYWRIGHT_VERSION = '1.65.1';
const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps calling home, which this closed
// network refuses.
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export interface Locator {
	first(): Locator;
	click(options?: { timeout?: number }): Promise<void>;
	dblclick(options?: { timeout?: number }): Promise<void>;
	fill(value: string, options?: { timeout?: number }): Promise<void>;
	waitFor(options?: { state?: 'visible' | 'attached' | 'hidden'; timeout?: number }): Promise<void>;
	count(): Promise<number>;
	screenshot(options: { path: string }): Promise<Buffer>;
}

export interface Page {
	goto(url: string, options?: { waitUntil?: 'load' | 'networkidle'; timeout?: number }): Promise<unknown>;
	locator(selector: string): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	waitForURL(url: string | RegExp | ((url: URL) => boolean), options?: { timeout?: number }): Promise<void>;
	waitForTimeout(ms: number): Promise<void>;
	screenshot(options: { path: string; fullPage?: boolean }): Promise<Buffer>;
	keyboard: { press(key: string): Promise<void> };
	on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
	on(event: 'pageerror', listener: (error: Error) => void): void;
	url(): string;
}

export interface Browser {
	newPage(options?: { viewport?: { width: number; height: number }; deviceScaleFactor?: number }): Promise<Page>;
	close(): Promise<void>;
}

interface PlaywrightCore {
	chromium: { launch(options: { executablePath: string; args: string[]; headless: boolean }): Promise<Browser> };
}

async function ensureChromium(): Promise<void> {
	if (existsSync(CHROMIUM)) return;
	if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
	log('installing Debian chromium with apt-get');
	await runOk('apt-get', ['update', '-qq'], { timeoutMs: 10 * 60_000 });
	await runOk('apt-get', ['install', '-y', '-qq', 'chromium'], {
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		timeoutMs: 15 * 60_000,
	});
}

async function loadPlaywright(): Promise<PlaywrightCore> {
	const dir = join(cacheRoot(), `playwright-core-${PLAYWRIGHT_VERSION}`);
	if (!existsSync(join(dir, 'node_modules', 'playwright-core', 'package.json'))) {
		log(`installing playwright-core@${PLAYWRIGHT_VERSION} into ${dir}`);
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, 'package.json'), '{"name":"n8n-nodes-tikhub-e2e-playwright","private":true}\n');
		// --ignore-scripts: nothing may try to download a browser of its own.
		await runOk('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', `playwright-core@${PLAYWRIGHT_VERSION}`], {
			cwd: dir,
			timeoutMs: 5 * 60_000,
		});
	}
	return createRequire(join(dir, 'package.json'))('playwright-core') as PlaywrightCore;
}

export async function launchChromium(): Promise<Browser> {
	await ensureChromium();
	const playwright = await loadPlaywright();
	return await playwright.chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
