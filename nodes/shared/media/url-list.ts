/**
 * Lists a person types into one field: URLs (one per line) and binary field names (separated by
 * commas). Every node that takes several URLs or fields reads them here, so that a URL is never
 * cut at a comma inside it (`…/shoe.png?tr=w-300,h-300` is one image).
 */

/** A complete http(s) URL: scheme, host, and nothing a URL cannot hold. */
export function isHttpUrl(text: string): boolean {
	return /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(text) && URL.canParse(text);
}

export function isDataUrl(text: string): boolean {
	return /^data:/i.test(text.trim());
}

/**
 * URLs separated by new lines. A line may also list several URLs separated by commas, but only
 * when every part is itself a full http(s) URL: commas inside a URL (image CDNs' transforms,
 * `data:` URLs) never split it. Blank lines and trailing commas are dropped; repeats are kept
 * (see `findRepeat`).
 */
export function splitUrlList(value: unknown): string[] {
	const urls: string[] = [];
	for (const raw of String(value ?? '').split(/\r?\n|\r/)) {
		const line = raw.trim().replace(/,+$/, '').trim();
		if (line === '') continue;
		const parts = line
			.split(/,\s*(?=https?:\/\/)/i)
			.map((part) => part.trim())
			.filter((part) => part !== '');
		if (parts.length > 1 && parts.every(isHttpUrl)) urls.push(...parts);
		else urls.push(line);
	}
	return urls;
}

/** Binary field names separated by commas (`data, logo`); blanks dropped, repeats kept. */
export function splitFieldList(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
}

/** The first entry listed twice, or undefined. */
export function findRepeat(list: readonly string[]): string | undefined {
	const seen = new Set<string>();
	for (const entry of list) {
		if (seen.has(entry)) return entry;
		seen.add(entry);
	}
	return undefined;
}
