import { randomBytes } from 'node:crypto';

/**
 * What the stand-in's chat endpoints share: checking images the way the providers do (by their
 * bytes, not their claimed type), a deterministic "model" that answers from the conversation,
 * JSON built from a schema, and the scripted tool-call turn n8n's AI Agent needs.
 */

/** An answer: a JSON body, or Server-Sent Events (each entry one `data:` payload, or an `event`/`data` pair). */
export type ChatAnswer =
	| { status: number; body: unknown; headers?: Record<string, string> }
	| { status: 200; events: Array<string | { event: string; data: string }> };

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';

export const IMAGE_MIMES: readonly ImageMime[] = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];

/** The image type from the first bytes; undefined when it is none of the four vision formats. */
export function sniffImage(bytes: Buffer): ImageMime | undefined {
	if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a) return 'image/png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
	if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) return 'image/gif';
	return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (what the providers accept); undefined when the text is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
	if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
	return Buffer.from(text, 'base64');
}

/** A data URL's claimed type and bytes; a string saying what is wrong otherwise. */
export function decodeDataUrl(url: string): { mime: string; bytes: Buffer } | string {
	const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
	if (!match) return 'Invalid image URL: expected a base64 data URL (data:image/png;base64,…) or an http(s) URL.';
	const bytes = decodeBase64(match[2]);
	if (!bytes) return 'Invalid base64 image data.';
	return { mime: match[1], bytes };
}

/** One image the "model" saw. */
export interface SeenImage {
	mime: string;
	bytes?: number;
	url?: string;
}

/** A rough token count: a word piece per four characters. */
export function tokens(text: string): number {
	return Math.max(1, Math.ceil(text.length / 4));
}

/** Tokens an image costs here (OpenAI's low-detail figure). */
export const IMAGE_TOKENS = 85;

export function newId(prefix: string): string {
	return `${prefix}${randomBytes(12).toString('hex')}`;
}

/** Scripted answers: tests queue a text for the next reply (invalid JSON, say). */
export interface ChatScript {
	replies: string[];
}

/** The plain-text answer: it says what it was asked and which images it saw, so tests can check both. */
export function plainReply(prompt: string, images: SeenImage[]): string {
	const seen = images.length
		? ` I see ${images.length} image${images.length === 1 ? '' : 's'} (${images.map((i) => i.url ?? `${i.mime}, ${i.bytes} bytes`).join('; ')}).`
		: '';
	return `You said: ${prompt.trim().slice(0, 200)}${seen}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value matching a JSON schema (the subset models are given: object, array, string, number, integer, boolean, enum). */
export function valueFromSchema(schema: unknown, name: string, prompt: string, depth = 0): unknown {
	if (!isRecord(schema) || depth > 8) return `${name}: ${prompt}`.slice(0, 120);
	if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
	if ('const' in schema) return schema.const;
	const anyOf = schema.anyOf ?? schema.oneOf;
	if (Array.isArray(anyOf) && anyOf.length) return valueFromSchema(anyOf[0], name, prompt, depth + 1);
	const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
	switch (String(type ?? (isRecord(schema.properties) ? 'object' : 'string')).toLowerCase()) {
		case 'object': {
			const out: Record<string, unknown> = {};
			const properties = isRecord(schema.properties) ? schema.properties : {};
			for (const [key, sub] of Object.entries(properties)) out[key] = valueFromSchema(sub, key, prompt, depth + 1);
			return out;
		}
		case 'array':
			return [valueFromSchema(schema.items, name, prompt, depth + 1)];
		case 'integer':
			return 1;
		case 'number':
			return 1.5;
		case 'boolean':
			return true;
		case 'null':
			return null;
		default:
			return `${name}: ${prompt.trim()}`.slice(0, 120);
	}
}

/**
 * The answer in JSON-object mode: the keys the conversation names in quotes or backticks
 * ("caption", `altText`), each a string; `{ reply }` when it names none.
 */
export function jsonObjectReply(instructions: string, prompt: string): string {
	const keys = [...new Set([...instructions.matchAll(/["`']([A-Za-z_][A-Za-z0-9_]{1,40})["`']/g)].map((m) => m[1]))];
	const text = prompt.trim().slice(0, 120);
	if (!keys.length) return JSON.stringify({ reply: `You said: ${text}` });
	return JSON.stringify(Object.fromEntries(keys.map((key) => [key, `${key}: ${text}`])));
}

/** A tool as every format describes it: a name and a JSON schema for its arguments. */
export interface OfferedTool {
	name: string;
	parameters: unknown;
}

/** The tool the scripted model calls: the first one with "image" in its name, else the first one. */
export function pickTool(tools: OfferedTool[]): OfferedTool | undefined {
	return tools.find((t) => /image/i.test(t.name)) ?? tools[0];
}

/** Arguments for a tool call from its parameter schema: every required property filled, a prompt-like one from the user's words. */
export function toolArguments(parameters: unknown, prompt: string): Record<string, unknown> {
	const schema = isRecord(parameters) ? parameters : {};
	const properties = isRecord(schema.properties) ? schema.properties : {};
	const required = Array.isArray(schema.required) ? schema.required.map(String) : Object.keys(properties);
	const out: Record<string, unknown> = {};
	for (const key of required) {
		const sub = properties[key];
		if (/prompt|description|query|text|input/i.test(key) && (!isRecord(sub) || sub.type === undefined || sub.type === 'string')) {
			out[key] = `A studio product shot: ${prompt.trim().slice(0, 200)}, soft light, plain background`;
		} else {
			out[key] = valueFromSchema(sub, key, prompt);
		}
	}
	return out;
}

/** Something recognisable from a tool's result: a `fileName` or `url` in it, else its first characters. */
export function quoteToolResult(content: string): string {
	const found: string[] = [];
	const walk = (value: unknown, depth: number) => {
		if (depth > 10 || found.length) return;
		if (Array.isArray(value)) value.forEach((v) => walk(v, depth + 1));
		else if (isRecord(value)) {
			const key = ['fileName', 'url'].find((k) => typeof value[k] === 'string');
			if (key) found.push(`${key} ${String(value[key])}`);
			else Object.values(value).forEach((v) => walk(v, depth + 1));
		}
	};
	try {
		walk(JSON.parse(content), 0);
	} catch {
		// Not JSON: quote the text.
	}
	return found[0] ?? content.trim().slice(0, 80);
}

export function toolReply(content: string): string {
	return `Done. The tool answered with ${quoteToolResult(content)}.`;
}

export { isRecord };
