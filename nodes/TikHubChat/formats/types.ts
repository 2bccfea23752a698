import type { IDataObject } from 'n8n-workflow';

import type { Problem } from '../../shared/items/problems';

export { isRecord } from '../../shared/http/error-messages';

/**
 * One wire format TikHub forwards (chat completions, responses, Anthropic messages, Gemini
 * generateContent). A format module knows its path, headers and field names and nothing else:
 * the node reads and checks the fields once (fields.ts), the format turns them into a body and
 * reads its answer back into the same shape.
 */

export type ResponseFormat = 'text' | 'jsonObject' | 'jsonSchema';
export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

/** The node's fields for one item, read and checked. Unset options are undefined and never sent. */
export interface ChatFields {
	model: string;
	prompt: string;
	systemMessage?: string;
	temperature?: number;
	maxTokens?: number;
	topP?: number;
	responseFormat: ResponseFormat;
	/** For `jsonSchema`: the schema, and the name and strict flag when given in OpenAI's wrapper. */
	jsonSchema?: { name: string; schema: IDataObject; strict?: boolean };
	reasoningEffort?: ReasoningEffort;
	user?: string;
}

/** An image for the user message: inline bytes (base64) or a URL the provider fetches. */
export type ChatImage = { kind: 'inline'; mimeType: string; base64: string } | { kind: 'url'; url: string };

/** What every format's answer is read into. */
export interface ChatReply {
	/** The answer's text; undefined when the answer has no recognisable text (a wrong shape). */
	text?: string;
	model?: string;
	finishReason?: string;
	usage: { inputTokens?: number; outputTokens?: number; totalTokens?: number };
	/** Why the provider gave no answer at all (Gemini's `promptFeedback.blockReason`). */
	blocked?: string;
}

export interface ChatFormat {
	/** The path under the base URL. */
	path(model: string): string;
	/** A header that also carries the key, besides the credential's Bearer. */
	keyHeader?: string;
	headers?: Record<string, string>;
	/** How URL images travel: as URLs the provider fetches, or downloaded by the node and sent inline. */
	urlImages: 'url' | 'inline';
	/** Rules of this format a field breaks, found before anything is sent. */
	check?(fields: ChatFields): Problem | undefined;
	body(fields: ChatFields, images: ChatImage[]): IDataObject;
	read(answer: unknown): ChatReply;
}

/** The instruction added for JSON answers where the format has no JSON switch of its own (or needs the word "JSON"). */
export const JSON_INSTRUCTION = 'Answer with one JSON object only, with no text before or after it.';

export function schemaInstruction(schema: IDataObject): string {
	return `${JSON_INSTRUCTION} It must match this JSON schema: ${JSON.stringify(schema)}`;
}

/**
 * The system text with the JSON instruction added when JSON is asked for. `always` (formats without a JSON switch):
 * for both JSON formats, quoting the schema. Otherwise only for `json_object`, which needs the word "JSON" in the
 * messages, and only when they do not say it yet; `json_schema` needs no hint.
 */
export function withJsonHint(system: string | undefined, prompt: string, fields: ChatFields, always: boolean): string | undefined {
	if (fields.responseFormat === 'text') return system;
	if (!always && fields.responseFormat !== 'jsonObject') return system;
	const hint = fields.responseFormat === 'jsonSchema' && always && fields.jsonSchema ? schemaInstruction(fields.jsonSchema.schema) : JSON_INSTRUCTION;
	if (!always && /json/i.test(`${system ?? ''}\n${prompt}`)) return system;
	return system ? `${system}\n\n${hint}` : hint;
}

export function num(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function str(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}
