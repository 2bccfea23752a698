import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import type { EngineSetup } from '../harness/engine';
import { readImageSize } from '../harness/server';

/** The package as n8n loads it: the files listed under "n8n" in package.json, from dist/. */

/** BENCH_PACKAGE points the benchmark at another built copy (e.g. an earlier commit's) to compare. */
const root = resolve(process.env.BENCH_PACKAGE ?? resolve(__dirname, '..'));

export function loadBuiltPackage(): EngineSetup {
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
		name: string;
		n8n: { nodes: string[]; credentials: string[] };
	};
	const firstExport = <T>(file: string): T => {
		try {
			// eslint-disable-next-line @typescript-eslint/no-require-imports -- loads dist/ files listed in package.json
			const module = require(join(root, file)) as Record<string, new () => T>;
			return new (Object.values(module)[0])();
		} catch (error) {
			throw new Error(`Cannot load ${file}: run "npm run build" first (${String(error)})`);
		}
	};
	const nodeTypes: Record<string, INodeType> = {};
	for (const file of pkg.n8n.nodes) {
		const node = firstExport<INodeType>(file);
		nodeTypes[`${pkg.name}.${node.description.name}`] = node;
	}
	return {
		nodeTypes,
		credentialTypes: pkg.n8n.credentials.map((file) => firstExport<ICredentialType>(file)),
	};
}

/** "out/sample-edited.png: 1024x1024, 12.3 KB" (images show their size). */
export function describeFile(path: string): string {
	const size = readImageSize(readFileSync(path));
	const kb = (statSync(path).size / 1024).toFixed(1);
	return `${relative(process.cwd(), path)}: ${size ? `${size.width}x${size.height}, ` : ''}${kb} KB`;
}
