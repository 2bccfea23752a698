import { createHash } from 'node:crypto';

import type { ApiAnswer } from './audio';
import type { RecordedRequest } from './multipart';
import { openAiError } from './respond';

/**
 * POST /v1/embeddings as OpenAI's API answers it (inferred: TikHub lists the endpoint but its
 * page is not readable): `input` a string or up to 2048 strings, deterministic unit vectors of
 * the model's (or the asked) dimensions, `data[]` in input order with each entry's `index`.
 */

const MAX_INPUTS = 2048;

/** Default dimensions per model, and whether `dimensions` may shorten them. */
const MODELS: Record<string, { dimensions: number; shortens: boolean }> = {
	'text-embedding-3-small': { dimensions: 1536, shortens: true },
	'text-embedding-3-large': { dimensions: 3072, shortens: true },
	'text-embedding-ada-002': { dimensions: 1536, shortens: false },
};

/** The vector the server gives a text: the same text and length always give the same numbers. */
export function embeddingVector(text: string, dimensions: number): number[] {
	const values: number[] = [];
	for (let block = 0; values.length < dimensions; block++) {
		const digest = createHash('sha256').update(`${block}:${text}`).digest();
		for (let offset = 0; offset + 2 <= digest.length && values.length < dimensions; offset += 2) {
			values.push(digest.readUInt16BE(offset) / 32767.5 - 1);
		}
	}
	const norm = Math.hypot(...values) || 1;
	return values.map((value) => Math.round((value / norm) * 1e6) / 1e6);
}

function bad(message: string, param: string | null, code: string | null = 'invalid_value', status = 400): ApiAnswer {
	return { status, body: openAiError(message, param, code) };
}

export function answerEmbeddings(request: RecordedRequest): ApiAnswer {
	if (request.json === undefined) return bad('The body must be JSON.', null, 'invalid_body');
	const { model, input, dimensions } = request.json as { model?: unknown; input?: unknown; dimensions?: unknown };
	if (typeof model !== 'string' || !model) return bad("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
	const known = MODELS[model];
	if (!known) return bad(`The model '${model}' does not exist or you do not have access to it.`, 'model', 'model_not_found', 404);
	const texts = typeof input === 'string' ? [input] : input;
	if (!Array.isArray(texts) || texts.length === 0 || texts.some((text) => typeof text !== 'string' || text === '')) {
		return bad("'$.input' is invalid. Please check the API reference.", 'input');
	}
	if (texts.length > MAX_INPUTS) return bad(`'$.input' has ${texts.length} entries; at most ${MAX_INPUTS}.`, 'input');
	let size = known.dimensions;
	if (dimensions !== undefined) {
		if (!known.shortens) return bad(`This model does not support specifying dimensions.`, 'dimensions');
		if (!Number.isInteger(dimensions) || (dimensions as number) < 1 || (dimensions as number) > known.dimensions) {
			return bad(`Invalid 'dimensions': ${JSON.stringify(dimensions)}.`, 'dimensions');
		}
		size = dimensions as number;
	}
	const tokens = (texts as string[]).reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
	return {
		status: 200,
		body: {
			object: 'list',
			data: (texts as string[]).map((text, index) => ({ object: 'embedding', index, embedding: embeddingVector(text, size) })),
			model,
			usage: { prompt_tokens: tokens, total_tokens: tokens },
		},
	};
}
