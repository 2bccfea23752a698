import type { INodeProperties } from 'n8n-workflow';

import { modelOptionsProperty } from '../shared/models/model-options';
import {
	concurrencyOption,
	maxRetriesOption,
	optionsCollection,
	outputBinaryFieldOption,
	timeoutOption,
} from '../shared/items/run-options';

/**
 * The audio node's fields, each next to the multipart form field of
 * POST /v1/audio/transcriptions it fills (request.ts sends them).
 */

export const AUDIO_DEFAULT_CONCURRENCY = 2;
export const AUDIO_DEFAULT_TIMEOUT_SECONDS = 600;

export const audioProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Transcribe',
				value: 'transcribe',
				action: 'Transcribe audio to text',
				description: 'Turn speech in an audio file into text or subtitles',
			},
		],
		default: 'transcribe',
	},
	// form: model
	modelOptionsProperty('whisper-1', [
		['Whisper 1', 'whisper-1', 'Every response format: subtitles and timestamps too'],
		['GPT-4o Transcribe', 'gpt-4o-transcribe', 'JSON or text answers only'],
		['GPT-4o Mini Transcribe', 'gpt-4o-mini-transcribe', 'JSON or text answers only'],
	]),
	{
		// form: file
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		description:
			'Binary field of the input item with the audio: MP3, MP4/M4A, WAV, WebM, Ogg or FLAC, at most 25 MB',
	},
	optionsCollection([
			concurrencyOption(
				AUDIO_DEFAULT_CONCURRENCY,
				'How many input items are sent to TikHub at the same time. Each upload can be up to 25 MB; lower it if TikHub answers "rate limit" (429).',
			),
			{
				// form: language
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'e.g. en',
				description:
					'The language spoken, as an ISO-639-1 code (en, de, zh, …). Optional; giving it improves accuracy and speed.',
			},
			maxRetriesOption(),
			outputBinaryFieldOption(
				'Binary field of the output item that receives the subtitle file (.srt or .vtt) with the SRT or VTT response formats',
			),
			{
				// form: prompt
				displayName: 'Prompt',
				name: 'prompt',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				placeholder: 'e.g. TikHub, n8n, Seedance',
				description:
					'Text to guide the model: spellings of names and terms, or the previous part of the audio. Should be in the language spoken.',
			},
			{
				// form: response_format
				displayName: 'Response Format',
				name: 'responseFormat',
				type: 'options',
				options: [
					{ name: 'JSON', value: 'json', description: 'The text' },
					{ name: 'SRT Subtitles', value: 'srt', description: 'The text and an .srt subtitle file (Whisper 1)' },
					{ name: 'Text', value: 'text', description: 'The text, as plain text' },
					{
						name: 'Verbose JSON',
						value: 'verbose_json',
						description: 'The text with its language, duration and timed segments (and words) (Whisper 1)',
					},
					{ name: 'VTT Subtitles', value: 'vtt', description: 'The text and a .vtt subtitle file (Whisper 1)' },
				],
				default: 'json',
				description: 'What TikHub answers with',
			},
			{
				// form: temperature
				displayName: 'Temperature',
				name: 'temperature',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 },
				default: 0,
				description: 'Sampling temperature between 0 and 1: higher is more random. Sent only when set.',
			},
			timeoutOption(
				AUDIO_DEFAULT_TIMEOUT_SECONDS,
				'How long to wait for TikHub to answer one request. A long recording can take minutes.',
			),
			{
				// form: timestamp_granularities[]
				displayName: 'Timestamp Granularities',
				name: 'timestampGranularities',
				type: 'multiOptions',
				options: [
					{ name: 'Segment', value: 'segment' },
					{ name: 'Word', value: 'word' },
				],
				default: [],
				description:
					'Which timestamps to get: per segment, per word, or both. Only with Response Format "Verbose JSON": with any other format it is not sent.',
			},
	]),
];
