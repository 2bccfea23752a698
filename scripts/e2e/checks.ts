// What a passing run must show: n8n's own report of the execution (`execute --rawOutput`),
// the files the workflow wrote, and the requests the local TikHub server received.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RecordedRequest } from '../../harness/server';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface OutputItem {
	json?: Record<string, unknown>;
	binary?: Record<string, { mimeType?: string }>;
}

interface NodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: { main?: Array<OutputItem[] | null> };
}

export interface ExecutionReport {
	status?: string;
	finished?: boolean;
	data?: { resultData?: { runData?: Record<string, NodeRun[]>; error?: { message?: string; description?: string } } };
}

/**
 * `n8n execute --rawOutput` prints the execution as indented JSON between log lines
 * (2.x prints it through its logger): it starts at a line "{" and ends at a line "}".
 */
export function parseRawOutput(stdout: string): ExecutionReport {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start === -1 || end < start) throw new Error('n8n execute printed no execution JSON');
	return JSON.parse(lines.slice(start, end + 1).join('\n')) as ExecutionReport;
}

function describe(error: { message?: string; description?: string } | undefined): string {
	return [error?.message, error?.description].filter(Boolean).join(' | ');
}

/** The execution succeeded and no node failed. An empty list means it passed. */
export function checkExecution(report: ExecutionReport): string[] {
	const problems: string[] = [];
	const result = report.data?.resultData;
	if (result?.error) problems.push(`workflow error: ${describe(result.error)}`);
	if (report.status !== undefined && report.status !== 'success') problems.push(`execution status "${report.status}"`);
	for (const [name, runs] of Object.entries(result?.runData ?? {})) {
		for (const run of runs) if (run.error) problems.push(`node "${name}" failed: ${describe(run.error)}`);
	}
	return problems;
}

/** The items a node put on one of its outputs (the error output is the last), or undefined when it did not run. */
export function nodeOutput(report: ExecutionReport, node: string, output = 0): OutputItem[] | undefined {
	const run = report.data?.resultData?.runData?.[node]?.[0];
	return run ? (run.data?.main?.[output] ?? []) : undefined;
}

/** The node's first output item carries binary `data` of the given type. */
export function checkNodeBinary(report: ExecutionReport, node: string, mimeType = 'image/png'): string[] {
	const items = nodeOutput(report, node);
	if (!items) return [`node "${node}" did not run`];
	const binary = items[0]?.binary?.data;
	if (!binary) return [`node "${node}" output has no binary "data"`];
	return binary.mimeType === mimeType ? [] : [`node "${node}" output mimeType is ${binary.mimeType}, not ${mimeType}`];
}

/** The workflow wrote a file that starts with the given bytes (at `offset`). */
export function checkFileWritten(outDir: string, magic: Buffer = PNG_MAGIC, offset = 0, kind = 'PNG'): string[] {
	const files = readdirSync(outDir);
	if (files.length === 0) return [`no file was written to ${outDir}`];
	const found = files.find((f) => readFileSync(join(outDir, f)).subarray(offset, offset + magic.length).equals(magic));
	return found ? [] : [`no ${kind} among ${files.join(', ')} in ${outDir}`];
}

/** Exactly one edit request, multipart with model, prompt, a PNG `image` part and the bearer key. */
export function checkEditRequest(requests: RecordedRequest[], apiKey: string): string[] {
	const edits = requests.filter((r) => r.method === 'POST' && r.path === '/v1/images/edits');
	if (edits.length !== 1) return [`the TikHub server saw ${edits.length} POST /v1/images/edits, expected 1`];
	const [edit] = edits;
	const problems: string[] = [];
	if (edit.parseError) problems.push(`multipart body did not parse: ${edit.parseError}`);
	if (edit.authorization !== `Bearer ${apiKey}`) problems.push(`authorization header was "${edit.authorization ?? ''}"`);
	for (const field of ['model', 'prompt']) if (!edit.fields[field]) problems.push(`form field "${field}" missing`);
	const image = edit.files.find((f) => f.field === 'image');
	if (!image) problems.push(`no file part "image" (parts: ${edit.fieldNames.join(', ')})`);
	else if (image.contentType !== 'image/png') problems.push(`file part "image" has content type ${image.contentType}`);
	else if (!image.bytes.subarray(0, 8).equals(PNG_MAGIC)) problems.push('file part "image" is not a PNG');
	return problems;
}

/** Exactly one generation request, a JSON body with model and prompt and the bearer key. */
export function checkGenerateRequest(requests: RecordedRequest[], apiKey: string): string[] {
	const calls = requests.filter((r) => r.method === 'POST' && r.path === '/v1/images/generations');
	if (calls.length !== 1) return [`the TikHub server saw ${calls.length} POST /v1/images/generations, expected 1`];
	const [call] = calls;
	const body = call.json as Record<string, unknown> | undefined;
	const problems: string[] = [];
	if (call.authorization !== `Bearer ${apiKey}`) problems.push(`authorization header was "${call.authorization ?? ''}"`);
	if (!body || typeof body.model !== 'string' || typeof body.prompt !== 'string') {
		problems.push(`generation body lacks model or prompt: ${JSON.stringify(body)}`);
	}
	return problems;
}

/**
 * One Seedance create with the example's image as a first frame (a PNG `data:` URI in an
 * `image_url` part with role `first_frame`), then status checks of that task, all with the key.
 */
export function checkVideoRequests(requests: RecordedRequest[], apiKey: string): string[] {
	const tasksPath = '/seedance/v3/contents/generations/tasks';
	const creates = requests.filter((r) => r.method === 'POST' && r.path === tasksPath);
	if (creates.length !== 1) return [`the TikHub server saw ${creates.length} POST ${tasksPath}, expected 1`];
	const checks = requests.filter((r) => r.method === 'GET' && r.path.startsWith(`${tasksPath}/`));
	const problems: string[] = [];
	for (const call of [...creates, ...checks]) {
		if (call.authorization !== `Bearer ${apiKey}`) problems.push(`${call.method} ${call.path}: authorization header was "${call.authorization ?? ''}"`);
	}
	const body = creates[0].json as { model?: unknown; content?: Array<Record<string, unknown>> } | undefined;
	const image = body?.content?.find((part) => part.type === 'image_url');
	const url = String((image?.image_url as { url?: unknown } | undefined)?.url ?? '');
	if (typeof body?.model !== 'string') problems.push(`create body has no model: ${JSON.stringify(body)?.slice(0, 200)}`);
	if (image?.role !== 'first_frame') problems.push('create body has no image_url part with role first_frame');
	else if (!url.startsWith('data:image/png;base64,') || !Buffer.from(url.slice(22, 34), 'base64').subarray(0, 8).equals(PNG_MAGIC)) {
		problems.push(`the first frame is not the PNG that was read (${url.slice(0, 40)}…)`);
	}
	if (checks.length === 0) problems.push('the task was never checked');
	return problems;
}

/**
 * TikHub Chat captioned the edited image: one POST /v1/chat/completions with the key, a PNG
 * data URL and JSON object mode; its output has `output.caption` and `output.altText`; and
 * caption.json holds that output.
 */
export function checkChatCaption(report: ExecutionReport, outDir: string, requests: RecordedRequest[], apiKey: string): string[] {
	const problems: string[] = [];
	const calls = requests.filter((r) => r.method === 'POST' && r.path === '/v1/chat/completions');
	if (calls.length !== 1) return [`the TikHub server saw ${calls.length} POST /v1/chat/completions, expected 1`];
	const [call] = calls;
	if (call.authorization !== `Bearer ${apiKey}`) problems.push(`chat authorization header was "${call.authorization ?? ''}"`);
	const body = JSON.stringify(call.json ?? {});
	if (!body.includes('"url":"data:image/png;base64,iVBORw0KGgo')) problems.push('the chat request carries no PNG data URL');
	if (!body.includes('"response_format":{"type":"json_object"}')) problems.push('the chat request is not in JSON object mode');
	const output = nodeOutput(report, 'TikHub Chat')?.[0]?.json?.output as Record<string, unknown> | undefined;
	if (typeof output?.caption !== 'string' || typeof output?.altText !== 'string') {
		problems.push(`TikHub Chat output has no caption and altText: ${JSON.stringify(output)}`);
	}
	try {
		const file = JSON.parse(readFileSync(join(outDir, 'caption.json'), 'utf8')) as { output?: unknown };
		if (JSON.stringify(file.output) !== JSON.stringify(output)) problems.push('caption.json does not hold the chat output');
	} catch (error) {
		problems.push(`caption.json was not written as JSON: ${String(error)}`);
	}
	return problems;
}

/** Every request with the bearer key; a problem for each that was not. */
function withKey(calls: RecordedRequest[], apiKey: string): string[] {
	return calls.filter((call) => call.authorization !== `Bearer ${apiKey}`).map((call) => `${call.method} ${call.path}: authorization header was "${call.authorization ?? ''}"`);
}

/**
 * One Veo predictLongRunning with the workflow's prompt and only the parameters it set, then
 * fetchPredictOperation POSTs naming that operation, all with the key.
 */
export function checkVeoRequests(requests: RecordedRequest[], apiKey: string): string[] {
	const model = 'veo-3.1-fast-generate-preview';
	const creates = requests.filter((r) => r.method === 'POST' && r.path === `/v1beta/models/${model}:predictLongRunning`);
	if (creates.length !== 1) return [`the TikHub server saw ${creates.length} predictLongRunning calls for ${model}, expected 1`];
	const checks = requests.filter((r) => r.method === 'POST' && r.path === `/v1beta/models/${model}:fetchPredictOperation`);
	const problems = withKey([...creates, ...checks], apiKey);
	const body = creates[0].json as { instances?: Array<{ prompt?: unknown }>; parameters?: unknown } | undefined;
	if (typeof body?.instances?.[0]?.prompt !== 'string') problems.push(`create body has no instances[0].prompt: ${JSON.stringify(body)?.slice(0, 200)}`);
	const parameters = { durationSeconds: 8, aspectRatio: '16:9', negativePrompt: 'text, watermark', generateAudio: true };
	if (JSON.stringify(body?.parameters) !== JSON.stringify(parameters)) problems.push(`parameters were ${JSON.stringify(body?.parameters)}`);
	if (checks.length === 0) problems.push('the operation was never checked');
	const names = new Set(checks.map((check) => (check.json as { operationName?: unknown } | undefined)?.operationName));
	if (names.size !== 1 || !/^models\/[^/]+\/operations\/\S+$/.test(String([...names][0]))) problems.push(`status checks named ${JSON.stringify([...names])}`);
	return problems;
}

/**
 * One Sora create as multipart with the read PNG as the `input_reference` file, `seconds` "4"
 * and `size` 1280x720, then status checks and the content download, all with the key.
 */
export function checkSoraRequests(requests: RecordedRequest[], apiKey: string): string[] {
	const creates = requests.filter((r) => r.method === 'POST' && r.path === '/v1/videos');
	if (creates.length !== 1) return [`the TikHub server saw ${creates.length} POST /v1/videos, expected 1`];
	const [create] = creates;
	const later = requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/videos/'));
	const problems = withKey([create, ...later], apiKey);
	if (create.parseError) problems.push(`multipart body did not parse: ${create.parseError}`);
	const { model, seconds, size } = create.fields;
	if (model !== 'sora-2' || seconds !== '4' || size !== '1280x720') problems.push(`form fields were ${JSON.stringify(create.fields)}`);
	const reference = create.files.find((file) => file.field === 'input_reference');
	if (!reference) problems.push(`no file part "input_reference" (parts: ${create.fieldNames.join(', ')})`);
	else if (!reference.bytes.subarray(0, 8).equals(PNG_MAGIC)) problems.push('the input_reference file is not the PNG that was read');
	if (!later.some((r) => !r.path.endsWith('/content'))) problems.push('the video was never checked');
	if (!later.some((r) => r.path.endsWith('/content'))) problems.push('the video content was never downloaded');
	return problems;
}
