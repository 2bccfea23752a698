import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { TikHubApi } from '../credentials/TikHubApi.credentials';
import { TikHubImageEdit } from '../nodes/TikHubImageEdit/TikHubImageEdit.node';
import { type BinaryMode, type EngineSetup, type RunResult, runWorkflow, type WorkflowJson } from './engine';
import { type FixtureItem, registerFixture } from './engine/stand-in-nodes';
import type { TikHubServer } from './server';

/**
 * What most tests need: the package's node and credential loaded into the engine, and a
 * workflow "Manual Trigger -> Input Items -> TikHub Image Edit" run against the test server.
 */

export const NODE_TYPE = 'n8n-nodes-tikhub.tikHubImageEdit';
export const EDIT_NODE = 'TikHub Image Edit';

export const setup: EngineSetup = {
	nodeTypes: { [NODE_TYPE]: new TikHubImageEdit() },
	credentialTypes: [new TikHubApi()],
};

export interface EditRun {
	parameters: IDataObject;
	items: FixtureItem[];
	binaryMode?: BinaryMode;
	continueOnFail?: boolean;
	/** Credential data; defaults to the test server's key and URL. */
	credentials?: IDataObject;
}

export function editWorkflow(parameters: IDataObject, fixtureId: string, continueOnFail = false): WorkflowJson {
	const node = (name: string, type: string, x: number, params: IDataObject, extra: Partial<INode> = {}): INode => ({
		id: name,
		name,
		type,
		typeVersion: 1,
		position: [x, 0],
		parameters: params as INode['parameters'],
		...extra,
	});
	return {
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 0, {}),
			node('Input Items', 'test.inputItems', 200, { fixture: fixtureId }),
			node(EDIT_NODE, NODE_TYPE, 400, parameters, {
				credentials: { tikHubApi: { id: '1', name: 'TikHub account' } },
				...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			}),
		],
		connections: {
			Start: { main: [[{ node: 'Input Items', type: 'main', index: 0 }]] },
			'Input Items': { main: [[{ node: EDIT_NODE, type: 'main', index: 0 }]] },
		},
	};
}

export async function runEdit(
	server: TikHubServer,
	run: EditRun,
): Promise<{ items: INodeExecutionData[]; error: RunResult['error']; result: RunResult }> {
	const workflow = editWorkflow(run.parameters, registerFixture(run.items), run.continueOnFail);
	const result = await runWorkflow(setup, workflow, {
		credentials: {
			tikHubApi: (run.credentials ?? { apiKey: server.apiKey, baseUrl: server.baseUrl }) as never,
		},
		binaryMode: run.binaryMode,
	});
	return { items: result.output(EDIT_NODE), error: result.error, result };
}
