/**
 * URLs as messages show them. A URL can carry secrets in its user-info (`user:pass@`) and in its
 * query string (signed URLs' tokens), and a `data:` URL can be megabytes long: every message,
 * log line and error detail built from a URL shows it through `displayUrl`, whatever the node.
 */

/** The longest a URL gets in a message. */
export const MAX_URL_LENGTH = 200;

/**
 * A URL without its user-info, query string and fragment, at most `max` characters; a `data:`
 * URL as its media type and length only. Works on text that is no valid URL too.
 */
export function displayUrl(value: unknown, max = MAX_URL_LENGTH): string {
	const text = String(value ?? '').trim();
	if (/^data:/i.test(text)) {
		const comma = text.indexOf(',');
		const head = (comma === -1 ? text : text.slice(0, comma)).slice(0, 60);
		return `${head},… (a data: URL of ${text.length} characters)`;
	}
	// User-info sits in the authority, the first segments before the path; "?" and "#" may be
	// part of a password, so it is cut (up to the segment's last "@") before the query is. Text
	// that is no valid URL ("https:/user:pass@host") is cut alike.
	const segments = text.split('/');
	const authority = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? [2] : [0, 1, 2];
	const withUser = authority.find((index) => segments[index]?.includes('@')) ?? -1;
	if (withUser !== -1) segments[withUser] = segments[withUser].slice(segments[withUser].lastIndexOf('@') + 1);
	const shown = segments.join('/').replace(/[?#][\s\S]*$/, '').replace(/\p{Cc}+/gu, ' ');
	return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

/** Every URL inside a text (an error from a library, an answer's message) shown as `displayUrl` shows it. */
export function hideUrlSecrets(text: string): string {
	return text
		.replace(/\bdata:[\w.+-]*\/[\w.+-]*[^\s,"'<>]*,[^\s"'<>]*/gi, (url) => displayUrl(url))
		.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => displayUrl(url));
}
