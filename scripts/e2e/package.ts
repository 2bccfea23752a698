// Builds and packs this package, and installs the tarball into an n8n user folder the way
// n8n's Settings > Community Nodes panel does (n8n 2.41.1, CommunityPackagesService
// .downloadPackage): unpack into <user>/.n8n/nodes/node_modules/<name>, drop dev, peer and
// optional dependencies from its package.json, `npm install` its own dependencies there with
// scripts off, and record it in nodes/package.json. n8n then loads it at start.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { log, runOk } from './proc';

export const REPO = resolve(__dirname, '..', '..');

export interface PackedPackage {
	tarball: string;
	name: string;
	version: string;
}

/** `npm run build`, retried once: the package may be mid-edit by someone else. */
export async function buildAndPack(outDir: string): Promise<PackedPackage> {
	log('npm run build');
	try {
		await runOk('npm', ['run', 'build'], { cwd: REPO, timeoutMs: 5 * 60_000 });
	} catch (error) {
		log(`build failed, retrying in 30 s: ${(error as Error).message.split('\n').slice(-3).join(' | ')}`);
		await new Promise((r) => setTimeout(r, 30_000));
		await runOk('npm', ['run', 'build'], { cwd: REPO, timeoutMs: 5 * 60_000 });
	}
	mkdirSync(outDir, { recursive: true });
	const packed = await runOk('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: REPO });
	const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; name: string; version: string; files: unknown[] }>;
	log(`packed ${info.filename} (${info.files.length} files)`);
	return { tarball: join(outDir, info.filename), name: info.name, version: info.version };
}

/** Installs the tarball into <userFolder>/.n8n/nodes as the Community Nodes panel would. */
export async function installIntoUserFolder(pkg: PackedPackage, userFolder: string, env: NodeJS.ProcessEnv): Promise<void> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const packageDir = join(nodesDir, 'node_modules', ...pkg.name.split('/'));
	mkdirSync(packageDir, { recursive: true });
	await runOk('tar', ['-xzf', pkg.tarball, '-C', packageDir, '--strip-components=1']);
	const packageJsonPath = join(packageDir, 'package.json');
	const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as Record<string, unknown>;
	for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete packageJson[key];
	writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2));
	await runOk(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--loglevel=error',
		],
		{ cwd: packageDir, env, timeoutMs: 5 * 60_000 },
	);
	const ledger = { name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } };
	writeFileSync(join(nodesDir, 'package.json'), JSON.stringify(ledger, null, 2) + '\n');
}
