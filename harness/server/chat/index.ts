import type { ServerResponse } from 'node:http';

import { answerChatCompletions } from './chat-completions';
import type { ChatAnswer, ChatScript } from './common';
import { answerGenerateContent, googleError } from './generate-content';
import { anthropicError, answerMessages } from './messages';
import { CHAT_MODELS } from './models';
import { answerResponses } from './responses';
import type { RecordedRequest } from '../multipart';
import { sendJson } from '../respond';

export { MODELS, CHAT_MODELS } from './models';
export type { ChatAnswer } from './common';

/**
 * The stand-in's text endpoints, one module per wire format:
 *   POST /v1/chat/completions                      (OpenAI chat completions, SSE with stream: true)
 *   POST /v1/responses                             (OpenAI Responses, SSE with stream: true)
 *   POST /v1/messages                              (Anthropic messages, SSE with stream: true)
 *   POST /v1beta/models/{model}:generateContent    (Gemini; :streamGenerateContent?alt=sse streams)
 * Auth: Bearer everywhere; also `x-api-key` on /v1/messages and `x-goog-api-key` on /v1beta/…
 * (TikHub's Streaming page shows the provider-native headers there).
 */

export interface ChatApi {
	/** True when this method and path is a chat endpoint. */
	matches(method: string, path: string): boolean;
	/** The 401 to answer when no presented key is right; undefined when the key is accepted. */
	unauthorized(recorded: RecordedRequest, url: URL): ChatAnswer | undefined;
	/** Validates and answers a recorded request. */
	answer(recorded: RecordedRequest, url: URL): ChatAnswer;
	/** Texts the next replies use instead of the generated ones (any format), first queued first used. */
	replies: string[];
	reset(): void;
}

type Family = 'openai' | 'anthropic' | 'gemini';

const GEMINI = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

function family(path: string): Family | undefined {
	if (path === '/v1/chat/completions' || path === '/v1/responses') return 'openai';
	if (path === '/v1/messages') return 'anthropic';
	if (GEMINI.test(path)) return 'gemini';
	return undefined;
}

const header = (recorded: RecordedRequest, name: string) => {
	const value = recorded.headers[name];
	return Array.isArray(value) ? value[0] : value;
};

export function createChatApi(options: { apiKey: () => string; openAiUnauthorized: (authorization: string | undefined) => unknown }): ChatApi {
	const script: ChatScript = { replies: [] };
	const isModel = (id: string) => CHAT_MODELS.includes(id);
	return {
		replies: script.replies,
		matches: (method, path) => method === 'POST' && family(path) !== undefined,
		unauthorized(recorded, url) {
			const apiKey = options.apiKey();
			const kind = family(recorded.path);
			const bearer = /^Bearer\s+(.*)$/i.exec(recorded.authorization ?? '')?.[1];
			const presented = [bearer];
			if (kind === 'anthropic') presented.push(header(recorded, 'x-api-key'));
			if (kind === 'gemini') presented.push(header(recorded, 'x-goog-api-key'), url.searchParams.get('key') ?? undefined);
			const given = presented.filter((key): key is string => key !== undefined);
			if (given.length > 0 && given.every((key) => key === apiKey)) return undefined;
			if (kind === 'anthropic') return anthropicError(401, 'authentication_error', 'invalid x-api-key');
			if (kind === 'gemini') return googleError(401, 'API key not valid. Please pass a valid API key.', 'UNAUTHENTICATED');
			return { status: 401, body: options.openAiUnauthorized(recorded.authorization) };
		},
		answer(recorded, url) {
			const context = { isModel, script };
			if (recorded.parseError !== undefined || recorded.json === undefined) {
				const message = 'We could not parse the JSON body of your request. The API expects a JSON payload (Content-Type: application/json).';
				if (recorded.path === '/v1/messages') return anthropicError(400, 'invalid_request_error', message);
				if (GEMINI.test(recorded.path)) return googleError(400, `Invalid JSON payload received. ${message}`, 'INVALID_ARGUMENT');
				return { status: 400, body: { error: { message, type: 'invalid_request_error', param: null, code: null } } };
			}
			if (recorded.path === '/v1/chat/completions') return answerChatCompletions(recorded.json, context);
			if (recorded.path === '/v1/responses') return answerResponses(recorded.json, context);
			if (recorded.path === '/v1/messages') return answerMessages(recorded.json, context);
			const [, model, method] = GEMINI.exec(recorded.path)!;
			const stream = method === 'streamGenerateContent';
			if (stream && url.searchParams.get('alt') !== 'sse') {
				return googleError(400, 'The stand-in streams Gemini answers only as SSE: add ?alt=sse.', 'INVALID_ARGUMENT');
			}
			return answerGenerateContent(decodeURIComponent(model), stream, recorded.json, context);
		},
		reset() {
			script.replies.length = 0;
		},
	};
}

/** Sends an answer: JSON, or Server-Sent Events ending the response after the last one. */
export function sendChatAnswer(res: ServerResponse, answer: ChatAnswer): void {
	if (!('events' in answer)) return sendJson(res, answer.status, answer.body, answer.headers);
	res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
	for (const event of answer.events) {
		res.write(typeof event === 'string' ? `data: ${event}\n\n` : `event: ${event.event}\ndata: ${event.data}\n\n`);
	}
	res.end();
}
