/**
 * A tiny but well-formed MP4 (ISO base media file): `ftyp`, then `moov` holding a movie header
 * (`mvhd`) with the video's duration, then `mdat`. What the stand-in server serves as a result
 * video, and how tests read one back.
 */

function box(type: string, ...payload: Buffer[]): Buffer {
	const body = Buffer.concat(payload);
	const header = Buffer.alloc(8);
	header.writeUInt32BE(8 + body.length, 0);
	header.write(type, 4, 'latin1');
	return Buffer.concat([header, body]);
}

function u32(...values: number[]): Buffer {
	const out = Buffer.alloc(values.length * 4);
	values.forEach((value, index) => out.writeUInt32BE(value >>> 0, index * 4));
	return out;
}

const TIMESCALE = 1000;
/** The identity matrix of a movie header, in 16.16 and 2.30 fixed point. */
const IDENTITY = u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

function movieHeader(durationSeconds: number): Buffer {
	return box(
		'mvhd',
		u32(0), // version 0, no flags
		u32(0, 0), // creation and modification time
		u32(TIMESCALE, Math.round(durationSeconds * TIMESCALE)),
		u32(0x00010000), // rate 1.0
		Buffer.from([0x01, 0x00]), // volume 1.0
		Buffer.alloc(10), // reserved
		IDENTITY,
		Buffer.alloc(24), // pre-defined
		u32(2), // next track id
	);
}

/** An MP4 of the given duration: ftyp (isom), moov/mvhd, and a small mdat. */
export function tinyMp4(durationSeconds = 5): Buffer {
	const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(0x200), Buffer.from('isomiso2avc1mp41', 'latin1'));
	const moov = box('moov', movieHeader(durationSeconds));
	const mdat = box('mdat', Buffer.alloc(64, 0x2a));
	return Buffer.concat([ftyp, moov, mdat]);
}

export interface Mp4Box {
	type: string;
	size: number;
}

/** The top-level boxes of an MP4, or undefined when the bytes are not a chain of boxes. */
export function readMp4Boxes(bytes: Buffer): Mp4Box[] | undefined {
	const boxes: Mp4Box[] = [];
	for (let offset = 0; offset < bytes.length; ) {
		if (offset + 8 > bytes.length) return undefined;
		const size = bytes.readUInt32BE(offset);
		if (size < 8 || offset + size > bytes.length) return undefined;
		boxes.push({ type: bytes.toString('latin1', offset + 4, offset + 8), size });
		offset += size;
	}
	return boxes;
}

/** The duration in seconds the movie header gives, or undefined. */
export function readMp4Duration(bytes: Buffer): number | undefined {
	const at = bytes.indexOf('mvhd', 0, 'latin1');
	if (at < 0 || at + 24 > bytes.length) return undefined;
	return bytes.readUInt32BE(at + 20) / bytes.readUInt32BE(at + 16);
}
