import { randomBytes } from 'node:crypto';

import { detectFormat, readImageSize } from './images';
import { soraApi } from './sora';
import { veoApi } from './veo';
import {
	createVideoApi as createApi,
	inlineImage,
	isRecord,
	jsonObject,
	type Answer,
	type KlingKind,
	type ProviderApi,
	type VideoApi,
	type VideoApiHost,
	type VideoTask,
} from './video-tasks';

export type { KlingKind, TaskScript, VideoApi, VideoApiHost, VideoProviderName, VideoRequestRecord, VideoTask } from './video-tasks';

/**
 * The video task APIs TikHub forwards, as their providers define them (see
 * ../shared/tikhub/video-seedance.md, video-kling.md, video-veo.md and video-sora.md); the task
 * timing, faults and request record they share are in video-tasks.ts.
 *
 * - Seedance (ByteDance Ark): `POST /seedance/v3/contents/generations/tasks` answers `{ id }`;
 *   `GET …/tasks/{id}` answers the task: `status` queued → running → succeeded | failed
 *   (| cancelled | expired), `content.video_url`, `error: { code, message }`.
 * - Kling: `POST /kling/v1/videos/text2video` and `…/image2video` answer
 *   `{ code: 0, message, request_id, data: { task_id, task_status: "submitted" } }`;
 *   `GET …/{kind}/{task_id}` answers `data.task_status` submitted → processing → succeed | failed,
 *   `data.task_status_msg`, `data.task_result.videos[0].url`. Errors carry a `code` other than 0.
 * - Veo (veo.ts) and Sora (sora.ts).
 *
 * Bodies are checked as the real APIs check them (required fields, types: Kling's duration is
 * a string, Seedance's an integer). A test scripts how each task goes with `script()`.
 */

const SEEDANCE_TASKS = '/seedance/v3/contents/generations/tasks';

const SEEDANCE_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'];
const SEEDANCE_RESOLUTIONS = ['480p', '720p', '1080p'];
const SEEDANCE_FIELDS = ['model', 'content', 'ratio', 'duration', 'resolution', 'watermark', 'generate_audio', 'seed', 'camera_fixed', 'return_last_frame', 'callback_url', 'service_tier'];
const IMAGE_ROLES = ['first_frame', 'last_frame', 'reference_image'];
const KLING_RATIOS = ['16:9', '9:16', '1:1'];
const KLING_FIELDS = ['model_name', 'prompt', 'negative_prompt', 'duration', 'mode', 'sound', 'aspect_ratio', 'cfg_scale', 'camera_control', 'callback_url', 'external_task_id', 'watermark_info'];
const KLING_IMAGE_FIELDS = ['image', 'image_tail', 'static_mask', 'dynamic_masks'];

function seedanceError(status: number, code: string, message: string): Answer {
	return { status, body: { error: { code, message, type: status === 400 ? 'BadRequest' : 'Error' } } };
}

function klingError(status: number, code: number, message: string): Answer {
	return { status, body: { code, message, request_id: randomBytes(8).toString('hex') } };
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


const seedanceApi: ProviderApi = {
	claims: (path) => path.startsWith('/seedance/'),
	route(method, path) {
		if (path === SEEDANCE_TASKS && method === 'POST') return { call: 'create', provider: 'seedance' };
		if (path.startsWith(`${SEEDANCE_TASKS}/`) && method === 'GET') {
			return { call: 'status', provider: 'seedance', id: decodeURIComponent(path.slice(SEEDANCE_TASKS.length + 1)) };
		}
		return undefined;
	},
	notFound: (method, path) => ({ status: 404, body: { error: { code: 'NotFound', message: `No route ${method} ${path}` } } }),
	create(tasks, script, _target, request) {
		const body = jsonObject(request);
		if (!body) return seedanceError(400, 'InvalidParameter', 'The request body must be a JSON object (Content-Type: application/json)');
		const problem = checkSeedance(body);
		if (problem) return problem;
		const id = `cgt-${Date.now()}-${randomBytes(3).toString('hex')}`;
		return { status: 200, body: { id: tasks.create('seedance', script, body, id).id } };
	},
	status(tasks, task) {
		if (!task || task.provider !== 'seedance') return seedanceError(404, 'ResourceNotFound', 'The specified task is not found');
		const step = tasks.advance(task);
		return { status: 200, body: seedanceTask(task, step === 'pending' ? 'queued' : step) };
	},
};

const klingApi: ProviderApi = {
	claims: (path) => path.startsWith('/kling/'),
	route(method, path) {
		const kling = /^\/kling\/v1\/videos\/(text2video|image2video)(?:\/([^/]+))?$/.exec(path);
		if (!kling) return undefined;
		const kind = kling[1] as KlingKind;
		if (!kling[2] && method === 'POST') return { call: 'create', provider: 'kling', kind };
		if (kling[2] && method === 'GET') return { call: 'status', provider: 'kling', kind, id: decodeURIComponent(kling[2]) };
		return undefined;
	},
	notFound: (method, path) => ({ status: 404, body: { error: { code: 'NotFound', message: `No route ${method} ${path}` } } }),
	create(tasks, script, target, request) {
		const body = jsonObject(request);
		if (!body) return klingError(400, 1200, 'Invalid request: the body must be a JSON object');
		const kind = target.kind as KlingKind;
		const problem = checkKling(body, kind);
		if (problem) return problem;
		if (script.rejectCreate) {
			const { code, message } = script.rejectCreate;
			return { status: 200, body: { code, message, request_id: randomBytes(8).toString('hex') } };
		}
		const id = `${Date.now()}${randomBytes(4).readUInt32BE(0)}`;
		return { status: 200, body: klingTask(tasks.create('kling', script, body, id, kind), 'submitted') };
	},
	status(tasks, task, target) {
		if (!task || task.provider !== 'kling' || task.kind !== target.kind) return klingError(404, 1203, 'Task not found');
		const step = tasks.advance(task);
		const kling = { pending: 'submitted', running: 'processing', succeeded: 'succeed', failed: 'failed', cancelled: 'failed', expired: 'failed' }[step];
		return { status: 200, body: klingTask(task, kling) };
	},
};

/** Seedance, Kling, Veo and Sora on one task store. */
export function createVideoApi(host: VideoApiHost): VideoApi {
	return createApi(host, [seedanceApi, klingApi, veoApi, soraApi]);
}
