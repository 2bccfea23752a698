import { randomBytes } from 'node:crypto';

import { readImageSize } from './images';
import { openAiError } from './respond';
import { jsonObject, type Answer, type ProviderApi, type VideoTask } from './video-tasks';

/**
 * OpenAI's Videos API (Sora 2) as TikHub documents it (../shared/tikhub/video-sora.md):
 *
 * - `POST /v1/videos`, JSON `{ model, prompt, seconds?, size? }` or multipart with the first
 *   frame as the `input_reference` file (a string there is refused, as OpenAI does), answers the
 *   video object with `status: "queued"`;
 * - `GET /v1/videos/{id}`: `queued` → `in_progress` (with `progress`) → `completed` | `failed`
 *   (`error: { code, message }`);
 * - `GET /v1/videos/{id}/content`: the MP4, once completed.
 */

const PATH = /^\/v1\/videos(?:\/([^/]+)(\/content)?)?$/;
const FIELDS = ['model', 'prompt', 'seconds', 'size', 'input_reference'];
const SIZES = ['720x1280', '1280x720', '1024x1792', '1792x1024'];

const bad = (message: string, param: string | null = null): Answer => ({ status: 400, body: openAiError(message, param, 'invalid_value') });

/** The create fields, from JSON or from a multipart form; a problem as an answer. */
function readCreate(request: Parameters<ProviderApi['create']>[3]): { fields: Record<string, unknown> } | { problem: Answer } {
	const multipart = /^multipart\/form-data/i.test(String(request.headers['content-type'] ?? ''));
	const fields = multipart ? (request.parseError ? undefined : { ...request.fields }) : jsonObject(request);
	return fields ? { fields } : { problem: bad('The body must be a JSON object or a multipart/form-data form') };
}

function checkSora(fields: Record<string, unknown>, request: Parameters<ProviderApi['create']>[3]): Answer | undefined {
	const unknown = [...Object.keys(fields), ...request.files.map((file) => file.field)].find((key) => !FIELDS.includes(key));
	if (unknown) return bad(`Unrecognized request argument supplied: ${unknown}`, unknown);
	if (!['sora-2', 'sora-2-pro'].includes(String(fields.model))) return bad(`Invalid value for 'model': ${String(fields.model)}`, 'model');
	if (typeof fields.prompt !== 'string' || fields.prompt.trim() === '') return bad("Missing required parameter: 'prompt'.", 'prompt');
	if (fields.seconds !== undefined && (typeof fields.seconds !== 'string' || !['4', '8', '12'].includes(fields.seconds))) {
		return bad(`Invalid value for 'seconds': expected one of '4', '8', '12', got ${JSON.stringify(fields.seconds)}.`, 'seconds');
	}
	const size = fields.size ?? '720x1280';
	if (typeof size !== 'string' || !SIZES.includes(size)) return bad(`Invalid value for 'size': ${JSON.stringify(size)}.`, 'size');
	if (fields.model === 'sora-2' && ['1024x1792', '1792x1024'].includes(size)) return bad(`size ${size} is only supported by sora-2-pro`, 'size');
	if (typeof fields.input_reference === 'string') return bad("Invalid type for 'input_reference': expected a file, but got a string instead.", 'input_reference');
	const reference = request.files.find((file) => file.field === 'input_reference');
	if (reference) {
		const found = readImageSize(reference.bytes);
		if (!found) return bad('input_reference must be a JPEG, PNG or WebP image', 'input_reference');
		if (`${found.width}x${found.height}` !== size) return bad('Inpaint image must match the requested width and height', 'input_reference');
	}
	return undefined;
}

function videoObject(task: VideoTask, status: string): Record<string, unknown> {
	const seconds = (ms: number) => Math.floor(ms / 1000);
	return {
		id: task.id,
		object: 'video',
		model: task.body.model,
		status,
		progress: { queued: 0, in_progress: 40, completed: 100, failed: 0 }[status] ?? 0,
		created_at: seconds(task.createdAt),
		...(status === 'completed' ? { completed_at: seconds(Date.now()), expires_at: seconds(Date.now()) + 3600 } : {}),
		size: task.body.size ?? '720x1280',
		seconds: task.body.seconds ?? '4',
		quality: 'standard',
		error: status === 'failed' ? { code: 'moderation_blocked', message: task.script.fail } : null,
	};
}

export const soraApi: ProviderApi = {
	claims: (path) => PATH.test(path),
	route(method, path) {
		const [, id, content] = PATH.exec(path) ?? [];
		if (!id) return method === 'POST' ? { call: 'create', provider: 'sora' } : undefined;
		if (method !== 'GET') return undefined;
		return { call: content ? 'content' : 'status', provider: 'sora', id: decodeURIComponent(id) };
	},
	notFound: (method, path) => ({ status: 404, body: openAiError(`Invalid URL (${method} ${path})`) }),
	create(tasks, script, _target, request) {
		const read = readCreate(request);
		if ('problem' in read) return read.problem;
		const { fields } = read;
		const problem = checkSora(fields, request);
		if (problem) return problem;
		const seconds = fields.seconds === undefined ? undefined : Number(fields.seconds);
		const body = { ...fields, ...(seconds ? { duration: seconds } : {}) };
		const task = tasks.create('sora', script, body, `video_${randomBytes(12).toString('hex')}`);
		return { status: 200, body: videoObject(task, 'queued') };
	},
	status(tasks, task) {
		if (!task || task.provider !== 'sora') return { status: 404, body: openAiError('Video not found', null, 'not_found') };
		const step = tasks.advance(task);
		const status = { pending: 'queued', running: 'in_progress', succeeded: 'completed', failed: 'failed', cancelled: 'failed', expired: 'failed' }[step];
		return { status: 200, body: videoObject(task, status) };
	},
	content(_tasks, task) {
		if (!task || task.provider !== 'sora') return { status: 404, body: openAiError('Video not found', null, 'not_found') };
		if (!task.video || task.script.expiredUrl) return { status: 404, body: openAiError('Video content is not available', null, 'not_found') };
		return { status: 200, body: task.video, contentType: 'video/mp4' };
	},
};
