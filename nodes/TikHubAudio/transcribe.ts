import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { callTikHub } from '../shared/http/transport';
import type { ItemJob } from '../shared/items/item-loop';
import { number, readRequestPolicy, text } from '../shared/items/parameters';
import { throwIfProblem, type Problem } from '../shared/items/problems';
import { inspectBinaryAudio } from './audio-file';
import { AUDIO_DEFAULT_TIMEOUT_SECONDS } from './description';
import { buildTranscriptionForm, type ResponseFormat, type TranscriptionFields } from './request';
import { isTextFormat, transcriptionItem } from './results';

const FORMATS: ResponseFormat[] = ['json', 'text', 'srt', 'vtt', 'verbose_json'];
const GRANULARITIES = ['segment', 'word'] as const;

/**
 * One input item: read the fields and check them and the audio (no request), then return the
 * job that uploads the audio and turns the answer into the output item.
 */
export async function prepareTranscription(ctx: IExecuteFunctions, itemIndex: number): Promise<ItemJob> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const fields: TranscriptionFields = {
		model: text(ctx.getNodeParameter('model', itemIndex, 'whisper-1')) ?? '',
		language: text(options.language),
		prompt: text(options.prompt),
		responseFormat: text(options.responseFormat) as ResponseFormat | undefined,
		temperature: number(options.temperature),
		timestampGranularities: granularities(options.timestampGranularities),
	};
	throwIfProblem(ctx, itemIndex, checkFields(fields));
	// The timestamps only come with verbose_json: with any other format they are not sent (as the spec says).
	if (fields.timestampGranularities && fields.responseFormat !== 'verbose_json') {
		ctx.logger.debug(
			`Timestamp Granularities are sent only with Response Format "Verbose JSON"; not sent with "${fields.responseFormat ?? 'json'}"`,
			{ itemIndex },
		);
		fields.timestampGranularities = undefined;
	}
	const property = text(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')) ?? '';
	throwIfProblem(ctx, itemIndex, property ? undefined : { message: 'Name the binary field with the audio in "Input Binary Field"' });
	const audio = await inspectBinaryAudio(ctx, itemIndex, property, 'Input Binary Field');
	const policy = readRequestPolicy(options, { timeoutSeconds: AUDIO_DEFAULT_TIMEOUT_SECONDS });
	const format = fields.responseFormat ?? 'json';
	const outputField = text(options.binaryPropertyOutput) ?? 'data';

	return async ({ gate }) => {
		const answer = await callTikHub<unknown>(
			ctx,
			itemIndex,
			{
				method: 'POST',
				path: '/v1/audio/transcriptions',
				body: buildTranscriptionForm(fields, audio),
				responseType: isTextFormat(format) ? 'text' : 'json',
			},
			{ ...policy, gate },
		);
		return [await transcriptionItem(ctx, itemIndex, answer, { format, audio, outputField })];
	};
}

function granularities(value: unknown): TranscriptionFields['timestampGranularities'] {
	const list = (Array.isArray(value) ? value : String(value ?? '').split(','))
		.map((entry) => String(entry).trim())
		.filter((entry) => entry !== '');
	return list.length ? ([...new Set(list)] as TranscriptionFields['timestampGranularities']) : undefined;
}

function checkFields(fields: TranscriptionFields): Problem | undefined {
	if (!fields.model) return { message: 'Choose a model, or type its name in "Model"' };
	if (fields.responseFormat !== undefined && !FORMATS.includes(fields.responseFormat)) {
		return { message: `"${fields.responseFormat}" is not a response format; use one of ${FORMATS.join(', ')}` };
	}
	const temperature = fields.temperature;
	if (temperature !== undefined && !(Number.isFinite(temperature) && temperature >= 0 && temperature <= 1)) {
		return { message: `Temperature must be a number from 0 to 1; got ${String(temperature)}` };
	}
	const unknown = fields.timestampGranularities?.filter((entry) => !(GRANULARITIES as readonly string[]).includes(entry));
	if (unknown?.length) return { message: `"${unknown.join(', ')}" is not a timestamp granularity; use segment, word or both` };
	return undefined;
}
