import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { AudioFile } from './audio-file';
import type { ResponseFormat } from './request';

/**
 * A transcription answer -> the output item: `json.text` always (for plain-text formats without the trailing
 * newline), timings for verbose_json, a subtitle file for srt/vtt (the answer byte for byte).
 */

const SUBTITLES: Partial<Record<ResponseFormat, { extension: string; mimeType: string }>> = {
	srt: { extension: 'srt', mimeType: 'application/x-subrip' },
	vtt: { extension: 'vtt', mimeType: 'text/vtt' },
};

/** Formats whose answer body is plain text, not JSON. */
export function isTextFormat(format: ResponseFormat): boolean {
	return format === 'text' || format === 'srt' || format === 'vtt';
}

export async function transcriptionItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	answer: unknown,
	settings: { format: ResponseFormat; audio: AudioFile; outputField: string },
): Promise<INodeExecutionData> {
	const { format, audio, outputField } = settings;
	const wrongShape = (what: string) => {
		const message = `TikHub answered the transcription without ${what}`;
		return new NodeApiError(ctx.getNode(), { message } as JsonObject, {
			itemIndex,
			message,
			description: `Response format "${format}" was asked for. The model may not support it: GPT-4o transcription models answer only JSON or text.`,
		});
	};

	if (isTextFormat(format)) {
		const text = typeof answer === 'string' ? answer : '';
		const subtitles = SUBTITLES[format];
		// A gateway that ignored response_format answers JSON instead of subtitles.
		if (typeof answer !== 'string' || (subtitles && text.trimStart().startsWith('{'))) {
			throw wrongShape(subtitles ? `${format} subtitles (it sent JSON)` : 'plain text');
		}
		// OpenAI ends plain text and subtitles with a newline: not part of the text (the subtitle file keeps it).
		const item: INodeExecutionData = { json: { text: text.trimEnd() }, pairedItem: { item: itemIndex } };
		if (subtitles) {
			const fileName = `${audio.fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'audio'}.${subtitles.extension}`;
			const binary = await ctx.helpers.prepareBinaryData(Buffer.from(text, 'utf8'), fileName, subtitles.mimeType);
			item.binary = { [outputField]: binary };
		}
		return item;
	}

	const body = (answer ?? {}) as IDataObject;
	if (typeof body.text !== 'string') throw wrongShape('a "text" field');
	const json: IDataObject = { text: body.text };
	if (format === 'verbose_json') {
		for (const key of ['language', 'duration', 'segments', 'words'] as const) {
			if (body[key] !== undefined) json[key] = body[key];
		}
	}
	return { json, pairedItem: { item: itemIndex } };
}
