import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

import type { WorkflowJson } from '../harness/engine';

export const REPO_ROOT = resolve(__dirname, '..');

/** Where an example's files are on this machine. */
export interface ExampleFolders {
	/** Stands for `/files/`, the folder n8n's Docker image usually mounts (inputs such as sample.png). */
	filesDir: string;
	/** Stands for `/files/out/`, where the examples write their results. */
	outDir: string;
}

export type ExampleWorkflow = WorkflowJson & { id: string; name: string };

/** `edit-image` -> examples/edit-image.workflow.json; a path is taken as it is. */
export function exampleFile(nameOrPath: string): string {
	if (nameOrPath.endsWith('.json')) return isAbsolute(nameOrPath) ? nameOrPath : resolve(nameOrPath);
	return join(REPO_ROOT, 'examples', `${nameOrPath}.workflow.json`);
}

/**
 * An example workflow with its Read/Write Files nodes pointed at local folders: `/files/out/…`
 * becomes `outDir/…` and any other `/files/…` becomes `filesDir/…`. Used by `npm run demo`
 * (through n8n-core), the engine tests and `npm run test:n8n` (through the n8n app).
 */
export function loadExampleWorkflow(nameOrPath: string, folders: ExampleFolders): ExampleWorkflow {
	const file = exampleFile(nameOrPath);
	const workflow = JSON.parse(readFileSync(file, 'utf8')) as ExampleWorkflow;
	const localise = (value: unknown) =>
		typeof value === 'string'
			? value.replace('/files/out/', `${folders.outDir}/`).replace(/(^=?)\/files\//, `$1${folders.filesDir}/`)
			: value;
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-base.readWriteFile') continue;
		node.parameters.fileSelector = localise(node.parameters.fileSelector) as string;
		node.parameters.fileName = localise(node.parameters.fileName) as string;
	}
	return workflow;
}
