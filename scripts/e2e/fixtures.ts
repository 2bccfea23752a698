// A throwaway workspace for one n8n run: user folder, input and output folders, and the
// credential and workflow files to import, made from the example workflows.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadExampleWorkflow, type ExampleWorkflow } from '../example-workflow';
import { REPO } from './package';
import { tempDir } from './proc';

export const CREDENTIAL_ID = 'tikhub-demo';
export const TIKHUB_NODE = 'TikHub Image Edit';

export interface WorkspaceWorkflow {
	/** The example's name (`edit-image`) or a workflow file's path. */
	example: string;
	file: string;
	id: string;
	name: string;
	/** Where this workflow writes (`/files/out/` in the example). */
	outDir: string;
}

export interface Workspace {
	root: string;
	userFolder: string;
	/** Holds sample.png and the other inputs; the only folder besides outDir that n8n may read. */
	filesDir: string;
	outDir: string;
	credentialFile: string;
	/** The first workflow's file, id and name. */
	workflowFile: string;
	workflowId: string;
	workflowName: string;
	workflows: WorkspaceWorkflow[];
}

/**
 * A workspace for the given example workflows (default: the edit example), each writing to
 * its own folder under outDir. `files` are put into the files folder beside sample.png.
 */
export function makeWorkspace(
	label: string,
	tikhub: { baseUrl: string; apiKey: string },
	examples: string[] = ['edit-image'],
	files: Record<string, Buffer> = {},
	/** Per example (same order): a change to make to its workflow, e.g. a node version an older n8n has. */
	adapters: Array<((workflow: ExampleWorkflow) => void) | undefined> = [],
): Workspace {
	const root = tempDir(`tikhub-e2e-${label}-`);
	const userFolder = join(root, 'user');
	const filesDir = join(root, 'files');
	const outDir = join(root, 'out');
	for (const dir of [userFolder, filesDir, outDir]) mkdirSync(dir, { recursive: true });
	copyFileSync(join(REPO, 'examples', 'sample.png'), join(filesDir, 'sample.png'));
	for (const [name, bytes] of Object.entries(files)) {
		mkdirSync(join(filesDir, name, '..'), { recursive: true });
		writeFileSync(join(filesDir, name), bytes);
	}

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

	const workflows = examples.map((example, index): WorkspaceWorkflow => {
		const workflowOut = join(outDir, String(index));
		mkdirSync(workflowOut);
		const workflow = loadExampleWorkflow(example, { filesDir, outDir: workflowOut });
		adapters[index]?.(workflow);
		const file = join(root, `workflow-${index}.json`);
		writeFileSync(file, JSON.stringify(workflow, null, 2));
		return { example, file, id: workflow.id, name: workflow.name, outDir: workflowOut };
	});

	return {
		root,
		userFolder,
		filesDir,
		outDir,
		credentialFile,
		workflowFile: workflows[0].file,
		workflowId: workflows[0].id,
		workflowName: workflows[0].name,
		workflows,
	};
}
