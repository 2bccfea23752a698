// What a passing run must show: n8n's own report of the execution (`execute --rawOutput`),
// the file the workflow wrote, and the request the local TikHub server received.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { RecordedRequest } from '../../test/server';
import { TIKHUB_NODE } from './fixtures';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface NodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: { main?: Array<Array<{ json?: unknown; binary?: Record<string, { mimeType?: string }> }> | null> };
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

/** Returns the problems found; an empty list means the run passed. */
export function checkExecution(report: ExecutionReport): string[] {
	const problems: string[] = [];
	const result = report.data?.resultData;
	if (result?.error) problems.push(`workflow error: ${describe(result.error)}`);
	if (report.status !== undefined && report.status !== 'success') problems.push(`execution status "${report.status}"`);
	for (const [name, runs] of Object.entries(result?.runData ?? {})) {
		for (const run of runs) if (run.error) problems.push(`node "${name}" failed: ${describe(run.error)}`);
	}
	const tikhub = result?.runData?.[TIKHUB_NODE]?.[0];
	if (!tikhub) return [...problems, `node "${TIKHUB_NODE}" did not run`];
	const item = tikhub.data?.main?.[0]?.[0];
	const binary = item?.binary?.data;
	if (!binary) problems.push(`node "${TIKHUB_NODE}" output has no binary "data"`);
	else if (binary.mimeType !== 'image/png') problems.push(`node "${TIKHUB_NODE}" output mimeType is ${binary.mimeType}, not image/png`);
	return problems;
}

export function checkOutputFolder(outDir: string): string[] {
	const files = readdirSync(outDir);
	if (files.length === 0) return [`no file was written to ${outDir}`];
	const png = files.find((f) => readFileSync(join(outDir, f)).subarray(0, 8).equals(PNG_MAGIC));
	return png ? [] : [`no PNG among ${files.join(', ')} in ${outDir}`];
}

export function checkServerRequests(requests: RecordedRequest[], apiKey: string): string[] {
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
	else if (!image.bytes.subarray(0, 8).equals(PNG_MAGIC)) problems.push('file part "image" is not the PNG that was read');
	return problems;
}
