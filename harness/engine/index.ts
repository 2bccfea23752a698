import './env';

import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { BINARY_ENCODING, createRunExecutionData, Workflow } from 'n8n-workflow';
import { join } from 'node:path';

import { TestCredentialsHelper } from './credentials-helper';
import { userFolder } from './env';
import { captureLogs } from './logger';
import { ConvertToFile, InputItems, ManualTrigger, ReadWriteFile } from './stand-in-nodes';

/**
 * Runs workflow JSON through n8n-core's real execution engine (WorkflowExecute), with the
 * package's nodes and credential types loaded and n8n's binary data service in the mode a
 * test picks. Nothing in the node code knows it runs here.
 */

export type BinaryMode = 'default' | 'filesystem';

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IWorkflowBase['connections'];
	settings?: IWorkflowBase['settings'];
}

export interface EngineSetup {
	/** Node classes under their full type names, e.g. `n8n-nodes-tikhub.tikHubImageEdit`. */
	nodeTypes: Record<string, INodeType>;
	credentialTypes: ICredentialType[];
}

export interface RunOptions {
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** n8n's `N8N_DEFAULT_BINARY_DATA_MODE`: `default` keeps binaries in memory, `filesystem` on disk. */
	binaryMode?: BinaryMode;
	/** Called as each node starts (n8n's `nodeExecuteBefore` hook), e.g. to measure one node alone. */
	onNodeStart?: (nodeName: string) => void;
	/** Cancels the execution when it aborts, as n8n's Stop button does (the run returns once the nodes have stopped). */
	signal?: AbortSignal;
}

export interface RunResult {
	run: IRun;
	/** The execution's error, when a node failed without Continue On Fail. */
	error?: Error & { description?: string | null; httpCode?: string | null };
	/** Items a node emitted on its first output, [] when it did not run. */
	output(nodeName: string): INodeExecutionData[];
	/** Items a node emitted on each of its outputs (the error output is the last one). */
	outputs(nodeName: string): INodeExecutionData[][];
	/** How many times a credential was loaded from the (stand-in) store, by type. */
	credentialReads: Map<string, number>;
}

captureLogs();
export { logLines } from './logger';

/** Node types every test workflow may use besides the package's own. */
const TEST_NODE_TYPES: Record<string, INodeType> = {
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
	'n8n-nodes-base.readWriteFile': new ReadWriteFile(),
	'n8n-nodes-base.convertToFile': new ConvertToFile(),
	'test.inputItems': new InputItems(),
};

let configuredMode: BinaryMode | undefined;

/** Configures n8n's BinaryDataService as n8n does at start, from the binary data mode. */
export async function useBinaryMode(mode: BinaryMode): Promise<void> {
	if (configuredMode === mode) return;
	const config = Container.get(BinaryDataConfig);
	config.mode = mode as BinaryDataConfig['mode'];
	config.localStoragePath = join(userFolder as string, 'binaryData');
	await Container.get(BinaryDataService).init();
	configuredMode = mode;
}

/** Bytes of a binary from a node's output, whichever mode stored it. */
export async function readBinary(binary: IBinaryData): Promise<Buffer> {
	if (binary.id) return await Container.get(BinaryDataService).getAsBuffer(binary);
	return Buffer.from(binary.data, BINARY_ENCODING);
}

function nodeTypesFor(setup: EngineSetup): INodeTypes {
	const all: Record<string, INodeType> = { ...TEST_NODE_TYPES, ...setup.nodeTypes };
	const get = (type: string) => {
		const nodeType = all[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	};
	return {
		getByName: get,
		getByNameAndVersion: get,
		getKnownTypes: () => ({}),
	} as INodeTypes;
}

export async function runWorkflow(
	setup: EngineSetup,
	workflowJson: WorkflowJson,
	options: RunOptions,
): Promise<RunResult> {
	await useBinaryMode(options.binaryMode ?? 'default');

	const workflow = new Workflow({
		id: workflowJson.id ?? 'test-workflow',
		name: workflowJson.name ?? 'Test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		active: false,
		nodeTypes: nodeTypesFor(setup),
		settings: workflowJson.settings ?? {},
	});

	const credentialTypes = new Map(setup.credentialTypes.map((type) => [type.name, type]));
	const hooks = new ExecutionLifecycleHooks('manual', `run-${Date.now()}`, {
		...workflowJson,
		id: workflow.id,
		name: workflow.name,
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: workflowJson.nodes,
		activeVersionId: null,
	} as IWorkflowBase);
	if (options.onNodeStart) hooks.addHandler('nodeExecuteBefore', options.onNodeStart);
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run));
	});

	const credentialsHelper = new TestCredentialsHelper(credentialTypes, options.credentials);
	const additionalData = {
		credentialsHelper,
		hooks,
		executionId: 'test-execution',
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
		variables: {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in tests');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('Code tasks are not available in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const startNode = workflowJson.nodes.find((node) => !hasIncoming(workflowJson, node.name));
	if (!startNode) throw new Error('The workflow has no start node');
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});

	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const running = execution.processRunExecutionData(workflow);
	const cancel = () => running.cancel();
	options.signal?.addEventListener('abort', cancel, { once: true });
	await running.finally(() => options.signal?.removeEventListener('abort', cancel));
	const run = await finished;

	const error = run.data.resultData.error as RunResult['error'];
	return {
		run,
		error,
		output: (nodeName) =>
			run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? ([] as INodeExecutionData[]),
		outputs: (nodeName) =>
			(run.data.resultData.runData[nodeName]?.[0]?.data?.main ?? []).map((items) => items ?? []),
		credentialReads: credentialsHelper.reads,
	};
}

function hasIncoming(workflowJson: WorkflowJson, name: string): boolean {
	return Object.values(workflowJson.connections).some((outputs) =>
		Object.values(outputs).some((lists) =>
			(lists ?? []).some((list) => (list ?? []).some((connection) => connection.node === name)),
		),
	);
}

export type { IDataObject };
