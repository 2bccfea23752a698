import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { settle } from '../items/settle';
import { BackoffGate, sleepUnlessAborted } from './backoff-gate';
import { isMultipartBody, type MultipartBody } from './multipart';
import { readCredentials, sendAs, TIKHUB_CREDENTIAL } from './credentials';
import { clip, redact } from './error-messages';
import {
	deadlineError,
	downloadError,
	networkError,
	notRetried,
	requestError,
	retryLaterError,
	statusError,
	type DownloadTarget,
} from './call-errors';
import {
	MAX_RETRY_AFTER_MS,
	parseRetryAfterMs,
	RETRYABLE_NETWORK_CODES,
	RETRYABLE_STATUSES,
	retryDelayMs,
	UNSENT_NETWORK_CODES,
} from './retry-policy';

/**
 * The one way TikHub nodes talk HTTP: base URL and key from the credential, timeouts,
 * retries with backoff and Retry-After, and errors a user can act on (with the key redacted).
 */

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
	/**
	 * A hard end (Date.now() time), e.g. a video's Max Wait: no try starts after it, no retry or
	 * Retry-After pause runs past it, and each try's timeout is cut to the time left.
	 */
	deadline?: number;
	/**
	 * Called once the request is on its way: its streamed body handed to the HTTP client (or
	 * its first megabyte), or, for a JSON or in-memory body, once n8n's client has it; at the
	 * latest when the call ends. The item loop's hand-over (items/hand-over.ts) waits for it.
	 */
	onSent?: () => void;
}

/** What one try is given: its timeout (Timeout, or less near the deadline) and a signal that ends it. */
export interface Attempt {
	timeoutMs: number;
	/**
	 * Aborts at the timeout or when the execution is cancelled. n8n's authenticated helper keeps
	 * only the execution's cancel signal, so a try on TikHub's own host is given up at the timeout
	 * rather than stopped: callTikHub then closes its upload stream, which ends the request.
	 */
	signal?: AbortSignal;
}

export interface TikHubCall {
	method: IHttpRequestMethods;
	/** Path under the base URL, e.g. `/v1/images/edits`. */
	path: string;
	/**
	 * JSON, or a streamed multipart form (multipart.ts): opened afresh for every try, sent with
	 * its exact Content-Length.
	 */
	body?: MultipartBody | IDataObject;
	/** Extra headers, e.g. a provider's version header. */
	headers?: Record<string, string>;
	/**
	 * A header that also carries the key (the credential always sends it as Bearer): for API
	 * families that read their provider's own header (`x-api-key`, `x-goog-api-key`).
	 */
	keyHeader?: string;
	/**
	 * What a successful answer's body is: `json` (the default; anything else is an error) or
	 * `text` (returned as a string, e.g. a transcription asked for as plain text or subtitles).
	 */
	responseType?: 'json' | 'text';
}

/** Calls a TikHub endpoint and returns its parsed JSON body (its text for `responseType: 'text'`). */
export async function callTikHub<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	call: TikHubCall,
	policy: RequestPolicy,
): Promise<T> {
	const credentials = await readCredentials(ctx, itemIndex);
	const { baseUrl, secrets, apiKey } = credentials;
	const headers = { ...call.headers, ...(call.keyHeader ? { [call.keyHeader]: apiKey } : {}) };
	const { body } = call;
	let unsent = true;
	const sent = () => {
		if (unsent) policy.onSent?.();
		unsent = false;
	};
	const response = await sendWithRetries(ctx, itemIndex, policy, secrets, async (attempt) => {
		// A multipart body is opened for each try: its files are read again from the binary store.
		const form = isMultipartBody(body) ? await body.open(sent) : undefined;
		// A try given up (Timeout, Max Wait) may still be sending: closing its file ends the upload.
		const closeForm = () => {
			if (form && !Buffer.isBuffer(form)) form.destroy();
		};
		attempt.signal?.addEventListener('abort', closeForm, { once: true });
		try {
			const answer = ctx.helpers.httpRequestWithAuthentication.call(ctx, TIKHUB_CREDENTIAL, {
				method: call.method,
				url: `${baseUrl}${call.path}`,
				// A stream is piped to the socket by n8n's client (axios) as it is read.
				body: (form ?? body) as IDataObject,
				headers: isMultipartBody(body)
					? { ...headers, 'content-type': body.contentType, 'content-length': String(body.contentLength) }
					: headers,
				json: true,
				...(call.responseType === 'text' ? { encoding: 'text' as const } : {}),
				timeout: attempt.timeoutMs,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				abortSignal: attempt.signal ?? ctx.getExecutionCancelSignal?.(),
				// An API call never needs a redirect, and the redirect follower keeps a copy of the
				// whole request body (every image) in memory in case it has to send it again.
				disableFollowRedirect: true,
			}, sendAs(credentials));
			// A body that is not streamed went with the call.
			if (!form || Buffer.isBuffer(form)) {
				sent();
				return (await answer) as IN8nHttpFullResponse;
			}
			// A check of a file while it is sent (a cut PNG) ends the body with the item's own
			// error; n8n's client would report only a broken connection.
			const refused = new Promise<never>((_resolve, reject) => {
				form.once('error', (error: unknown) => {
					if (error instanceof NodeOperationError) reject(error);
				});
			});
			return (await Promise.race([answer, refused])) as IN8nHttpFullResponse;
		} finally {
			// A failed try may leave the body half read: close the file it was reading.
			attempt.signal?.removeEventListener('abort', closeForm);
			closeForm();
		}
	}).finally(sent);
	if (call.responseType === 'text') return bodyText(response.body) as T;
	return parseJsonBody<T>(ctx, itemIndex, response.body, secrets);
}

function bodyText(body: unknown): string {
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (typeof body === 'string') return body;
	return body === undefined || body === null ? '' : JSON.stringify(body);
}

/**
 * Sends, and sends again on a retryable failure, until a 2xx arrives or the tries run out.
 * Every wait goes through the shared gate, so a 429 pauses the whole batch. `download` is
 * set for downloads: their redirects pass through (the caller follows them) and their
 * failures are download errors rather than API errors. Each try ends at its timeout however
 * the answer comes in (a body trickling in slowly too), and nothing runs past `policy.deadline`.
 */
export async function sendWithRetries(
	ctx: IExecuteFunctions,
	itemIndex: number,
	policy: RequestPolicy,
	secrets: string[],
	send: (attempt: Attempt) => Promise<IN8nHttpFullResponse>,
	download?: DownloadTarget,
): Promise<IN8nHttpFullResponse> {
	const gate = policy.gate ?? new BackoffGate();
	const signal = ctx.getExecutionCancelSignal?.();
	const retries = Number.isFinite(policy.maxRetries) ? Math.max(0, Math.floor(policy.maxRetries)) : 0;
	const tries = retries + 1;
	const idempotent = policy.idempotent !== false;
	const { deadline } = policy;
	/** Whether a pause of `ms` from now would end past the deadline. */
	const pastDeadline = (ms = 0) => deadline !== undefined && Date.now() + ms >= deadline;

	for (let attempt = 1; ; attempt++) {
		await gate.wait(signal, deadline);
		if (signal?.aborted) {
			throw requestError(ctx, itemIndex, new Error('the execution was cancelled'), secrets);
		}
		if (pastDeadline()) throw deadlineError(ctx, itemIndex, download);
		const timeoutMs = Math.max(1, Math.min(policy.timeoutMs, deadline === undefined ? Infinity : deadline - Date.now()));
		const timer = { timedOut: false };
		const sent = await settle(async () => await withTimeout(send, timeoutMs, timer, signal));
		const response = 'value' in sent ? sent.value : undefined;
		if (response === undefined) {
			const error = 'error' in sent ? sent.error : undefined;
			// The node's own check stopped the upload (callTikHub): not a network failure to retry.
			if (error instanceof NodeOperationError) throw error;
			// Cut short by the deadline rather than by Timeout: the time allowed ran out.
			if (timer.timedOut && timeoutMs < policy.timeoutMs) throw deadlineError(ctx, itemIndex, download);
			const code = timer.timedOut ? 'ETIMEDOUT' : networkErrorCode(error);
			if (!code || signal?.aborted) throw requestError(ctx, itemIndex, error, secrets);
			const mayHaveBeenTaken = !idempotent && !UNSENT_NETWORK_CODES.has(code);
			if (mayHaveBeenTaken) throw notRetried(networkError(ctx, itemIndex, code, timeoutMs, attempt, download));
			const delay = retryDelayMs(attempt - 1);
			if (attempt >= tries || pastDeadline(delay)) throw networkError(ctx, itemIndex, code, timeoutMs, attempt, download);
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
		const retryAfterMs = parseRetryAfterMs(response.headers['retry-after']);
		// The server's Retry-After rides along on the error, so a caller that polls (a video's
		// wait) can push its next check out instead of polling through the rate limit.
		const withRetryAfter = (error: NodeApiError) => {
			if (retryAfterMs !== undefined) error.context.retryAfterMs = retryAfterMs;
			return error;
		};
		if (!idempotent && status >= 500) throw withRetryAfter(notRetried(failed()));
		if (!RETRYABLE_STATUSES.has(status) || attempt >= tries) throw withRetryAfter(failed());
		if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_AFTER_MS) {
			throw withRetryAfter(retryLaterError(ctx, itemIndex, failed(), retryAfterMs));
		}
		const delay = retryDelayMs(attempt - 1, retryAfterMs);
		if (pastDeadline(delay)) throw withRetryAfter(failed());
		if (status === 429) gate.pauseFor(delay);
		ctx.logger.debug(`TikHub answered ${status}, retrying in ${delay} ms`, { itemIndex, attempt });
		await sleepUnlessAborted(delay, signal);
	}
}

/**
 * Runs one try, ending it at `timeoutMs` whatever the HTTP client does: its own timeout only
 * notices a silent connection, not a body that trickles in. The signal given to the request
 * aborts it too where n8n passes it on (plain downloads; authenticated calls take n8n's own).
 * `timer.timedOut` says afterwards whether the timeout ended it.
 */
async function withTimeout(
	send: (attempt: Attempt) => Promise<IN8nHttpFullResponse>,
	timeoutMs: number,
	timer: { timedOut: boolean },
	cancel?: AbortSignal,
): Promise<IN8nHttpFullResponse | undefined> {
	const timeout = AbortSignal.timeout(timeoutMs);
	const signal = cancel ? AbortSignal.any([cancel, timeout]) : timeout;
	let onTimeout = () => {};
	const timedOut = new Promise<undefined>((resolve) => {
		onTimeout = () => {
			timer.timedOut = !cancel?.aborted;
			resolve(undefined);
		};
		timeout.addEventListener('abort', onTimeout, { once: true });
	});
	try {
		return await Promise.race([send({ timeoutMs, signal }), timedOut]);
	} finally {
		timeout.removeEventListener('abort', onTimeout);
		if (timeout.aborted && !cancel?.aborted) timer.timedOut = true;
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

function parseJsonBody<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	body: unknown,
	secrets: string[],
): T {
	if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) return body as T;
	const text = bodyText(body);
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
		// Masked before it is cut, so that a key echoed across the cut is masked whole.
		description: clip(`The body began with: ${redact(text.slice(0, 200 + longest(secrets)), secrets).slice(0, 200)}`),
	});
}

function longest(texts: readonly string[]): number {
	return texts.reduce((most, text) => Math.max(most, text.length), 0);
}
