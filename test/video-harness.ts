import assert from 'node:assert/strict';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { TikHubApi } from '../credentials/TikHubApi.credentials';
import { TikHubVideo } from '../nodes/TikHubVideo/TikHubVideo.node.ts';
import { type BinaryMode, type EngineSetup, readBinary, type RunResult, runWorkflow } from '../harness/engine';
import { type FixtureItem, registerFixture } from '../harness/engine/stand-in-nodes';
import { png } from '../harness/fixtures';
import { nodeWorkflow, type OnError } from '../harness/workflows';
import { readMp4Boxes, type TikHubServer } from '../harness/server';
import { expectNoSecret } from './secrets';

/**
 * The video node in the engine: "Manual Trigger -> Input Items -> TikHub Video" (harness.ts's
 * workflow) run against the test server, with a test's items and parameters, its error output,
 * and a signal that cancels the run.
 */

export const VIDEO_NODE_TYPE = 'n8n-nodes-tikhub.tikHubVideo';
export const VIDEO_NODE = 'TikHub Video';

export const videoSetup: EngineSetup = {
	nodeTypes: { [VIDEO_NODE_TYPE]: new TikHubVideo() },
	credentialTypes: [new TikHubApi()],
};

export interface VideoRun {
	parameters: IDataObject;
	/** Defaults to one item without binary data. */
	items?: FixtureItem[];
	binaryMode?: BinaryMode;
	/** n8n's "On Error" setting of the node. */
	onError?: OnError;
	credentials?: IDataObject;
	/** Cancels the execution when it aborts. */
	signal?: AbortSignal;
}

export interface VideoResult {
	items: INodeExecutionData[];
	/** Items on the error output (On Error: continue using error output). */
	errorItems: INodeExecutionData[];
	error: RunResult['error'];
	result: RunResult;
}

export { useServer } from './use-server';

/** The create calls the server saw, in order. */
export const createCalls = (server: TikHubServer) => server.videos.requests.filter((request) => request.call === 'create');

/** The status checks the server saw, in order (Veo's are POSTs). */
export const statusChecks = (server: TikHubServer) => server.videos.requests.filter((request) => request.call === 'status');

/** Waiting that suits tests: checks every 50 ms. */
export const FAST = { pollInterval: 0.05 };

/** An input item with a PNG first frame (Kling needs 300 px or more on each side). */
export function frameItem(width = 320, height = 320, fileName = 'product.png'): FixtureItem {
	return { json: {}, binary: { data: { bytes: png(width, height), fileName, mimeType: 'image/png' } } };
}

export async function runVideo(server: TikHubServer, run: VideoRun): Promise<VideoResult> {
	const workflow = nodeWorkflow(VIDEO_NODE_TYPE, VIDEO_NODE, run.parameters, registerFixture(run.items ?? [{ json: {} }]), run.onError);
	const result = await runWorkflow(videoSetup, workflow, {
		credentials: {
			tikHubApi: (run.credentials ?? { apiKey: server.apiKey, baseUrl: server.baseUrl }) as never,
		},
		binaryMode: run.binaryMode,
		signal: run.signal,
	});
	const main = result.run.data.resultData.runData[VIDEO_NODE]?.[0]?.data?.main ?? [];
	return { items: result.output(VIDEO_NODE), errorItems: main[1] ?? [], error: result.error, result };
}

/** The run succeeded with one item holding an MP4 video in "data"; returns the item's JSON and bytes. */
export async function expectOneVideo(server: TikHubServer, run: VideoResult) {
	expectNoSecret(server, run);
	assert.equal(run.error, undefined, `${run.error?.message} | ${run.error?.description}`);
	assert.equal(run.items.length, 1);
	const [item] = run.items;
	const binary = item.binary?.data;
	assert.ok(binary, 'the item has the video in binary "data"');
	assert.equal(binary.mimeType, 'video/mp4');
	assert.equal(binary.fileName, `${String(item.json.taskId).replace(/[^\w.-]+/g, '_')}.mp4`);
	assert.equal(binary.fileExtension, 'mp4');
	const bytes = await readBinary(binary);
	assert.equal(bytes.toString('latin1', 4, 8), 'ftyp');
	assert.deepEqual(readMp4Boxes(bytes)?.map((box) => box.type), ['ftyp', 'moov', 'mdat']);
	assert.deepEqual(item.pairedItem, { item: 0 });
	return { json: item.json, bytes };
}
