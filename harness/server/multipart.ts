import type { IncomingMessage } from 'node:http';

import { Request } from 'undici';

export interface RecordedFile {
	field: string;
	fileName: string;
	contentType: string;
	bytes: Buffer;
}

export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	authorization?: string;
	/** Bytes of the body as received (to hold against its Content-Length header). */
	bodyLength: number;
	/** Text form parts; the last value wins. */
	fields: Record<string, string>;
	/** Every value of each text part, in order (for repeated parts such as `timestamp_granularities[]`). */
	fieldValues: Record<string, string[]>;
	/** Names of all parts, text and file, in the order received. */
	fieldNames: string[];
	/** File parts in order. */
	files: RecordedFile[];
	/** The parsed body of a JSON request (undefined for other bodies). */
	json?: unknown;
	/** Set when the body claimed to be multipart or JSON but could not be parsed. */
	parseError?: string;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * Records a request; a multipart body is parsed for real by undici's form-data parser (the
 * `undici` package, pinned, rather than whatever copy the running Node bundles, so the parser
 * the tests trust does not change with the Node version).
 */
export async function recordRequest(
	req: IncomingMessage,
	path: string,
	body: Buffer,
): Promise<RecordedRequest> {
	const recorded: RecordedRequest = {
		method: req.method ?? 'GET',
		path,
		headers: { ...req.headers },
		authorization: req.headers.authorization,
		bodyLength: body.length,
		fields: {},
		fieldValues: {},
		fieldNames: [],
		files: [],
	};
	const contentType = req.headers['content-type'] ?? '';
	if (/^application\/json/i.test(contentType)) {
		try {
			recorded.json = JSON.parse(body.toString('utf8'));
		} catch (error) {
			recorded.parseError = error instanceof Error ? error.message : String(error);
		}
		return recorded;
	}
	if (!/^multipart\/form-data/i.test(contentType)) return recorded;
	try {
		const form = await new Request('http://local/', {
			method: 'POST',
			headers: { 'content-type': contentType },
			body,
		}).formData();
		for (const [name, value] of form) {
			recorded.fieldNames.push(name);
			if (typeof value === 'string') {
				recorded.fields[name] = value;
				(recorded.fieldValues[name] ??= []).push(value);
			} else {
				recorded.files.push({
					field: name,
					fileName: value.name,
					contentType: value.type,
					bytes: Buffer.from(await value.arrayBuffer()),
				});
			}
		}
	} catch (error) {
		recorded.parseError = error instanceof Error ? error.message : String(error);
	}
	return recorded;
}
