// A throwaway workspace for one n8n run: user folder, input and output folders, and the
// credential and workflow files to import, made from examples/edit-image.workflow.json.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadExampleWorkflow } from '../example-workflow';
import { REPO } from './package';
import { tempDir } from './proc';

export const CREDENTIAL_ID = 'tikhub-demo';
export const TIKHUB_NODE = 'TikHub Image Edit';

export interface Workspace {
	root: string;
	userFolder: string;
	/** Holds sample.png; the only folder besides outDir that n8n may read. */
	filesDir: string;
	outDir: string;
	credentialFile: string;
	workflowFile: string;
	workflowId: string;
	workflowName: string;
}

export function makeWorkspace(label: string, tikhub: { baseUrl: string; apiKey: string }): Workspace {
	const root = tempDir(`tikhub-e2e-${label}-`);
	const userFolder = join(root, 'user');
	const filesDir = join(root, 'files');
	const outDir = join(root, 'out');
	for (const dir of [userFolder, filesDir, outDir]) mkdirSync(dir, { recursive: true });
	copyFileSync(join(REPO, 'examples', 'sample.png'), join(filesDir, 'sample.png'));

	const credentialFile = join(root, 'credentials.json');
	const credentials = [
		{
			id: CREDENTIAL_ID,
			name: 'TikHub account',
			type: 'tikHubApi',
			data: { apiKey: tikhub.apiKey, baseUrl: tikhub.baseUrl },
		},
	];
	writeFileSync(credentialFile, JSON.stringify(credentials, null, 2));

	const workflow = loadExampleWorkflow(join(filesDir, 'sample.png'), outDir);
	if (!workflow.nodes.some((n) => n.name === TIKHUB_NODE)) {
		throw new Error(`examples/edit-image.workflow.json has no node named "${TIKHUB_NODE}"`);
	}
	const workflowFile = join(root, 'workflow.json');
	writeFileSync(workflowFile, JSON.stringify(workflow, null, 2));

	return {
		root,
		userFolder,
		filesDir,
		outDir,
		credentialFile,
		workflowFile,
		workflowId: workflow.id,
		workflowName: workflow.name,
	};
}
