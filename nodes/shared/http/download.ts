import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { downloadError, type DownloadTarget } from './call-errors';
import { readCredentials, sendAs, TIKHUB_CREDENTIAL } from './credentials';
import { displayUrl } from './safe-url';
import { sendWithRetries, type RequestPolicy } from './transport';

export type { DownloadTarget } from './call-errors';

/** Hops followed at most when a download redirects. */
const MAX_DOWNLOAD_REDIRECTS = 5;

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
	const credentials = await readCredentials(ctx, itemIndex);
	const { baseUrl, secrets } = credentials;
	const signal = ctx.getExecutionCancelSignal?.();
	if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
		throw downloadError(ctx, itemIndex, target, `"${displayUrl(url)}" is not a complete http(s) URL`);
	}
	let current = url;
	for (let hop = 0; ; hop++) {
		const withKey = sameOrigin(current, baseUrl);
		const response = await sendWithRetries(
			ctx,
			itemIndex,
			policy,
			secrets,
			async (attempt) => {
				const options: IHttpRequestOptions = {
					method: 'GET',
					url: current,
					encoding: 'arraybuffer',
					timeout: attempt.timeoutMs,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
					abortSignal: attempt.signal ?? signal,
				};
				return (withKey
					? await ctx.helpers.httpRequestWithAuthentication.call(ctx, TIKHUB_CREDENTIAL, options, sendAs(credentials))
					: await ctx.helpers.httpRequest(options)) as IN8nHttpFullResponse;
			},
			{ ...target, url: current },
		);
		const location = response.headers.location;
		if (response.statusCode >= 300 && typeof location === 'string' && hop < MAX_DOWNLOAD_REDIRECTS) {
			const next = URL.canParse(location, current) ? new URL(location, current) : undefined;
			if (!next || !['http:', 'https:'].includes(next.protocol)) {
				// e.g. file:, ftp:, data: — never followed (a file: URL would read the n8n host's disk).
				throw downloadError(
					ctx,
					itemIndex,
					target,
					`${displayUrl(current)} redirects to ${displayUrl(location, 80)}; redirects to non-http(s) URLs are refused`,
					response.statusCode,
				);
			}
			current = next.toString();
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
