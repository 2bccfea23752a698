import type { IDataObject } from 'n8n-workflow';

import * as json from './json';
import { imageBytesProblem, imageFormatProblem } from './limits';
import { AnswerError, OddAnswerError, type Phase, type TaskKind, type VideoProvider } from './types';

/**
 * Kuaishou Kling through TikHub, which forwards Kling's own API: `POST /kling/v1/videos/text2video`
 * (stated by TikHub) and `…/image2video` create a task; `GET …/{kind}/{task_id}` answers it.
 * Every answer is wrapped as `{ code, message, data }`, and `code` other than 0 is a failure
 * even with HTTP 200.
 */

const VIDEOS_PATH = '/kling/v1/videos';


/** Kling's statuses in the node's one vocabulary (Seedance's), and whether the task has ended. */
const STATUSES: Record<string, { status: string; phase: Phase }> = {
	submitted: { status: 'queued', phase: 'pending' },
	processing: { status: 'running', phase: 'pending' },
	succeed: { status: 'succeeded', phase: 'succeeded' },
	succeeded: { status: 'succeeded', phase: 'succeeded' },
	failed: { status: 'failed', phase: 'failed' },
};

const ASPECT_RATIOS = ['16:9', '9:16', '1:1'];
const MAX_PROMPT_CHARACTERS = 2500;
const MAX_IMAGE_MEGABYTES = 10;
const MIN_IMAGE_SIDE = 300;

export const kling: VideoProvider = {
	label: 'Kling',
	options: ['duration', 'aspectRatio', 'mode', 'sound', 'negativePrompt'],

	checkRequest(request) {
		const characters = [...request.prompt].length;
		if (request.imageSource === 'none' && request.prompt.trim() === '') {
			return { message: 'The prompt is empty', description: 'Kling text-to-video needs a prompt that describes the video.' };
		}
		if (characters > MAX_PROMPT_CHARACTERS) {
			return { message: `The prompt is ${characters} characters long; Kling takes at most ${MAX_PROMPT_CHARACTERS}` };
		}
		if (request.duration !== undefined && !json.whole(request.duration, 1, 60)) {
			return { message: `"Duration" must be a whole number of seconds (Kling: 5 or 10); got ${request.duration}` };
		}
		if (request.aspectRatio !== undefined) {
			if (request.imageSource !== 'none') {
				return {
					message: 'Kling takes the aspect ratio of an image-to-video from the image',
					description: 'Remove "Aspect Ratio" from Options, or crop the image to the ratio you want.',
				};
			}
			if (!ASPECT_RATIOS.includes(request.aspectRatio)) {
				return { message: `Kling's aspect ratio must be one of ${ASPECT_RATIOS.join(', ')}; got "${request.aspectRatio}"` };
			}
		}
		if (request.mode !== undefined && !['std', 'pro'].includes(request.mode)) {
			return { message: `Kling's mode must be "std" or "pro"; got "${request.mode}"` };
		}
		return undefined;
	},

	checkImage(image) {
		const problem = imageFormatProblem(image, 'Kling', ['jpeg', 'png']) ?? imageBytesProblem(image, 'Kling', MAX_IMAGE_MEGABYTES);
		if (problem) return problem;
		const { width, height } = image.info;
		if (width !== undefined && height !== undefined && Math.min(width, height) < MIN_IMAGE_SIDE) {
			return {
				message: `The image ${image.label} is ${width}x${height}; Kling needs at least ${MIN_IMAGE_SIDE} pixels on each side`,
				description: 'Use a larger image, or enlarge it first, e.g. with the Edit Image node.',
			};
		}
		return undefined;
	},

	taskKind: (request) => (request.imageSource === 'none' ? 'text2video' : 'image2video'),

	createPath: (kind) => `${VIDEOS_PATH}/${kind}`,

	createBody(request, frame) {
		return json.defined({
			model_name: request.model,
			// Inline images go as bare base64 (no data: prefix), as Kling takes them.
			image: frame ? ('url' in frame ? frame.url : frame.base64) : undefined,
			prompt: request.prompt.trim() === '' ? undefined : request.prompt,
			negative_prompt: request.negativePrompt,
			// Kling wants the duration as a string: "5", not 5.
			duration: request.duration === undefined ? undefined : String(request.duration),
			mode: request.mode,
			sound: request.sound === undefined ? undefined : request.sound ? 'on' : 'off',
			aspect_ratio: frame ? undefined : request.aspectRatio,
		});
	},

	parseCreated(body) {
		return parseData(body, '');
	},

	pollPaths(taskId, kind) {
		const kinds: TaskKind[] = kind ? [kind] : ['text2video', 'image2video'];
		return kinds.map((each) => `${VIDEOS_PATH}/${each}/${encodeURIComponent(taskId)}`);
	},

	parseTask: (body, taskId) => parseData(body, taskId),
};

/** Kling's `{ code, message, data }`: the task in `data`, or the failure `code` and `message` say. */
function parseData(body: unknown, taskId: string) {
	if (!json.isRecord(body)) throw new OddAnswerError('Kling answered without a task');
	const code = body.code;
	if (code !== undefined && code !== null && String(code) !== '0') {
		const about = taskId ? ` (task ${taskId})` : '';
		throw new AnswerError(`Kling error ${String(code)}${about}: ${json.stringOf(body.message) ?? 'no message given'}`);
	}
	const data = json.isRecord(body.data) ? body.data : undefined;
	const id = json.stringOf(data?.task_id) ?? (taskId || undefined);
	if (!data || !id) throw new OddAnswerError(`Kling answered without a task${taskId ? ` (task ${taskId})` : ' id'}`);
	const providerStatus = json.stringOf(data.task_status);
	// A status check must say where the task stands; right after creation Kling may not yet.
	if (taskId && !providerStatus) throw new OddAnswerError(`Kling answered without a status for task ${taskId}`);
	// Right after creation Kling says "submitted"; a status not known yet counts as still going.
	const known = json.statusIn(STATUSES, providerStatus ?? 'submitted') ?? { status: providerStatus ?? 'queued', phase: 'pending' };
	const result = json.isRecord(data.task_result) ? data.task_result : {};
	const video = Array.isArray(result.videos) && json.isRecord(result.videos[0]) ? result.videos[0] : {};
	const info = json.isRecord(data.task_info) ? data.task_info : {};
	return {
		taskId: id,
		phase: known.phase,
		status: known.status,
		providerStatus,
		videoUrl: json.stringOf(video.url),
		reason: known.phase === 'failed' ? (json.stringOf(data.task_status_msg) ?? 'Kling gave no reason') : undefined,
		details: json.defined({
			model: json.stringOf(data.model_name),
			duration: json.numberOf(video.duration),
			videoId: json.stringOf(video.id),
			watermarkUrl: json.stringOf(video.watermark_url),
			externalTaskId: json.stringOf(info.external_task_id),
			createdAt: json.isoTime(data.created_at, 'ms'),
			updatedAt: json.isoTime(data.updated_at, 'ms'),
		}) as IDataObject,
	};
}
