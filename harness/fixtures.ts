import type { FixtureItem } from './engine/stand-in-nodes';
import { randomBytes } from 'node:crypto';

import { encodePng, PNG_SIGNATURE, pngChunk } from './server';

/** Small images made on the fly, so tests need no files on disk. */

export const RED = [255, 0, 0, 255] as const;

export function png(width = 64, height = 64, rgba: readonly number[] = RED): Buffer {
	return encodePng(width, height, rgba);
}

/**
 * A PNG of `megabytes` MB: 64x64 in its header (so the stand-in answers small), with random IDAT
 * data that is never inflated. `cut` is the same file stopping before its IEND chunk.
 */
export function largePngPair(megabytes: number): { whole: Buffer; cut: Buffer } {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(64, 0);
	ihdr.writeUInt32BE(64, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 6; // RGBA
	const idat = pngChunk('IDAT', randomBytes(Math.round(megabytes * 1024 * 1024)));
	const whole = Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), idat, pngChunk('IEND', Buffer.alloc(0))]);
	return { whole, cut: whole.subarray(0, whole.length - 12) };
}

/** An input item with one PNG under `data` (or the given fields). */
export function imageItem(
	binary: Record<string, { bytes: Buffer; fileName?: string; mimeType?: string }> = {
		data: { bytes: png(), fileName: 'photo.png', mimeType: 'image/png' },
	},
	json: FixtureItem['json'] = {},
): FixtureItem {
	return { json, binary };
}

/**
 * A valid PCM WAV (8 kHz, 8-bit, mono) of `milliseconds` of a quiet 440 Hz tone, made on the fly:
 * RIFF header, `fmt ` chunk, `data` chunk.
 */
export function wav(milliseconds = 500): Buffer {
	const rate = 8000;
	const samples = Math.round((rate * milliseconds) / 1000);
	const data = Buffer.alloc(samples);
	for (let i = 0; i < samples; i++) data[i] = 128 + Math.round(20 * Math.sin((2 * Math.PI * 440 * i) / rate));
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'latin1');
	header.writeUInt32LE(36 + samples, 4);
	header.write('WAVEfmt ', 8, 'latin1');
	header.writeUInt32LE(16, 16); // fmt chunk size
	header.writeUInt16LE(1, 20); // PCM
	header.writeUInt16LE(1, 22); // mono
	header.writeUInt32LE(rate, 24);
	header.writeUInt32LE(rate, 28); // byte rate
	header.writeUInt16LE(1, 32); // block align
	header.writeUInt16LE(8, 34); // bits per sample
	header.write('data', 36, 'latin1');
	header.writeUInt32LE(samples, 40);
	return Buffer.concat([header, data]);
}

/** The start of a file of each audio format the transcription endpoint takes (headers, then padding). */
export const AUDIO_HEADS = {
	mp3: Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.from([0xff, 0xfb, 0x90, 0x64])]),
	mp3Frame: Buffer.from([0xff, 0xfb, 0x90, 0x64, 0x00, 0x00, 0x00, 0x00]),
	m4a: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypM4A \x00\x00\x02\x00isomM4A ', 'latin1')]),
	webm: Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01]),
	ogg: Buffer.from('OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00', 'latin1'),
	flac: Buffer.from('fLaC\x00\x00\x00\x22', 'latin1'),
	wav: wav(100),
} as const;

/** An audio file of the given kind: its header followed by `padding` bytes. */
export function audioFile(kind: keyof typeof AUDIO_HEADS, padding = 256): Buffer {
	return Buffer.concat([AUDIO_HEADS[kind], Buffer.alloc(padding, 0x55)]);
}

/** An input item with one audio file under `data`. */
export function audioItem(bytes: Buffer = wav(), fileName: string | undefined = 'talk.wav', mimeType = 'audio/wav'): FixtureItem {
	return { json: {}, binary: { data: { bytes, fileName, mimeType } } };
}
