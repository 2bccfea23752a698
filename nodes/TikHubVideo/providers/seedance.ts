import type { IDataObject } from 'n8n-workflow';

import * as json from './json';
import { imageBytesProblem } from './limits';
import { AnswerError, OddAnswerError, type Phase, type VideoProvider } from './types';

/**
 * ByteDance Seedance through TikHub, which forwards ByteDance Ark's content-generation task API:
 * `POST /seedance/v3/contents/generations/tasks` (stated by TikHub) creates a task from
 * `content` parts; `GET …/tasks/{id}` (Ark's retrieve path) answers the task object with
 * `status`, `content.video_url` and `error.message`.
 */

const TASKS_PATH = '/seedance/v3/contents/generations/tasks';


/** Ark's statuses: the one vocabulary the node shows, and whether the task has ended. */
const STATUSES: Record<string, Phase> = {
	queued: 'pending',
	running: 'pending',
	succeeded: 'succeeded',
	failed: 'failed',
	cancelled: 'failed',
	expired: 'failed',
};

/** Ark takes inline images up to 30 MB. */
const MAX_IMAGE_MEGABYTES = 30;

export const seedance: VideoProvider = {
	label: 'Seedance',
	options: ['duration', 'aspectRatio', 'resolution', 'watermark', 'generateAudio', 'seed', 'cameraFixed'],

	checkRequest(request) {
		if (request.imageSource === 'none' && request.prompt.trim() === '') {
			return {
				message: 'The prompt is empty',
				description: 'Describe the video in "Prompt", or give a first-frame image with "Image Source".',
			};
		}
		// -1 lets Seedance 1.5 Pro pick the length itself.
		if (request.duration !== undefined && !(request.duration === -1 || json.whole(request.duration, 1, 60))) {
			return { message: `"Duration" must be a whole number of seconds (e.g. 5); got ${request.duration}` };
		}
		if (request.aspectRatio !== undefined && !/^(adaptive|\d{1,2}:\d{1,2})$/.test(request.aspectRatio)) {
			return { message: `"Aspect Ratio" must be like 16:9, or "adaptive"; got "${request.aspectRatio}"` };
		}
		if (request.resolution !== undefined && !/^\d{3,4}p$/.test(request.resolution)) {
			return { message: `"Resolution" must be like 720p; got "${request.resolution}"` };
		}
		if (request.seed !== undefined && !json.whole(request.seed, -1, 4294967295)) {
			return { message: `"Seed" must be a whole number from -1 to 4294967295; got ${request.seed}` };
		}
		return undefined;
	},

	checkImage(image) {
		return imageBytesProblem(image, 'Seedance', MAX_IMAGE_MEGABYTES);
	},

	taskKind: () => 'text2video',

	createPath: () => TASKS_PATH,

	createBody(request, frame) {
		const content: IDataObject[] = [];
		if (request.prompt.trim() !== '') content.push({ type: 'text', text: request.prompt });
		if (frame) {
			// Inline images go as a data: URI in image_url.url, as Ark takes them.
			const url = 'url' in frame ? frame.url : `data:${frame.mimeType};base64,${frame.base64}`;
			content.push({ type: 'image_url', image_url: { url }, role: 'first_frame' });
		}
		return json.defined({
			model: request.model,
			content,
			ratio: request.aspectRatio,
			duration: request.duration,
			resolution: request.resolution,
			watermark: request.watermark,
			generate_audio: request.generateAudio,
			seed: request.seed,
			camera_fixed: request.cameraFixed,
		});
	},

	parseCreated(body) {
		const taskId = json.isRecord(body) ? json.stringOf(body.id) : undefined;
		if (!taskId) throw new AnswerError('Seedance answered without a task id');
		const providerStatus = json.stringOf((body as IDataObject).status);
		return {
			taskId,
			phase: 'pending',
			status: providerStatus ?? 'queued',
			providerStatus,
			details: {},
		};
	},

	pollPaths: (taskId) => [`${TASKS_PATH}/${encodeURIComponent(taskId)}`],

	parseTask(body, taskId) {
		if (!json.isRecord(body)) throw new OddAnswerError(`Seedance answered without task ${taskId}`);
		const providerStatus = json.stringOf(body.status);
		if (!providerStatus) throw new OddAnswerError(`Seedance answered without a status for task ${taskId}`);
		const content = json.isRecord(body.content) ? body.content : {};
		const error = json.isRecord(body.error) ? body.error : {};
		// A status this node does not know yet is taken as still going: the wait ends at Max Wait.
		const phase = json.statusIn(STATUSES, providerStatus) ?? 'pending';
		const status = json.statusIn(STATUSES, providerStatus) ? providerStatus.toLowerCase() : providerStatus;
		return {
			taskId: json.stringOf(body.id) ?? taskId,
			phase,
			status,
			providerStatus,
			videoUrl: json.stringOf(content.video_url),
			reason: phase === 'failed' ? failureReason(status, error) : undefined,
			details: json.defined({
				model: json.stringOf(body.model),
				duration: json.numberOf(body.duration),
				aspectRatio: json.stringOf(body.ratio),
				resolution: json.stringOf(body.resolution),
				framesPerSecond: json.numberOf(body.framespersecond),
				seed: json.numberOf(body.seed),
				lastFrameUrl: json.stringOf(content.last_frame_url),
				usage: json.isRecord(body.usage) ? (body.usage as IDataObject) : undefined,
				createdAt: json.isoTime(body.created_at, 's'),
				updatedAt: json.isoTime(body.updated_at, 's'),
			}),
		};
	},
};

function failureReason(status: string, error: Record<string, unknown>): string {
	const message = json.stringOf(error.message);
	const code = json.stringOf(error.code);
	if (message) return code && !message.includes(code) ? `${message} (${code})` : message;
	if (code) return code;
	if (status === 'cancelled') return 'the task was cancelled';
	if (status === 'expired') return 'the task expired at Seedance before it finished';
	return 'Seedance gave no reason';
}
