import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { BackoffGate, sleepUnlessAborted } from './backoff-gate';
import { clip, extractApiMessage, hintForStatus, redact } from './errors';
import {
	MAX_RETRY_AFTER_MS,
	parseRetryAfterMs,
	RETRYABLE_NETWORK_CODES,
	RETRYABLE_STATUSES,
	retryDelayMs,
	UNSENT_NETWORK_CODES,
} from './retry';

/**
 * The one way TikHub nodes talk HTTP: base URL and key from the credential, timeouts,
 * retries with backoff and Retry-After, and errors a user can act on (with the key redacted).
 */

export const TIKHUB_CREDENTIAL = 'tikHubApi';
export const DEFAULT_BASE_URL = 'https://ai.tikhub.io';

export interface RequestPolicy {
	/** Per request, in milliseconds. */
	timeoutMs: number;
	/** Extra tries after the first, on 429, 5xx and network errors. */
	maxRetries: number;
	/** Shared by the items of one execution so a 429 slows them all down. */
	gate?: BackoffGate;
	/**
	 * False for a call that starts billed work (e.g. creating a video task): a 5xx, a timeout or
	 * a connection cut after sending may mean it happened anyway, so only failures that prove
	 * it did not (429, no connection made) are retried. Default true: retry as listed above.
	 */
	idempotent?: boolean;
}

export interface TikHubCall {
	method: IHttpRequestMethods;
	/** Path under the base URL, e.g. `/v1/images/edits`. */
	path: string;
	body?: FormData | IDataObject;
}

interface TikHubCredentials {
	baseUrl: string;
	/** The key as saved and as sent (trimmed): both are masked in every message. */
	secrets: string[];
}

/**
 * The credential's base URL and key, trimmed as n8n's `authenticate` block trims the key.
 * An empty key or a base URL that is no http(s) URL fails here, naming the credential,
 * before anything is sent.
 */
async function readCredentials(ctx: IExecuteFunctions, itemIndex: number): Promise<TikHubCredentials> {
	const credentials = await ctx.getCredentials<{ apiKey?: string; baseUrl?: string }>(
		TIKHUB_CREDENTIAL,
		itemIndex,
	);
	const rawKey = String(credentials.apiKey ?? '');
	const apiKey = rawKey.trim();
	if (apiKey === '') {
		throw new NodeOperationError(ctx.getNode(), 'The API key of the TikHub API credential is empty', {
			itemIndex,
			description: 'Open the TikHub API credential and paste your API key from the TikHub dashboard.',
		});
	}
	const baseUrl = (credentials.baseUrl || DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/\s]+/i.test(baseUrl) || !URL.canParse(baseUrl)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The Base URL "${baseUrl}" of the TikHub API credential is not an http(s) URL`,
			{
				itemIndex,
				description: `Open the TikHub API credential and set Base URL to a full URL with its scheme, e.g. ${DEFAULT_BASE_URL}.`,
			},
		);
	}
	return { baseUrl, secrets: [rawKey, apiKey] };
}

/** Calls a TikHub endpoint and returns its parsed JSON body. */
export async function callTikHub<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	call: TikHubCall,
	policy: RequestPolicy,
): Promise<T> {
	const { baseUrl, secrets } = await readCredentials(ctx, itemIndex);
	const response = await sendWithRetries(ctx, itemIndex, policy, secrets, async () =>
		(await ctx.helpers.httpRequestWithAuthentication.call(ctx, TIKHUB_CREDENTIAL, {
			method: call.method,
			url: `${baseUrl}${call.path}`,
			body: call.body,
			json: true,
			timeout: policy.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			abortSignal: ctx.getExecutionCancelSignal?.(),
			// An API call never needs a redirect, and the redirect follower keeps a copy of the
			// whole request body (every image) in memory in case it has to send it again.
			disableFollowRedirect: true,
		})) as IN8nHttpFullResponse,
	);
	return parseJsonBody<T>(ctx, itemIndex, response.body, secrets);
}

/** Hops followed at most when a download redirects. */
const MAX_DOWNLOAD_REDIRECTS = 5;

/** What a download is for, in the words its errors use. */
export interface DownloadTarget {
	/** e.g. `the edited image from the URL TikHub returned`, `the image from https://…/a.png`. */
	what: string;
	/** What the user can do when it fails, e.g. that result URLs expire. */
	hint: string;
}

/**
 * Downloads a file by URL (a result TikHub returned, or an input image a user gave).
 * The key is sent only to TikHub's own host: a URL on another host (a CDN, a storage bucket)
 * is fetched without it. Redirects are followed here, one hop at a time, so a redirect from
 * TikHub to another host cannot carry the key along.
 */
export async function downloadFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	url: string,
	policy: RequestPolicy,
	target: DownloadTarget,
): Promise<{ bytes: Buffer; contentType?: string }> {
	const { baseUrl, secrets } = await readCredentials(ctx, itemIndex);
	const signal = ctx.getExecutionCancelSignal?.();
	if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
		throw downloadError(ctx, itemIndex, target, `"${clip(redact(url, secrets), 120)}" is not a complete http(s) URL`);
	}
	let current = url;
	for (let hop = 0; ; hop++) {
		const options: IHttpRequestOptions = {
			method: 'GET',
			url: current,
			encoding: 'arraybuffer',
			timeout: policy.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			abortSignal: signal,
		};
		const withKey = sameOrigin(current, baseUrl);
		const response = await sendWithRetries(
			ctx,
			itemIndex,
			policy,
			secrets,
			async () =>
				(withKey
					? await ctx.helpers.httpRequestWithAuthentication.call(ctx, TIKHUB_CREDENTIAL, options)
					: await ctx.helpers.httpRequest(options)) as IN8nHttpFullResponse,
			target,
		);
		const location = response.headers.location;
		if (response.statusCode >= 300 && typeof location === 'string' && hop < MAX_DOWNLOAD_REDIRECTS) {
			current = new URL(location, current).toString();
			continue;
		}
		if (response.statusCode >= 300) {
			throw downloadError(ctx, itemIndex, target, `HTTP ${response.statusCode}`, response.statusCode);
		}
		const contentType = response.headers['content-type'];
		return {
			bytes: Buffer.from(response.body as ArrayBuffer),
			contentType: typeof contentType === 'string' ? contentType : undefined,
		};
	}
}

function sameOrigin(url: string, baseUrl: string): boolean {
	try {
		return new URL(url).origin === new URL(baseUrl).origin;
	} catch {
		return false;
	}
}

/**
 * Sends, and sends again on a retryable failure, until a 2xx arrives or the tries run out.
 * Every wait goes through the shared gate, so a 429 pauses the whole batch. `download` is
 * set for downloads: their redirects pass through (the caller follows them) and their
 * failures are download errors rather than API errors.
 */
async function sendWithRetries(
	ctx: IExecuteFunctions,
	itemIndex: number,
	policy: RequestPolicy,
	secrets: string[],
	send: () => Promise<IN8nHttpFullResponse>,
	download?: DownloadTarget,
): Promise<IN8nHttpFullResponse> {
	const gate = policy.gate ?? new BackoffGate();
	const signal = ctx.getExecutionCancelSignal?.();
	const retries = Number.isFinite(policy.maxRetries) ? Math.max(0, Math.floor(policy.maxRetries)) : 0;
	const tries = retries + 1;
	const idempotent = policy.idempotent !== false;

	for (let attempt = 1; ; attempt++) {
		await gate.wait(signal);
		if (signal?.aborted) {
			throw requestError(ctx, itemIndex, new Error('the execution was cancelled'), secrets);
		}
		let response: IN8nHttpFullResponse;
		try {
			response = await send();
		} catch (error) {
			const code = networkErrorCode(error);
			if (!code || signal?.aborted) throw requestError(ctx, itemIndex, error, secrets);
			const mayHaveBeenTaken = !idempotent && !UNSENT_NETWORK_CODES.has(code);
			if (mayHaveBeenTaken) throw notRetried(networkError(ctx, itemIndex, code, policy, attempt, download));
			if (attempt >= tries) throw networkError(ctx, itemIndex, code, policy, attempt, download);
			const delay = retryDelayMs(attempt - 1);
			ctx.logger.debug(`TikHub request failed (${code}), retrying in ${delay} ms`, {
				itemIndex,
				attempt,
			});
			await sleepUnlessAborted(delay, signal);
			continue;
		}

		const status = response.statusCode;
		const lastGood = download ? 399 : 299;
		if (status >= 200 && status <= lastGood) return response;
		const failed = () =>
			download
				? downloadError(ctx, itemIndex, download, `HTTP ${status}`, status)
				: statusError(ctx, itemIndex, response, secrets, attempt);
		if (!idempotent && status >= 500) throw notRetried(failed());
		if (!RETRYABLE_STATUSES.has(status) || attempt >= tries) throw failed();
		const retryAfterMs = parseRetryAfterMs(response.headers['retry-after']);
		if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
			throw retryLaterError(ctx, itemIndex, failed(), retryAfterMs);
		}
		const delay = retryDelayMs(attempt - 1, retryAfterMs);
		if (status === 429) gate.pauseFor(delay);
		ctx.logger.debug(`TikHub answered ${status}, retrying in ${delay} ms`, { itemIndex, attempt });
		await sleepUnlessAborted(delay, signal);
	}
}

/** A call that starts billed work failed in a way that may hide its success: say why it was not sent again. */
function notRetried(error: NodeApiError): NodeApiError {
	const note =
		'Not retried automatically: TikHub may have received the request and started the (billed) work before the answer was lost. Run the item again only if a duplicate is acceptable.';
	error.description = error.description ? `${error.description} ${note}` : note;
	return error;
}

/** The Node/axios error code of a network failure worth retrying, or undefined. */
function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		// axios reports its own timeout as ECONNABORTED; n8n wraps it in NodeApiError (cause).
		if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) {
			return code;
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function isTimeout(code: string): boolean {
	return ['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT'].includes(
		code,
	);
}

function isCutShort(code: string): boolean {
	return code === 'ERR_BAD_RESPONSE' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

function networkError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	code: string,
	policy: RequestPolicy,
	tries: number,
	download?: DownloadTarget,
): NodeApiError {
	const seconds = Math.round(policy.timeoutMs / 1000);
	const times = `tried ${tries} time${tries > 1 ? 's' : ''}`;
	const who = download ? `Could not download ${download.what}` : 'Could not reach TikHub';
	let message: string;
	let description: string;
	if (isTimeout(code)) {
		message = download
			? `${who}: no answer within ${seconds} s (${times})`
			: `TikHub did not answer within ${seconds} s (${times})`;
		description = `Large or high-quality jobs can take several minutes. Raise "Timeout (Seconds)" under Options (now ${seconds}).`;
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
function requestError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	error: unknown,
	secrets: string[],
): NodeApiError {
	const raw = error instanceof Error ? error.message : String(error);
	const message = clip(redact(`TikHub request failed: ${raw}`, secrets));
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, { itemIndex, message });
}

function statusError(
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
function retryLaterError(
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

function downloadError(
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

function parseJsonBody<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	body: unknown,
	secrets: string[],
): T {
	if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) return body as T;
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body ?? '');
	try {
		const parsed: unknown = JSON.parse(text);
		if (parsed !== null && typeof parsed === 'object') return parsed as T;
	} catch {
		// reported below
	}
	const message = 'TikHub answered with a body that is not the expected JSON';
	throw new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		itemIndex,
		message,
		description: clip(redact(`The body began with: ${text.slice(0, 200)}`, secrets)),
	});
}

/** Masks the credential's key in a text built from a response (e.g. a message in a 200 body). */
export async function redactKey(ctx: IExecuteFunctions, itemIndex: number, text: string): Promise<string> {
	const { secrets } = await readCredentials(ctx, itemIndex);
	return redact(text, secrets);
}
