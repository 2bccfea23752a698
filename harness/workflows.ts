import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { TikHubApi } from '../credentials/TikHubApi.credentials';
// `.ts` spelled out: without it, Node's resolver (scripts run with tsx) finds the codex file
// <Node>.node.json beside the node first.
import { TikHubAudio } from '../nodes/TikHubAudio/TikHubAudio.node.ts';
import { TikHubEmbeddings } from '../nodes/TikHubEmbeddings/TikHubEmbeddings.node.ts';
import { TikHubImageEdit } from '../nodes/TikHubImageEdit/TikHubImageEdit.node.ts';
import { TikHubImageGenerate } from '../nodes/TikHubImageGenerate/TikHubImageGenerate.node.ts';
import { type BinaryMode, type EngineSetup, type RunResult, runWorkflow, type WorkflowJson } from './engine';
import { type FixtureItem, registerFixture } from './engine/stand-in-nodes';
import type { TikHubServer } from './server';

/**
 * What most tests need: the package's nodes and credential loaded into the engine, and a
 * workflow "Manual Trigger -> Input Items -> <TikHub node>" run against the test server.
 */

export const NODE_TYPE = 'n8n-nodes-tikhub.tikHubImageEdit';
export const EDIT_NODE = 'TikHub Image Edit';
export const GENERATE_TYPE = 'n8n-nodes-tikhub.tikHubImageGenerate';
export const GENERATE_NODE = 'TikHub Image Generate';

export const AUDIO_TYPE = 'n8n-nodes-tikhub.tikHubAudio';
export const AUDIO_NODE = 'TikHub Audio';
export const EMBEDDINGS_TYPE = 'n8n-nodes-tikhub.tikHubEmbeddings';
export const EMBEDDINGS_NODE = 'TikHub Embeddings';

export const setup: EngineSetup = {
	nodeTypes: {
		[NODE_TYPE]: new TikHubImageEdit(),
		[GENERATE_TYPE]: new TikHubImageGenerate(),
		[AUDIO_TYPE]: new TikHubAudio(),
		[EMBEDDINGS_TYPE]: new TikHubEmbeddings(),
	},
	credentialTypes: [new TikHubApi()],
};

/** n8n's "On Error" setting of the TikHub node; `true` is "Continue (regular output)". */
export type OnError = boolean | 'continueRegularOutput' | 'continueErrorOutput';

export interface NodeRun {
	parameters: IDataObject;
	items: FixtureItem[];
	binaryMode?: BinaryMode;
	continueOnFail?: OnError;
	/** Credential data; defaults to the test server's key and URL. */
	credentials?: IDataObject;
}

export type EditRun = NodeRun;

export interface NodeRunResult {
	/** The node's first (main) output. */
	items: INodeExecutionData[];
	error: RunResult['error'];
	result: RunResult;
}

/** Start -> Input Items (the test's items) -> the TikHub node of the given type. */
export function nodeWorkflow(
	type: string,
	name: string,
	parameters: IDataObject,
	fixtureId: string,
	continueOnFail: OnError = false,
): WorkflowJson {
	const node = (nodeName: string, nodeType: string, x: number, params: IDataObject, extra: Partial<INode> = {}): INode => ({
		id: nodeName,
		name: nodeName,
		type: nodeType,
		typeVersion: 1,
		position: [x, 0],
		parameters: params as INode['parameters'],
		...extra,
	});
	const onError = continueOnFail === true ? 'continueRegularOutput' : continueOnFail || undefined;
	return {
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 0, {}),
			node('Input Items', 'test.inputItems', 200, { fixture: fixtureId }),
			node(name, type, 400, parameters, {
				credentials: { tikHubApi: { id: '1', name: 'TikHub account' } },
				...(onError ? { onError } : {}),
			}),
		],
		connections: {
			Start: { main: [[{ node: 'Input Items', type: 'main', index: 0 }]] },
			'Input Items': { main: [[{ node: name, type: 'main', index: 0 }]] },
		},
	};
}

export function editWorkflow(parameters: IDataObject, fixtureId: string, continueOnFail: OnError = false): WorkflowJson {
	return nodeWorkflow(NODE_TYPE, EDIT_NODE, parameters, fixtureId, continueOnFail);
}

async function runNode(type: string, name: string, server: TikHubServer, run: NodeRun): Promise<NodeRunResult> {
	const workflow = nodeWorkflow(type, name, run.parameters, registerFixture(run.items), run.continueOnFail);
	const result = await runWorkflow(setup, workflow, {
		credentials: {
			tikHubApi: (run.credentials ?? { apiKey: server.apiKey, baseUrl: server.baseUrl }) as never,
		},
		binaryMode: run.binaryMode,
	});
	return { items: result.output(name), error: result.error, result };
}

export async function runEdit(server: TikHubServer, run: NodeRun): Promise<NodeRunResult> {
	return await runNode(NODE_TYPE, EDIT_NODE, server, run);
}

export async function runGenerate(server: TikHubServer, run: NodeRun): Promise<NodeRunResult> {
	return await runNode(GENERATE_TYPE, GENERATE_NODE, server, run);
}

export async function runAudio(server: TikHubServer, run: NodeRun): Promise<NodeRunResult> {
	return await runNode(AUDIO_TYPE, AUDIO_NODE, server, run);
}

export async function runEmbeddings(server: TikHubServer, run: NodeRun): Promise<NodeRunResult> {
	return await runNode(EMBEDDINGS_TYPE, EMBEDDINGS_NODE, server, run);
}
