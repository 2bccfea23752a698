import type { IDataObject } from 'n8n-workflow';

import { isRecord, num, str, withJsonHint, type ChatFields, type ChatFormat, type ChatImage, type ChatReply } from './types';

/**
 * OpenAI Responses, `POST /v1/responses`. Stated by TikHub: the path, `model`, `input` and the
 * answer's `output[].content[]` `output_text`. Inferred (OpenAI's API): `instructions`,
 * `temperature`, `top_p`, `max_output_tokens`, `text.format`, `reasoning.effort`, `user`, and
 * image parts `input_image`.
 */

const PATH = '/v1/responses';

/** OpenAI refuses `max_output_tokens` below 16. */
const MIN_OUTPUT_TOKENS = 16;

function input(prompt: string, images: ChatImage[]): string | IDataObject[] {
	if (images.length === 0) return prompt;
	return [
		{
			role: 'user',
			content: [
				{ type: 'input_text', text: prompt },
				...images.map((image) => ({
					type: 'input_image',
					image_url: image.kind === 'url' ? image.url : `data:${image.mimeType};base64,${image.base64}`,
				})),
			],
		},
	];
}

export const responses: ChatFormat = {
	path: () => PATH,
	urlImages: 'url',
	check(fields) {
		if (fields.maxTokens !== undefined && fields.maxTokens < MIN_OUTPUT_TOKENS) {
			return {
				message: `Max Tokens is ${fields.maxTokens}; the Responses format takes at least ${MIN_OUTPUT_TOKENS}`,
				description: `Set Max Tokens to ${MIN_OUTPUT_TOKENS} or more, or use the Chat Completions format.`,
			};
		}
		return undefined;
	},
	body(fields: ChatFields, images: ChatImage[]): IDataObject {
		// json_object here too needs the word "json" in the input: the instructions say it when the prompt does not.
		const instructions = withJsonHint(fields.systemMessage, fields.prompt, fields, false);
		const body: IDataObject = { model: fields.model, input: input(fields.prompt, images) };
		if (instructions !== undefined) body.instructions = instructions;
		if (fields.temperature !== undefined) body.temperature = fields.temperature;
		if (fields.topP !== undefined) body.top_p = fields.topP;
		if (fields.maxTokens !== undefined) body.max_output_tokens = fields.maxTokens;
		if (fields.responseFormat === 'jsonObject') body.text = { format: { type: 'json_object' } };
		if (fields.responseFormat === 'jsonSchema' && fields.jsonSchema) {
			const { name, schema, strict } = fields.jsonSchema;
			body.text = { format: { type: 'json_schema', name, schema, ...(strict !== undefined ? { strict } : {}) } };
		}
		if (fields.reasoningEffort !== undefined) body.reasoning = { effort: fields.reasoningEffort };
		if (fields.user !== undefined) body.user = fields.user;
		return body;
	},
	read(answer: unknown): ChatReply {
		const body = isRecord(answer) ? answer : {};
		let text: string | undefined;
		if (Array.isArray(body.output)) {
			const texts = body.output
				.filter((item) => isRecord(item) && item.type === 'message' && Array.isArray(item.content))
				.flatMap((item) => (item as { content: unknown[] }).content)
				.filter((part) => isRecord(part) && part.type === 'output_text')
				.map((part) => str((part as IDataObject).text) ?? '');
			text = texts.join('');
		}
		const usage = isRecord(body.usage) ? body.usage : {};
		// No finish reason in this format: why an answer stopped early, else its status ("completed").
		const incomplete = isRecord(body.incomplete_details) ? str(body.incomplete_details.reason) : undefined;
		return {
			text,
			model: str(body.model),
			finishReason: incomplete ?? str(body.status),
			usage: { inputTokens: num(usage.input_tokens), outputTokens: num(usage.output_tokens), totalTokens: num(usage.total_tokens) },
		};
	},
};
