import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { promptProperty } from '../shared/images/descriptions';
import { imageUrlsProperty } from '../shared/media/descriptions';
import { concurrencyOption, maxRetriesOption, optionsCollection, timeoutOption } from '../shared/items/run-options';

/**
 * The chat node's fields. Each format module (formats/*.ts) says which wire field a field
 * fills in its API; the comments here name them for the four formats:
 * chatCompletions / responses / messages (Anthropic) / generateContent (Gemini).
 */

export const CHAT_DEFAULT_TIMEOUT_SECONDS = 300;

/** One choice of an options field. */
const choice = (name: string, value: string, description?: string): INodePropertyOptions => ({
	name,
	value,
	...(description ? { description } : {}),
});

/** The wire formats (formats/index.ts): the path each sends to. */
const API_FORMATS: INodePropertyOptions[] = [
	choice('Chat Completions (OpenAI)', 'chatCompletions', 'POST /v1/chat/completions: OpenAI, DeepSeek and other models in OpenAI\'s format'),
	choice('Responses (OpenAI)', 'responses', 'POST /v1/responses: OpenAI\'s newer format (gpt-4.1, gpt-5, o-series)'),
	choice('Messages (Anthropic)', 'messages', 'POST /v1/messages: Claude models in Anthropic\'s own format'),
	choice('Generate Content (Gemini)', 'generateContent', 'POST /v1beta/models/{model}:generateContent: Gemini in Google\'s own format'),
];

const IMAGE_SOURCES: INodePropertyOptions[] = [
	choice('None', 'none', 'Text only'),
	choice('Binary Field(s)', 'binary', 'Images read or made by an earlier node, sent inline (base64)'),
	choice('URL(s)', 'url', 'Images on the web: the provider fetches them (for Gemini the node downloads them, sent inline)'),
];

export const chatProperties: INodeProperties[] = [
	{
		displayName: 'API Format',
		name: 'api',
		type: 'options',
		noDataExpression: true,
		options: API_FORMATS,
		default: 'chatCompletions',
		description: 'Which of TikHub\'s wire formats to send the message in. Chat Completions serves most models.',
	},
	{
		// all formats: model (generateContent: in the path)
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'id', value: 'gpt-4o-mini' },
		required: true,
		description: 'The chat model that answers',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a model...',
				typeOptions: { searchListMethod: 'chatModelSearch', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. gpt-4o-mini, claude-sonnet-4-5-20250929, gemini-2.5-flash',
			},
		],
	},
	// chatCompletions: messages[user]; responses: input; messages: messages[user]; generateContent: contents[user].parts[].text
	promptProperty('The user message: what to ask the model', 'e.g. Write a product caption for this image'),
	{
		displayName: 'Images',
		name: 'imageSource',
		type: 'options',
		options: IMAGE_SOURCES,
		default: 'none',
		description: 'Images to attach to the user message, for a model that can see (vision)',
	},
	{
		// chatCompletions: image_url (data URL); responses: input_image; messages: image (base64 source); generateContent: inlineData
		displayName: 'Input Binary Field(s)',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data, photo2',
		description: 'Binary field(s) of the input item holding the images (PNG, JPEG, WebP or GIF, at most 20 MB each); several separated by commas',
		displayOptions: { show: { imageSource: ['binary'] } },
	},
	// chatCompletions: image_url.url; responses: input_image.image_url; messages: image (url source); generateContent: downloaded, inlineData
	imageUrlsProperty('Public image URLs (PNG, JPEG, WebP or GIF), one per line. They must open without signing in.'),
	optionsCollection([
		concurrencyOption(4, 'How many input items are sent at once. Lower it if TikHub answers 429 (rate limited).'),
		{
			displayName: 'Include Full Response',
			name: 'includeFullResponse',
			type: 'boolean',
			default: false,
			description: 'Whether to add TikHub\'s whole answer under "response"',
		},
		{
			// chatCompletions: response_format.json_schema.schema; responses: text.format.schema; messages: quoted in system; generateContent: generationConfig.responseSchema
			displayName: 'JSON Schema',
			name: 'jsonSchema',
			type: 'json',
			default: '{\n  "type": "object",\n  "properties": {\n    "caption": { "type": "string" }\n  },\n  "required": ["caption"],\n  "additionalProperties": false\n}',
			description: 'The JSON schema of the answer (used with Response Format "JSON Schema"). OpenAI\'s {"name", "schema", "strict"} wrapper works too.',
		},
		maxRetriesOption('Extra tries after a 429, a 5xx or a network error, with growing waits (and Retry-After)'),
		{
			// chatCompletions: max_completion_tokens (reasoning models: o-series, gpt-5) / max_tokens (others); responses: max_output_tokens; messages: max_tokens; generateContent: generationConfig.maxOutputTokens
			displayName: 'Max Tokens',
			name: 'maxTokens',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1024,
			description: 'Longest answer, in tokens (about ¾ of a word each). Messages (Anthropic) needs one and uses 4096 when unset.',
		},
		{
			// chatCompletions: reasoning_effort; responses: reasoning.effort; messages: thinking.budget_tokens; generateContent: generationConfig.thinkingConfig.thinkingBudget
			displayName: 'Reasoning Effort',
			name: 'reasoningEffort',
			type: 'options',
			options: [
				choice('Minimal', 'minimal'),
				choice('Low', 'low'),
				choice('Medium', 'medium'),
				choice('High', 'high'),
			],
			default: 'medium',
			description: 'How long a reasoning model thinks before it answers (gpt-5, o-series, Claude with thinking, Gemini 2.5). Other models refuse it.',
		},
		{
			// chatCompletions: response_format; responses: text.format; messages: an instruction in system; generateContent: generationConfig.responseMimeType (+ responseSchema)
			displayName: 'Response Format',
			name: 'responseFormat',
			type: 'options',
			options: [
				choice('Text', 'text', 'A plain text answer in "text"'),
				choice('JSON Object', 'jsonObject', 'A JSON object, parsed into "output". Say in the prompt which keys you want.'),
				choice('JSON Schema', 'jsonSchema', 'A JSON object matching the schema below, parsed into "output"'),
			],
			default: 'text',
			description: 'Whether the model answers in text or in JSON',
		},
		{
			// chatCompletions: messages[system]; responses: instructions; messages: system; generateContent: systemInstruction
			displayName: 'System Message',
			name: 'systemMessage',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			placeholder: 'e.g. You write short, friendly product copy.',
			description: 'Instructions the model follows for the whole answer (its role, tone, rules)',
		},
		{
			// chatCompletions: temperature; responses: temperature; messages: temperature (at most 1); generateContent: generationConfig.temperature
			displayName: 'Temperature',
			name: 'temperature',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
			default: 1,
			description: 'Randomness of the answer: lower is more focused, higher more varied. Anthropic takes at most 1; gpt-5 and o-series models only 1.',
		},
		timeoutOption(CHAT_DEFAULT_TIMEOUT_SECONDS, 'How long to wait for each answer. Reasoning models may take minutes.'),
		{
			// chatCompletions: top_p; responses: top_p; messages: top_p; generateContent: generationConfig.topP
			displayName: 'Top P',
			name: 'topP',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
			default: 1,
			description: 'Samples only from the most likely tokens adding up to this share. Change this or Temperature, not both.',
		},
		{
			// chatCompletions: user; responses: user; messages: metadata.user_id; generateContent: not sent (no such field)
			displayName: 'User ID',
			name: 'user',
			type: 'string',
			default: '',
			description: 'An ID for your end user, which helps the provider spot abuse. Not sent in Gemini format (it has no such field).',
		},
	]),
];
