/**
 * `npm run scan`: the ESLint gate of n8n's own verification scanner (@n8n/scan-community-package,
 * pinned in devDependencies), run the way the scanner runs it on a published package: on the
 * source (its SOURCE_FILE_PATTERNS) and on the unpacked tarball (every .js, .ts and .json file).
 * The rules come from the scanner's own `buildScanConfig`, so upgrading the gate is a version bump.
 * Only its provenance check, which needs the npm registry and GitHub, is left to the real scan.
 */
import type { ScanResult } from '@n8n/scan-community-package/scanner/scanner.mjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { buildAndPack, REPO } from './e2e/package';
import { removeTempDir, runOk, tempDir } from './e2e/proc';

function report(label: string, result: ScanResult): boolean {
	console.log(`${result.passed ? 'PASS' : 'FAIL'}  scanner gate on the ${label}${result.message ? `: ${result.message}` : ''}`);
	if (result.details) console.log(result.details);
	return result.passed;
}

async function main(): Promise<number> {
	// An ES module: imported at run time, as tsx compiles this script to CommonJS.
	const scanner = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	const source = report('source', await scanner.analyzePackage(REPO, scanner.SOURCE_FILE_PATTERNS));

	const packDir = tempDir('tikhub-scan-');
	try {
		const pkg = await buildAndPack(packDir);
		const unpacked = join(packDir, 'package');
		mkdirSync(unpacked);
		await runOk('tar', ['-xzf', pkg.tarball, '-C', unpacked, '--strip-components=1']);
		const tarball = report(`tarball ${pkg.name}@${pkg.version}`, await scanner.analyzePackage(unpacked));
		return source && tarball ? 0 : 1;
	} finally {
		removeTempDir(packDir);
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
