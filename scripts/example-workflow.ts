import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { WorkflowJson } from '../test/engine';

/**
 * examples/edit-image.workflow.json with its file nodes pointed at local paths: the example
 * reads /files/sample.png and writes /files/out/, the folder n8n's Docker image usually mounts.
 * Used by `npm run demo` (through n8n-core) and `npm run test:n8n` (through the n8n app).
 */
export function loadExampleWorkflow(inputPath: string, outDir: string): WorkflowJson & { id: string; name: string } {
	const file = join(resolve(__dirname, '..'), 'examples', 'edit-image.workflow.json');
	const workflow = JSON.parse(readFileSync(file, 'utf8')) as WorkflowJson & { id: string; name: string };
	const fileNode = (operation: string) => {
		const found = workflow.nodes.find(
			(node) => node.type === 'n8n-nodes-base.readWriteFile' && node.parameters.operation === operation,
		);
		if (!found) throw new Error(`examples/edit-image.workflow.json has no Read/Write Files node that does "${operation}"`);
		return found;
	};
	fileNode('read').parameters.fileSelector = inputPath;
	fileNode('write').parameters.fileName = `=${outDir}/{{ $binary.data.fileName }}`;
	return workflow;
}
