// What the cluster did, read where n8n keeps it: executions and their data in Postgres
// (execution_entity, execution_data, binary_data), and which process ran each execution in
// that process's own log (queue mode logs "Enqueued execution <id>" on the main and "Worker
// started/finished execution <id>" on the worker that took the job).
import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { Postgres } from './services';

export interface BinaryRef {
	id?: string;
	mimeType?: string;
	fileName?: string;
	fileSize?: string | number;
}

export interface NodeItem {
	json?: { query?: Record<string, string> } & Record<string, unknown>;
	binary?: Record<string, BinaryRef>;
}

export interface NodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: { main?: Array<NodeItem[] | null> };
}

export interface ExecutionData {
	resultData?: { runData?: Record<string, NodeRun[]>; error?: { message?: string; description?: string } };
}

export interface Execution {
	id: string;
	status: string;
	finished: boolean;
	mode: string;
	data?: ExecutionData;
}

const DONE = ['success', 'error', 'crashed', 'canceled'];

/** n8n stores execution data with `flatted`; decoded with the copy n8n itself ships. */
export function flattedParser(n8nDir: string): (text: string) => unknown {
	const requireFromN8n = createRequire(join(n8nDir, 'node_modules', 'n8n', 'package.json'));
	const flatted = requireFromN8n('flatted') as { parse: (text: string) => unknown };
	return (text) => flatted.parse(text);
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

async function listExecutions(pg: Postgres, workflowId: string, withData: boolean): Promise<Array<Execution & { raw?: string }>> {
	const fields = `'id', e.id::text, 'status', e.status, 'finished', e.finished, 'mode', e.mode${withData ? ", 'raw', d.data" : ''}`;
	const sql =
		`SELECT coalesce(json_agg(json_build_object(${fields}) ORDER BY e.id), '[]') FROM execution_entity e ` +
		`LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = ${quote(workflowId)}`;
	return JSON.parse((await pg.query(sql)).trim() || '[]') as Array<Execution & { raw?: string }>;
}

/** Waits until `count` executions of the workflow exist and all are done; returns them without data. */
export async function waitForExecutions(pg: Postgres, workflowId: string, count: number, timeoutMs: number): Promise<Execution[]> {
	const deadline = Date.now() + timeoutMs;
	let executions: Execution[] = [];
	while (Date.now() < deadline) {
		executions = await listExecutions(pg, workflowId, false);
		if (executions.length >= count && executions.every((e) => DONE.includes(e.status))) return executions;
		await new Promise((r) => setTimeout(r, 500));
	}
	const states = executions.map((e) => `${e.id}:${e.status}`).join(', ');
	throw new Error(`after ${timeoutMs / 1000} s, ${executions.length} of ${count} executions exist, not all done (${states})`);
}

export async function loadExecutions(pg: Postgres, workflowId: string, parse: (text: string) => unknown): Promise<Execution[]> {
	const rows = await listExecutions(pg, workflowId, true);
	return rows.map(({ raw, ...execution }) => ({ ...execution, data: raw ? (parse(raw) as ExecutionData) : undefined }));
}

/** The bytes behind a `database:<fileId>` binary id, from the binary_data table. */
export async function readBinary(pg: Postgres, id: string): Promise<Buffer | undefined> {
	const fileId = id.replace(/^database:/, '');
	if (!/^[0-9a-f-]{36}$/i.test(fileId)) return undefined;
	const hex = (await pg.query(`SELECT encode(data, 'hex') FROM binary_data WHERE "fileId" = ${quote(fileId)}`)).trim();
	return hex ? Buffer.from(hex, 'hex') : undefined;
}

/** The first item a node output in an execution. */
export function firstItem(execution: Execution, node: string): NodeItem | undefined {
	return execution.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0]?.[0];
}

/** Execution ids a process's log names in lines like "Worker started execution 12 (job 7)". */
export function executionIdsInLog(output: string, phrase: string): string[] {
	const pattern = new RegExp(`${phrase} (\\d+)\\b`, 'g');
	return [...output.matchAll(pattern)].map((m) => m[1]);
}
