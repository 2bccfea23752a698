import type { IDataObject } from 'n8n-workflow';

import { isRecord, num, str, type ChatFields, type ChatFormat, type ChatImage, type ChatReply } from './types';

/**
 * Gemini generateContent, `POST /v1beta/models/{model}:generateContent` ("Gemini content").
 * Stated by TikHub: the streaming form `/v1beta/models/{MODEL}:streamGenerateContent` with
 * `x-goog-api-key`. Inferred (Google's API): the non-streaming path, the body
 * (`contents`, `systemInstruction`, `generationConfig`) and the answer's shape.
 */

/** Inferred from the streaming path TikHub states. */
const path = (model: string) => `/v1beta/models/${encodeURIComponent(model.replace(/^models\//, ''))}:generateContent`;

/** Reasoning Effort as a thinking budget in tokens (the figures Google's OpenAI-compatible layer uses for low/medium/high). */
export const THINKING_BUDGET: Record<string, number> = { minimal: 128, low: 1024, medium: 8192, high: 24576 };

/** The words of Gemini's `responseSchema` (an OpenAPI subset); other JSON Schema words are dropped. */
const SCHEMA_WORDS = new Set([
	'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required',
	'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering',
	'default', 'items', 'minimum', 'maximum',
]);

/**
 * A JSON schema as Gemini's `responseSchema` takes it: words it does not know
 * (`additionalProperties`, `$schema`, `$defs`…) dropped, `type: ["string", "null"]` as `nullable`.
 */
export function toGeminiSchema(schema: unknown): unknown {
	if (!isRecord(schema)) return schema;
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(schema)) {
		if (!SCHEMA_WORDS.has(key)) continue;
		if (key === 'type' && Array.isArray(value)) {
			const types = value.filter((type) => type !== 'null');
			if (types.length < value.length) out.nullable = true;
			out.type = types[0] as string;
		} else if (key === 'properties' && isRecord(value)) {
			out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toGeminiSchema(sub)])) as IDataObject;
		} else if (key === 'items') {
			out.items = toGeminiSchema(value) as IDataObject;
		} else if (key === 'anyOf' && Array.isArray(value)) {
			out.anyOf = value.map((sub) => toGeminiSchema(sub)) as IDataObject[];
		} else {
			out[key] = value as IDataObject[string];
		}
	}
	return out;
}

export const generateContent: ChatFormat = {
	path,
	keyHeader: 'x-goog-api-key',
	// Gemini takes only files from Google's own Files API by URI: URL images are downloaded and sent inline.
	urlImages: 'inline',
	body(fields: ChatFields, images: ChatImage[]): IDataObject {
		const parts: IDataObject[] = [
			{ text: fields.prompt },
			...images.map((image) =>
				image.kind === 'inline' ? { inlineData: { mimeType: image.mimeType, data: image.base64 } } : { fileData: { fileUri: image.url } },
			),
		];
		const body: IDataObject = { contents: [{ role: 'user', parts }] };
		if (fields.systemMessage !== undefined) body.systemInstruction = { parts: [{ text: fields.systemMessage }] };
		const config: IDataObject = {};
		if (fields.temperature !== undefined) config.temperature = fields.temperature;
		if (fields.topP !== undefined) config.topP = fields.topP;
		if (fields.maxTokens !== undefined) config.maxOutputTokens = fields.maxTokens;
		if (fields.responseFormat !== 'text') config.responseMimeType = 'application/json';
		if (fields.responseFormat === 'jsonSchema' && fields.jsonSchema) config.responseSchema = toGeminiSchema(fields.jsonSchema.schema) as IDataObject;
		if (fields.reasoningEffort !== undefined) config.thinkingConfig = { thinkingBudget: THINKING_BUDGET[fields.reasoningEffort] };
		if (Object.keys(config).length) body.generationConfig = config;
		// `user`: Gemini has no such field, so it is not sent.
		return body;
	},
	read(answer: unknown): ChatReply {
		const body = isRecord(answer) ? answer : {};
		const candidate = Array.isArray(body.candidates) && isRecord(body.candidates[0]) ? body.candidates[0] : undefined;
		const content = candidate && isRecord(candidate.content) ? candidate.content : undefined;
		// Thought summaries (`thought: true`) are not the answer.
		const text = Array.isArray(content?.parts)
			? content.parts.filter((part) => isRecord(part) && part.thought !== true).map((part) => str((part as IDataObject).text) ?? '').join('')
			: candidate
				? ''
				: undefined;
		const usage = isRecord(body.usageMetadata) ? body.usageMetadata : {};
		const feedback = isRecord(body.promptFeedback) ? body.promptFeedback : {};
		return {
			text,
			blocked: candidate ? undefined : str(feedback.blockReason),
			model: str(body.modelVersion),
			finishReason: str(candidate?.finishReason),
			usage: { inputTokens: num(usage.promptTokenCount), outputTokens: num(usage.candidatesTokenCount), totalTokens: num(usage.totalTokenCount) },
		};
	},
};
