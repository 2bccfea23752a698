// The checks of the queue-mode proof. Each returns the problems it found (none: passed).
import { PNG_SIGNATURE, readImageSize, type RecordedRequest } from '../../harness/server';
import { executionIdsInLog, firstItem, readBinary, type Execution } from './results';
import type { Postgres } from './services';
import { sizeText, type WebhookRequest } from './traffic';
import { WEBHOOK_NODE, type ImageStep } from './workflow';

export interface Check {
	name: string;
	problems: string[];
	/** A line of facts to log when it passed. */
	detail?: string;
}

const requestNumber = (execution: Execution) => Number(firstItem(execution, WEBHOOK_NODE)?.json?.query?.n);

export function checkAccepted(sent: WebhookRequest[]): Check {
	const refused = sent.filter((r) => r.status !== 200);
	return {
		name: `the main's production webhook accepted all ${sent.length} requests`,
		problems: refused.map((r) => `request ${r.n}: HTTP ${r.status} ${r.answer?.slice(0, 200) ?? ''}`),
	};
}

export function checkExecutions(executions: Execution[], sent: WebhookRequest[]): Check {
	const problems: string[] = [];
	if (executions.length !== sent.length) problems.push(`${executions.length} executions, expected ${sent.length}`);
	for (const e of executions) {
		const result = e.data?.resultData;
		if (e.status !== 'success' || !e.finished) problems.push(`execution ${e.id}: status ${e.status}, finished ${e.finished}`);
		if (e.mode !== 'webhook') problems.push(`execution ${e.id}: mode ${e.mode}, expected webhook`);
		if (result?.error) problems.push(`execution ${e.id}: ${result.error.message ?? ''} ${result.error.description ?? ''}`);
		for (const [node, runs] of Object.entries(result?.runData ?? {})) {
			for (const run of runs) if (run.error) problems.push(`execution ${e.id}, node "${node}": ${run.error.message ?? ''}`);
		}
	}
	const numbers = executions.map(requestNumber).sort((a, b) => a - b);
	const expected = sent.map((r) => r.n);
	if (numbers.join(',') !== expected.join(',')) problems.push(`executions were for requests ${numbers.join(',')}, expected ${expected.join(',')}`);
	return { name: `${sent.length} executions, one per request, all succeeded`, problems };
}

/** The step's output in every execution: a PNG of the size that request asked for, in the database store. */
export async function checkStepOutput(step: ImageStep, executions: Execution[], sent: WebhookRequest[], pg: Postgres): Promise<Check> {
	const problems: string[] = [];
	for (const e of executions) {
		const request = sent.find((r) => r.n === requestNumber(e));
		const binary = firstItem(e, step.node)?.binary?.data;
		const where = `execution ${e.id} (request ${request?.n ?? '?'})`;
		if (!request) problems.push(`${where}: no matching request`);
		else if (!binary) problems.push(`${where}: "${step.node}" output has no binary "data"`);
		else if (binary.mimeType !== 'image/png') problems.push(`${where}: output mimeType ${binary.mimeType}`);
		else if (!binary.id?.startsWith('database:')) problems.push(`${where}: output binary id "${binary.id}" is not in the database store`);
		else {
			const bytes = await readBinary(pg, binary.id);
			const size = bytes && readImageSize(bytes);
			if (!bytes) problems.push(`${where}: ${binary.id} not found in binary_data`);
			else if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) problems.push(`${where}: stored output is not a PNG`);
			else if (!size || sizeText(size) !== sizeText(request.size)) {
				problems.push(`${where}: output is ${size ? sizeText(size) : 'of unknown size'}, asked for ${sizeText(request.size)}`);
			}
		}
	}
	return { name: `"${step.node}" output of every execution: a PNG of the requested size, read from binary_data`, problems };
}

/** The input each request posted went main -> database -> worker -> TikHub unchanged; each step called TikHub once per request. */
export function checkTikHubRequests(steps: ImageStep[], executions: Execution[], sent: WebhookRequest[], requests: RecordedRequest[], apiKey: string): Check {
	const problems: string[] = [];
	for (const e of executions) {
		const input = firstItem(e, WEBHOOK_NODE)?.binary?.data;
		if (!input?.id?.startsWith('database:')) problems.push(`execution ${e.id}: the webhook's input binary id is "${input?.id}", not database:…`);
	}
	for (const step of steps) {
		const calls = requests.filter((r) => r.method === 'POST' && r.path === step.apiPath);
		if (calls.length !== sent.length) problems.push(`TikHub saw ${calls.length} POST ${step.apiPath}, expected ${sent.length}`);
		for (const call of calls) if (call.authorization !== `Bearer ${apiKey}`) problems.push(`POST ${step.apiPath} without the credential's key`);
	}
	for (const edit of requests.filter((r) => r.path === '/v1/images/edits')) {
		const request = sent.find((r) => sizeText(r.size) === edit.fields.size);
		const image = edit.files.find((f) => f.field === 'image');
		if (!request) problems.push(`an edit asked for size ${edit.fields.size}, which no request asked for`);
		else if (!image?.bytes.equals(request.input)) problems.push(`request ${request.n}: the image TikHub got is not the PNG posted to the webhook`);
	}
	return { name: 'each input image reached TikHub byte for byte through the database store; one call per step per request', problems };
}

export interface ProcessLog {
	name: string;
	output: () => string;
}

/** Every execution was started and finished by exactly one worker, and every worker ran some. */
export function checkWorkers(workers: ProcessLog[], executions: Execution[]): Check {
	const problems: string[] = [];
	const ran = workers.map((w) => ({
		name: w.name,
		started: executionIdsInLog(w.output(), 'Worker started execution'),
		finished: executionIdsInLog(w.output(), 'Worker finished execution'),
	}));
	for (const e of executions) {
		const by = ran.filter((w) => w.started.includes(e.id));
		if (by.length !== 1) problems.push(`execution ${e.id} was started by ${by.length} workers (${by.map((w) => w.name).join(', ') || 'none'})`);
		else if (!by[0].finished.includes(e.id)) problems.push(`execution ${e.id}: ${by[0].name} never logged finishing it`);
	}
	for (const w of ran) if (w.started.length === 0) problems.push(`${w.name} ran no execution`);
	const detail = ran.map((w) => `${w.name} ran ${w.started.length} (${w.started.join(',')})`).join('; ');
	return { name: `the executions ran on the workers, each on exactly one, every worker on some`, problems, detail };
}

/** The main only enqueued: each execution went to Redis from it, none ran in its process. */
export function checkMain(main: ProcessLog, executions: Execution[]): Check {
	const enqueued = executionIdsInLog(main.output(), 'Enqueued execution');
	const started = executionIdsInLog(main.output(), 'Worker started execution');
	const problems = executions.filter((e) => !enqueued.includes(e.id)).map((e) => `the main did not enqueue execution ${e.id}`);
	if (started.length) problems.push(`the main ran executions ${started.join(',')}`);
	return { name: 'the main enqueued every execution and ran none', problems, detail: `main enqueued ${enqueued.length}, ran 0` };
}

/**
 * Binary data mode left unset: n8n's queue-mode default must be the database store, every
 * binary of these executions a row of binary_data. The outputs are filed under their
 * execution; what the webhook received on the main is filed under "temp" (n8n 2.41.1 stores
 * it before the execution exists and renames only filesystem-mode ids afterwards).
 */
export async function checkBinaryMode(env: NodeJS.ProcessEnv, steps: ImageStep[], executions: Execution[], pg: Postgres): Promise<Check> {
	const problems: string[] = [];
	if (env.N8N_DEFAULT_BINARY_DATA_MODE) problems.push(`N8N_DEFAULT_BINARY_DATA_MODE is set (${env.N8N_DEFAULT_BINARY_DATA_MODE}); the default is under test`);
	const ids = executions.flatMap((e) => [WEBHOOK_NODE, ...steps.map((s) => s.node)].map((node) => firstItem(e, node)?.binary?.data?.id ?? ''));
	const notInDatabase = ids.filter((id) => !id.startsWith('database:'));
	if (notInDatabase.length) problems.push(`${notInDatabase.length} binaries are not in the database store: ${notInDatabase.slice(0, 3).join(', ')}`);
	const fileIds = ids.filter((id) => id.startsWith('database:')).map((id) => `'${id.slice('database:'.length).replace(/'/g, "''")}'`);
	const rows = fileIds.length
		? (await pg.query(`SELECT "sourceId" FROM binary_data WHERE "fileId"::text IN (${fileIds.join(',')})`)).trim().split('\n').filter(Boolean)
		: [];
	if (rows.length !== ids.length) problems.push(`binary_data holds ${rows.length} of the ${ids.length} binaries these executions refer to`);
	const temp = rows.filter((sourceId) => sourceId === 'temp').length;
	const detail = `${rows.length} files in binary_data (${rows.length - temp} under their execution id, ${temp} webhook inputs under "temp")`;
	return { name: 'binary data mode: database (the queue-mode default), every binary a row of binary_data', problems, detail };
}
