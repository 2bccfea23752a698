import type { IDataObject } from 'n8n-workflow';

import { isRecord, num, str, withJsonHint, type ChatFields, type ChatFormat, type ChatImage, type ChatReply } from './types';

/**
 * Anthropic messages, `POST /v1/messages` ("Claude message"). Stated by TikHub: the path, the
 * `x-api-key` header, `model`, `max_tokens` (required), `messages`. Inferred (Anthropic's API):
 * the answer's shape, `system`, `temperature`, `top_p`, `metadata.user_id`, `thinking`, image
 * blocks, and the `anthropic-version` header (TikHub does not say whether it needs one).
 */

const PATH = '/v1/messages';
/** Inferred: Anthropic's API version header; TikHub's docs do not mention it. */
const ANTHROPIC_VERSION = '2023-06-01';

/** `max_tokens` is required here: this when Max Tokens is unset. */
export const DEFAULT_MAX_TOKENS = 4096;

/** Reasoning Effort as a thinking budget in tokens (Anthropic's minimum is 1024). */
export const THINKING_BUDGET: Record<string, number> = { minimal: 1024, low: 2048, medium: 8192, high: 16384 };

function userContent(prompt: string, images: ChatImage[]): string | IDataObject[] {
	if (images.length === 0) return prompt;
	// Anthropic advises images before the text that asks about them.
	return [
		...images.map((image) => ({
			type: 'image',
			source: image.kind === 'url' ? { type: 'url', url: image.url } : { type: 'base64', media_type: image.mimeType, data: image.base64 },
		})),
		{ type: 'text', text: prompt },
	];
}

export const messages: ChatFormat = {
	path: () => PATH,
	keyHeader: 'x-api-key',
	headers: { 'anthropic-version': ANTHROPIC_VERSION },
	urlImages: 'url',
	check(fields) {
		if (fields.temperature !== undefined && fields.temperature > 1) {
			return { message: `Temperature is ${fields.temperature}; Anthropic takes 0 to 1`, description: 'Set Temperature to 1 or less.' };
		}
		const budget = fields.reasoningEffort ? THINKING_BUDGET[fields.reasoningEffort] : undefined;
		if (budget === undefined) return undefined;
		if (fields.maxTokens !== undefined && fields.maxTokens <= budget) {
			return {
				message: `Max Tokens (${fields.maxTokens}) must be above the thinking budget of Reasoning Effort "${fields.reasoningEffort}" (${budget} tokens)`,
				description: 'Raise Max Tokens, lower Reasoning Effort, or leave Max Tokens unset.',
			};
		}
		if (fields.temperature !== undefined && fields.temperature !== 1) {
			return { message: 'Anthropic takes no Temperature but 1 with Reasoning Effort (thinking) set', description: 'Remove Temperature or Reasoning Effort.' };
		}
		if (fields.topP !== undefined && fields.topP < 0.95) {
			return { message: 'Anthropic takes Top P from 0.95 to 1 with Reasoning Effort (thinking) set', description: 'Remove Top P or Reasoning Effort.' };
		}
		return undefined;
	},
	body(fields: ChatFields, images: ChatImage[]): IDataObject {
		const budget = fields.reasoningEffort ? THINKING_BUDGET[fields.reasoningEffort] : undefined;
		const body: IDataObject = {
			model: fields.model,
			max_tokens: fields.maxTokens ?? (budget ?? 0) + DEFAULT_MAX_TOKENS,
			messages: [{ role: 'user', content: userContent(fields.prompt, images) }],
		};
		// No JSON switch in this API: the system prompt asks for JSON (and quotes the schema).
		const system = withJsonHint(fields.systemMessage, fields.prompt, fields, true);
		if (system !== undefined) body.system = system;
		if (fields.temperature !== undefined) body.temperature = fields.temperature;
		if (fields.topP !== undefined) body.top_p = fields.topP;
		if (budget !== undefined) body.thinking = { type: 'enabled', budget_tokens: budget };
		if (fields.user !== undefined) body.metadata = { user_id: fields.user };
		return body;
	},
	read(answer: unknown): ChatReply {
		const body = isRecord(answer) ? answer : {};
		// Text blocks only: thinking and tool blocks are not the answer.
		const text = Array.isArray(body.content)
			? body.content.filter((block) => isRecord(block) && block.type === 'text').map((block) => str((block as IDataObject).text) ?? '').join('')
			: undefined;
		const usage = isRecord(body.usage) ? body.usage : {};
		const inputTokens = num(usage.input_tokens);
		const outputTokens = num(usage.output_tokens);
		return {
			text,
			model: str(body.model),
			finishReason: str(body.stop_reason),
			usage: {
				inputTokens,
				outputTokens,
				totalTokens: inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined,
			},
		};
	},
};
