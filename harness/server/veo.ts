import { randomBytes } from 'node:crypto';

import { detectFormat } from './images';
import { inlineImage, isRecord, jsonObject, type Answer, type ProviderApi, type VideoTask } from './video-tasks';

/**
 * Google Veo as TikHub is read to forward it (../shared/tikhub/video-veo.md): Google's
 * long-running operations.
 *
 * - `POST /v1beta/models/{model}:predictLongRunning` with `{ instances: [{ prompt, image? }], parameters }`
 *   answers `{ name: "models/{model}/operations/{id}" }`;
 * - `POST /v1beta/models/{model}:fetchPredictOperation` with `{ operationName }` answers the
 *   operation: without `done` while it runs, then `done: true` with `error`, or with `response`
 *   holding the video (inline base64 by default; a script picks the Gemini API's shapes), or
 *   `raiMediaFilteredCount` / `raiMediaFilteredReasons` when the safety filter removed it.
 */

const PATH = /^\/v1beta\/models\/([^/:]+):(predictLongRunning|fetchPredictOperation)$/;
const PARAMETERS = ['aspectRatio', 'durationSeconds', 'resolution', 'negativePrompt', 'generateAudio', 'sampleCount', 'personGeneration', 'seed', 'storageUri', 'enhancePrompt'];

function googleError(status: number, message: string): Answer {
	const names: Record<number, string> = { 400: 'INVALID_ARGUMENT', 404: 'NOT_FOUND' };
	return { status, body: { error: { code: status, message, status: names[status] ?? 'UNKNOWN' } } };
}

function checkVeo(model: string, body: Record<string, unknown>): Answer | undefined {
	const bad = (message: string) => googleError(400, message);
	if (!/^veo-/.test(model)) return googleError(404, `models/${model} is not found for API version v1beta, or is not supported for predictLongRunning.`);
	const unknown = Object.keys(body).find((key) => !['instances', 'parameters'].includes(key));
	if (unknown) return bad(`Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`);
	if (!Array.isArray(body.instances) || body.instances.length !== 1 || !isRecord(body.instances[0])) return bad('instances: exactly one instance is required');
	const instance = body.instances[0];
	const stray = Object.keys(instance).find((key) => !['prompt', 'image', 'lastFrame', 'referenceImages'].includes(key));
	if (stray) return bad(`Invalid JSON payload received. Unknown name "${stray}" at 'instances[0]': Cannot find field.`);
	if (instance.prompt !== undefined && typeof instance.prompt !== 'string') return bad('instances[0].prompt must be a string');
	if (instance.image === undefined && (typeof instance.prompt !== 'string' || instance.prompt.trim() === '')) return bad('A prompt is required for text-to-video.');
	if (instance.image !== undefined) {
		const image = instance.image;
		if (!isRecord(image) || typeof image.bytesBase64Encoded !== 'string' || typeof image.mimeType !== 'string') {
			return bad('instances[0].image needs bytesBase64Encoded and mimeType');
		}
		const bytes = inlineImage(image.bytesBase64Encoded);
		const format = bytes ? detectFormat(bytes) : undefined;
		if (!format || !['png', 'jpeg'].includes(format)) return bad('instances[0].image: the image must be a PNG or JPEG');
		if (image.mimeType !== `image/${format}`) return bad(`instances[0].image.mimeType ${image.mimeType} does not match the image (image/${format})`);
	}
	const parameters = body.parameters ?? {};
	if (!isRecord(parameters)) return bad('parameters must be an object');
	const unknownParameter = Object.keys(parameters).find((key) => !PARAMETERS.includes(key));
	if (unknownParameter) return bad(`Invalid JSON payload received. Unknown name "${unknownParameter}" at 'parameters': Cannot find field.`);
	const { durationSeconds, aspectRatio, resolution, generateAudio, negativePrompt } = parameters;
	if (durationSeconds !== undefined && (typeof durationSeconds !== 'number' || !Number.isInteger(durationSeconds) || durationSeconds < 4 || durationSeconds > 8)) {
		return bad(`durationSeconds: ${JSON.stringify(durationSeconds)} is out of bound [4, 8]`);
	}
	if (aspectRatio !== undefined && !['16:9', '9:16'].includes(String(aspectRatio))) return bad(`aspectRatio: ${String(aspectRatio)} is not supported`);
	if (resolution !== undefined && !['720p', '1080p'].includes(String(resolution))) return bad(`resolution: ${String(resolution)} is not supported`);
	if (generateAudio !== undefined && typeof generateAudio !== 'boolean') return bad('generateAudio must be a boolean');
	if (negativePrompt !== undefined && typeof negativePrompt !== 'string') return bad('negativePrompt must be a string');
	return undefined;
}

/** A done operation's `response` in the shape the task's script asks for. */
function doneResponse(task: VideoTask): Record<string, unknown> {
	const { filtered, veoShape = 'inline' } = task.script;
	if (filtered) return { '@type': 'type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse', raiMediaFilteredCount: 1, raiMediaFilteredReasons: filtered };
	if (veoShape === 'generateVideoResponse') return { generateVideoResponse: { generatedSamples: [{ video: { uri: task.videoUrl } }] } };
	if (veoShape === 'generatedVideos') return { generatedVideos: [{ video: { uri: task.videoUrl, mimeType: 'video/mp4' } }] };
	return {
		'@type': 'type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse',
		videos: [{ bytesBase64Encoded: task.video?.toString('base64'), mimeType: 'video/mp4' }],
	};
}

export const veoApi: ProviderApi = {
	claims: (path) => PATH.test(path),
	route(method, path, request) {
		const [, , verb] = PATH.exec(path) ?? [];
		if (method !== 'POST') return undefined;
		if (verb === 'predictLongRunning') return { call: 'create', provider: 'veo' };
		const body = jsonObject(request);
		return { call: 'status', provider: 'veo', id: typeof body?.operationName === 'string' ? body.operationName : '' };
	},
	notFound: (method, path) => googleError(404, `No route ${method} ${path}`),
	create(tasks, script, _target, request, path) {
		const model = decodeURIComponent(PATH.exec(path)?.[1] ?? '');
		const body = jsonObject(request);
		if (!body) return googleError(400, 'Invalid JSON payload received.');
		const problem = checkVeo(model, body);
		if (problem) return problem;
		const name = `models/${model}/operations/${randomBytes(6).toString('hex')}`;
		return { status: 200, body: { name: tasks.create('veo', script, body, name).id } };
	},
	status(tasks, task, target) {
		if (!target.id) return googleError(400, 'operationName is required');
		if (!task || task.provider !== 'veo') return googleError(404, `Operation ${target.id} not found`);
		const step = tasks.advance(task);
		if (step === 'pending' || step === 'running') return { status: 200, body: { name: task.id, metadata: { '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.GenerateVideoOperationMetadata' } } };
		if (step === 'succeeded' || task.script.filtered) return { status: 200, body: { name: task.id, done: true, response: doneResponse(task) } };
		return { status: 200, body: { name: task.id, done: true, error: { code: 3, message: task.script.fail ?? step } } };
	},
};
