import type { AudioFile } from './audio-file';

/**
 * The multipart form of POST /v1/audio/transcriptions: the only place that knows its field
 * names. Fields left unset are not sent; granularities go as repeated
 * `timestamp_granularities[]` parts (OpenAI's form convention).
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

export async function buildTranscriptionForm(fields: TranscriptionFields, audio: AudioFile): Promise<FormData> {
	const form = new FormData();
	form.append('file', await audio.blob(), audio.fileName);
	form.append('model', fields.model);
	if (fields.language !== undefined) form.append('language', fields.language);
	if (fields.prompt !== undefined) form.append('prompt', fields.prompt);
	if (fields.responseFormat !== undefined) form.append('response_format', fields.responseFormat);
	if (fields.temperature !== undefined) form.append('temperature', String(fields.temperature));
	for (const granularity of fields.timestampGranularities ?? []) form.append('timestamp_granularities[]', granularity);
	return form;
}
