import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { redactKey } from '../shared/http/credentials';
import { clip } from '../shared/http/error-messages';
import type { ChatParameters } from './fields';

/** An answer's text as JSON: the text itself, or the JSON inside a ```json fence some models wrap it in. */
export function parseJsonAnswer(text: string): { value: unknown } | { error: string } {
	const trimmed = text.trim();
	const fenced = /^```(?:json)?\s*\n?([\s\S]*?)\n?```$/i.exec(trimmed);
	try {
		return { value: JSON.parse(fenced ? fenced[1] : trimmed) as unknown };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

/**
 * The output item of one answer: `text`, `output` (JSON formats), `model`, `finishReason`,
 * `usage`, and with Include Full Response the whole answer under `response`.
 */
export async function buildChatItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ format, fields, includeFullResponse }: ChatParameters,
	answer: unknown,
): Promise<INodeExecutionData> {
	const reply = format.read(answer);
	if (reply.text === undefined) {
		const message = reply.blocked
			? `The provider blocked the prompt (${reply.blocked}) and gave no answer`
			: 'TikHub answered without the model\'s text (the answer is not in the shape this API format gives)';
		throw new NodeApiError(ctx.getNode(), { message } as JsonObject, {
			itemIndex,
			message,
			description: clip(
				await redactKey(
					ctx,
					itemIndex,
					`Check that "API Format" fits the model. The answer began with: ${JSON.stringify(answer ?? null).slice(0, 200)}`,
				),
			),
		});
	}
	const json: IDataObject = { text: reply.text };
	if (fields.responseFormat !== 'text') {
		const parsed = parseJsonAnswer(reply.text);
		if ('error' in parsed) {
			const cut = reply.finishReason && /length|max_tokens|max_output_tokens|MAX_TOKENS/.test(reply.finishReason);
			const error = new NodeOperationError(ctx.getNode(), 'The model\'s answer is not valid JSON', {
				itemIndex,
				description: clip(
					`${cut ? 'The answer was cut off at Max Tokens: raise it. ' : ''}${parsed.error}. The answer began: ${reply.text.slice(0, 200)}`,
				),
			});
			// The raw answer stays on the error item (under details on the error output).
			error.context.itemJson = { text: reply.text, finishReason: reply.finishReason ?? null };
			throw error;
		}
		json.output = parsed.value as IDataObject;
	}
	json.model = reply.model ?? fields.model;
	json.finishReason = reply.finishReason ?? null;
	json.usage = {
		inputTokens: reply.usage.inputTokens ?? null,
		outputTokens: reply.usage.outputTokens ?? null,
		totalTokens: reply.usage.totalTokens ?? null,
	};
	if (includeFullResponse) json.response = answer as IDataObject;
	return { json, pairedItem: { item: itemIndex } };
}
