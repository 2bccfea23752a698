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
import { isReasoningModel } from './chat-completions';
import { openAiError } from '../respond';

/** POST /v1/responses in OpenAI's Responses shape (stated in TikHub's docs; the fields beyond model/input/stream are OpenAI's). */

const KNOWN = new Set([
	'model', 'input', 'instructions', 'temperature', 'top_p', 'max_output_tokens', 'text', 'reasoning', 'user', 'tools',
	'tool_choice', 'stream', 'store', 'metadata', 'previous_response_id', 'parallel_tool_calls', 'truncation', 'include',
	'service_tier', 'prompt_cache_key', 'safety_identifier', 'background', 'stream_options',
]);

const bad = (message: string, param: string | null = null, code: string | null = null): ChatAnswer => ({
	status: 400,
	body: openAiError(message, param, code),
});

interface Conversation {
	lastUser: string;
	allText: string;
	images: SeenImage[];
	promptTokens: number;
	toolResult?: string;
}

function readContent(content: unknown, at: string, conv: Conversation): ChatAnswer | string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return bad(`Invalid type for '${at}.content': expected one of a string or an array of objects.`, `${at}.content`, 'invalid_type');
	const texts: string[] = [];
	for (const [j, part] of content.entries()) {
		const where = `${at}.content[${j}]`;
		if (!isRecord(part)) return bad(`Invalid type for '${where}': expected an object.`, where, 'invalid_type');
		if (part.type === 'input_text' || part.type === 'output_text') {
			if (typeof part.text !== 'string') return bad(`Missing required parameter: '${where}.text'.`, `${where}.text`, 'missing_required_parameter');
			texts.push(part.text);
		} else if (part.type === 'input_image') {
			if (typeof part.image_url !== 'string') return bad(`Missing required parameter: '${where}.image_url'.`, `${where}.image_url`, 'missing_required_parameter');
			if (/^https?:\/\//i.test(part.image_url)) conv.images.push({ mime: 'url', url: part.image_url });
			else {
				const decoded = decodeDataUrl(part.image_url);
				if (typeof decoded === 'string') return bad(decoded, `${where}.image_url`, 'invalid_image_url');
				const mime = sniffImage(decoded.bytes);
				if (!mime) return bad("The image data you provided does not represent a valid image. Please check your input and try again with one of the supported image formats: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'].", where, 'invalid_image_format');
				conv.images.push({ mime, bytes: decoded.bytes.length });
			}
			conv.promptTokens += IMAGE_TOKENS;
		} else {
			return bad(`Invalid value: '${String(part.type)}'. Supported values are: 'input_text', 'input_image', 'output_text', 'refusal', 'input_file', 'computer_screenshot', and 'summary_text'.`, `${where}.type`, 'invalid_value');
		}
	}
	return texts.join('\n');
}

function readInput(input: unknown, conv: Conversation): ChatAnswer | undefined {
	if (typeof input === 'string') {
		conv.lastUser = input;
		conv.allText += `${input}\n`;
		conv.promptTokens += tokens(input);
		return undefined;
	}
	if (!Array.isArray(input)) return bad("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
	const callIds = new Set<string>();
	for (const [i, item] of input.entries()) {
		const at = `input[${i}]`;
		if (!isRecord(item)) return bad(`Invalid type for '${at}': expected an object.`, at, 'invalid_type');
		if (item.type === 'function_call') {
			if (typeof item.call_id === 'string') callIds.add(item.call_id);
			continue;
		}
		if (item.type === 'function_call_output') {
			if (typeof item.call_id !== 'string' || !callIds.has(item.call_id)) {
				return bad(`No tool call found for function call output with call_id ${String(item.call_id)}.`, 'input');
			}
			conv.toolResult = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
			continue;
		}
		if (item.type !== undefined && item.type !== 'message') {
			return bad(`Invalid value: '${String(item.type)}'. Supported values are: 'message', 'function_call', 'function_call_output', and others.`, `${at}.type`, 'invalid_value');
		}
		const role = String(item.role);
		if (!['user', 'assistant', 'system', 'developer'].includes(role)) {
			return bad(`Invalid value: '${role}'. Supported values are: 'assistant', 'system', 'developer', and 'user'.`, `${at}.role`, 'invalid_value');
		}
		const text = readContent(item.content, at, conv);
		if (typeof text !== 'string') return text;
		conv.allText += `${text}\n`;
		conv.promptTokens += tokens(text) + 4;
		if (role === 'user') conv.lastUser = text;
	}
	return undefined;
}

export interface ResponsesContext {
	isModel: (id: string) => boolean;
	script: ChatScript;
}

export function answerResponses(json: unknown, ctx: ResponsesContext): ChatAnswer {
	if (!isRecord(json)) return bad('We could not parse the JSON body of your request.');
	const body = json;
	for (const name of Object.keys(body)) if (!KNOWN.has(name)) return bad(`Unknown parameter: '${name}'.`, name, 'unknown_parameter');
	if (typeof body.model !== 'string' || body.model === '') return bad("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
	const model = body.model;
	if (!ctx.isModel(model)) return { status: 404, body: openAiError(`The requested model '${model}' does not exist.`, 'model', 'model_not_found') };
	for (const [name, min, max] of [['temperature', 0, 2], ['top_p', 0, 1]] as const) {
		const value = body[name];
		if (value === undefined) continue;
		if (typeof value !== 'number' || value < min || value > max) return bad(`Invalid '${name}': expected a number between ${min} and ${max}.`, name, 'invalid_value');
	}
	const reasoning = isReasoningModel(model);
	if (reasoning && body.temperature !== undefined && body.temperature !== 1) {
		return bad("Unsupported parameter: 'temperature' is not supported with this model.", 'temperature', 'unsupported_parameter');
	}
	if (body.max_output_tokens !== undefined) {
		if (!Number.isInteger(body.max_output_tokens)) return bad("Invalid type for 'max_output_tokens': expected an integer.", 'max_output_tokens', 'invalid_type');
		if ((body.max_output_tokens as number) < 16) {
			return bad(`Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got ${String(body.max_output_tokens)} instead.`, 'max_output_tokens', 'integer_below_min_value');
		}
	}
	if (body.reasoning !== undefined) {
		const effort = isRecord(body.reasoning) ? body.reasoning.effort : undefined;
		if (!reasoning) return bad("Unsupported parameter: 'reasoning.effort' is not supported with this model.", 'reasoning.effort', 'unsupported_parameter');
		if (effort !== undefined && !['minimal', 'low', 'medium', 'high'].includes(String(effort))) {
			return bad(`Invalid value: '${String(effort)}'. Supported values are: 'minimal', 'low', 'medium', and 'high'.`, 'reasoning.effort', 'invalid_value');
		}
	}
	if (body.instructions !== undefined && typeof body.instructions !== 'string') return bad("Invalid type for 'instructions': expected a string.", 'instructions', 'invalid_type');
	if (body.user !== undefined && typeof body.user !== 'string') return bad("Invalid type for 'user': expected a string.", 'user', 'invalid_type');
	const conv: Conversation = { lastUser: '', allText: `${(body.instructions as string | undefined) ?? ''}\n`, images: [], promptTokens: 0 };
	const problem = readInput(body.input, conv);
	if (problem) return problem;

	const tools: OfferedTool[] = [];
	if (body.tools !== undefined) {
		if (!Array.isArray(body.tools)) return bad("Invalid type for 'tools': expected an array.", 'tools', 'invalid_type');
		for (const [i, tool] of body.tools.entries()) {
			if (!isRecord(tool) || tool.type !== 'function' || typeof tool.name !== 'string') {
				return bad(`Missing required parameter: 'tools[${i}].name'.`, `tools[${i}].name`, 'missing_required_parameter');
			}
			tools.push({ name: tool.name, parameters: tool.parameters });
		}
	}
	const format = isRecord(body.text) && isRecord(body.text.format) ? body.text.format : undefined;
	if (format && !['text', 'json_object', 'json_schema'].includes(String(format.type))) {
		return bad(`Invalid value: '${String(format.type)}'. Supported values are: 'text', 'json_object', and 'json_schema'.`, 'text.format.type', 'invalid_value');
	}
	if (format?.type === 'json_object' && !/json/i.test(conv.allText)) {
		return bad("Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.", 'input');
	}
	if (format?.type === 'json_schema') {
		if (typeof format.name !== 'string') return bad("Missing required parameter: 'text.format.name'.", 'text.format.name', 'missing_required_parameter');
		if (!isRecord(format.schema)) return bad("Missing required parameter: 'text.format.schema'.", 'text.format.schema', 'missing_required_parameter');
	}

	const choice = body.tool_choice;
	let text: string | undefined;
	let call: { call_id: string; name: string; arguments: string } | undefined;
	const scripted = ctx.script.replies.shift();
	if (scripted !== undefined) text = scripted;
	else if (tools.length && choice !== 'none' && conv.toolResult === undefined) {
		const tool = pickTool(tools)!;
		call = { call_id: newId('call_'), name: tool.name, arguments: JSON.stringify(toolArguments(tool.parameters, conv.lastUser)) };
	} else if (conv.toolResult !== undefined) text = toolReply(conv.toolResult);
	else if (format?.type === 'json_schema') text = JSON.stringify(valueFromSchema(format.schema, 'answer', conv.lastUser));
	else if (format?.type === 'json_object') text = jsonObjectReply(conv.allText, conv.lastUser);
	else text = plainReply(conv.lastUser, conv.images);

	let incomplete = false;
	const limit = body.max_output_tokens as number | undefined;
	if (text !== undefined && limit !== undefined && tokens(text) > limit) {
		text = text.slice(0, limit * 4);
		incomplete = true;
	}
	const outputTokens = tokens(text ?? call?.arguments ?? '');
	const created = Math.floor(Date.now() / 1000);
	const item = call
		? { type: 'function_call', id: newId('fc_'), status: 'completed', ...call }
		: { type: 'message', id: newId('msg_'), status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] };
	const response = {
		id: newId('resp_'),
		object: 'response',
		created_at: created,
		status: incomplete ? 'incomplete' : 'completed',
		completed_at: created,
		incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
		error: null,
		instructions: body.instructions ?? null,
		max_output_tokens: limit ?? null,
		model,
		output: [item],
		temperature: body.temperature ?? 1,
		top_p: body.top_p ?? 1,
		text: { format: format ?? { type: 'text' } },
		usage: {
			input_tokens: conv.promptTokens,
			input_tokens_details: { cached_tokens: 0 },
			output_tokens: outputTokens,
			output_tokens_details: { reasoning_tokens: 0 },
			total_tokens: conv.promptTokens + outputTokens,
		},
		user: body.user ?? null,
	};
	if (body.stream !== true) return { status: 200, body: response };

	// Streaming: the Responses event sequence, trimmed to what clients read.
	let sequence = 0;
	const event = (type: string, data: Record<string, unknown>) => ({ event: type, data: JSON.stringify({ type, sequence_number: sequence++, ...data }) });
	const pending = { ...response, status: 'in_progress', output: [], usage: null };
	const events: Array<{ event: string; data: string }> = [event('response.created', { response: pending }), event('response.in_progress', { response: pending })];
	if (call) {
		const started = { ...item, arguments: '', status: 'in_progress' };
		events.push(event('response.output_item.added', { output_index: 0, item: started }));
		events.push(event('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta: call.arguments }));
		events.push(event('response.function_call_arguments.done', { item_id: item.id, output_index: 0, arguments: call.arguments }));
	} else {
		events.push(event('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }));
		events.push(event('response.content_part.added', { item_id: item.id, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }));
		for (const delta of (text ?? '').match(/[\s\S]{1,16}/g) ?? []) {
			events.push(event('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta }));
		}
		events.push(event('response.output_text.done', { item_id: item.id, output_index: 0, content_index: 0, text }));
		events.push(event('response.content_part.done', { item_id: item.id, output_index: 0, content_index: 0, part: { type: 'output_text', text, annotations: [] } }));
	}
	events.push(event('response.output_item.done', { output_index: 0, item }));
	events.push(event(incomplete ? 'response.incomplete' : 'response.completed', { response }));
	return { status: 200, events };
}
