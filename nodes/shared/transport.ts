import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { BackoffGate, sleepUnlessAborted } from './backoff-gate';
import { clip, extractApiMessage, hintForStatus, redact } from './errors';
import { RETRYABLE_NETWORK_CODES, RETRYABLE_STATUSES, retryDelayMs } from './retry';

/**
 * The one way TikHub nodes talk HTTP: base URL and key from the credential, timeouts,
 * retries with backoff and Retry-After, and errors a user can act on (with the key redacted).
 */

export const TIKHUB_CREDENTIAL = 'tikHubApi';

export interface RequestPolicy {
	/** Per request, in milliseconds. */
	timeoutMs: number;
	/** Extra tries after the first, on 429, 5xx and network errors. */
	maxRetries: number;
	/** Shared by the items of one execution so a 429 slows them all down. */
	gate?: BackoffGate;
}

export interface TikHubCall {
	method: IHttpRequestMethods;
	/** Path under the base URL, e.g. `/v1/images/edits`. */
	path: string;
	body?: FormData | IDataObject;
}

interface TikHubCredentials {
	baseUrl: string;
	apiKey: string;
}

async function readCredentials(ctx: IExecuteFunctions): Promise<TikHubCredentials> {
	const credentials = await ctx.getCredentials<{ apiKey?: string; baseUrl?: string }>(
		TIKHUB_CREDENTIAL,
	);
	const baseUrl = (credentials.baseUrl || 'https://ai.tikhub.io').trim().replace(/\/+$/, '');
	return { baseUrl, apiKey: String(credentials.apiKey ?? '') };
}

/** Calls a TikHub endpoint and returns its parsed JSON body. */
export async function callTikHub<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	call: TikHubCall,
	policy: RequestPolicy,
): Promise<T> {
	const { baseUrl, apiKey } = await readCredentials(ctx);
	const response = await sendWithRetries(ctx, itemIndex, policy, apiKey, async () =>
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
	return parseJsonBody<T>(ctx, itemIndex, response.body, apiKey);
}

/** Hops followed at most when a result URL redirects. */
const MAX_DOWNLOAD_REDIRECTS = 5;

/**
 * Downloads a result image by URL. The key is sent only to TikHub's own host: a URL on
 * another host (a CDN, a storage bucket) is fetched without it. Redirects are followed here,
 * one hop at a time, so a redirect from TikHub to another host cannot carry the key along.
 */
export async function downloadFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	url: string,
	policy: RequestPolicy,
): Promise<{ bytes: Buffer; contentType?: string }> {
	const { baseUrl, apiKey } = await readCredentials(ctx);
	const signal = ctx.getExecutionCancelSignal?.();
	let target = url;
	for (let hop = 0; ; hop++) {
		const options: IHttpRequestOptions = {
			method: 'GET',
			url: target,
			encoding: 'arraybuffer',
			timeout: policy.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			abortSignal: signal,
		};
		const withKey = sameOrigin(target, baseUrl);
		const response = await sendWithRetries(
			ctx,
			itemIndex,
			policy,
			apiKey,
			async () =>
				(withKey
					? await ctx.helpers.httpRequestWithAuthentication.call(ctx, TIKHUB_CREDENTIAL, options)
					: await ctx.helpers.httpRequest(options)) as IN8nHttpFullResponse,
			'download',
		);
		const location = response.headers.location;
		if (response.statusCode >= 300 && typeof location === 'string' && hop < MAX_DOWNLOAD_REDIRECTS) {
			target = new URL(location, target).toString();
			continue;
		}
		if (response.statusCode >= 300) throw downloadError(ctx, itemIndex, response.statusCode);
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
 * Every wait goes through the shared gate, so a 429 pauses the whole batch.
 */
async function sendWithRetries(
	ctx: IExecuteFunctions,
	itemIndex: number,
	policy: RequestPolicy,
	apiKey: string,
	send: () => Promise<IN8nHttpFullResponse>,
	purpose: 'api' | 'download' = 'api',
): Promise<IN8nHttpFullResponse> {
	const gate = policy.gate ?? new BackoffGate();
	const signal = ctx.getExecutionCancelSignal?.();
	const retries = Number.isFinite(policy.maxRetries) ? Math.max(0, Math.floor(policy.maxRetries)) : 0;
	const tries = retries + 1;

	for (let attempt = 1; ; attempt++) {
		await gate.wait(signal);
		if (signal?.aborted) {
			throw requestError(ctx, itemIndex, new Error('the execution was cancelled'), apiKey);
		}
		let response: IN8nHttpFullResponse;
		try {
			response = await send();
		} catch (error) {
			const code = networkErrorCode(error);
			if (!code || signal?.aborted) throw requestError(ctx, itemIndex, error, apiKey);
			if (attempt >= tries) throw networkError(ctx, itemIndex, code, policy, attempt);
			const delay = retryDelayMs(attempt - 1);
			ctx.logger.debug(`TikHub request failed (${code}), retrying in ${delay} ms`, {
				itemIndex,
				attempt,
			});
			await sleepUnlessAborted(delay, signal);
			continue;
		}

		const status = response.statusCode;
		// A download's redirects are followed by the caller, one hop at a time.
		const lastGood = purpose === 'download' ? 399 : 299;
		if (status >= 200 && status <= lastGood) return response;
		if (!RETRYABLE_STATUSES.has(status) || attempt >= tries) {
			throw purpose === 'api'
				? statusError(ctx, itemIndex, response, apiKey, attempt)
				: downloadError(ctx, itemIndex, response.statusCode);
		}
		const delay = retryDelayMs(attempt - 1, response.headers['retry-after']);
		if (status === 429) gate.pauseFor(delay);
		ctx.logger.debug(`TikHub answered ${status}, retrying in ${delay} ms`, { itemIndex, attempt });
		await sleepUnlessAborted(delay, signal);
	}
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

function networkError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	code: string,
	policy: RequestPolicy,
	tries: number,
): NodeApiError {
	const seconds = Math.round(policy.timeoutMs / 1000);
	const message = isTimeout(code)
		? `TikHub did not answer within ${seconds} s (tried ${tries} time${tries > 1 ? 's' : ''})`
		: `Could not reach TikHub: the connection failed (tried ${tries} time${tries > 1 ? 's' : ''})`;
	const description = isTimeout(code)
		? `Image edits can take several minutes at high quality or large sizes. Raise "Timeout (Seconds)" under Options (now ${seconds}).`
		: `Network error ${code}. Check the Base URL in your TikHub API credential and your network or proxy settings.`;
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
	apiKey: string,
): NodeApiError {
	const raw = error instanceof Error ? error.message : String(error);
	const message = clip(redact(`TikHub request failed: ${raw}`, apiKey));
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, { itemIndex, message });
}

function statusError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	response: IN8nHttpFullResponse,
	apiKey: string,
	tries: number,
): NodeApiError {
	const status = response.statusCode;
	const said = extractApiMessage(response.body) ?? response.statusMessage ?? 'no details given';
	const detail = clip(redact(said, apiKey));
	let message: string;
	if (status === 401) message = `TikHub rejected the API key (401): ${detail}`;
	else if (status === 429) message = `TikHub rate limit (429) after ${tries} tries: ${detail}`;
	else message = `TikHub error ${status}: ${detail}`;
	const httpCode = String(status);
	return new NodeApiError(ctx.getNode(), { message, httpCode } as JsonObject, {
		itemIndex,
		message,
		description: hintForStatus(status),
		httpCode,
	});
}

function downloadError(ctx: IExecuteFunctions, itemIndex: number, status: number): NodeApiError {
	const message = `Could not download the edited image from the URL TikHub returned (HTTP ${status})`;
	return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		itemIndex,
		message,
		description:
			'Result URLs can expire after a while. Run the item again, or set "Response Format" to Base64 to get the image in the answer itself.',
		httpCode: String(status),
	});
}

function parseJsonBody<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	body: unknown,
	apiKey: string,
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
		description: clip(redact(`The body began with: ${text.slice(0, 200)}`, apiKey)),
	});
}
