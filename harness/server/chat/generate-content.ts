import {
	decodeBase64,
	IMAGE_TOKENS,
	isRecord,
	jsonObjectReply,
	newId,
	plainReply,
	sniffImage,
	tokens,
	valueFromSchema,
	type ChatAnswer,
	type ChatScript,
	type SeenImage,
} from './common';

/**
 * POST /v1beta/models/{model}:generateContent (and :streamGenerateContent?alt=sse) in Gemini's
 * shape, checked the way Google's API checks it (unknown fields are refused by name).
 */

export function googleError(code: number, message: string, status: string): ChatAnswer {
	return { status: code, body: { error: { code, message, status } } };
}

const bad = (message: string) => googleError(400, message, 'INVALID_ARGUMENT');
const unknownName = (name: string, at: string) => bad(`Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.`);

const TOP = new Set(['contents', 'systemInstruction', 'system_instruction', 'generationConfig', 'generation_config', 'safetySettings', 'tools', 'toolConfig', 'cachedContent']);
const CONFIG = new Set([
	'temperature', 'topP', 'topK', 'maxOutputTokens', 'candidateCount', 'stopSequences', 'responseMimeType', 'responseSchema',
	'responseJsonSchema', 'thinkingConfig', 'seed', 'presencePenalty', 'frequencyPenalty', 'responseModalities',
]);
/** The OpenAPI subset `responseSchema` takes; JSON Schema words beyond it (additionalProperties, $schema…) are refused. */
const SCHEMA_WORDS = new Set([
	'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required',
	'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering',
	'default', 'items', 'minimum', 'maximum',
]);

function checkSchema(schema: unknown, at: string): ChatAnswer | undefined {
	if (!isRecord(schema)) return bad(`Invalid value at '${at}': expected an object.`);
	for (const [key, value] of Object.entries(schema)) {
		if (!SCHEMA_WORDS.has(key)) return unknownName(key, at);
		if (key === 'properties' && isRecord(value)) {
			for (const [name, sub] of Object.entries(value)) {
				const problem = checkSchema(sub, `${at}.properties[${name}].value`);
				if (problem) return problem;
			}
		}
		if (key === 'items') {
			const problem = checkSchema(value, `${at}.items`);
			if (problem) return problem;
		}
		if (key === 'anyOf' && Array.isArray(value)) {
			for (const [i, sub] of value.entries()) {
				const problem = checkSchema(sub, `${at}.any_of[${i}]`);
				if (problem) return problem;
			}
		}
	}
	return undefined;
}

interface Conversation {
	lastUser: string;
	allText: string;
	images: SeenImage[];
	promptTokens: number;
}

function readParts(parts: unknown, at: string, conv: Conversation): ChatAnswer | string {
	if (!Array.isArray(parts) || parts.length === 0) return bad(`* GenerateContentRequest.${at}.parts: contents.parts must not be empty.`);
	const texts: string[] = [];
	for (const [j, part] of parts.entries()) {
		const where = `${at}.parts[${j}]`;
		if (!isRecord(part)) return bad(`Invalid value at '${where}': expected an object.`);
		const kinds = ['text', 'inlineData', 'inline_data', 'fileData', 'file_data', 'functionCall', 'functionResponse'].filter((k) => k in part);
		if (kinds.length !== 1) return bad(`* GenerateContentRequest.${where}.data: required oneof field 'data' must have one initialized field`);
		const inline = (part.inlineData ?? part.inline_data) as unknown;
		const file = (part.fileData ?? part.file_data) as unknown;
		if (typeof part.text === 'string') texts.push(part.text);
		else if (inline !== undefined) {
			if (!isRecord(inline) || typeof inline.mimeType !== 'string' || typeof inline.data !== 'string') {
				return bad(`* GenerateContentRequest.${where}.inline_data: mimeType and data are required.`);
			}
			const bytes = decodeBase64(inline.data);
			if (!bytes) return bad(`Invalid value at '${where}.inline_data.data' (TYPE_BYTES), Base64 decoding failed for "${inline.data.slice(0, 20)}…"`);
			const mime = sniffImage(bytes);
			if (inline.mimeType.startsWith('image/') && !mime) return bad('Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
			conv.images.push({ mime: mime ?? inline.mimeType, bytes: bytes.length });
			conv.promptTokens += IMAGE_TOKENS * 3;
		} else if (file !== undefined) {
			if (!isRecord(file) || typeof file.fileUri !== 'string') return bad(`* GenerateContentRequest.${where}.file_data.file_uri: file_uri is required.`);
			conv.images.push({ mime: String(file.mimeType ?? ''), url: file.fileUri });
			conv.promptTokens += IMAGE_TOKENS * 3;
		}
	}
	return texts.join('\n');
}

export interface GenerateContentContext {
	isModel: (id: string) => boolean;
	script: ChatScript;
}

export function answerGenerateContent(model: string, stream: boolean, json: unknown, ctx: GenerateContentContext): ChatAnswer {
	if (!isRecord(json)) return bad('Invalid JSON payload received.');
	const body = json;
	for (const name of Object.keys(body)) if (!TOP.has(name)) return unknownName(name, '');
	if (!ctx.isModel(model)) return googleError(404, `models/${model} is not found for API version v1beta, or is not supported for generateContent.`, 'NOT_FOUND');
	const config = (body.generationConfig ?? body.generation_config ?? {}) as unknown;
	if (!isRecord(config)) return bad("Invalid value at 'generation_config': expected an object.");
	for (const name of Object.keys(config)) if (!CONFIG.has(name)) return unknownName(name, 'generation_config');
	for (const [name, min, max] of [['temperature', 0, 2], ['topP', 0, 1]] as const) {
		const value = config[name];
		if (value !== undefined && (typeof value !== 'number' || value < min || value > max)) {
			return bad(`* GenerateContentRequest.generation_config.${name === 'topP' ? 'top_p' : name}: must be in the range [${min}, ${max}].`);
		}
	}
	if (config.maxOutputTokens !== undefined && (!Number.isInteger(config.maxOutputTokens) || (config.maxOutputTokens as number) < 1)) {
		return bad(`Invalid value at 'generation_config.max_output_tokens' (TYPE_INT32), ${String(config.maxOutputTokens)}`);
	}
	const mimeType = config.responseMimeType;
	if (mimeType !== undefined && !['text/plain', 'application/json', 'text/x.enum'].includes(String(mimeType))) {
		return bad(`* GenerateContentRequest.generation_config.response_mime_type: allowed mimetypes are \`text/plain\`, \`application/json\`, \`text/x.enum\`.`);
	}
	if (config.responseSchema !== undefined) {
		if (mimeType !== 'application/json' && mimeType !== 'text/x.enum') {
			return bad('* GenerateContentRequest.generation_config.response_schema: responseMimeType must be set to application/json or text/x.enum when responseSchema is set.');
		}
		const problem = checkSchema(config.responseSchema, 'generation_config.response_schema');
		if (problem) return problem;
	}
	if (config.thinkingConfig !== undefined) {
		const thinking = config.thinkingConfig;
		if (!isRecord(thinking)) return bad("Invalid value at 'generation_config.thinking_config': expected an object.");
		for (const name of Object.keys(thinking)) if (!['thinkingBudget', 'includeThoughts', 'thinkingLevel'].includes(name)) return unknownName(name, 'generation_config.thinking_config');
		if (thinking.thinkingBudget !== undefined && (!Number.isInteger(thinking.thinkingBudget) || (thinking.thinkingBudget as number) < -1)) {
			return bad(`Invalid value at 'generation_config.thinking_config.thinking_budget' (TYPE_INT32), ${String(thinking.thinkingBudget)}`);
		}
	}
	const conv: Conversation = { lastUser: '', allText: '', images: [], promptTokens: 0 };
	const system = (body.systemInstruction ?? body.system_instruction) as unknown;
	if (system !== undefined) {
		if (!isRecord(system)) return bad("Invalid value at 'system_instruction': expected an object.");
		const text = readParts(system.parts, 'system_instruction', conv);
		if (typeof text !== 'string') return text;
		conv.allText += `${text}\n`;
		conv.promptTokens += tokens(text);
	}
	if (!Array.isArray(body.contents) || body.contents.length === 0) return bad('* GenerateContentRequest.contents: contents is not specified');
	for (const [i, content] of body.contents.entries()) {
		const at = `contents[${i}]`;
		if (!isRecord(content)) return bad(`Invalid value at '${at}': expected an object.`);
		if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') {
			return bad(`Please use a valid role: user, model.`);
		}
		const text = readParts(content.parts, at, conv);
		if (typeof text !== 'string') return text;
		conv.allText += `${text}\n`;
		conv.promptTokens += tokens(text);
		if (content.role !== 'model') conv.lastUser = text;
	}

	let text = ctx.script.replies.shift();
	if (text === undefined) {
		if (mimeType === 'application/json') {
			text = config.responseSchema !== undefined
				? JSON.stringify(valueFromSchema(config.responseSchema, 'answer', conv.lastUser))
				: jsonObjectReply(conv.allText, conv.lastUser);
		} else text = plainReply(conv.lastUser, conv.images);
	}
	let finishReason = 'STOP';
	const limit = config.maxOutputTokens as number | undefined;
	if (limit !== undefined && tokens(text) > limit) {
		text = text.slice(0, limit * 4);
		finishReason = 'MAX_TOKENS';
	}
	const candidatesTokenCount = tokens(text);
	const answer = (parts: Array<{ text: string }>, finish: string | undefined, withUsage = true) => ({
		candidates: [{ content: { role: 'model', parts }, ...(finish ? { finishReason: finish } : {}), index: 0 }],
		...(withUsage
			? { usageMetadata: { promptTokenCount: conv.promptTokens, candidatesTokenCount, totalTokenCount: conv.promptTokens + candidatesTokenCount } }
			: {}),
		modelVersion: model,
		responseId: newId(''),
	});
	if (!stream) return { status: 200, body: answer([{ text }], finishReason) };
	const pieces = text.match(/[\s\S]{1,16}/g) ?? [''];
	return {
		status: 200,
		events: pieces.map((piece, i) => JSON.stringify(answer([{ text: piece }], i === pieces.length - 1 ? finishReason : undefined, i === pieces.length - 1))),
	};
}
