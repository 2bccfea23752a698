import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * Node's `Readable` class, for bodies and binaries made one chunk at a time. Node code may not
 * import `node:stream` (n8n's community lint allows `n8n-workflow`, relative paths and a short
 * list of modules), so the class is taken from a stream n8n's own helpers return: every stream
 * of the binary data store (filesystem, S3, database) is a Readable or a subclass of it.
 * Until one has been seen (n8n's in-memory mode never hands out streams), callers fall back
 * to whole Buffers, which is what that mode holds anyway.
 */

export type Readable = Awaited<ReturnType<IExecuteFunctions['helpers']['getBinaryStream']>>;

interface ReadableClass {
	from(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: { objectMode: boolean; highWaterMark: number }): Readable;
}

/** What a Readable made here buffers ahead of its reader: one step of the source. */
const HIGH_WATER_MARK = 64 * 1024;

let readableClass: ReadableClass | undefined;

/** Learns the Readable class from a stream n8n's helpers returned (once is enough). */
export function rememberReadable(stream: unknown): void {
	if (readableClass || stream === null || typeof stream !== 'object') return;
	// Walk up to Readable itself: subclasses such as Duplex have a `from` of their own.
	for (let cls: unknown = stream.constructor; typeof cls === 'function'; cls = Object.getPrototypeOf(cls)) {
		if (cls.name === 'Readable' && typeof (cls as Partial<ReadableClass>).from === 'function') {
			readableClass = cls as unknown as ReadableClass;
			return;
		}
	}
}

/** n8n's getBinaryStream, remembering the Readable class on the way. */
export async function openBinaryStream(
	ctx: IExecuteFunctions,
	binaryDataId: string,
	chunkSize?: number,
): Promise<Readable> {
	const stream = await ctx.helpers.getBinaryStream(binaryDataId, chunkSize);
	rememberReadable(stream);
	return stream;
}

/**
 * A byte stream read from `source` on demand (it buffers at most 64 KB ahead of its reader),
 * or undefined while no stream of n8n's has shown what a Readable is.
 */
export function readableFrom(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Readable | undefined {
	return readableClass?.from(source, { objectMode: false, highWaterMark: HIGH_WATER_MARK });
}
