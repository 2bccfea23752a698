import type { IncomingMessage, ServerResponse } from 'node:http';

import { answerFault, type Fault } from './faults';
import { detectFormat } from './images';
import { readBody, recordRequest, type RecordedRequest } from './multipart';
import { tinyMp4 } from './mp4';
import { send, sendJson } from './respond';

/**
 * What the stand-in video APIs share (Seedance and Kling in videos.ts, Veo in veo.ts, Sora in
 * sora.ts): the tasks and how each goes (a test's `script()`: pending for some checks or some
 * time, then done, failed or filtered), faults on creates and on status checks, the 401 check,
 * and the record of every request. Each API module says only how its paths are routed and
 * what its bodies look like.
 */

export type VideoProviderName = 'seedance' | 'kling' | 'veo' | 'sora';
export type KlingKind = 'text2video' | 'image2video';

/** How one task goes. Unset: it answers one "not done yet" status check, then succeeds. */
export interface TaskScript {
	/** Status checks answered "not done yet" before the task ends (Infinity: it never ends). */
	polls?: number;
	/** The task also needs this long after its creation to end. */
	afterMs?: number;
	/** The task ends as failed, with this reason. */
	fail?: string;
	/** Seedance: the task ends as `cancelled` or `expired` instead. */
	endStatus?: 'cancelled' | 'expired';
	/** Veo: the task ends without a video, removed by the safety filter for these reasons. */
	filtered?: string[];
	/** Veo: where the done operation puts the video (default `inline`: `response.videos[0].bytesBase64Encoded`). */
	veoShape?: 'inline' | 'generateVideoResponse' | 'generatedVideos';
	/** Answered instead of the create call (nothing is created). */
	createFault?: Fault;
	/** Kling: the create call answers HTTP 200 with this code and message (nothing is created). */
	rejectCreate?: { code: number; message: string };
	/** Answered instead of the first status checks, one each (e.g. 429 with Retry-After). */
	pollFaults?: Fault[];
	/** The result URL answers 404, as an expired one does. */
	expiredUrl?: boolean;
	/** Served at the result URL instead of an MP4 (e.g. an HTML page). */
	video?: Buffer;
	/** The result URL sends its body 64 bytes every this many ms (a slow storage server). */
	trickleMs?: number;
	/** The result URL carries a signed query string, as real storage URLs do. */
	signedUrl?: boolean;
}

export interface VideoTask {
	id: string;
	provider: VideoProviderName;
	/** Kling: the path family it was created under. */
	kind?: KlingKind;
	body: Record<string, unknown>;
	script: TaskScript;
	createdAt: number;
	/** Status checks answered (faults not counted). */
	polls: number;
	ended: boolean;
	/** The video made, once the task has succeeded. */
	video?: Buffer;
	videoUrl?: string;
}

export type VideoCall = 'create' | 'status' | 'content';

export interface VideoRequestRecord {
	method: string;
	path: string;
	authorization?: string;
	/** What the request was: a create, a status check (Veo's are POSTs) or a content download. */
	call?: VideoCall;
	/** The parsed JSON body (undefined for other bodies). */
	body?: unknown;
	/** Multipart text fields and files (Sora's create with a first frame). */
	fields?: Record<string, string>;
	files?: RecordedRequest['files'];
	/** When it arrived (Date.now()). */
	at: number;
}

/** One status check's outcome: the step the task is at. */
export type Step = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'expired';

export type Answer = { status: number; body: unknown; contentType?: string };

/** What a request is to one API: which call, and the task it is about. */
export interface Target {
	call: VideoCall;
	provider: VideoProviderName;
	kind?: KlingKind;
	/** The task id (undefined for creates). */
	id?: string;
}

/** One provider's API: its paths, and its answers in its own shapes. */
export interface ProviderApi {
	/** Whether the path is this API's (else another handler gets it). */
	claims(path: string): boolean;
	/** The call a request is; undefined answers `notFound`. */
	route(method: string, path: string, request: RecordedRequest): Target | undefined;
	notFound(method: string, path: string): Answer;
	create(tasks: TaskStore, script: TaskScript, target: Target, request: RecordedRequest, path: string): Answer;
	status(tasks: TaskStore, task: VideoTask | undefined, target: Target): Answer;
	/** The video's bytes (Sora's content endpoint). */
	content?(tasks: TaskStore, task: VideoTask | undefined): Answer;
}

export interface VideoApiHost {
	/** The 401 body for a wrong or missing key, undefined when the key is right. */
	unauthorized(authorization: string | undefined): unknown;
	/** Keeps bytes and returns the URL they are served at. */
	storeFile(bytes: Buffer, ext: string, contentType: string, options?: { trickleMs?: number }): string;
	baseUrl(): string;
	/** Adds a request to the server's list of every API request. */
	record(request: RecordedRequest): void;
}

export interface TaskStore {
	tasks: Map<string, VideoTask>;
	/** Peak number of tasks created and not yet ended at once. */
	maxPending: number;
	create(provider: VideoProviderName, script: TaskScript, body: Record<string, unknown>, id: string, kind?: KlingKind): VideoTask;
	/** One status check: moves the task on as its script says; returns where it is. */
	advance(task: VideoTask): Step;
}

export interface VideoApi {
	/** Every request to the video APIs, in arrival order. */
	requests: VideoRequestRecord[];
	tasks: Map<string, VideoTask>;
	/** Scripts for the next tasks created, in order; then `defaultScript`. */
	script(...scripts: TaskScript[]): void;
	defaultScript: TaskScript;
	/** Peak number of tasks created and not yet ended at once. */
	maxPending: number;
	/** Answers a request to one of the video APIs; false for other paths. */
	handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
	reset(): void;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An image as the APIs take it inline: its bytes, when it decodes to PNG, JPEG or WebP. */
export function inlineImage(base64: string): Buffer | undefined {
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
	const bytes = Buffer.from(base64, 'base64');
	return detectFormat(bytes) ? bytes : undefined;
}

/** A create call's JSON object body, or undefined when it is not JSON or not an object. */
export function jsonObject(request: RecordedRequest): Record<string, unknown> | undefined {
	const json = /^application\/json\b/i.test(String(request.headers['content-type'] ?? ''));
	return json && request.parseError === undefined && isRecord(request.json) ? request.json : undefined;
}

/** The video APIs of `apis` on one task store, with the shared faults, auth check and request record. */
export function createVideoApi(host: VideoApiHost, apis: ProviderApi[]): VideoApi {
	let scripts: TaskScript[] = [];
	const pollFaults = new Map<string, Fault[]>();

	const pendingCount = () => [...api.tasks.values()].filter((task) => !task.ended).length;

	const store: TaskStore = {
		get tasks() {
			return api.tasks;
		},
		get maxPending() {
			return api.maxPending;
		},
		create(provider, script, body, id, kind) {
			const task: VideoTask = { id, provider, kind, body, script, createdAt: Date.now(), polls: 0, ended: false };
			api.tasks.set(id, task);
			pollFaults.set(id, [...(script.pollFaults ?? [])]);
			api.maxPending = Math.max(api.maxPending, pendingCount());
			return task;
		},
		advance(task) {
			task.polls++;
			const { polls = 1, afterMs = 0 } = task.script;
			if (!task.ended && (task.polls <= polls || Date.now() - task.createdAt < afterMs)) {
				return task.polls <= 1 ? 'pending' : 'running';
			}
			const failed = task.script.fail !== undefined || task.script.filtered !== undefined;
			if (!task.ended) {
				task.ended = true;
				if (!failed && !task.script.endStatus) {
					const duration = Number(task.body.duration ?? 5);
					task.video = task.script.video ?? tinyMp4(duration > 0 ? duration : 5);
					task.videoUrl = task.script.expiredUrl
						? `${host.baseUrl()}/files/expired-${encodeURIComponent(task.id)}.mp4`
						: host.storeFile(task.video, 'mp4', 'video/mp4', { trickleMs: task.script.trickleMs });
					if (task.script.signedUrl) task.videoUrl += '?X-Tos-Signature=sig-secret-0123&X-Tos-Expires=86400';
				}
			}
			if (task.script.endStatus) return task.script.endStatus;
			return failed ? 'failed' : 'succeeded';
		},
	};

	const api: VideoApi = {
		requests: [],
		tasks: new Map(),
		defaultScript: {},
		maxPending: 0,
		script(...more) {
			scripts.push(...more);
		},
		async handle(req, res, path) {
			const provider = apis.find((each) => each.claims(path));
			if (!provider) return false;
			const method = req.method ?? 'GET';
			const recorded = await recordRequest(req, path, await readBody(req));
			host.record(recorded);
			const target = provider.route(method, path, recorded);
			const multipart = recorded.fieldNames.length > 0;
			api.requests.push({
				method,
				path,
				authorization: req.headers.authorization,
				call: target?.call,
				body: recorded.json,
				...(multipart ? { fields: recorded.fields, files: recorded.files } : {}),
				at: Date.now(),
			});
			if (!target) return reply(res, provider.notFound(method, path));

			const controller = new AbortController();
			res.once('close', () => controller.abort());
			// Each create takes the next script, even when it fails, so a test's scripts stay in step.
			const script = target.call === 'create' ? (scripts.shift() ?? api.defaultScript) : undefined;
			const fault = script ? script.createFault : target.call === 'status' ? pollFaults.get(target.id ?? '')?.shift() : undefined;
			if (fault && (await answerFault(fault, req, res, controller.signal))) return true;
			const denied = host.unauthorized(req.headers.authorization);
			if (denied) return reply(res, { status: 401, body: denied });
			const task = target.id === undefined ? undefined : api.tasks.get(target.id);
			if (script) return reply(res, provider.create(store, script, target, recorded, path));
			if (target.call === 'content' && provider.content) return reply(res, provider.content(store, task));
			return reply(res, provider.status(store, task, target));
		},
		reset() {
			scripts = [];
			pollFaults.clear();
			api.requests.length = 0;
			api.tasks.clear();
			api.defaultScript = {};
			api.maxPending = 0;
		},
	};
	return api;
}

function reply(res: ServerResponse, answer: Answer): true {
	if (Buffer.isBuffer(answer.body)) send(res, answer.status, answer.body, { 'content-type': answer.contentType ?? 'application/octet-stream' });
	else sendJson(res, answer.status, answer.body);
	return true;
}
