/**
 * `data:<type>;base64,<data>` URLs given where a URL is expected: read locally, never fetched.
 */

export interface DataUrl {
	/** Lower-cased, e.g. `image/png`; empty when the URL names none. */
	mimeType: string;
	/** The base64 text after the comma. */
	base64: string;
	/** How many bytes the base64 text decodes to (from its length, without decoding it). */
	byteLength: number;
}

/** The parts of a base64 `data:` URL, or undefined when it is not one (e.g. not base64). */
export function parseDataUrl(text: string): DataUrl | undefined {
	const match = /^data:([^,;]*)((?:;[^,;]*)*),/i.exec(text.trim());
	if (!match || !/;base64$/i.test(match[2])) return undefined;
	const base64 = text.trim().slice(match[0].length).replace(/\s+/g, '');
	const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
	return {
		mimeType: match[1].trim().toLowerCase(),
		base64,
		byteLength: Math.max(0, Math.floor((base64.length * 3) / 4) - padding),
	};
}
