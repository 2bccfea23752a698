// The workflows `npm run test:n8n` runs inside the real n8n app, and what each must show.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RecordedRequest } from '../../harness/server';
import type { ExampleWorkflow } from '../example-workflow';
import {
	checkEditRequest,
	checkExecution,
	checkFileWritten,
	checkGenerateRequest,
	checkNodeBinary,
	checkSoraRequests,
	checkVeoRequests,
	checkVideoRequests,
	checkChatCaption,
	nodeOutput,
	type ExecutionReport,
} from './checks';
import { largePngPair, png } from '../../harness/fixtures';
import { checkAgentTurn, checkChainAnswer, checkKeyUse } from './chat-model-checks';
import { REPO } from './package';
import type { ServedAnswer, ServedRequest } from './served';

export interface CaseRun {
	report: ExecutionReport;
	/** Where this workflow wrote its files. */
	outDir: string;
	/** The requests the local TikHub server received during this run. */
	requests: RecordedRequest[];
	apiKey: string;
	/** Everything `n8n execute` printed (execution JSON and log lines); for a served case, the answer and n8n's log. */
	output: string;
	/** A served case's webhook answer (its report is empty). */
	answer?: ServedAnswer;
}

export interface E2eCase {
	/** An example's name (examples/<name>.workflow.json) or a workflow file's path. */
	example: string;
	/** The n8n lines (majors) it runs on; every binary data mode of the line runs `everyMode` cases. */
	majors: string[];
	everyMode?: boolean;
	/** Changes made to the workflow for this case (e.g. node versions an older n8n has). */
	adapt?: (workflow: ExampleWorkflow) => void;
	/** The workflow is meant to fail (n8n execute exits non-zero); `check` says how. */
	fails?: boolean;
	/** Run as a published workflow behind its production webhook (`n8n start`) instead of `n8n execute`. */
	served?: ServedRequest;
	/** Files the workflow reads, put under the workspace's /files/. */
	files?: () => Record<string, Buffer>;
	/** Problems found; an empty list means the case passed. */
	check(run: CaseRun): string[];
}

const sample = () => readFileSync(join(REPO, 'examples', 'sample.png'));

/** A TikHub Video workflow on n8n 2.x: it ran, output an MP4 and wrote it, and sent what `checkRequests` expects. */
function videoCase(example: string, checkRequests: (requests: RecordedRequest[], apiKey: string) => string[], files?: E2eCase['files']): E2eCase {
	return {
		example,
		majors: ['2'],
		files,
		check: ({ report, outDir, requests, apiKey }) => [
			...checkExecution(report),
			...checkNodeBinary(report, 'TikHub Video', 'video/mp4'),
			...checkFileWritten(outDir, Buffer.from('ftyp', 'latin1'), 4, 'MP4 (an ftyp box at byte 4)'),
			...checkRequests(requests, apiKey),
		],
	};
}

/** Every call to `path` was a POST with the bearer key; their count is `expected`. */
function checkCalls(requests: RecordedRequest[], path: string, apiKey: string, expected: number): string[] {
	const calls = requests.filter((r) => r.method === 'POST' && r.path === path);
	if (calls.length !== expected) return [`the TikHub server saw ${calls.length} POST ${path}, expected ${expected}`];
	return calls.filter((c) => c.authorization !== `Bearer ${apiKey}`).map((c) => `${path}: authorization header was "${c.authorization ?? ''}"`);
}

const CHAIN = join(REPO, 'scripts', 'e2e', 'workflows', 'chat-model-chain.workflow.json');
const STREAM_PATH = 'tikhub-agent-stream';
const AGENT_TEXT = JSON.parse(readFileSync(join(REPO, 'examples', 'agent-product-shots.workflow.json'), 'utf8')).nodes.find(
	(n: { name: string }) => n.name === 'AI Agent',
).parameters.text as string;

export const CASES: E2eCase[] = [
	{
		example: 'edit-image',
		majors: ['1', '2'],
		everyMode: true,
		check: ({ report, outDir, requests, apiKey }) => [
			...checkExecution(report),
			...checkNodeBinary(report, 'TikHub Image Edit'),
			...checkFileWritten(outDir),
			...checkEditRequest(requests, apiKey),
		],
	},
	{
		example: 'generate-and-edit',
		majors: ['2'],
		check: ({ report, outDir, requests, apiKey }) => [
			...checkExecution(report),
			...checkNodeBinary(report, 'TikHub Image Generate'),
			...checkNodeBinary(report, 'TikHub Image Edit'),
			...checkFileWritten(outDir),
			...checkGenerateRequest(requests, apiKey),
			...checkEditRequest(requests, apiKey),
		],
	},
	// Issue 14: the node waits for the task (one 10 s Poll Interval here) and writes the MP4.
	videoCase('image-to-video', checkVideoRequests),
	// Issue 21: Veo text-to-video; the stand-in answers the done operation with the MP4 inline (base64).
	videoCase(join(REPO, 'scripts', 'e2e', 'workflows', 'veo-text-to-video.workflow.json'), checkVeoRequests),
	// Issue 21: Sora image-to-video, the first frame sent as the multipart input_reference file.
	videoCase(join(REPO, 'scripts', 'e2e', 'workflows', 'sora-image-to-video.workflow.json'), checkSoraRequests, () => ({
		'frames/frame-1280x720.png': png(1280, 720),
	})),
	{
		// Issue 19: TikHub Chat looks at the edited image (binary vision) and answers a JSON caption, written to caption.json.
		example: 'caption-product-image',
		majors: ['2'],
		check: ({ report, outDir, requests, apiKey }) => [
			...checkExecution(report),
			...checkNodeBinary(report, 'TikHub Image Edit'),
			...checkFileWritten(outDir),
			...checkEditRequest(requests, apiKey),
			...checkChatCaption(report, outDir, requests, apiKey),
		],
	},
	{
		// Issue 11: On Error = "Continue (using error output)" puts each failure on the error output.
		// Issue 22: a PNG over 4 MB is walked as it is sent; a cut one ends its upload unfinished.
		example: join(REPO, 'scripts', 'e2e', 'workflows', 'error-output.workflow.json'),
		majors: ['2'],
		files: () => ({
			'batch/a-photo.png': sample(),
			'batch/cut-large.png': largePngPair(4.5).cut,
			'batch/not-an-image.png': Buffer.from('this is text, not a picture'),
			'batch/too-big.png': sample(),
		}),
		check: ({ report, requests }) => {
			const success = nodeOutput(report, 'TikHub Image Edit', 0) ?? [];
			const errors = nodeOutput(report, 'TikHub Image Edit', 1) ?? [];
			const problems = checkExecution(report);
			if (success.length !== 1) problems.push(`${success.length} items on the success output, expected 1`);
			if (errors.length !== 3) problems.push(`${errors.length} items on the error output, expected 3`);
			if ((nodeOutput(report, 'Failed') ?? []).length !== 3) problems.push('the node after the error output did not get 3 items');
			const said = errors.map((item) => String(item.json?.error ?? '')).join(' / ');
			if (!/not a PNG, JPEG or WebP/.test(said) || !/TikHub error 400/.test(said) || !/"cut-large\.png" in "data" is cut short/.test(said)) {
				problems.push(`error items do not name the failures: ${said}`);
			}
			// The cut file's upload stops before its end, so the API never receives it whole.
			const edits = requests.filter((r) => r.path === '/v1/images/edits').length;
			if (edits !== 2) problems.push(`${edits} edit requests received whole, expected 2 (the text file is caught locally, the cut one while sent)`);
			return problems;
		},
	},
	{
		// Issue 19: audio read from disk, transcribed as SRT, the subtitle file written.
		example: 'subtitles',
		majors: ['2'],
		files: () => ({ 'sample.wav': readFileSync(join(REPO, 'examples', 'sample.wav')) }),
		check: ({ report, outDir, requests, apiKey }) => {
			const problems = [
				...checkExecution(report),
				...checkNodeBinary(report, 'TikHub Audio', 'application/x-subrip'),
				...checkFileWritten(outDir, Buffer.from('1\n00:00:00,000 --> '), 0, 'SRT file'),
				...checkCalls(requests, '/v1/audio/transcriptions', apiKey, 1),
			];
			const call = requests.find((r) => r.path === '/v1/audio/transcriptions');
			const file = call?.files.find((f) => f.field === 'file');
			if (call?.parseError) problems.push(`multipart body did not parse: ${call.parseError}`);
			if (call && call.fields.response_format !== 'srt') problems.push(`response_format was "${call.fields.response_format}"`);
			if (call && (!file || file.fileName !== 'sample.wav' || file.bytes.toString('latin1', 8, 12) !== 'WAVE')) {
				problems.push(`no WAV file part "sample.wav" (parts: ${call.fieldNames.join(', ')}; ${file?.fileName}, ${file?.contentType})`);
			}
			return problems;
		},
	},
	{
		// Issue 19: five items, Batch Size 2: three requests, each item its own 8-number vector.
		example: join(REPO, 'scripts', 'e2e', 'workflows', 'embeddings.workflow.json'),
		majors: ['2'],
		files: () => Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((name) => [`texts/${name}.txt`, Buffer.from(name)])),
		check: ({ report, requests, apiKey }) => {
			const problems = [...checkExecution(report), ...checkCalls(requests, '/v1/embeddings', apiKey, 3)];
			const items = nodeOutput(report, 'TikHub Embeddings') ?? [];
			if (items.length !== 5) problems.push(`${items.length} items out of TikHub Embeddings, expected 5`);
			const sizes = items.map((item) => (Array.isArray(item.json?.embedding) ? item.json.embedding.length : 'none'));
			if (sizes.some((size) => size !== 8)) problems.push(`embedding lengths ${sizes.join(', ')}, expected 8 each`);
			const inputs = requests
				.filter((r) => r.path === '/v1/embeddings')
				.map((r) => ((r.json as { input?: string[] } | undefined)?.input ?? []).length);
			if (inputs.join(',') !== '2,2,1') problems.push(`batches of ${inputs.join(', ')}, expected 2, 2, 1`);
			return problems;
		},
	},
	{
		// Issue 20: TikHub Chat Model answers in a Basic LLM Chain (1.9), which does not stream.
		example: CHAIN,
		majors: ['2'],
		check: ({ report, requests, apiKey, output }) => [
			...checkChainAnswer(report, requests, 'gpt-4o-mini', false),
			...checkKeyUse(requests, apiKey, output),
		],
	},
	{
		// Issue 20: the AI Agent (3.1) on TikHub Chat Model calls TikHub Image Generate as a tool
		// with a prompt it wrote, gets the image's URL back and answers with it.
		example: 'agent-product-shots',
		majors: ['2'],
		check: ({ report, requests, apiKey, output }) => [
			...checkAgentTurn(report, requests, AGENT_TEXT, false),
			...checkKeyUse(requests, apiKey, output),
		],
	},
	{
		// Issue 20 on n8n 1.x, which has no AI node SDK: the package still loads (the image edit
		// case above runs), and the Chat Model fails only when it runs, saying which n8n it needs.
		example: CHAIN,
		majors: ['1'],
		everyMode: true,
		fails: true,
		adapt: (workflow) => {
			workflow.id = 'tikhubChatModelWithoutSdk';
			workflow.name = 'TikHub Chat Model without the AI node SDK (n8n 1.x): it says which n8n it needs';
			for (const node of workflow.nodes) if (node.name === 'Basic LLM Chain') node.typeVersion = 1.7;
		},
		check: ({ report, requests, output }) => {
			const problems: string[] = [];
			const said = JSON.stringify(report.data?.resultData?.error ?? '') + JSON.stringify(report.data?.resultData?.runData ?? {});
			if (report.status === 'success') problems.push('the chain succeeded on an n8n without the AI node SDK');
			if (!/TikHub Chat Model needs n8n 2\.16\.0 or newer/.test(said)) problems.push(`the error does not say which n8n is needed: ${said.slice(0, 400)}`);
			if (requests.some((r) => r.path === '/v1/chat/completions')) problems.push('a chat completion was sent');
			if (/Failed to load package|Unrecognized node type/i.test(output)) problems.push('n8n did not load the package or the node');
			return problems;
		},
	},
	{
		// Issue 20, streaming on: the same agent behind a Webhook that streams (2.1, Response Mode
		// "Streaming", the agent's Enable Streaming on): n8n streams the model's answer to the caller.
		example: 'agent-product-shots',
		majors: ['2'],
		adapt: streamingAgent,
		served: { path: STREAM_PATH, body: { message: AGENT_TEXT } },
		check: ({ requests, apiKey, output, answer }) => {
			const problems: string[] = [];
			if (answer?.status !== 200) problems.push(`the webhook answered ${answer?.status}: ${answer?.body.slice(0, 300)}`);
			const chunks = (answer?.body ?? '')
				.split('\n')
				.filter((line) => line.trim().startsWith('{'))
				.map((line) => JSON.parse(line) as { type?: string; content?: unknown });
			const streamed = chunks.filter((c) => c.type === 'item').map((c) => String(c.content ?? '')).join('');
			if (chunks.filter((c) => c.type === 'item').length < 2) problems.push(`the answer came in ${chunks.length} chunks, not streamed: ${answer?.body.slice(0, 300)}`);
			return [
				...problems,
				...checkAgentTurn(undefined, requests, AGENT_TEXT, true, streamed),
				...checkKeyUse(requests, apiKey, output),
			];
		},
	},
];

/** The agent example behind a streaming Webhook instead of the manual trigger, prompted by the request body. */
function streamingAgent(workflow: ExampleWorkflow): void {
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')!;
	const agent = workflow.nodes.find((n) => n.name === 'AI Agent')!;
	workflow.id = 'tikhubAgentStreaming';
	workflow.name = 'TikHub Chat Model: the AI Agent streaming to a webhook caller';
	const connections = workflow.connections as Record<string, unknown>;
	connections.Webhook = connections[trigger.name];
	delete connections[trigger.name];
	Object.assign(trigger, {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		webhookId: '9d3f6a2e-4b1c-4e8a-a5d7-1c2b3e4f5a60',
		parameters: { httpMethod: 'POST', path: STREAM_PATH, responseMode: 'streaming', options: {} },
	});
	agent.parameters = {
		...agent.parameters,
		text: '={{ $json.body.message }}',
		options: { ...(agent.parameters.options as object), enableStreaming: true },
	};
}
