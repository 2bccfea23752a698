import type { IDataObject } from 'n8n-workflow';

import { isRecord, num, str, withJsonHint, type ChatFields, type ChatFormat, type ChatImage, type ChatReply } from './types';

/**
 * OpenAI chat completions, `POST /v1/chat/completions`. The path and the body are OpenAI's:
 * TikHub lists "OpenAI chat completion" (and Claude / DeepSeek chat completion) without a
 * readable page, so both are inferred (shared/tikhub/text-endpoints.md).
 */

/** Inferred: TikHub's docs list the endpoint but its page gives no path. */
const PATH = '/v1/chat/completions';

/**
 * TikHub documents `max_tokens` for this endpoint (shared/tikhub/text-endpoints.md), and every provider behind it
 * takes it; only OpenAI's reasoning models (gpt-5, o-series) reject it for `max_completion_tokens`.
 */
const isReasoningModel = (model: string) => /^(openai\/)?(o\d|gpt-5)/i.test(model);

function userContent(prompt: string, images: ChatImage[]): string | IDataObject[] {
	if (images.length === 0) return prompt;
	return [
		{ type: 'text', text: prompt },
		...images.map((image) => ({
			type: 'image_url',
			image_url: { url: image.kind === 'url' ? image.url : `data:${image.mimeType};base64,${image.base64}` },
		})),
	];
}

export const chatCompletions: ChatFormat = {
	path: () => PATH,
	urlImages: 'url',
	body(fields: ChatFields, images: ChatImage[]): IDataObject {
		// json_object needs the word "json" in the messages: a short system hint says it when they do not.
		const system = withJsonHint(fields.systemMessage, fields.prompt, fields, false);
		const body: IDataObject = {
			model: fields.model,
			messages: [
				...(system !== undefined ? [{ role: 'system', content: system }] : []),
				{ role: 'user', content: userContent(fields.prompt, images) },
			],
		};
		if (fields.temperature !== undefined) body.temperature = fields.temperature;
		if (fields.topP !== undefined) body.top_p = fields.topP;
		if (fields.maxTokens !== undefined) body[isReasoningModel(fields.model) ? 'max_completion_tokens' : 'max_tokens'] = fields.maxTokens;
		if (fields.responseFormat === 'jsonObject') body.response_format = { type: 'json_object' };
		if (fields.responseFormat === 'jsonSchema' && fields.jsonSchema) {
			const { name, schema, strict } = fields.jsonSchema;
			body.response_format = { type: 'json_schema', json_schema: { name, schema, ...(strict !== undefined ? { strict } : {}) } };
		}
		if (fields.reasoningEffort !== undefined) body.reasoning_effort = fields.reasoningEffort;
		if (fields.user !== undefined) body.user = fields.user;
		return body;
	},
	read(answer: unknown): ChatReply {
		const body = isRecord(answer) ? answer : {};
		const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : undefined;
		const message = choice && isRecord(choice.message) ? choice.message : undefined;
		const content = message?.content;
		let text = str(content);
		// Some gateways answer with content parts even here.
		if (Array.isArray(content)) text = content.map((part) => (isRecord(part) ? str(part.text) ?? '' : '')).join('');
		// A reasoning model that ran out of tokens answers content null, a tool call may have no content at all:
		// with a message, that is an empty answer, not a wrong shape.
		if (text === undefined && message && (content === null || content === undefined)) text = '';
		const usage = isRecord(body.usage) ? body.usage : {};
		return {
			text,
			model: str(body.model),
			finishReason: str(choice?.finish_reason),
			usage: { inputTokens: num(usage.prompt_tokens), outputTokens: num(usage.completion_tokens), totalTokens: num(usage.total_tokens) },
		};
	},
};
