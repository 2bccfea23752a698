import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

import { openAiError, send, sendJson } from './respond';
import { wait } from './wait';

export type Fault =
	| { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
	| { kind: 'html'; status: number }
	| { kind: 'reset' }
	| { kind: 'cutBody' }
	| { kind: 'brokenJson' }
	/** Answers normally after `ms`; the server's latency runs alongside it, from the request's arrival. */
	| { kind: 'delay'; ms: number }
	| { kind: 'emptyData' }
	| { kind: 'noImage' };

function reason(status: number): string {
	return `${status} ${STATUS_CODES[status] ?? 'Error'}`;
}

// What nginx sends when the upstream fails.
function gatewayPage(status: number): string {
	const title = reason(status);
	return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function answerStatus(res: ServerResponse, fault: Extract<Fault, { kind: 'status' }>): void {
	const headers = fault.headers ?? {};
	if (fault.body === undefined) {
		// No body given: answer like the API would, with an OpenAI error object.
		const type = fault.status >= 500 ? 'server_error' : 'invalid_request_error';
		sendJson(res, fault.status, openAiError(`Simulated ${reason(fault.status)}`, null, null, type), headers);
	} else if (typeof fault.body === 'string') {
		send(res, fault.status, fault.body, { 'content-type': 'text/plain; charset=utf-8', ...headers });
	} else {
		sendJson(res, fault.status, fault.body, headers);
	}
}

/**
 * Answers one queued fault. Resolves true when the request is done with (answered,
 * socket destroyed, or aborted), false when it should go on to be answered normally.
 */
export async function answerFault(
	fault: Fault,
	req: IncomingMessage,
	res: ServerResponse,
	signal: AbortSignal,
): Promise<boolean> {
	const created = Math.floor(Date.now() / 1000);
	switch (fault.kind) {
		case 'status':
			answerStatus(res, fault);
			return true;
		case 'html':
			send(res, fault.status, gatewayPage(fault.status), { 'content-type': 'text/html' });
			return true;
		case 'reset':
			req.socket.destroy();
			return true;
		case 'cutBody':
			// Headers and the first part of a 200 answer, then the connection drops mid-body.
			res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
			res.write(`{"created":${created},"data":[{"b64_json":"iVBORw0KGgo`);
			setTimeout(() => req.socket.destroy(), 20);
			return true;
		case 'brokenJson':
			// A complete HTTP answer whose JSON stops half way, as from a cut upstream.
			send(res, 200, `{"created":${created},"data":[{"b64_json":"iVBORw0KGgoAAAANSUhEUgAA`, {
				'content-type': 'application/json',
			});
			return true;
		case 'delay':
			return !(await wait(fault.ms, signal));
		case 'emptyData':
			sendJson(res, 200, { created, data: [] });
			return true;
		case 'noImage':
			sendJson(res, 200, { created, data: [{ revised_prompt: 'x' }] });
			return true;
	}
}
