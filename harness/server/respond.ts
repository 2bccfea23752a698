import type { ServerResponse } from 'node:http';

export interface OpenAiError {
	error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAiError(
	message: string,
	param: string | null = null,
	code: string | null = null,
	type = 'invalid_request_error',
): OpenAiError {
	return { error: { message, type, param, code } };
}

export function send(
	res: ServerResponse,
	status: number,
	body: string | Buffer,
	headers: Record<string, string> = {},
): void {
	const all: Record<string, string> = { 'content-length': String(Buffer.byteLength(body)) };
	// Lower-case so a caller's 'Content-Type' replaces the default instead of doubling it.
	for (const [name, value] of Object.entries(headers)) all[name.toLowerCase()] = value;
	res.writeHead(status, all);
	res.end(body);
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	send(res, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}
