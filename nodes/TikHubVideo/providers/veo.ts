import type { IDataObject } from 'n8n-workflow';

import * as json from './json';
import { imageBytesProblem, imageFormatProblem } from './limits';
import { AnswerError, type TaskState, type VideoProvider } from './types';

/**
 * Google Veo through TikHub, which lists "Veo video generation — POST" and "Fetch Veo video
 * generation status — POST" (schemas VeoGenerateRequest, VeoOperationResponse,
 * VeoFetchOperationRequest). The paths and shapes are inferences from Google's long-running
 * operation API (../shared/tikhub/video-veo.md): a fix is one line here.
 *
 * - create: `POST /v1beta/models/{model}:predictLongRunning` with `{ instances: [{ prompt, image? }],
 *   parameters }` answers an operation `{ name: "models/<model>/operations/<id>" }`;
 * - status: `POST /v1beta/models/{model}:fetchPredictOperation` with `{ operationName }` answers
 *   the operation: `done`, and then `error` or `response` with the video in one of three shapes.
 */

const createPath = (model: string) => `/v1beta/models/${encodeURIComponent(model)}:predictLongRunning`;
const statusPath = (model: string) => `/v1beta/models/${encodeURIComponent(model)}:fetchPredictOperation`;

/** The model inside an operation name (Gemini API and Vertex AI spell it `…models/<model>/operations/<id>`). */
const OPERATION_NAME = /(?:^|\/)models\/([^/\s?#]+)\/operations\/[^/\s?#]+$/;


/** What Veo makes and takes (Google's Veo documentation). */
const LIMITS = {
	aspectRatios: ['16:9', '9:16'],
	resolutions: ['720p', '1080p'],
	/** Veo 3 and 3.1 make 4, 6 or 8 seconds; Veo 2 makes 5 to 8. */
	seconds: { min: 4, max: 8 },
	/** For an inline request image. */
	imageMegabytes: 20,
};

export const veo: VideoProvider = {
	label: 'Veo',
	// Google takes the first frame only as bytes: a URL is downloaded by the node, without the key.
	frame: { fromUrl: 'download', as: 'base64' },
	options: ['duration', 'aspectRatio', 'resolution', 'negativePrompt', 'generateAudio'],

	checkTaskId(taskId, when) {
		// After create the task exists and is billed: any name that can be sent is taken (operations/abc, a bare
		// id); the polls fall back to the request's model. Get Task reads the model from the name: the full shape.
		if (when === 'created') {
			return taskId === '' || /\s/.test(taskId) ? { message: `"${taskId.slice(0, 120)}" is not a Veo operation name` } : undefined;
		}
		if (/\s/.test(taskId) || !OPERATION_NAME.test(taskId)) {
			return {
				message: `"${taskId.slice(0, 120)}" is not a Veo operation name`,
				description: 'Veo task IDs look like models/veo-3.1-generate-preview/operations/abc123: map the whole "taskId" that Create Task returned.',
			};
		}
		return undefined;
	},

	checkRequest(request) {
		if (request.imageSource === 'none' && request.prompt.trim() === '') {
			return {
				message: 'The prompt is empty',
				description: 'Veo text-to-video needs a prompt that describes the video, or a first-frame image with "Image Source".',
			};
		}
		const { seconds, aspectRatios, resolutions } = LIMITS;
		if (request.duration !== undefined && !json.whole(request.duration, seconds.min, seconds.max)) {
			return { message: `Veo's duration must be a whole number of seconds from ${seconds.min} to ${seconds.max} (Veo 3: 4, 6 or 8); got ${request.duration}` };
		}
		if (request.aspectRatio !== undefined && !aspectRatios.includes(request.aspectRatio)) {
			return { message: `Veo's aspect ratio must be ${aspectRatios.join(' or ')}; got "${request.aspectRatio}"` };
		}
		if (request.resolution !== undefined && !resolutions.includes(request.resolution)) {
			return { message: `Veo's resolution must be ${resolutions.join(' or ')}; got "${request.resolution}"` };
		}
		return undefined;
	},

	checkImage: (image) => imageFormatProblem(image, 'Veo', ['jpeg', 'png']) ?? imageBytesProblem(image, 'Veo', LIMITS.imageMegabytes),

	taskKind: () => 'text2video',

	createPath: (_kind, request) => createPath(request.model),

	createBody(request, frame) {
		const image = frame && 'base64' in frame ? { bytesBase64Encoded: frame.base64, mimeType: frame.mimeType } : undefined;
		return {
			instances: [json.defined({ prompt: request.prompt.trim() === '' ? undefined : request.prompt, image })],
			// Only what the user set: some Veo models reject fields they do not know (n8n #17707).
			parameters: json.defined({
				durationSeconds: request.duration,
				aspectRatio: request.aspectRatio,
				resolution: request.resolution,
				negativePrompt: request.negativePrompt,
				generateAudio: request.generateAudio,
			}),
		};
	},

	parseCreated(body) {
		const task = parseOperation(body, '');
		return task.phase === 'pending' ? { ...task, status: 'queued' } : task;
	},

	pollPaths: () => [],

	pollCalls(taskId, model) {
		const named = modelOf(taskId) ?? model;
		if (!named) throw new AnswerError(`Veo operation ${taskId} does not name its model (models/<model>/operations/<id>)`);
		return [{ method: 'POST', path: statusPath(named), body: { operationName: taskId } }];
	},

	parseTask: (body, taskId) => parseOperation(body, taskId),
};

function modelOf(operationName: string): string | undefined {
	return OPERATION_NAME.exec(operationName)?.[1];
}

/** A Google long-running operation: still going, failed (`error`, or filtered), or done with a video. */
function parseOperation(body: unknown, taskId: string): TaskState {
	if (!json.isRecord(body)) throw new AnswerError(`Veo answered without an operation${taskId ? ` for ${taskId}` : ''}`);
	const name = json.stringOf(body.name) ?? (taskId || undefined);
	if (!name) throw new AnswerError('Veo answered without an operation name');
	const details: IDataObject = json.defined({ model: modelOf(name) });
	const error = json.isRecord(body.error) ? body.error : undefined;
	if (error) {
		const message = json.stringOf(error.message) ?? 'Veo gave no reason';
		const code = json.stringOf(error.code);
		return { taskId: name, phase: 'failed', status: 'failed', reason: code ? `${message} (code ${code})` : message, details };
	}
	if (body.done !== true && body.done !== 'true') return { taskId: name, phase: 'pending', status: 'running', details };

	const response = json.isRecord(body.response) ? body.response : {};
	const video = findVideo(response);
	if (!video) {
		const filtered = filteredBySafety(response);
		if (filtered) return { taskId: name, phase: 'failed', status: 'failed', reason: filtered, details };
	}
	return {
		taskId: name,
		phase: 'succeeded',
		status: 'succeeded',
		videoUrl: video?.url,
		videoBase64: video?.base64,
		details: json.defined({ ...details, gcsUri: video?.gcsUri }),
	};
}

interface FoundVideo {
	url?: string;
	base64?: string;
	gcsUri?: string;
}

/**
 * The first video, in whichever shape the gateway answers: Vertex AI's `videos[]`
 * (`bytesBase64Encoded` or `gcsUri`), the Gemini API's `generateVideoResponse.generatedSamples[]`,
 * or `generatedVideos[]` (`video.uri`, or the bytes inline).
 */
function findVideo(response: Record<string, unknown>): FoundVideo | undefined {
	const first = (list: unknown) => (Array.isArray(list) && json.isRecord(list[0]) ? list[0] : undefined);
	const vertex = first(response.videos);
	const gemini = json.isRecord(response.generateVideoResponse) ? first(response.generateVideoResponse.generatedSamples) : undefined;
	const generated = first(response.generatedVideos);
	for (const candidate of [vertex, json.isRecord(gemini?.video) ? gemini.video : undefined, json.isRecord(generated?.video) ? generated.video : undefined]) {
		if (!candidate) continue;
		const base64 = [candidate.bytesBase64Encoded, candidate.encodedVideo, candidate.videoBytes].find((value) => typeof value === 'string' && value !== '') as string | undefined;
		if (base64) return { base64 };
		const gcsUri = json.stringOf(candidate.gcsUri);
		// A gs:// object is read over HTTPS from storage.googleapis.com (it works for readable buckets).
		if (gcsUri) return { gcsUri, url: gcsUri.replace(/^gs:\/\//i, 'https://storage.googleapis.com/') };
		const uri = json.stringOf(candidate.uri);
		if (uri) return { url: uri };
	}
	return undefined;
}

/** "The safety filter removed …" when Google says it filtered the videos, else undefined. */
function filteredBySafety(response: Record<string, unknown>): string | undefined {
	const places = [response, json.isRecord(response.generateVideoResponse) ? response.generateVideoResponse : {}];
	for (const place of places) {
		const count = json.numberOf(place.raiMediaFilteredCount);
		const reasons = Array.isArray(place.raiMediaFilteredReasons) ? place.raiMediaFilteredReasons.map((reason) => json.stringOf(reason)).filter(Boolean) : [];
		if ((count ?? 0) > 0 || reasons.length > 0) {
			const what = count && count > 1 ? `${count} videos` : 'the video';
			return `Google's safety filter removed ${what}${reasons.length ? `: ${reasons.join('; ')}` : ' (no reason given)'}`;
		}
	}
	return undefined;
}
