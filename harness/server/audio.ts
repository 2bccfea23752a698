import type { RecordedFile, RecordedRequest } from './multipart';
import { openAiError } from './respond';

/**
 * POST /v1/audio/transcriptions as OpenAI's API answers it (TikHub documents the form fields and
 * the verbose answer; the rest is inferred from OpenAI): the multipart form parsed for real, the
 * file checked by its bytes, and an answer in the asked `response_format` (JSON or plain text).
 */

export interface ApiAnswer {
	status: number;
	/** A string is sent as it is, with `contentType`; anything else as JSON. */
	body: unknown;
	contentType?: string;
}

const MAX_BYTES = 25 * 1024 * 1024;
const FORMATS = ['json', 'text', 'srt', 'vtt', 'verbose_json'];
/** gpt-4o transcription models answer only these (OpenAI). */
const GPT4O_FORMATS = ['json', 'text'];

/** [offset, signature] pairs by which the server recognises an upload (as the API's decoder would). */
const SIGNATURES: Array<[string, number, string]> = [
	['mp3', 0, 'ID3'],
	['mp4', 4, 'ftyp'],
	['wav', 8, 'WAVE'],
	['webm', 0, '\x1a\x45\xdf\xa3'],
	['ogg', 0, 'OggS'],
	['flac', 0, 'fLaC'],
];

export function audioFormat(bytes: Buffer): string | undefined {
	for (const [name, offset, signature] of SIGNATURES) {
		if (bytes.toString('latin1', offset, offset + signature.length) === signature) return name;
	}
	// A bare MPEG audio frame header (sync bits, layer III/II/I).
	if (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0 && ((bytes[1] >> 1) & 3) !== 0) return 'mp3';
	return undefined;
}

/** A WAV's length from its header (byte rate and data size); other formats: a second per 16 KB. */
export function audioSeconds(bytes: Buffer): number {
	if (audioFormat(bytes) === 'wav' && bytes.length >= 44) {
		const byteRate = bytes.readUInt32LE(28);
		const dataSize = bytes.readUInt32LE(40);
		if (byteRate > 0) return Math.round((dataSize / byteRate) * 100) / 100;
	}
	return Math.max(1, Math.round(bytes.length / 16384));
}

function bad(message: string, param: string | null, code: string | null = 'invalid_value', status = 400): ApiAnswer {
	return { status, body: openAiError(message, param, code) };
}

function validate(request: RecordedRequest, file: RecordedFile | undefined): ApiAnswer | undefined {
	const { fields } = request;
	if (request.parseError) return bad(`Could not parse multipart form: ${request.parseError}`, null, 'invalid_body');
	if (!file) return bad("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
	if (!fields.model) return bad("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
	if (file.bytes.length > MAX_BYTES) {
		return bad(`Maximum content size limit (${MAX_BYTES}) exceeded (${file.bytes.length} bytes read)`, 'file', null, 413);
	}
	if (!audioFormat(file.bytes)) {
		return bad(
			'Invalid file format. Supported formats: [flac m4a mp3 mp4 mpeg mpga oga ogg wav webm]',
			'file',
			'invalid_file_format',
		);
	}
	const format = fields.response_format ?? 'json';
	if (!FORMATS.includes(format)) return bad(`Invalid value: '${format}'.`, 'response_format');
	if (fields.model.startsWith('gpt-4o') && !GPT4O_FORMATS.includes(format)) {
		return bad(`response_format '${format}' is not compatible with model '${fields.model}'. Use 'json' or 'text'.`, 'response_format', 'unsupported_value');
	}
	const temperature = fields.temperature;
	if (temperature !== undefined && !(Number(temperature) >= 0 && Number(temperature) <= 1)) {
		return bad(`Invalid 'temperature': '${temperature}'.`, 'temperature');
	}
	const granularities = request.fieldValues['timestamp_granularities[]'] ?? [];
	if (granularities.some((value) => value !== 'segment' && value !== 'word')) {
		return bad(`Invalid value in 'timestamp_granularities[]': ${granularities.join(', ')}.`, 'timestamp_granularities');
	}
	if (granularities.length > 0 && format !== 'verbose_json') {
		return bad("timestamp_granularities requires response_format 'verbose_json'.", 'timestamp_granularities');
	}
	return undefined;
}

function clock(seconds: number, separator: ',' | '.'): string {
	const ms = Math.round(seconds * 1000);
	const pad = (value: number, width = 2) => String(value).padStart(width, '0');
	const time = `${pad(Math.floor(ms / 3600000))}:${pad(Math.floor(ms / 60000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}`;
	return `${time}${separator}${pad(ms % 1000, 3)}`;
}

/** Answers POST /v1/audio/transcriptions with a transcript that names the file it heard. */
export function answerTranscription(request: RecordedRequest): ApiAnswer {
	const file = request.files.find((part) => part.field === 'file');
	const invalid = validate(request, file);
	if (invalid || !file) return invalid ?? bad('no file', 'file');
	const { fields } = request;
	const format = fields.response_format ?? 'json';
	const duration = audioSeconds(file.bytes);
	const text = `Transcript of ${file.fileName}${fields.language ? ` (${fields.language})` : ''}.`;

	if (format === 'text') return { status: 200, body: `${text}\n`, contentType: 'text/plain; charset=utf-8' };
	if (format === 'srt') {
		return { status: 200, body: `1\n${clock(0, ',')} --> ${clock(duration, ',')}\n${text}\n\n`, contentType: 'application/x-subrip' };
	}
	if (format === 'vtt') {
		return { status: 200, body: `WEBVTT\n\n${clock(0, '.')} --> ${clock(duration, '.')}\n${text}\n\n`, contentType: 'text/vtt' };
	}
	if (format === 'json') return { status: 200, body: { text } };

	const granularities = request.fieldValues['timestamp_granularities[]'] ?? [];
	const words = text.split(' ');
	const step = duration / words.length;
	return {
		status: 200,
		body: {
			task: 'transcribe',
			language: fields.language ?? 'english',
			duration,
			text,
			...(granularities.length === 0 || granularities.includes('segment')
				? {
						segments: [
							{
								id: 0,
								seek: 0,
								start: 0,
								end: duration,
								text: ` ${text}`,
								tokens: words.map((_, index) => 50364 + index),
								temperature: Number(fields.temperature ?? 0),
								avg_logprob: -0.25,
								compression_ratio: 1.1,
								no_speech_prob: 0.01,
							},
						],
					}
				: {}),
			...(granularities.includes('word')
				? { words: words.map((word, index) => ({ word, start: index * step, end: (index + 1) * step })) }
				: {}),
		},
	};
}
