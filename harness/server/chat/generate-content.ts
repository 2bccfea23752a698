import * as common from './common';
import type { ChatAnswer, Conversation } from './common';

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
	if (!common.isRecord(schema)) return bad(`Invalid value at '${at}': expected an object.`);
	for (const [key, value] of Object.entries(schema)) {
		if (!SCHEMA_WORDS.has(key)) return unknownName(key, at);
		if (key === 'properties' && common.isRecord(value)) {
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

function readParts(parts: unknown, at: string, conv: Conversation): ChatAnswer | string {
	if (!Array.isArray(parts) || parts.length === 0) return bad(`* GenerateContentRequest.${at}.parts: contents.parts must not be empty.`);
	const texts: string[] = [];
	for (const [j, part] of parts.entries()) {
		const where = `${at}.parts[${j}]`;
		if (!common.isRecord(part)) return bad(`Invalid value at '${where}': expected an object.`);
		const kinds = ['text', 'inlineData', 'inline_data', 'fileData', 'file_data', 'functionCall', 'functionResponse'].filter((k) => k in part);
		if (kinds.length !== 1) return bad(`* GenerateContentRequest.${where}.data: required oneof field 'data' must have one initialized field`);
		const inline = (part.inlineData ?? part.inline_data) as unknown;
		const file = (part.fileData ?? part.file_data) as unknown;
		if (typeof part.text === 'string') texts.push(part.text);
		else if (inline !== undefined) {
			if (!common.isRecord(inline) || typeof inline.mimeType !== 'string' || typeof inline.data !== 'string') {
				return bad(`* GenerateContentRequest.${where}.inline_data: mimeType and data are required.`);
			}
			const bytes = common.decodeBase64(inline.data);
			if (!bytes) return bad(`Invalid value at '${where}.inline_data.data' (TYPE_BYTES), Base64 decoding failed for "${inline.data.slice(0, 20)}…"`);
			const mime = common.sniffImage(bytes);
			if (inline.mimeType.startsWith('image/') && !mime) return bad('Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
			conv.images.push({ mime: mime ?? inline.mimeType, bytes: bytes.length });
			conv.promptTokens += common.IMAGE_TOKENS * 3;
		} else if (file !== undefined) {
			if (!common.isRecord(file) || typeof file.fileUri !== 'string') return bad(`* GenerateContentRequest.${where}.file_data.file_uri: file_uri is required.`);
			conv.images.push({ mime: String(file.mimeType ?? ''), url: file.fileUri });
			conv.promptTokens += common.IMAGE_TOKENS * 3;
		}
	}
	return texts.join('\n');
}

export function answerGenerateContent(model: string, stream: boolean, json: unknown, ctx: common.FormatContext): ChatAnswer {
	if (!common.isRecord(json)) return bad('Invalid JSON payload received.');
	const body = json;
	const unknown = common.unknownField(body, TOP);
	if (unknown) return unknownName(unknown, '');
	if (!ctx.isModel(model)) return googleError(404, `models/${model} is not found for API version v1beta, or is not supported for generateContent.`, 'NOT_FOUND');
	const config = (body.generationConfig ?? body.generation_config ?? {}) as unknown;
	if (!common.isRecord(config)) return bad("Invalid value at 'generation_config': expected an object.");
	const unknownConfig = common.unknownField(config, CONFIG);
	if (unknownConfig) return unknownName(unknownConfig, 'generation_config');
	const wrong = common.outOfRange(config, [['temperature', 0, 2], ['topP', 0, 1]]);
	if (wrong) return bad(`* GenerateContentRequest.generation_config.${wrong[0] === 'topP' ? 'top_p' : wrong[0]}: must be in the range [${wrong[1]}, ${wrong[2]}].`);
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
		if (!common.isRecord(thinking)) return bad("Invalid value at 'generation_config.thinking_config': expected an object.");
		for (const name of Object.keys(thinking)) if (!['thinkingBudget', 'includeThoughts', 'thinkingLevel'].includes(name)) return unknownName(name, 'generation_config.thinking_config');
		if (thinking.thinkingBudget !== undefined && (!Number.isInteger(thinking.thinkingBudget) || (thinking.thinkingBudget as number) < -1)) {
			return bad(`Invalid value at 'generation_config.thinking_config.thinking_budget' (TYPE_INT32), ${String(thinking.thinkingBudget)}`);
		}
	}
	const conv = common.newConversation();
	const system = (body.systemInstruction ?? body.system_instruction) as unknown;
	if (system !== undefined) {
		if (!common.isRecord(system)) return bad("Invalid value at 'system_instruction': expected an object.");
		const text = readParts(system.parts, 'system_instruction', conv);
		if (typeof text !== 'string') return text;
		common.addText(conv, text, false);
	}
	if (!Array.isArray(body.contents) || body.contents.length === 0) return bad('* GenerateContentRequest.contents: contents is not specified');
	for (const [i, content] of body.contents.entries()) {
		const at = `contents[${i}]`;
		if (!common.isRecord(content)) return bad(`Invalid value at '${at}': expected an object.`);
		if (content.role !== undefined && content.role !== 'user' && content.role !== 'model') {
			return bad(`Please use a valid role: user, model.`);
		}
		const text = readParts(content.parts, at, conv);
		if (typeof text !== 'string') return text;
		common.addText(conv, text, content.role !== 'model');
	}

	const wantsJson = mimeType === 'application/json';
	const turn = common.reply(ctx.script, conv, { schema: wantsJson ? config.responseSchema : undefined, jsonObject: wantsJson });
	const limited = common.limitText(turn.text ?? '', config.maxOutputTokens as number | undefined);
	const text = limited.text;
	const finishReason = limited.cut ? 'MAX_TOKENS' : 'STOP';
	const candidatesTokenCount = common.tokens(text);
	const answer = (parts: Array<{ text: string }>, finish: string | undefined, withUsage = true) => ({
		candidates: [{ content: { role: 'model', parts }, ...(finish ? { finishReason: finish } : {}), index: 0 }],
		...(withUsage
			? { usageMetadata: { promptTokenCount: conv.promptTokens, candidatesTokenCount, totalTokenCount: conv.promptTokens + candidatesTokenCount } }
			: {}),
		modelVersion: model,
		responseId: common.newId(''),
	});
	if (!stream) return { status: 200, body: answer([{ text }], finishReason) };
	const pieces = text.match(/[\s\S]{1,16}/g) ?? [''];
	return {
		status: 200,
		events: pieces.map((piece, i) => JSON.stringify(answer([{ text: piece }], i === pieces.length - 1 ? finishReason : undefined, i === pieces.length - 1))),
	};
}
