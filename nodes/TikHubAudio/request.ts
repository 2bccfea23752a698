import { filePart, multipartBody, type FormPart, type MultipartBody } from '../shared/http/multipart';
import type { AudioFile } from './audio-file';

/**
 * The multipart form of POST /v1/audio/transcriptions: the only place that knows its field
 * names. Fields left unset are not sent; granularities go as repeated
 * `timestamp_granularities[]` parts (OpenAI's form convention). The audio is streamed from n8n's
 * binary store when the request is sent (shared/http/multipart.ts).
 */

export type ResponseFormat = 'json' | 'text' | 'srt' | 'vtt' | 'verbose_json';

export interface TranscriptionFields {
	model: string;
	language?: string;
	prompt?: string;
	responseFormat?: ResponseFormat;
	temperature?: number;
	timestampGranularities?: Array<'segment' | 'word'>;
}

export function buildTranscriptionForm(fields: TranscriptionFields, audio: AudioFile): MultipartBody {
	const text = (name: string, value: string | number | undefined): FormPart[] =>
		value === undefined ? [] : [{ name, value: String(value) }];
	return multipartBody([
		filePart('file', audio),
		...text('model', fields.model),
		...text('language', fields.language),
		...text('prompt', fields.prompt),
		...text('response_format', fields.responseFormat),
		...text('temperature', fields.temperature),
		...(fields.timestampGranularities ?? []).flatMap((granularity) => text('timestamp_granularities[]', granularity)),
	]);
}
