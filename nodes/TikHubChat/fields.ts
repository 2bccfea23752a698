import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { isRecord } from '../shared/http/error-messages';
import { number, readRequestPolicy, text } from '../shared/items/parameters';
import type { Problem } from '../shared/items/problems';
import type { RequestPolicy } from '../shared/http/transport';
import { CHAT_DEFAULT_TIMEOUT_SECONDS } from './description';
import { FORMATS, type ChatApi } from './formats/index';
import type { ChatFields, ChatFormat, ReasoningEffort, ResponseFormat } from './formats/types';
import { findRepeat, isHttpUrl, splitFieldList, splitUrlList } from '../shared/media/url-list';
import { displayUrl } from '../shared/http/safe-url';

/** One item's parameters, read and checked before anything is sent. */
export interface ChatParameters {
	api: ChatApi;
	format: ChatFormat;
	fields: ChatFields;
	imageSource: 'none' | 'binary' | 'url';
	/** Binary field names or URLs, each once. */
	imageNames: string[];
	includeFullResponse: boolean;
	policy: Pick<RequestPolicy, 'timeoutMs' | 'maxRetries'>;
}

const EFFORTS: readonly ReasoningEffort[] = ['minimal', 'low', 'medium', 'high'];
const RESPONSE_FORMATS: readonly ResponseFormat[] = ['text', 'jsonObject', 'jsonSchema'];

/** The JSON Schema option: the schema itself, or OpenAI's `{ name, schema, strict }` wrapper. */
export function parseJsonSchema(value: unknown): ChatFields['jsonSchema'] | Problem {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			return {
				message: 'The JSON Schema option is not valid JSON',
				description: `${(error as Error).message}. Paste a JSON schema such as {"type": "object", "properties": {"caption": {"type": "string"}}}.`,
			};
		}
	}
	if (!isRecord(parsed)) return { message: 'The JSON Schema option must be a JSON object', description: 'A schema is an object such as {"type": "object", "properties": {…}}.' };
	if (isRecord(parsed.schema) && (typeof parsed.name === 'string' || typeof parsed.strict === 'boolean')) {
		const name = typeof parsed.name === 'string' ? parsed.name : 'response';
		if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
			return { message: `The schema name "${name}" may hold only letters, digits, _ and -, up to 64 characters` };
		}
		return { name, schema: parsed.schema as IDataObject, ...(typeof parsed.strict === 'boolean' ? { strict: parsed.strict } : {}) };
	}
	return { name: 'response', schema: parsed as IDataObject };
}

function isProblem(value: unknown): value is Problem {
	return isRecord(value) && typeof value.message === 'string' && !('schema' in value);
}

function checkRange(name: string, value: number | undefined, min: number, max: number, whole = false): Problem | undefined {
	if (value === undefined) return undefined;
	if (!Number.isFinite(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
		return { message: `${name} must be ${whole ? 'a whole number' : 'a number'} from ${min}${max === Infinity ? ' up' : ` to ${max}`} (it is ${String(value)})` };
	}
	return undefined;
}

/** Reads the item's fields; returns them, or the first problem found. */
export function readChatParameters(ctx: IExecuteFunctions, itemIndex: number): ChatParameters | Problem {
	const api = ctx.getNodeParameter('api', itemIndex, 'chatCompletions') as ChatApi;
	const format = FORMATS[api];
	if (!format) return { message: `Unknown API format "${String(api)}"`, description: 'Pick one of Chat Completions, Responses, Messages or Generate Content.' };
	const model = text(ctx.getNodeParameter('model', itemIndex, '', { extractValue: true }));
	if (!model) return { message: 'No model is set', description: 'Pick a model from the list or type its ID, e.g. gpt-4o-mini.' };
	const prompt = String(ctx.getNodeParameter('prompt', itemIndex, '') ?? '');
	if (prompt.trim() === '') return { message: 'The prompt is empty', description: 'Write what to ask the model in "Prompt" (an expression may have given an empty value).' };
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const responseFormat = (text(options.responseFormat) ?? 'text') as ResponseFormat;
	if (!RESPONSE_FORMATS.includes(responseFormat)) return { message: `Unknown Response Format "${responseFormat}"` };
	let jsonSchema: ChatFields['jsonSchema'];
	if (responseFormat === 'jsonSchema') {
		if (options.jsonSchema === undefined || (typeof options.jsonSchema === 'string' && options.jsonSchema.trim() === '')) {
			return { message: 'Response Format is "JSON Schema" but no JSON Schema is set', description: 'Add the option "JSON Schema" with the schema of the answer.' };
		}
		const parsed = parseJsonSchema(options.jsonSchema);
		if (isProblem(parsed)) return parsed;
		jsonSchema = parsed;
	}
	const reasoningEffort = text(options.reasoningEffort) as ReasoningEffort | undefined;
	if (reasoningEffort !== undefined && !EFFORTS.includes(reasoningEffort)) {
		return { message: `Unknown Reasoning Effort "${reasoningEffort}"`, description: 'Use minimal, low, medium or high.' };
	}
	const fields: ChatFields = {
		model,
		prompt,
		systemMessage: text(options.systemMessage) === undefined ? undefined : String(options.systemMessage),
		temperature: number(options.temperature),
		maxTokens: number(options.maxTokens),
		topP: number(options.topP),
		responseFormat,
		jsonSchema,
		reasoningEffort,
		user: text(options.user),
	};
	const problem =
		checkRange('Temperature', fields.temperature, 0, 2) ??
		checkRange('Top P', fields.topP, 0, 1) ??
		checkRange('Max Tokens', fields.maxTokens, 1, Infinity, true) ??
		format.check?.(fields);
	if (problem) return problem;

	const source = ctx.getNodeParameter('imageSource', itemIndex, 'none') as string;
	const imageSource = source === 'binary' || source === 'url' ? source : 'none';
	// URLs one per line (a URL may hold commas); binary field names separated by commas.
	const imageNames =
		imageSource === 'url'
			? splitUrlList(ctx.getNodeParameter('imageUrls', itemIndex, ''))
			: imageSource === 'binary'
				? splitFieldList(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'))
				: [];
	if (imageSource !== 'none' && imageNames.length === 0) {
		return imageSource === 'url'
			? { message: 'No image URL is given', description: 'Put one image URL per line in "Image URL(s)", or set Images to None.' }
			: { message: 'No input binary field is named', description: 'Name the binary field(s) holding the images, e.g. data.' };
	}
	const repeat = findRepeat(imageNames);
	if (repeat !== undefined) {
		return {
			message:
				imageSource === 'url'
					? `The URL "${displayUrl(repeat, 80)}" is listed twice in "Image URL(s)"`
					: `The binary field "${repeat}" is listed twice in "Input Binary Field(s)"`,
			description: 'Each image is sent once: remove the repeat, or name another field or URL.',
		};
	}
	if (imageSource === 'url') {
		const wrong = imageNames.find((url) => !isHttpUrl(url));
		if (wrong) {
			return {
				message: `"${displayUrl(wrong, 80)}" is not an http(s) URL`,
				description: 'Put one complete image URL per line in "Image URL(s)", e.g. https://example.com/product.png.',
			};
		}
	}
	return {
		api,
		format,
		fields,
		imageSource,
		imageNames,
		includeFullResponse: options.includeFullResponse === true,
		policy: readRequestPolicy(options, { timeoutSeconds: CHAT_DEFAULT_TIMEOUT_SECONDS }),
	};
}
