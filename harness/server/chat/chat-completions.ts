import {
	decodeDataUrl,
	IMAGE_TOKENS,
	isRecord,
	jsonObjectReply,
	newId,
	pickTool,
	plainReply,
	sniffImage,
	tokens,
	toolArguments,
	toolReply,
	valueFromSchema,
	type ChatAnswer,
	type ChatScript,
	type OfferedTool,
	type SeenImage,
} from './common';
import { openAiError } from '../respond';

/** POST /v1/chat/completions in OpenAI's shape, checked the way OpenAI checks it. */

const KNOWN = new Set([
	'model', 'messages', 'temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'n', 'stream', 'stream_options',
	'stop', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'user', 'response_format',
	'seed', 'tools', 'tool_choice', 'parallel_tool_calls', 'reasoning_effort', 'metadata', 'store', 'service_tier',
	'modalities', 'verbosity', 'prediction',
]);

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/** gpt-5 and the o-series: `max_completion_tokens` only, temperature 1 only, `reasoning_effort` allowed. */
export const isReasoningModel = (model: string) => /^(gpt-5|o\d)/.test(model);

const bad = (message: string, param: string | null = null, code: string | null = null): ChatAnswer => ({
	status: 400,
	body: openAiError(message, param, code),
});

interface Conversation {
	lastUser: string;
	allText: string;
	images: SeenImage[];
	promptTokens: number;
	/** The content of the last `tool` message, when the conversation has one. */
	toolResult?: string;
}

function readParts(content: unknown, role: string, at: string, conv: Conversation): ChatAnswer | string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return bad(`Invalid type for '${at}.content': expected one of a string or an array of objects.`, `${at}.content`, 'invalid_type');
	const texts: string[] = [];
	for (const [j, part] of content.entries()) {
		const where = `${at}.content[${j}]`;
		if (!isRecord(part)) return bad(`Invalid type for '${where}': expected an object.`, where, 'invalid_type');
		if (part.type === 'text') {
			if (typeof part.text !== 'string') return bad(`Missing required parameter: '${where}.text'.`, `${where}.text`, 'missing_required_parameter');
			texts.push(part.text);
		} else if (part.type === 'image_url') {
			if (role !== 'user') return bad(`Invalid '${where}': image_url content parts are only allowed for messages with role 'user'.`, where);
			const image = isRecord(part.image_url) ? part.image_url : undefined;
			if (!image || typeof image.url !== 'string') return bad(`Missing required parameter: '${where}.image_url.url'.`, `${where}.image_url.url`, 'missing_required_parameter');
			if (image.detail !== undefined && !['auto', 'low', 'high'].includes(String(image.detail))) {
				return bad(`Invalid value: '${String(image.detail)}'. Supported values are: 'auto', 'low', and 'high'.`, `${where}.image_url.detail`);
			}
			if (/^https?:\/\//i.test(image.url)) {
				conv.images.push({ mime: 'url', url: image.url });
			} else {
				const decoded = decodeDataUrl(image.url);
				if (typeof decoded === 'string') return bad(decoded, `${where}.image_url.url`, 'invalid_image_url');
				const mime = sniffImage(decoded.bytes);
				if (!mime) {
					return bad("You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].", null, 'invalid_image_format');
				}
				conv.images.push({ mime, bytes: decoded.bytes.length });
			}
			conv.promptTokens += IMAGE_TOKENS;
		} else {
			return bad(`Invalid value: '${String(part.type)}'. Supported values are: 'text', 'image_url', 'input_audio', 'refusal', and 'file'.`, `${where}.type`, 'invalid_value');
		}
	}
	return texts.join('\n');
}

function readMessages(messages: unknown): ChatAnswer | Conversation {
	if (!Array.isArray(messages)) return bad("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
	if (messages.length === 0) return bad("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');
	const conv: Conversation = { lastUser: '', allText: '', images: [], promptTokens: 0 };
	const callIds = new Set<string>();
	for (const [i, message] of messages.entries()) {
		const at = `messages[${i}]`;
		if (!isRecord(message)) return bad(`Invalid type for '${at}': expected an object.`, at, 'invalid_type');
		const role = String(message.role);
		if (!ROLES.has(role)) {
			return bad(`Invalid value: '${role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`, `${at}.role`, 'invalid_value');
		}
		if (role === 'assistant' && Array.isArray(message.tool_calls)) {
			for (const call of message.tool_calls) if (isRecord(call) && typeof call.id === 'string') callIds.add(call.id);
			if (message.content === null || message.content === undefined) continue;
		}
		if (role === 'tool') {
			if (typeof message.tool_call_id !== 'string') return bad(`Missing required parameter: '${at}.tool_call_id'.`, `${at}.tool_call_id`, 'missing_required_parameter');
			if (!callIds.has(message.tool_call_id)) {
				return bad("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", `${at}.role`);
			}
		}
		if (message.content === undefined) return bad(`Missing required parameter: '${at}.content'.`, `${at}.content`, 'missing_required_parameter');
		const text = readParts(message.content, role, at, conv);
		if (typeof text !== 'string') return text;
		conv.allText += `${text}\n`;
		conv.promptTokens += tokens(text) + 4;
		if (role === 'user') conv.lastUser = text;
		if (role === 'tool') conv.toolResult = text;
	}
	return conv;
}

function readTools(body: Record<string, unknown>): ChatAnswer | OfferedTool[] {
	if (body.tools === undefined) return [];
	if (!Array.isArray(body.tools)) return bad("Invalid type for 'tools': expected an array of objects.", 'tools', 'invalid_type');
	const tools: OfferedTool[] = [];
	for (const [i, tool] of body.tools.entries()) {
		const fn = isRecord(tool) && tool.type === 'function' && isRecord(tool.function) ? tool.function : undefined;
		if (!fn || typeof fn.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(fn.name)) {
			return bad(`Invalid 'tools[${i}].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, `tools[${i}].function.name`, 'invalid_value');
		}
		tools.push({ name: fn.name, parameters: fn.parameters });
	}
	return tools;
}

function checkNumbers(body: Record<string, unknown>): ChatAnswer | undefined {
	const ranges: Array<[string, number, number]> = [['temperature', 0, 2], ['top_p', 0, 1], ['presence_penalty', -2, 2], ['frequency_penalty', -2, 2]];
	for (const [name, min, max] of ranges) {
		const value = body[name];
		if (value === undefined) continue;
		if (typeof value !== 'number') return bad(`Invalid type for '${name}': expected a decimal, but got a ${typeof value} instead.`, name, 'invalid_type');
		if (value < min) return bad(`Invalid '${name}': decimal below minimum value. Expected a value >= ${min}, but got ${value} instead.`, name, 'decimal_below_min_value');
		if (value > max) return bad(`Invalid '${name}': decimal above maximum value. Expected a value <= ${max}, but got ${value} instead.`, name, 'decimal_above_max_value');
	}
	for (const name of ['max_tokens', 'max_completion_tokens', 'n', 'seed']) {
		const value = body[name];
		if (value === undefined) continue;
		if (!Number.isInteger(value)) return bad(`Invalid type for '${name}': expected an integer, but got ${typeof value} instead.`, name, 'invalid_type');
		if (name !== 'seed' && (value as number) < 1) return bad(`Invalid '${name}': integer below minimum value. Expected a value >= 1, but got ${String(value)} instead.`, name, 'integer_below_min_value');
	}
	return undefined;
}

export interface ChatCompletionsContext {
	isModel: (id: string) => boolean;
	script: ChatScript;
}

export function answerChatCompletions(json: unknown, ctx: ChatCompletionsContext): ChatAnswer {
	if (!isRecord(json)) return bad('We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)');
	const body = json;
	for (const name of Object.keys(body)) if (!KNOWN.has(name)) return bad(`Unrecognized request argument supplied: ${name}`, name, 'unknown_parameter');
	if (typeof body.model !== 'string' || body.model === '') return bad('you must provide a model parameter', 'model', 'missing_required_parameter');
	const model = body.model;
	if (!ctx.isModel(model)) {
		return { status: 404, body: openAiError(`The model \`${model}\` does not exist or you do not have access to it.`, null, 'model_not_found') };
	}
	const numbers = checkNumbers(body);
	if (numbers) return numbers;
	const reasoning = isReasoningModel(model);
	if (reasoning && body.max_tokens !== undefined) {
		return bad("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter');
	}
	if (reasoning && body.temperature !== undefined && body.temperature !== 1) {
		return bad(`Unsupported value: 'temperature' does not support ${String(body.temperature)} with this model. Only the default (1) value is supported.`, 'temperature', 'unsupported_value');
	}
	if (body.reasoning_effort !== undefined) {
		if (!reasoning) return bad("Unrecognized request argument supplied: reasoning_effort", 'reasoning_effort', 'unsupported_parameter');
		if (!['minimal', 'low', 'medium', 'high'].includes(String(body.reasoning_effort))) {
			return bad(`Invalid value: '${String(body.reasoning_effort)}'. Supported values are: 'minimal', 'low', 'medium', and 'high'.`, 'reasoning_effort', 'invalid_value');
		}
	}
	if (body.stream !== undefined && typeof body.stream !== 'boolean') return bad("Invalid type for 'stream': expected a boolean.", 'stream', 'invalid_type');
	if (body.stream_options !== undefined && body.stream !== true) {
		return bad("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options', 'invalid_value');
	}
	if (body.user !== undefined && typeof body.user !== 'string') return bad("Invalid type for 'user': expected a string.", 'user', 'invalid_type');
	const conv = readMessages(body.messages);
	if ('status' in conv) return conv;
	const tools = readTools(body);
	if (!Array.isArray(tools)) return tools;

	// The answer's text, in order of precedence.
	const format = isRecord(body.response_format) ? body.response_format : undefined;
	if (body.response_format !== undefined && !format) return bad("Invalid type for 'response_format': expected an object.", 'response_format', 'invalid_type');
	let content: string | null;
	let toolCall: { id: string; name: string; arguments: string } | undefined;
	const choice = body.tool_choice;
	const named = isRecord(choice) && isRecord(choice.function) ? String(choice.function.name) : undefined;
	if (named && !tools.some((t) => t.name === named)) return bad(`Invalid value for 'tool_choice': tool '${named}' not found in 'tools'.`, 'tool_choice');
	if (format && !['text', 'json_object', 'json_schema'].includes(String(format.type))) {
		return bad(`Invalid value: '${String(format.type)}'. Supported values are: 'text', 'json_object', and 'json_schema'.`, 'response_format.type', 'invalid_value');
	}
	if (format?.type === 'json_object' && !/json/i.test(conv.allText)) {
		return bad("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages');
	}
	let schema: Record<string, unknown> | undefined;
	if (format?.type === 'json_schema') {
		const spec = isRecord(format.json_schema) ? format.json_schema : undefined;
		if (!spec) return bad("Missing required parameter: 'response_format.json_schema'.", 'response_format.json_schema', 'missing_required_parameter');
		if (typeof spec.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
			return bad("Missing required parameter: 'response_format.json_schema.name'.", 'response_format.json_schema.name', 'missing_required_parameter');
		}
		if (spec.schema !== undefined && !isRecord(spec.schema)) return bad("Invalid type for 'response_format.json_schema.schema': expected an object.", 'response_format.json_schema.schema', 'invalid_type');
		schema = (spec.schema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} };
	}
	const scripted = ctx.script.replies.shift();
	if (scripted !== undefined) {
		content = scripted;
	} else if (tools.length && choice !== 'none' && conv.toolResult === undefined) {
		const tool = named ? tools.find((t) => t.name === named)! : pickTool(tools)!;
		toolCall = { id: newId('call_'), name: tool.name, arguments: JSON.stringify(toolArguments(tool.parameters, conv.lastUser)) };
		content = null;
	} else if (conv.toolResult !== undefined) {
		content = toolReply(conv.toolResult);
	} else if (schema) {
		content = JSON.stringify(valueFromSchema(schema, 'answer', conv.lastUser));
	} else if (format?.type === 'json_object') {
		content = jsonObjectReply(conv.allText, conv.lastUser);
	} else {
		content = plainReply(conv.lastUser, conv.images);
	}
	let finishReason = toolCall ? 'tool_calls' : 'stop';
	const limit = (body.max_completion_tokens ?? body.max_tokens) as number | undefined;
	if (content !== null && limit !== undefined && tokens(content) > limit) {
		content = content.slice(0, limit * 4);
		finishReason = 'length';
	}
	const completionTokens = tokens(content ?? toolCall?.arguments ?? '');
	const usage = { prompt_tokens: conv.promptTokens, completion_tokens: completionTokens, total_tokens: conv.promptTokens + completionTokens };
	const id = newId('chatcmpl-');
	const created = Math.floor(Date.now() / 1000);
	const toolCalls = toolCall ? [{ id: toolCall.id, type: 'function', function: { name: toolCall.name, arguments: toolCall.arguments } }] : undefined;

	if (body.stream === true) {
		const includeUsage = isRecord(body.stream_options) && body.stream_options.include_usage === true;
		const chunk = (delta: unknown, finish: string | null) =>
			JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_standin', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(includeUsage ? { usage: null } : {}) });
		const events: string[] = [chunk({ role: 'assistant', content: toolCall ? null : '', refusal: null }, null)];
		if (toolCall) {
			events.push(chunk({ tool_calls: [{ index: 0, id: toolCall.id, type: 'function', function: { name: toolCall.name, arguments: '' } }] }, null));
			const half = Math.ceil(toolCall.arguments.length / 2);
			for (const piece of [toolCall.arguments.slice(0, half), toolCall.arguments.slice(half)]) {
				if (piece) events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
			}
		} else {
			for (const piece of (content ?? '').match(/[\s\S]{1,16}/g) ?? []) events.push(chunk({ content: piece }, null));
		}
		events.push(chunk({}, finishReason));
		if (includeUsage) events.push(JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_standin', choices: [], usage }));
		events.push('[DONE]');
		return { status: 200, events };
	}
	return {
		status: 200,
		body: {
			id,
			object: 'chat.completion',
			created,
			model,
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content, refusal: null, ...(toolCalls ? { tool_calls: toolCalls } : {}), annotations: [] },
					logprobs: null,
					finish_reason: finishReason,
				},
			],
			usage,
			system_fingerprint: 'fp_standin',
		},
	};
}
