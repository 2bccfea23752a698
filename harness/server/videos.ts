import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { answerFault, type Fault } from './faults';
import { detectFormat, readImageSize } from './images';
import { readBody, recordRequest, type RecordedRequest } from './multipart';
import { tinyMp4 } from './mp4';
import { sendJson } from './respond';

/**
 * The video task APIs TikHub forwards, as their providers define them (see
 * ../shared/tikhub/video-seedance.md and video-kling.md):
 *
 * - Seedance (ByteDance Ark): `POST /seedance/v3/contents/generations/tasks` answers `{ id }`;
 *   `GET …/tasks/{id}` answers the task: `status` queued → running → succeeded | failed
 *   (| cancelled | expired), `content.video_url`, `error: { code, message }`.
 * - Kling: `POST /kling/v1/videos/text2video` and `…/image2video` answer
 *   `{ code: 0, message, request_id, data: { task_id, task_status: "submitted" } }`;
 *   `GET …/{kind}/{task_id}` answers `data.task_status` submitted → processing → succeed | failed,
 *   `data.task_status_msg`, `data.task_result.videos[0].url`. Errors carry a `code` other than 0.
 *
 * Bodies are checked as the real APIs check them (required fields, types: Kling's duration is
 * a string, Seedance's an integer). A test scripts how each task goes with `script()`.
 */

export type VideoProviderName = 'seedance' | 'kling';
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
	videoUrl?: string;
}

export interface VideoRequestRecord {
	method: string;
	path: string;
	authorization?: string;
	/** The parsed JSON body of a create call. */
	body?: unknown;
	/** When it arrived (Date.now()). */
	at: number;
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
	/** Answers a request under /seedance/ or /kling/; false for other paths. */
	handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
	reset(): void;
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

const SEEDANCE_TASKS = '/seedance/v3/contents/generations/tasks';
const KLING_VIDEOS = '/kling/v1/videos';

const SEEDANCE_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'];
const SEEDANCE_RESOLUTIONS = ['480p', '720p', '1080p'];
const SEEDANCE_FIELDS = ['model', 'content', 'ratio', 'duration', 'resolution', 'watermark', 'generate_audio', 'seed', 'camera_fixed', 'return_last_frame', 'callback_url', 'service_tier'];
const IMAGE_ROLES = ['first_frame', 'last_frame', 'reference_image'];
const KLING_RATIOS = ['16:9', '9:16', '1:1'];
const KLING_FIELDS = ['model_name', 'prompt', 'negative_prompt', 'duration', 'mode', 'sound', 'aspect_ratio', 'cfg_scale', 'camera_control', 'callback_url', 'external_task_id', 'watermark_info'];
const KLING_IMAGE_FIELDS = ['image', 'image_tail', 'static_mask', 'dynamic_masks'];

type Answer = { status: number; body: unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function seedanceError(status: number, code: string, message: string): Answer {
	return { status, body: { error: { code, message, type: status === 400 ? 'BadRequest' : 'Error' } } };
}

function klingError(status: number, code: number, message: string): Answer {
	return { status, body: { code, message, request_id: randomBytes(8).toString('hex') } };
}

/** An image as the APIs take it inline: its bytes, when it decodes to PNG, JPEG or WebP. */
function inlineImage(base64: string): Buffer | undefined {
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
	const bytes = Buffer.from(base64, 'base64');
	return detectFormat(bytes) ? bytes : undefined;
}

function checkSeedance(body: Record<string, unknown>): Answer | undefined {
	const bad = (message: string) => seedanceError(400, 'InvalidParameter', message);
	const unknown = Object.keys(body).find((key) => !SEEDANCE_FIELDS.includes(key));
	if (unknown) return bad(`The parameter \`${unknown}\` specified in the request is not valid`);
	if (typeof body.model !== 'string' || body.model === '') {
		return seedanceError(400, 'MissingParameter', 'The request failed because it is missing one or multiple required parameters: model');
	}
	if (!Array.isArray(body.content) || body.content.length === 0) {
		return seedanceError(400, 'MissingParameter', 'The request failed because it is missing one or multiple required parameters: content');
	}
	let texts = 0;
	for (const part of body.content) {
		if (!isRecord(part)) return bad('content: each part must be an object');
		if (part.type === 'text') {
			if (typeof part.text !== 'string' || part.text.trim() === '') return bad('content: a text part needs a non-empty `text`');
			texts++;
		} else if (part.type === 'image_url') {
			const url = isRecord(part.image_url) ? part.image_url.url : undefined;
			if (typeof url !== 'string') return bad('content: an image_url part needs `image_url.url`');
			const dataUri = /^data:image\/(png|jpeg|jpg|webp);base64,(.*)$/s.exec(url);
			if (!dataUri && !/^https?:\/\/\S+$/.test(url)) {
				return bad('content: image_url.url must be an http(s) URL or a data:image/<format>;base64,<data> URI');
			}
			if (dataUri && !inlineImage(dataUri[2])) return bad('content: the base64 image in image_url.url is not a valid image');
			if (part.role !== undefined && !IMAGE_ROLES.includes(String(part.role))) return bad(`content: unknown image role \`${String(part.role)}\``);
		} else {
			return bad(`content: unknown part type \`${String(part.type)}\``);
		}
	}
	if (texts > 1) return bad('content: at most one text part');
	if (body.ratio !== undefined && !SEEDANCE_RATIOS.includes(String(body.ratio))) return bad(`ratio: \`${String(body.ratio)}\` is not supported`);
	if (body.duration !== undefined) {
		const duration = body.duration;
		if (typeof duration !== 'number' || !Number.isInteger(duration)) return bad('duration: must be an integer');
		if (duration !== -1 && (duration < 2 || duration > 12)) return bad(`duration: ${duration} is out of range [2, 12]`);
	}
	if (body.resolution !== undefined && !SEEDANCE_RESOLUTIONS.includes(String(body.resolution))) {
		return bad(`resolution: \`${String(body.resolution)}\` is not supported`);
	}
	for (const flag of ['watermark', 'generate_audio', 'camera_fixed', 'return_last_frame']) {
		if (body[flag] !== undefined && typeof body[flag] !== 'boolean') return bad(`${flag}: must be a boolean`);
	}
	if (body.seed !== undefined && !(typeof body.seed === 'number' && Number.isInteger(body.seed))) return bad('seed: must be an integer');
	return undefined;
}

function checkKling(body: Record<string, unknown>, kind: KlingKind): Answer | undefined {
	const bad = (message: string) => klingError(400, 1201, message);
	const allowed = kind === 'image2video' ? [...KLING_FIELDS, ...KLING_IMAGE_FIELDS] : KLING_FIELDS;
	const unknown = Object.keys(body).find((key) => !allowed.includes(key));
	if (unknown) return bad(`Invalid request parameters: unknown field ${unknown}`);
	if (body.model_name !== undefined && (typeof body.model_name !== 'string' || !/^kling-v/.test(body.model_name))) {
		return bad(`Invalid request parameters: model_name ${String(body.model_name)} is not supported`);
	}
	const prompt = body.prompt;
	if (prompt !== undefined && typeof prompt !== 'string') return bad('Invalid request parameters: prompt must be a string');
	if (kind === 'text2video' && (typeof prompt !== 'string' || prompt.trim() === '')) return bad('Invalid request parameters: prompt is required');
	if (typeof prompt === 'string' && [...prompt].length > 2500) return bad('Invalid request parameters: prompt is longer than 2500 characters');
	if (body.duration !== undefined) {
		if (typeof body.duration !== 'string') return bad('Invalid request parameters: duration must be a string ("5" or "10")');
		if (!['5', '10'].includes(body.duration)) return bad(`Invalid request parameters: duration ${body.duration} is not supported`);
	}
	if (body.mode !== undefined && !['std', 'pro'].includes(String(body.mode))) return bad(`Invalid request parameters: mode ${String(body.mode)}`);
	if (body.sound !== undefined && !['on', 'off'].includes(String(body.sound))) return bad(`Invalid request parameters: sound ${String(body.sound)}`);
	if (body.aspect_ratio !== undefined && !KLING_RATIOS.includes(String(body.aspect_ratio))) {
		return bad(`Invalid request parameters: aspect_ratio ${String(body.aspect_ratio)}`);
	}
	if (kind === 'image2video') {
		const image = body.image;
		if (typeof image !== 'string' || image === '') return bad('Invalid request parameters: image is required');
		if (image.startsWith('data:')) return bad('Invalid request parameters: image must be a URL or bare base64, without a data: prefix');
		if (!/^https?:\/\//.test(image)) {
			const bytes = inlineImage(image);
			if (!bytes || !['png', 'jpeg'].includes(detectFormat(bytes) ?? '')) return bad('Invalid request parameters: image is not a valid JPG or PNG');
			const size = readImageSize(bytes);
			if (size && Math.min(size.width, size.height) < 300) return bad('Invalid request parameters: image must be at least 300px on each side');
		}
	}
	return undefined;
}

function seedanceTask(task: VideoTask, status: string): Record<string, unknown> {
	const body = task.body;
	const ended = ['succeeded', 'failed', 'cancelled', 'expired'].includes(status);
	const seconds = (ms: number) => Math.floor(ms / 1000);
	return {
		id: task.id,
		model: body.model,
		status,
		...(status === 'succeeded' ? { content: { video_url: task.videoUrl } } : {}),
		...(status === 'failed' ? { error: { code: 'OutputVideoSensitiveContentDetected', message: task.script.fail } } : { error: null }),
		...(status === 'succeeded' ? { usage: { completion_tokens: 108900, total_tokens: 108900 } } : {}),
		created_at: seconds(task.createdAt),
		updated_at: seconds(ended ? Date.now() : task.createdAt),
		seed: typeof body.seed === 'number' ? body.seed : 12345,
		resolution: body.resolution ?? '720p',
		ratio: body.ratio ?? '16:9',
		duration: body.duration ?? 5,
		framespersecond: 24,
	};
}

function klingTask(task: VideoTask, status: string): Record<string, unknown> {
	return {
		code: 0,
		message: 'SUCCEED',
		request_id: randomBytes(8).toString('hex'),
		data: {
			task_id: task.id,
			task_status: status,
			...(status === 'failed' ? { task_status_msg: task.script.fail } : {}),
			task_info: {},
			created_at: task.createdAt,
			updated_at: Date.now(),
			...(status === 'succeed'
				? { task_result: { videos: [{ id: `v-${task.id}`, url: task.videoUrl, duration: `${String(task.body.duration ?? '5')}.0` }] } }
				: {}),
		},
	};
}

export function createVideoApi(host: VideoApiHost): VideoApi {
	let scripts: TaskScript[] = [];
	const pollFaults = new Map<string, Fault[]>();

	const pendingCount = () => [...api.tasks.values()].filter((task) => !task.ended).length;

	const create = (provider: VideoProviderName, script: TaskScript, body: Record<string, unknown>, kind?: KlingKind): VideoTask => {
		const id = provider === 'seedance' ? `cgt-${Date.now()}-${randomBytes(3).toString('hex')}` : `${Date.now()}${randomBytes(4).readUInt32BE(0)}`;
		const task: VideoTask = { id, provider, kind, body, script, createdAt: Date.now(), polls: 0, ended: false };
		api.tasks.set(id, task);
		pollFaults.set(id, [...(script.pollFaults ?? [])]);
		api.maxPending = Math.max(api.maxPending, pendingCount());
		return task;
	};

	/** One status check: moves the task on as its script says; returns its status word. */
	const advance = (task: VideoTask): 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'expired' => {
		task.polls++;
		const { polls = 1, afterMs = 0 } = task.script;
		if (!task.ended && (task.polls <= polls || Date.now() - task.createdAt < afterMs)) {
			return task.polls <= 1 ? 'pending' : 'running';
		}
		if (!task.ended) {
			task.ended = true;
			if (!task.script.fail && !task.script.endStatus) {
				const duration = Number(task.body.duration ?? 5);
				task.videoUrl = task.script.expiredUrl
					? `${host.baseUrl()}/files/expired-${task.id}.mp4`
					: host.storeFile(task.script.video ?? tinyMp4(duration > 0 ? duration : 5), 'mp4', 'video/mp4', { trickleMs: task.script.trickleMs });
				if (task.script.signedUrl) task.videoUrl += '?X-Tos-Signature=sig-secret-0123&X-Tos-Expires=86400';
			}
		}
		if (task.script.endStatus) return task.script.endStatus;
		return task.script.fail ? 'failed' : 'succeeded';
	};

	const answerCreate = (provider: VideoProviderName, script: TaskScript, path: string, body: unknown): Answer => {
		if (!isRecord(body)) {
			return provider === 'seedance'
				? seedanceError(400, 'InvalidParameter', 'The request body must be a JSON object')
				: klingError(400, 1200, 'Invalid request: the body must be a JSON object');
		}
		if (provider === 'seedance') {
			const problem = checkSeedance(body);
			if (problem) return problem;
			return { status: 200, body: { id: create('seedance', script, body).id } };
		}
		const kind = path.slice(KLING_VIDEOS.length + 1) as KlingKind;
		const problem = checkKling(body, kind);
		if (problem) return problem;
		if (script.rejectCreate) {
			const { code, message } = script.rejectCreate;
			return { status: 200, body: { code, message, request_id: randomBytes(8).toString('hex') } };
		}
		return { status: 200, body: klingTask(create('kling', script, body, kind), 'submitted') };
	};

	const answerPoll = (provider: VideoProviderName, task: VideoTask | undefined, kind?: KlingKind): Answer => {
		if (!task || task.provider !== provider || (provider === 'kling' && task.kind !== kind)) {
			return provider === 'seedance'
				? seedanceError(404, 'ResourceNotFound', 'The specified task is not found')
				: klingError(404, 1203, 'Task not found');
		}
		const step = advance(task);
		if (provider === 'seedance') return { status: 200, body: seedanceTask(task, step === 'pending' ? 'queued' : step) };
		const kling = { pending: 'submitted', running: 'processing', succeeded: 'succeed', failed: 'failed', cancelled: 'failed', expired: 'failed' }[step];
		return { status: 200, body: klingTask(task, kling) };
	};

	const route = (method: string, path: string): { provider: VideoProviderName; create: boolean; kind?: KlingKind; id?: string } | undefined => {
		if (path === SEEDANCE_TASKS && method === 'POST') return { provider: 'seedance', create: true };
		if (path.startsWith(`${SEEDANCE_TASKS}/`) && method === 'GET') {
			return { provider: 'seedance', create: false, id: decodeURIComponent(path.slice(SEEDANCE_TASKS.length + 1)) };
		}
		const kling = /^\/kling\/v1\/videos\/(text2video|image2video)(?:\/([^/]+))?$/.exec(path);
		if (!kling) return undefined;
		const kind = kling[1] as KlingKind;
		if (!kling[2] && method === 'POST') return { provider: 'kling', create: true, kind };
		if (kling[2] && method === 'GET') return { provider: 'kling', create: false, kind, id: decodeURIComponent(kling[2]) };
		return undefined;
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
			if (!path.startsWith('/seedance/') && !path.startsWith('/kling/')) return false;
			const raw = await readBody(req);
			const method = req.method ?? 'GET';
			let body: unknown;
			let parseError = false;
			if (raw.length > 0) {
				try {
					body = JSON.parse(raw.toString('utf8'));
				} catch {
					parseError = true;
				}
			}
			api.requests.push({ method, path, authorization: req.headers.authorization, body, at: Date.now() });
			host.record(await recordRequest(req, path, raw));

			const target = route(method, path);
			if (!target) {
				sendJson(res, 404, { error: { code: 'NotFound', message: `No route ${method} ${path}` } });
				return true;
			}
			const controller = new AbortController();
			res.once('close', () => controller.abort());
			// Each create takes the next script, even when it fails, so a test's scripts stay in step.
			const script = target.create ? (scripts.shift() ?? api.defaultScript) : undefined;
			const fault = script ? script.createFault : pollFaults.get(target.id ?? '')?.shift();
			if (fault && (await answerFault(fault, req, res, controller.signal))) return true;
			const denied = host.unauthorized(req.headers.authorization);
			if (denied) {
				sendJson(res, 401, denied);
				return true;
			}
			let answer: Answer;
			if (script) {
				const json = /^application\/json\b/i.test(req.headers['content-type'] ?? '');
				answer =
					!json || parseError
						? target.provider === 'seedance'
							? seedanceError(400, 'InvalidParameter', 'The request body must be JSON (Content-Type: application/json)')
							: klingError(400, 1200, 'Invalid request: the body must be JSON')
						: answerCreate(target.provider, script, path, body);
			} else {
				answer = answerPoll(target.provider, api.tasks.get(target.id ?? ''), target.kind);
			}
			sendJson(res, answer.status, answer.body);
			return true;
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

