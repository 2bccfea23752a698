import type { IExecuteFunctions, IN8nHttpFullResponse, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { clip, extractApiMessage, hintForStatus, redact } from './error-messages';
import { MAX_RETRY_AFTER_MS } from './retry-policy';
import { displayUrl } from './safe-url';

/**
 * The errors a failed TikHub call ends in, worded for the person reading them in n8n: what
 * happened, and what to do (raise the timeout, check the credential, try again later).
 */

/** What a download is for, in the words its errors use. */
export interface DownloadTarget {
	/** e.g. `the edited image from the URL TikHub returned`, `the image from https://…/a.png`. */
	what: string;
	/** What the user can do when it fails, e.g. that result URLs expire. */
	hint: string;
	/** The URL being fetched (set by downloadFile): named, without its query, in timeout and network errors. */
	url?: string;
}

/** How long the server asked to wait (Retry-After) in the answer an error was made from, if it did. */
export function retryAfterOf(error: unknown): number | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const value = error.context.retryAfterMs;
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A call's deadline (e.g. a video's Max Wait) came before it could be (re)sent or finish. */
export function deadlineError(ctx: IExecuteFunctions, itemIndex: number, download?: DownloadTarget): NodeApiError {
	const message = download
		? `Could not download ${download.what}${download.url ? ` (${displayUrl(download.url)})` : ''}: the time allowed ran out`
		: 'TikHub was not asked again: the time allowed (Max Wait) ran out';
	const error = new NodeApiError(ctx.getNode(), { message } as JsonObject, { itemIndex, message });
	error.context.deadlineReached = true;
	return error;
}

/** Whether an error only says that a call's deadline came (see deadlineError). */
export function isDeadlineError(error: unknown): boolean {
	return error instanceof NodeApiError && error.context.deadlineReached === true;
}

/** A call that starts billed work failed in a way that may hide its success: say why it was not sent again. */
export function notRetried(error: NodeApiError): NodeApiError {
	const note =
		'Not retried automatically: TikHub may have received the request and started the (billed) work before the answer was lost. Run the item again only if a duplicate is acceptable.';
	error.description = error.description ? `${error.description} ${note}` : note;
	return error;
}

function isTimeout(code: string): boolean {
	return ['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT'].includes(
		code,
	);
}

function isCutShort(code: string): boolean {
	return code === 'ERR_BAD_RESPONSE' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

export function networkError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	code: string,
	timeoutMs: number,
	tries: number,
	download?: DownloadTarget,
): NodeApiError {
	const seconds = Math.round(timeoutMs / 1000);
	const times = `tried ${tries} time${tries > 1 ? 's' : ''}`;
	const from = download?.url && !download.what.includes(displayUrl(download.url)) ? ` (${displayUrl(download.url)})` : '';
	const who = download ? `Could not download ${download.what}${from}` : 'Could not reach TikHub';
	let message: string;
	let description: string;
	if (isTimeout(code)) {
		message = download
			? `${who}: no answer within ${seconds} s (${times})`
			: `TikHub did not answer within ${seconds} s (${times})`;
		description = download
			? `"Timeout (Seconds)" bounds the whole download (now ${seconds}); the server sent the file too slowly or not at all. Raise it under Options for large files.`
			: `Large or high-quality jobs can take several minutes. Raise "Timeout (Seconds)" under Options (now ${seconds}).`;
	} else if (isCutShort(code)) {
		message = `${who}: the connection broke while the answer was coming in (${times})`;
		description = 'The network or a proxy cut the answer short. This is usually temporary: raise "Max Retries" or try again.';
	} else {
		message = `${who}: the connection failed (${times})`;
		description = `Network error ${code}. Check the Base URL in your TikHub API credential and your network or proxy settings.`;
	}
	// No `code` in the error object: n8n would swap our message for its generic one.
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		itemIndex,
		message,
		description,
	});
}

/** A failure that is neither an HTTP status nor a retryable network error (cancelled, bad URL…). */
export function requestError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	error: unknown,
	secrets: string[],
): NodeApiError {
	const raw = error instanceof Error ? error.message : String(error);
	const message = clip(redact(`TikHub request failed: ${raw}`, secrets));
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, { itemIndex, message });
}

export function statusError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	response: IN8nHttpFullResponse,
	secrets: string[],
	tries: number,
): NodeApiError {
	const status = response.statusCode;
	const said = extractApiMessage(response.body) ?? response.statusMessage ?? 'no details given';
	const detail = clip(redact(said, secrets));
	let message: string;
	if (status === 401) message = `TikHub rejected the API key (401): ${detail}`;
	else if (status === 429) message = `TikHub rate limit (429) after ${tries} tr${tries > 1 ? 'ies' : 'y'}: ${detail}`;
	else message = `TikHub error ${status}: ${detail}`;
	const httpCode = String(status);
	return new NodeApiError(ctx.getNode(), { message, httpCode } as JsonObject, {
		itemIndex,
		message,
		description: hintForStatus(status),
		httpCode,
	});
}

/** TikHub asked for a longer pause than the node waits: fail now and say when to try again. */
export function retryLaterError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	error: NodeApiError,
	retryAfterMs: number,
): NodeApiError {
	const when = new Date(Date.now() + retryAfterMs).toISOString().replace(/\.\d+Z$/, 'Z');
	const description = `TikHub asked to wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After), longer than the node waits (${MAX_RETRY_AFTER_MS / 1000} s). Run the item again after ${when}.`;
	return new NodeApiError(ctx.getNode(), { message: error.message } as JsonObject, {
		itemIndex,
		message: error.message,
		description,
		httpCode: error.httpCode ?? undefined,
	});
}

export function downloadError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	target: DownloadTarget,
	reason: string,
	status?: number,
): NodeApiError {
	const message = clip(`Could not download ${target.what} (${reason})`);
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		itemIndex,
		message,
		description: target.hint,
		...(status ? { httpCode: String(status) } : {}),
	});
}
