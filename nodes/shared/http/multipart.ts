import { randomBytes } from 'node:crypto';

import { readableFrom, type Readable } from '../media/readable';

/**
 * A multipart/form-data body (RFC 7578) that is streamed, not assembled: each file part is
 * opened when the body reaches it and sent one chunk at a time, so an upload holds a chunk of
 * each file in memory rather than the file. The length is known before the first byte (every
 * file part says its size), so the request carries an exact `Content-Length`: some proxies
 * refuse chunked uploads. Every try of a request calls `open()` again, which re-opens the files
 * from n8n's binary store. Bytes on the wire are what Node's (undici's) FormData writes: the
 * same escaping of names and file names, the same line breaks (a test compares them byte for byte).
 */

export interface TextPart {
	name: string;
	value: string;
}

export interface FilePart {
	name: string;
	fileName: string;
	contentType: string;
	/** Exact size in bytes: it goes into Content-Length before anything is read. */
	byteLength: number;
	/** The bytes for one try: a stream from n8n's binary store, or bytes held in memory. */
	open(): Promise<Readable | Uint8Array>;
	/** A check run on the bytes as they are sent (see UploadCheck), made afresh for each try. */
	verify?(): UploadCheck;
}

/**
 * A check of a file that only its whole bytes can answer (a large PNG's chunk walk), run while
 * it is sent rather than read through once more beforehand. Its error ends the body before the
 * file part's closing line, so the server never receives a whole request to act on or bill.
 */
export interface UploadCheck {
	push(chunk: Uint8Array): void;
	/** The error to stop the upload with, once every byte was pushed; undefined when the file is fine. */
	end(): Error | undefined;
}

export type FormPart = TextPart | FilePart;

export interface MultipartBody {
	/** `multipart/form-data; boundary=…` */
	readonly contentType: string;
	/** The exact length of what open() yields. */
	readonly contentLength: number;
	/**
	 * A fresh body for one try. A Buffer only while no n8n stream has been seen (in-memory binary
	 * mode). `onSent` is called once the HTTP client has taken the whole stream, or its first
	 * SENT_MARK bytes: the request is on its way (it is not called for a Buffer).
	 */
	open(onSent?: () => void): Promise<Readable | Buffer>;
}

/** How much of a streamed body counts as "sent": small bodies whole, large ones once started for real. */
const SENT_MARK = 1024 * 1024;

/** Slices of in-memory file parts handed to the socket at a time. */
const MEMORY_CHUNK = 64 * 1024;

const CRLF = Buffer.from('\r\n');

/** A file part named `name` from a file that knows its name, type, size and bytes (an UploadFile). */
export function filePart(
	name: string,
	file: { fileName: string; mimeType: string; byteLength: number; open(): Promise<Readable | Uint8Array>; verify?(): UploadCheck },
): FilePart {
	return { name, fileName: file.fileName, contentType: file.mimeType, byteLength: file.byteLength, open: file.open, verify: file.verify };
}

export function isMultipartBody(body: unknown): body is MultipartBody {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as MultipartBody).open === 'function' &&
		typeof (body as MultipartBody).contentLength === 'number'
	);
}

/** As the WHATWG multipart/form-data encoding (and undici) escapes names and file names. */
function escape(text: string): string {
	return text.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

function normalizeLinefeeds(text: string): string {
	return text.replace(/\r?\n|\r/g, '\r\n');
}

function isFile(part: FormPart): part is FilePart {
	return 'open' in part;
}

export function multipartBody(parts: FormPart[], boundary = `----TikHubFormBoundary${randomBytes(12).toString('hex')}`): MultipartBody {
	const prefix = `--${boundary}\r\nContent-Disposition: form-data; name=`;
	// Everything but the files' bytes, encoded once: [head, file?] per part, then the closing line.
	const heads = parts.map((part) => {
		const name = `"${escape(normalizeLinefeeds(part.name))}"`;
		return Buffer.from(
			isFile(part)
				? `${prefix}${name}; filename="${escape(part.fileName)}"\r\nContent-Type: ${part.contentType || 'application/octet-stream'}\r\n\r\n`
				: `${prefix}${name}\r\n\r\n${normalizeLinefeeds(part.value)}\r\n`,
			'utf8',
		);
	});
	const closing = Buffer.from(`--${boundary}--\r\n`);
	const contentLength = parts.reduce(
		(total, part, index) => total + heads[index].length + (isFile(part) ? part.byteLength + CRLF.length : 0),
		closing.length,
	);

	async function* chunks(onSent?: () => void): AsyncGenerator<Uint8Array> {
		let handed = 0;
		const counted = (chunk: Uint8Array) => {
			handed += chunk.length;
			if (handed >= SENT_MARK) onSent?.();
			return chunk;
		};
		for (const [index, part] of parts.entries()) {
			yield counted(heads[index]);
			if (!isFile(part)) continue;
			for await (const chunk of fileChunks(part)) yield counted(chunk);
			yield counted(CRLF);
		}
		yield closing;
		// The reader asks for more once it has written the last chunk: the whole body is handed over.
		onSent?.();
	}

	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		contentLength,
		async open(onSent) {
			const stream = readableFrom(chunks(onSent));
			if (stream) return stream;
			const whole: Uint8Array[] = [];
			for await (const chunk of chunks()) whole.push(chunk);
			return Buffer.concat(whole, contentLength);
		},
	};
}

/**
 * A file part's bytes, checked against the size announced in Content-Length and by the part's
 * own check (UploadCheck): either failure ends the body before its last bytes.
 */
async function* fileChunks(part: FilePart): AsyncGenerator<Uint8Array> {
	const source = await part.open();
	const check = part.verify?.();
	let sent = 0;
	if (source instanceof Uint8Array) {
		check?.push(source);
		for (; sent < source.length; sent += MEMORY_CHUNK) yield source.subarray(sent, sent + MEMORY_CHUNK);
		sent = source.length;
	} else {
		// Leaving the loop early (the request failed or was cancelled) destroys the stream.
		for await (const chunk of source as AsyncIterable<Uint8Array>) {
			sent += chunk.length;
			if (sent > part.byteLength) break;
			check?.push(chunk);
			yield chunk;
		}
	}
	if (sent !== part.byteLength) {
		// Sending on would put a body of the wrong length on the wire.
		throw new Error(`The file "${part.fileName}" changed while it was being sent (${part.byteLength} bytes expected)`);
	}
	const problem = check?.end();
	if (problem) throw problem;
}
