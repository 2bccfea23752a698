import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	binaryReader,
	binaryField,
	fileNameWithExtension,
	readHead,
	type UploadFile,
} from '../shared/media/binary-file';

/**
 * The audio file going in: read from the item's binary field through n8n's helpers, checked from
 * its first bytes (a format the transcription endpoint takes, at most 25 MB) before anything is
 * sent, and read whole only when its request is sent.
 */

export type AudioKind = 'mp3' | 'mp4' | 'wav' | 'webm' | 'ogg' | 'flac';

interface AudioFormat {
	/** What the user reads in messages. */
	name: string;
	mimeType: string;
	/** Content types an input may already carry for this format (kept as they are). */
	mimeAliases: string[];
	/** File extensions OpenAI's endpoint takes for it; the first is given to a file without one. */
	extensions: string[];
}

const FORMATS: Record<AudioKind, AudioFormat> = {
	mp3: { name: 'MP3', mimeType: 'audio/mpeg', mimeAliases: ['audio/mp3', 'audio/mpga'], extensions: ['mp3', 'mpeg', 'mpga'] },
	mp4: { name: 'MP4/M4A', mimeType: 'audio/mp4', mimeAliases: ['audio/m4a', 'audio/x-m4a', 'video/mp4'], extensions: ['m4a', 'mp4'] },
	wav: { name: 'WAV', mimeType: 'audio/wav', mimeAliases: ['audio/x-wav', 'audio/wave', 'audio/vnd.wave'], extensions: ['wav'] },
	webm: { name: 'WebM', mimeType: 'audio/webm', mimeAliases: ['video/webm'], extensions: ['webm'] },
	ogg: { name: 'Ogg', mimeType: 'audio/ogg', mimeAliases: ['audio/opus', 'application/ogg'], extensions: ['ogg', 'oga', 'opus'] },
	flac: { name: 'FLAC', mimeType: 'audio/flac', mimeAliases: ['audio/x-flac'], extensions: ['flac'] },
};

/** OpenAI's documented upload limit for transcriptions (TikHub does not state one). */
export const MAX_AUDIO_BYTES = 25 * 1024 * 1024;

/** The audio format of a file from its first bytes, or undefined when it is none we know. */
export function sniffAudioKind(bytes: Uint8Array): AudioKind | undefined {
	const ascii = (start: number, end: number) => String.fromCharCode(...Array.from(bytes.subarray(start, end)));
	if (bytes.length >= 3 && ascii(0, 3) === 'ID3') return 'mp3';
	if (bytes.length >= 12 && ascii(4, 8) === 'ftyp') return 'mp4';
	if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
	if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
	if (bytes.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg';
	if (bytes.length >= 4 && ascii(0, 4) === 'fLaC') return 'flac';
	// An MPEG audio frame without ID3 tag: 11 sync bits, then a version other than "reserved" and
	// a layer other than "reserved" (ADTS AAC, also 0xFFF…, has layer 00 and is not MP3).
	if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) {
		const version = (bytes[1] >> 3) & 0x03;
		const layer = (bytes[1] >> 1) & 0x03;
		if (version !== 0x01 && layer !== 0x00) return 'mp3';
	}
	return undefined;
}

/** The file part's name is the input's, with an extension that fits the bytes. */
export interface AudioFile extends UploadFile {
	/** Where it came from, for messages: `"talk.wav" in "data"`. */
	label: string;
}

const ACCEPTED = 'MP3, MP4/M4A, WAV, WebM, Ogg or FLAC';

/** Reads and checks the audio in an item's binary field (`fieldName` is the parameter naming it). */
export async function inspectBinaryAudio(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: string,
	fieldName: string,
): Promise<AudioFile> {
	const metadata = binaryField(ctx, itemIndex, property, fieldName, 'audio file');
	const label = metadata.fileName ? `"${metadata.fileName}" in "${property}"` : `"${property}"`;
	const fail = (message: string, description: string) =>
		new NodeOperationError(ctx.getNode(), `The audio ${label} ${message}`, { itemIndex, description });
	const { head, byteLength } = await readHead(ctx, itemIndex, property, metadata);
	if (byteLength === 0) throw fail('is empty (0 bytes)', 'The node that produced it gave an empty file.');
	const kind = sniffAudioKind(head);
	if (!kind) {
		throw fail(
			`is not ${ACCEPTED} audio (its bytes are no audio format we know)`,
			`Check "${fieldName}": the transcription endpoint takes ${ACCEPTED} files. Convert other formats first (e.g. with ffmpeg through the Execute Command node).`,
		);
	}
	if (byteLength > MAX_AUDIO_BYTES) {
		throw fail(
			`is ${(byteLength / 1048576).toFixed(1)} MB; at most ${MAX_AUDIO_BYTES / 1048576} MB can be transcribed at once`,
			`Split the audio in "${fieldName}" into shorter parts, or compress it (e.g. MP3 at a lower bit rate).`,
		);
	}
	const format = FORMATS[kind];
	const given = (metadata.mimeType ?? '').split(';')[0].trim().toLowerCase();
	const mimeType = [format.mimeType, ...format.mimeAliases].includes(given) ? given : format.mimeType;
	return {
		label,
		fileName: fileNameWithExtension(metadata.fileName ?? '', property, format.extensions),
		mimeType,
		byteLength,
		open: binaryReader(ctx, itemIndex, property, metadata),
	};
}
