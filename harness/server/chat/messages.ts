import {
	decodeBase64,
	IMAGE_MIMES,
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

/** POST /v1/messages in Anthropic's shape (TikHub's "Claude message"), checked the way Anthropic checks it. */

const KNOWN = new Set([
	'model', 'max_tokens', 'messages', 'system', 'temperature', 'top_p', 'top_k', 'stop_sequences', 'stream', 'metadata',
	'tools', 'tool_choice', 'thinking', 'service_tier',
]);

export function anthropicError(status: number, type: string, message: string): ChatAnswer {
	return { status, body: { type: 'error', error: { type, message }, request_id: newId('req_') } };
}

const bad = (message: string) => anthropicError(400, 'invalid_request_error', message);

interface Conversation {
	lastUser: string;
	allText: string;
	images: SeenImage[];
	promptTokens: number;
	toolResult?: string;
}

function readBlocks(content: unknown, role: string, at: string, conv: Conversation, toolIds: Set<string>): ChatAnswer | string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return bad(`${at}.content: Input should be a valid list`);
	const texts: string[] = [];
	for (const [j, block] of content.entries()) {
		const where = `${at}.content.${j}`;
		if (!isRecord(block)) return bad(`${where}: Input should be a valid dictionary`);
		if (block.type === 'text') {
			if (typeof block.text !== 'string') return bad(`${where}.text: Field required`);
			if (block.text === '') return bad(`${where}: text content blocks must be non-empty`);
			texts.push(block.text);
		} else if (block.type === 'image') {
			const source = isRecord(block.source) ? block.source : undefined;
			if (!source) return bad(`${where}.source: Field required`);
			if (source.type === 'base64') {
				if (!IMAGE_MIMES.includes(source.media_type as never)) {
					return bad(`${where}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
				}
				const bytes = typeof source.data === 'string' ? decodeBase64(source.data) : undefined;
				if (!bytes) return bad(`${where}.source.base64.data: invalid base64 data`);
				const actual = sniffImage(bytes);
				if (!actual) return bad(`${where}.source.base64: Could not process image`);
				if (actual !== source.media_type) return bad(`${where}.source.base64.data: Image does not match the provided media type ${String(source.media_type)}`);
				conv.images.push({ mime: actual, bytes: bytes.length });
			} else if (source.type === 'url') {
				if (typeof source.url !== 'string' || !/^https?:\/\//i.test(source.url)) return bad(`${where}.source.url.url: Field required`);
				conv.images.push({ mime: 'url', url: source.url });
			} else {
				return bad(`${where}.source: Input tag '${String(source.type)}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'`);
			}
			conv.promptTokens += IMAGE_TOKENS;
		} else if (block.type === 'tool_use' && role === 'assistant') {
			if (typeof block.id === 'string') toolIds.add(block.id);
		} else if (block.type === 'tool_result' && role === 'user') {
			if (typeof block.tool_use_id !== 'string' || !toolIds.has(block.tool_use_id)) {
				return bad(`${where}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
			}
			const result = block.content;
			conv.toolResult = typeof result === 'string' ? result : Array.isArray(result) ? result.map((r) => (isRecord(r) && typeof r.text === 'string' ? r.text : '')).join('\n') : '';
		} else {
			return bad(`${where}: Input tag '${String(block.type)}' found using 'type' does not match any of the expected tags`);
		}
	}
	return texts.join('\n');
}

/** The JSON schema a system prompt quotes (the node states it there), if any. */
function schemaInText(text: string): Record<string, unknown> | undefined {
	const start = text.indexOf('{');
	const end = text.lastIndexOf('}');
	if (start < 0 || end <= start) return undefined;
	try {
		const parsed: unknown = JSON.parse(text.slice(start, end + 1));
		return isRecord(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

export interface MessagesContext {
	isModel: (id: string) => boolean;
	script: ChatScript;
}

export function answerMessages(json: unknown, ctx: MessagesContext): ChatAnswer {
	if (!isRecord(json)) return bad('messages: Field required');
	const body = json;
	for (const name of Object.keys(body)) if (!KNOWN.has(name)) return bad(`${name}: Extra inputs are not permitted`);
	if (typeof body.model !== 'string' || body.model === '') return bad('model: Field required');
	if (!ctx.isModel(body.model)) return anthropicError(404, 'not_found_error', `model: ${body.model}`);
	if (body.max_tokens === undefined) return bad('max_tokens: Field required');
	if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) return bad('max_tokens: Input should be a valid integer greater than or equal to 1');
	for (const [name, max] of [['temperature', 1], ['top_p', 1]] as const) {
		const value = body[name];
		if (value !== undefined && (typeof value !== 'number' || value < 0 || value > max)) return bad(`${name}: Input should be less than or equal to ${max}`);
	}
	if (body.metadata !== undefined && (!isRecord(body.metadata) || Object.keys(body.metadata).some((k) => k !== 'user_id'))) {
		return bad('metadata: Extra inputs are not permitted');
	}
	let system = '';
	if (typeof body.system === 'string') system = body.system;
	else if (Array.isArray(body.system)) system = body.system.map((b) => (isRecord(b) && typeof b.text === 'string' ? b.text : '')).join('\n');
	else if (body.system !== undefined) return bad('system: Input should be a valid string or list');
	if (!Array.isArray(body.messages)) return bad('messages: Field required');
	if (body.messages.length === 0) return bad('messages: at least one message is required');
	const conv: Conversation = { lastUser: '', allText: `${system}\n`, images: [], promptTokens: tokens(system) };
	const toolIds = new Set<string>();
	for (const [i, message] of body.messages.entries()) {
		const at = `messages.${i}`;
		if (!isRecord(message)) return bad(`${at}: Input should be a valid dictionary`);
		if (message.role !== 'user' && message.role !== 'assistant') {
			return bad(`${at}.role: Input should be 'user' or 'assistant'${message.role === 'system' ? ' (use the top-level `system` parameter for a system prompt)' : ''}`);
		}
		const text = readBlocks(message.content, message.role, at, conv, toolIds);
		if (typeof text !== 'string') return text;
		conv.allText += `${text}\n`;
		conv.promptTokens += tokens(text);
		if (message.role === 'user' && text) conv.lastUser = text;
	}
	const tools: OfferedTool[] = [];
	if (Array.isArray(body.tools)) {
		for (const [i, tool] of body.tools.entries()) {
			if (!isRecord(tool) || typeof tool.name !== 'string') return bad(`tools.${i}.name: Field required`);
			if (!isRecord(tool.input_schema)) return bad(`tools.${i}.input_schema: Field required`);
			tools.push({ name: tool.name, parameters: tool.input_schema });
		}
	}

	let text: string | undefined;
	let toolUse: { id: string; name: string; input: Record<string, unknown> } | undefined;
	const scripted = ctx.script.replies.shift();
	const noTools = isRecord(body.tool_choice) && body.tool_choice.type === 'none';
	if (scripted !== undefined) text = scripted;
	else if (tools.length && !noTools && conv.toolResult === undefined) {
		const tool = pickTool(tools)!;
		toolUse = { id: newId('toolu_'), name: tool.name, input: toolArguments(tool.parameters, conv.lastUser) };
	} else if (conv.toolResult !== undefined) text = toolReply(conv.toolResult);
	else if (/json/i.test(system)) {
		// No JSON mode on this API: a system prompt that asks for JSON gets JSON, shaped by a schema it quotes.
		const schema = schemaInText(system);
		text = schema ? JSON.stringify(valueFromSchema(schema, 'answer', conv.lastUser)) : jsonObjectReply(system, conv.lastUser);
	} else text = plainReply(conv.lastUser, conv.images);

	let stopReason = toolUse ? 'tool_use' : 'end_turn';
	const limit = body.max_tokens as number;
	if (text !== undefined && tokens(text) > limit) {
		text = text.slice(0, limit * 4);
		stopReason = 'max_tokens';
	}
	const outputTokens = tokens(text ?? JSON.stringify(toolUse?.input ?? {}));
	const message = {
		id: newId('msg_'),
		type: 'message',
		role: 'assistant',
		model: body.model,
		content: toolUse ? [{ type: 'tool_use', ...toolUse }] : [{ type: 'text', text }],
		stop_reason: stopReason,
		stop_sequence: null,
		usage: { input_tokens: conv.promptTokens, output_tokens: outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
	};
	if (body.stream !== true) return { status: 200, body: message };
	const events: Array<{ event: string; data: string }> = [];
	const event = (type: string, data: Record<string, unknown>) => events.push({ event: type, data: JSON.stringify({ type, ...data }) });
	event('message_start', { message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } } });
	if (toolUse) {
		event('content_block_start', { index: 0, content_block: { type: 'tool_use', id: toolUse.id, name: toolUse.name, input: {} } });
		event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(toolUse.input) } });
	} else {
		event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
		for (const piece of (text ?? '').match(/[\s\S]{1,16}/g) ?? []) event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } });
	}
	event('content_block_stop', { index: 0 });
	event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } });
	event('message_stop', {});
	return { status: 200, events };
}
