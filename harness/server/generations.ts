import { ALLOWED, bad, imagesAnswer, parseSize, type ImageAnswer, type StoreFile } from './image-answers';
import type { ImageFormat } from './images';
import type { RecordedRequest } from './multipart';

/** The JSON fields POST /v1/images/generations takes, with their JSON types. */
const FIELDS: Record<string, 'string' | 'integer'> = {
	model: 'string',
	prompt: 'string',
	n: 'integer',
	size: 'string',
	quality: 'string',
	background: 'string',
	output_format: 'string',
	output_compression: 'integer',
	moderation: 'string',
	response_format: 'string',
	user: 'string',
};

const ALLOWED_HERE: Record<string, readonly string[]> = { ...ALLOWED, moderation: ['auto', 'low'] };

const DEFAULT_SIZE = { width: 1024, height: 1024 };

// Checks what the real API would reject, JSON types included; undefined means the request is fine.
function validate(body: Record<string, unknown>): ImageAnswer | undefined {
	for (const [name, value] of Object.entries(body)) {
		const type = FIELDS[name];
		// OpenAI rejects parameters it does not know: a mapping slip shows up here.
		if (!type) return bad(`Unrecognized request argument supplied: ${name}`, name, 'unknown_parameter');
		const ok = type === 'integer' ? Number.isInteger(value) : typeof value === 'string';
		if (!ok) return bad(`Invalid type for '${name}': expected ${type === 'integer' ? 'an integer' : 'a string'}.`, name, 'invalid_type');
	}
	if (!body.prompt) return bad("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
	if (body.model === '') return bad("Invalid value: ''. 'model' must not be empty.", 'model');
	for (const [name, values] of Object.entries(ALLOWED_HERE)) {
		const value = body[name];
		if (value !== undefined && !values.includes(value as string)) {
			return bad(`Invalid value: '${String(value)}'. Supported values are: ${values.map((v) => `'${v}'`).join(', ')}.`, name);
		}
	}
	const n = body.n as number | undefined;
	if (n !== undefined && (n < 1 || n > 10)) return bad(`Invalid 'n': ${n}. Expected an integer from 1 to 10.`, 'n');
	const compression = body.output_compression as number | undefined;
	if (compression !== undefined && (compression < 0 || compression > 100)) {
		return bad(`Invalid 'output_compression': ${compression}.`, 'output_compression');
	}
	if (!parseSize(body.size as string | undefined)) return bad(`Invalid size '${String(body.size)}'. Use 'auto' or WIDTHxHEIGHT.`, 'size');
	if (body.background === 'transparent' && body.output_format === 'jpeg') {
		return bad('Transparent background is not supported for the jpeg output format.', 'background');
	}
	return undefined;
}

/** Answers POST /v1/images/generations like the real API, with generated images. */
export function answerGenerate(request: RecordedRequest, storeFile: StoreFile): ImageAnswer {
	if (request.parseError) return bad(`We could not parse the JSON body of your request: ${request.parseError}`, 'body', 'invalid_json');
	const body = request.json;
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return bad('The body of your request must be a JSON object.', 'body', 'invalid_json');
	}
	const fields = body as Record<string, unknown>;
	const invalid = validate(fields);
	if (invalid) return invalid;
	const size = parseSize(fields.size as string | undefined);
	return imagesAnswer(
		{
			prompt: `Generated: ${String(fields.prompt)}`,
			size: size === 'auto' || !size ? DEFAULT_SIZE : size,
			count: (fields.n as number | undefined) ?? 1,
			outputFormat: ((fields.output_format as string | undefined) ?? 'png') as ImageFormat,
			responseFormat: fields.response_format as string | undefined,
			background: fields.background as string | undefined,
			quality: fields.quality as string | undefined,
		},
		storeFile,
	);
}
