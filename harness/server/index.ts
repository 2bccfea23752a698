import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { answerTranscription, type ApiAnswer } from './audio';
import { createChatApi, MODELS, sendChatAnswer, type ChatApi } from './chat/index';
import { answerEdit } from './edits';
import { answerEmbeddings } from './embeddings';
import { answerGenerate } from './generations';
import { answerFault, type Fault } from './faults';
import { readBody, recordRequest, type RecordedRequest } from './multipart';
import { openAiError, send, sendJson } from './respond';
import { createVideoApi, type VideoApi } from './videos';
import { wait } from './wait';

export type { Fault } from './faults';
export type { RecordedFile, RecordedRequest } from './multipart';
export type { TaskScript, VideoTask } from './videos';
export { audioFormat, audioSeconds } from './audio';
export { embeddingVector } from './embeddings';
export { readMp4Boxes, readMp4Duration, tinyMp4 } from './mp4';
export { detectFormat, encodePng, PNG_SIGNATURE, pngChunk, readImageSize, TINY_JPEG, TINY_WEBP } from './images';

export interface TikHubServer {
	/** http://127.0.0.1:<port> */
	baseUrl: string;
	apiKey: string;
	/** Every API request (/v1/*, /seedance/*, /kling/*), including 401s, in arrival order. */
	requests: RecordedRequest[];
	/** Queues faults; each POST /v1/images/edits, /generations, /audio/transcriptions or /embeddings, and each chat request, consumes the next one. */
	fail(...faults: Fault[]): void;
	/** Every image request waits this long before answering. */
	latencyMs: number;
	/** Peak number of image requests being handled at once. */
	maxInFlight: number;
	/** Image requests whose body never arrived whole: the client stopped sending (they are not in `requests`). */
	unfinishedUploads: number;
	/** How many GET /files/* were served. */
	fileRequests: number;
	/** The Authorization header of each GET /files/* served (undefined when none was sent). */
	fileAuthorizations: Array<string | undefined>;
	/**
	 * Serves bytes at a new URL under /files/ (an image host for URL input); returns the URL.
	 * `trickleMs`: the body comes 64 bytes at a time, one piece every `trickleMs` (a slow or
	 * stalling storage server), with the whole length announced up front.
	 */
	host(bytes: Buffer, ext: string, contentType: string, options?: FileOptions): string;
	/** Seedance, Kling, Veo and Sora video tasks (/seedance/…, /kling/…, /v1beta/models/veo-…, /v1/videos): scripts, tasks, requests. */
	videos: VideoApi;
	/** The chat endpoints (chat completions, responses, messages, generateContent): `chat.replies` scripts answers. */
	chat: ChatApi;
	/** Clears requests, faults, counters and latency. */
	reset(): void;
	/** Stops listening and destroys open sockets, keep-alive ones too. */
	close(): Promise<void>;
}

const DEFAULT_API_KEY = 'test-key-0123456789';

export interface FileOptions {
	trickleMs?: number;
}

function unauthorized(authorization: string | undefined) {
	const match = /^Bearer\s+(.*)$/i.exec(authorization ?? '');
	if (!match) {
		return openAiError(
			"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
			null,
			'invalid_api_key',
		);
	}
	// Echoes the wrong key on purpose, as the real API does: the node must redact it.
	return openAiError(
		`Incorrect API key provided: ${match[1]}. You can find your API key at https://ai.tikhub.io.`,
		null,
		'invalid_api_key',
	);
}

export interface ServerOptions {
	apiKey?: string;
	/**
	 * False for a long-running server nobody inspects (the benchmark's): `requests` stays empty
	 * instead of holding every request's body, whose growing heap would slow the server down.
	 */
	keepRequests?: boolean;
}

export async function startTikHubServer(options: ServerOptions = {}): Promise<TikHubServer> {
	const apiKey = options.apiKey ?? DEFAULT_API_KEY;
	const record = (request: RecordedRequest) => {
		if (options.keepRequests !== false) server.requests.push(request);
	};
	const sockets = new Set<Socket>();
	const waiting = new Set<AbortController>();
	const files = new Map<string, { bytes: Buffer; contentType: string; trickleMs?: number }>();
	let faults: Fault[] = [];
	let inFlight = 0;

	const storeFile = (bytes: Buffer, ext: string, contentType: string, options: FileOptions = {}): string => {
		const name = `${randomBytes(12).toString('hex')}.${ext}`;
		files.set(name, { bytes, contentType, trickleMs: options.trickleMs });
		return `${server.baseUrl}/files/${name}`;
	};

	// Counts the request as in flight and gives it a signal that aborts when the client
	// goes away or the server closes, so waits end early.
	const track = (res: ServerResponse): AbortSignal => {
		const controller = new AbortController();
		waiting.add(controller);
		inFlight++;
		server.maxInFlight = Math.max(server.maxInFlight, inFlight);
		res.once('close', () => {
			inFlight--;
			waiting.delete(controller);
			controller.abort();
		});
		return controller.signal;
	};

	// The paid endpoints (images, audio, embeddings): each call consumes the next queued fault, then waits `latencyMs`.
	const IMAGE_ENDPOINTS: Record<string, (request: RecordedRequest, store: typeof storeFile) => ApiAnswer> = {
		'/v1/images/edits': answerEdit,
		'/v1/images/generations': answerGenerate,
		'/v1/audio/transcriptions': answerTranscription,
		'/v1/embeddings': answerEmbeddings,
	};

	const handleImages = async (req: IncomingMessage, res: ServerResponse, path: string, body: Buffer, signal: AbortSignal) => {
		// The latency runs from the whole request's arrival, parsing included: the stand-in's own
		// parsing time (undici's form parser, ~5 ms for a 256 KB image) is not added to what a
		// benchmark charges to the node.
		const latency = wait(server.latencyMs, signal);
		const recorded = await recordRequest(req, path, body);
		record(recorded);
		// Faults come before the auth check: a failing gateway answers before the API sees the key.
		const fault = faults.shift();
		if (fault && (await answerFault(fault, req, res, signal))) return;
		if (!(await latency)) return;
		if (recorded.authorization !== `Bearer ${apiKey}`) return sendJson(res, 401, unauthorized(recorded.authorization));
		const answer = IMAGE_ENDPOINTS[path](recorded, storeFile);
		if (typeof answer.body === 'string') send(res, answer.status, answer.body, { 'content-type': answer.contentType ?? 'text/plain' });
		else sendJson(res, answer.status, answer.body);
	};

	// The chat endpoints: like the image ones (faults, latency, in flight), with each family's auth.
	const handleChat = async (req: IncomingMessage, res: ServerResponse, path: string) => {
		const signal = track(res);
		const body = await readBody(req);
		const recorded = await recordRequest(req, path, body);
		record(recorded);
		const fault = faults.shift();
		if (fault && (await answerFault(fault, req, res, signal))) return;
		if (!(await wait(server.latencyMs, signal))) return;
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		sendChatAnswer(res, chat.unauthorized(recorded, url) ?? chat.answer(recorded, url));
	};

	const handleApi = async (req: IncomingMessage, res: ServerResponse, path: string) => {
		const isImages = req.method === 'POST' && path in IMAGE_ENDPOINTS;
		const signal = isImages ? track(res) : undefined;
		const body = await readBody(req).catch((error: unknown) => {
			if (isImages) server.unfinishedUploads++;
			throw error;
		});
		if (signal) return handleImages(req, res, path, body, signal);
		const recorded = await recordRequest(req, path, body);
		record(recorded);
		if (recorded.authorization !== `Bearer ${apiKey}`) return sendJson(res, 401, unauthorized(recorded.authorization));
		if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, MODELS);
		sendJson(res, 404, { error: { message: 'Not found' } });
	};

	const serveFile = async (req: IncomingMessage, res: ServerResponse, name: string) => {
		const file = files.get(name);
		if (!file) return sendJson(res, 404, { error: { message: 'Not found' } });
		server.fileRequests++;
		server.fileAuthorizations.push(req.headers.authorization);
		if (!file.trickleMs) return send(res, 200, file.bytes, { 'content-type': file.contentType });
		// Not counted as an image request in flight; ends early when the client goes or the server closes.
		const controller = new AbortController();
		waiting.add(controller);
		res.once('close', () => {
			waiting.delete(controller);
			controller.abort();
		});
		const signal = controller.signal;
		res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.length) });
		for (let offset = 0; offset < file.bytes.length; offset += 64) {
			res.write(file.bytes.subarray(offset, offset + 64));
			if (!(await wait(file.trickleMs, signal))) return;
		}
		res.end();
	};

	const videos = createVideoApi({
		unauthorized: (authorization) => (authorization === `Bearer ${apiKey}` ? undefined : unauthorized(authorization)),
		storeFile,
		baseUrl: () => server.baseUrl,
		record,
	});

	const handle = async (req: IncomingMessage, res: ServerResponse) => {
		const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
		if (chat.matches(req.method ?? 'GET', path)) return handleChat(req, res, path);
		// The video APIs first: Sora's live under /v1/videos, Veo's under /v1beta/models/veo-…
		if (await videos.handle(req, res, path)) return;
		if (path.startsWith('/v1/')) return handleApi(req, res, path);
		if (req.method === 'GET' && path.startsWith('/files/')) return serveFile(req, res, path.slice('/files/'.length));
		// GET /redirect?to=<url>: a 302, as a storage front end might answer for a result URL.
		if (req.method === 'GET' && path === '/redirect') {
			const to = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('to') ?? '/';
			return send(res, 302, Buffer.alloc(0), { location: to });
		}
		sendJson(res, 404, { error: { message: 'Not found' } });
	};

	const chat = createChatApi({ apiKey: () => apiKey, openAiUnauthorized: unauthorized });

	const http = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (res.headersSent) res.destroy();
			else sendJson(res, 500, openAiError(`Test server error: ${String(error)}`, null, null, 'server_error'));
		});
	});
	http.on('connection', (socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		http.once('error', reject);
		http.listen(0, '127.0.0.1', () => {
			http.off('error', reject);
			resolve();
		});
	});
	const { port } = http.address() as AddressInfo;

	const server: TikHubServer = {
		baseUrl: `http://127.0.0.1:${port}`,
		apiKey,
		requests: [],
		latencyMs: 0,
		maxInFlight: 0,
		unfinishedUploads: 0,
		fileRequests: 0,
		fileAuthorizations: [],
		videos,
		chat,
		fail(...more) {
			faults.push(...more);
		},
		host: (bytes, ext, contentType, options) => storeFile(bytes, ext, contentType, options),
		reset() {
			// Emptied in place so arrays a test already holds stay live.
			server.requests.length = 0;
			faults = [];
			server.latencyMs = 0;
			server.maxInFlight = 0;
			server.unfinishedUploads = 0;
			server.fileRequests = 0;
			server.fileAuthorizations.length = 0;
			videos.reset();
			chat.reset();
		},
		async close() {
			const closed = new Promise<void>((resolve) => http.close(() => resolve()));
			for (const controller of waiting) controller.abort();
			for (const socket of sockets) socket.destroy();
			await closed;
		},
	};
	return server;
}
