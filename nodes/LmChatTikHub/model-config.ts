import type { IDataObject, ISupplyDataFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readCredentials } from '../shared/http/credentials';
import { number, readRequestPolicy, text } from '../shared/items/parameters';
import { REASONING_EFFORTS } from './description';
import { redactErrorInPlace } from './redact-error';

/**
 * The node's parameters as the SDK's OpenAI-compatible model config (`supplyModel(this,
 * { type: 'openai', … })`): TikHub's OpenAI-compatible API at `<Base URL>/v1`, the trimmed key
 * of the credential, and only the options the user set (the model's defaults apply otherwise).
 * Kept apart from the SDK so it needs no SDK to run and test.
 */

type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** The subset of the SDK's `OpenAiModel` this node fills (structurally the same type). */
export interface TikHubChatModelConfig {
	type: 'openai';
	baseUrl: string;
	apiKey: string;
	model: string;
	temperature?: number;
	maxTokens?: number;
	topP?: number;
	frequencyPenalty?: number;
	presencePenalty?: number;
	reasoning?: { effort: ReasoningEffort };
	useResponsesApi: boolean;
	/** Milliseconds per call (the SDK's and the HTTP client's unit). */
	timeout: number;
	maxRetries: number;
	/** Off: OpenAI-compatible gateways may reject `strict: null` in tool definitions (as in n8n's own OpenAI node). */
	supportsStrictToolCalling: boolean;
	/** Called by the SDK with each failed call's error before n8n wraps it: masks the key in it. */
	onFailedAttempt: (error: unknown) => void;
}

/** A number option within [min, max], or undefined when unset; a value outside fails naming the option. */
function ranged(ctx: ISupplyDataFunctions, options: IDataObject, name: string, label: string, min: number, max: number, itemIndex: number) {
	const value = number(options[name]);
	if (value === undefined) return undefined;
	if (!Number.isFinite(value) || value < min || value > max) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be a number from ${min} to ${max}, got "${String(options[name])}"`, {
			itemIndex,
		});
	}
	return value;
}

export async function chatModelConfig(ctx: ISupplyDataFunctions, itemIndex: number): Promise<TikHubChatModelConfig> {
	const model = text(ctx.getNodeParameter('model', itemIndex, '', { extractValue: true }));
	if (!model) {
		throw new NodeOperationError(ctx.getNode(), 'No model chosen', {
			itemIndex,
			description: 'Pick a chat model from the list or type its ID (e.g. gpt-4o-mini).',
		});
	}
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { baseUrl, secrets } = await readCredentials(ctx, itemIndex);
	const { timeoutMs, maxRetries } = readRequestPolicy(options);

	const config: TikHubChatModelConfig = {
		type: 'openai',
		baseUrl: `${baseUrl}/v1`,
		// readCredentials gives the key as saved and as sent (trimmed): the SDK sends this one.
		apiKey: secrets[secrets.length - 1],
		model,
		useResponsesApi: options.useResponsesApi === true,
		timeout: timeoutMs,
		maxRetries,
		supportsStrictToolCalling: false,
		onFailedAttempt: (error) => redactErrorInPlace(error, secrets),
	};
	const temperature = ranged(ctx, options, 'temperature', 'Sampling Temperature', 0, 2, itemIndex);
	if (temperature !== undefined) config.temperature = temperature;
	const topP = ranged(ctx, options, 'topP', 'Top P', 0, 1, itemIndex);
	if (topP !== undefined) config.topP = topP;
	const frequencyPenalty = ranged(ctx, options, 'frequencyPenalty', 'Frequency Penalty', -2, 2, itemIndex);
	if (frequencyPenalty !== undefined) config.frequencyPenalty = frequencyPenalty;
	const presencePenalty = ranged(ctx, options, 'presencePenalty', 'Presence Penalty', -2, 2, itemIndex);
	if (presencePenalty !== undefined) config.presencePenalty = presencePenalty;
	const maxTokens = ranged(ctx, options, 'maxTokens', 'Maximum Number of Tokens', -1, Number.MAX_SAFE_INTEGER, itemIndex);
	// -1 (the field's default) and 0 leave the length to the model.
	if (maxTokens !== undefined && maxTokens > 0) config.maxTokens = Math.round(maxTokens);
	const effort = text(options.reasoningEffort);
	if (effort !== undefined) {
		if (!(REASONING_EFFORTS as readonly string[]).includes(effort)) {
			throw new NodeOperationError(ctx.getNode(), `Reasoning Effort must be one of ${REASONING_EFFORTS.join(', ')}, got "${effort}"`, {
				itemIndex,
			});
		}
		config.reasoning = { effort: effort as ReasoningEffort };
	}
	return config;
}
