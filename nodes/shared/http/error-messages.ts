import { hideUrlSecrets } from './safe-url';

/**
 * Turns what TikHub (or a gateway in front of it) answered into a message a user can act on.
 * Every text that leaves here goes through `redact`, so the API key never reaches an error.
 */

const MAX_MESSAGE_LENGTH = 300;

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asText(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	return undefined;
}

/** FastAPI-style `detail`: a string, or a list of `{ msg, loc }` validation errors. */
function detailText(detail: unknown): string | undefined {
	if (Array.isArray(detail)) {
		const parts = detail
			.map((entry) => {
				if (!isRecord(entry)) return asText(entry);
				const where = Array.isArray(entry.loc) ? entry.loc.join('.') : undefined;
				const msg = asText(entry.msg) ?? asText(entry.message);
				return msg && where ? `${where}: ${msg}` : msg;
			})
			.filter((part): part is string => part !== undefined);
		return parts.length ? parts.join('; ') : undefined;
	}
	if (isRecord(detail)) return asText(detail.message) ?? asText(detail.msg);
	return asText(detail);
}

/** Text of an HTML error page: its <title>, else its first <h1>, else its visible text. */
function htmlText(html: string): string {
	const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
	const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
	const text = (title ?? heading ?? html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
	return text;
}

function looksLikeHtml(text: string): boolean {
	return /^\s*(<!doctype html|<html|<head|<body|<center|<h1)/i.test(text);
}

/**
 * The most useful message in an error body, whatever its shape:
 * OpenAI's `{ error: { message } }`, `{ error: "…" }`, `{ detail }`, `{ message }`,
 * an HTML gateway page, or plain text. Undefined when the body says nothing.
 */
export function extractApiMessage(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const trimmed = body.trim();
		if (trimmed === '') return undefined;
		if (looksLikeHtml(trimmed)) return asText(htmlText(trimmed));
		try {
			return extractApiMessage(JSON.parse(trimmed)) ?? trimmed;
		} catch {
			return trimmed;
		}
	}
	if (Buffer.isBuffer(body)) return extractApiMessage(body.toString('utf8'));
	if (!isRecord(body)) return undefined;

	const { error } = body;
	if (isRecord(error)) {
		const message = asText(error.message) ?? detailText(error.detail);
		const param = asText(error.param);
		if (message) return param && !message.includes(param) ? `${message} (field: ${param})` : message;
	}
	return (
		asText(error) ?? detailText(body.detail) ?? asText(body.message) ?? asText(body.error_msg)
	);
}

/** What to tell the user to do about a status, shown as the error's description. */
export function hintForStatus(status: number): string | undefined {
	if (status >= 300 && status < 400)
		return 'TikHub redirected the request. Check the Base URL in your TikHub API credential: it should be https://ai.tikhub.io (with https).';
	if (status === 400 || status === 422)
		return 'TikHub rejected the request. Check the fields named in the message (model, size, mask, output options).';
	if (status === 401)
		return 'Check the API key in your TikHub API credential (and its Base URL).';
	if (status === 403) return 'This API key is not allowed to use this model or endpoint.';
	if (status === 404) return 'Check the Base URL in your TikHub API credential and the model name.';
	if (status === 413) return 'The images are too large for TikHub. Send smaller files.';
	if (status === 429)
		return 'TikHub rate-limited this request on every try. Lower "Concurrency", raise "Max Retries", or run the workflow later. If your balance is empty, top it up.';
	if (status >= 500)
		return 'TikHub or the model provider behind it failed. This is usually temporary: raise "Max Retries" or try again later.';
	return undefined;
}

/**
 * Replaces every occurrence of the secrets (the key as saved and as sent, trimmed), and any
 * bearer token, with a mask; URLs lose their user-info and query string (safe-url.ts).
 */
export function redact(text: string, secrets: string | readonly string[] = []): string {
	let safe = text;
	const list = typeof secrets === 'string' ? [secrets] : secrets;
	// Longest first, so a key saved with spaces around it is masked whole.
	for (const secret of [...list].sort((a, b) => b.length - a.length)) {
		if (secret.trim().length >= 4) safe = safe.split(secret).join('***');
	}
	return hideUrlSecrets(safe.replace(/(Bearer\s+)[^\s"',;]+/gi, '$1***'));
}

/** Shortens a message to fit an error line. */
export function clip(text: string, max = MAX_MESSAGE_LENGTH): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
