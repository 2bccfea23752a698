import { filePart, multipartBody } from '../../shared/http/multipart';
import * as json from './json';
import { imageFormatProblem } from './limits';
import { AnswerError, type Phase, type TaskState, type VideoProvider, type VideoRequest } from './types';
import { SORA_SIZES } from '../catalog';

/**
 * OpenAI Sora 2 through TikHub, which documents `POST /v1/videos` (stated, with a JSON example)
 * and lists OpenAI's Videos API around it; the status and content paths are OpenAI's
 * (../shared/tikhub/video-sora.md): a fix is one line here.
 *
 * - create: `POST /v1/videos` as JSON `{ model, prompt, seconds?, size? }`, or as multipart with
 *   the first frame as the `input_reference` file (OpenAI refuses it as a string);
 * - status: `GET /v1/videos/{id}`: `queued`, `in_progress` (with `progress`), `completed`, `failed`;
 * - video: `GET /v1/videos/{id}/content` on TikHub's host, with the key.
 */

const VIDEOS_PATH = '/v1/videos';
const videoPath = (id: string) => `${VIDEOS_PATH}/${encodeURIComponent(id)}`;


/** OpenAI's `seconds`, sent as a string. */
const SECONDS = [4, 8, 12];
const PRO_ONLY_SIZES = ['1792x1024', '1024x1792'];
/** Aspect Ratio, for users who do not pick a Size: the sora-2 size of that shape. */
const SIZE_OF_RATIO: Record<string, string> = { '16:9': '1280x720', '9:16': '720x1280' };

const STATUSES: Record<string, { status: string; phase: Phase }> = {
	queued: { status: 'queued', phase: 'pending' },
	in_progress: { status: 'running', phase: 'pending' },
	completed: { status: 'succeeded', phase: 'succeeded' },
	failed: { status: 'failed', phase: 'failed' },
	// Ended without a video too: counting them as pending would wait out Max Wait for nothing.
	cancelled: { status: 'cancelled', phase: 'failed' },
	canceled: { status: 'cancelled', phase: 'failed' },
	expired: { status: 'expired', phase: 'failed' },
};

const isPro = (model: string) => /^sora-2-pro\b/i.test(model);

/** The size asked for: Size, else the Aspect Ratio's; undefined leaves it to OpenAI (720x1280). */
function requestedSize(request: VideoRequest): string | undefined {
	return request.size ?? (request.aspectRatio ? SIZE_OF_RATIO[request.aspectRatio] : undefined);
}

export const sora: VideoProvider = {
	label: 'Sora',
	options: ['duration', 'aspectRatio', 'size'],
	// OpenAI takes the first frame only as an uploaded file: a URL is downloaded by the node.
	frame: { fromUrl: 'download', as: 'file' },

	checkRequest(request) {
		if (request.prompt.trim() === '') {
			return { message: 'The prompt is empty', description: 'Sora needs a prompt that describes the video, also with a first-frame image.' };
		}
		if (request.duration !== undefined && !SECONDS.includes(request.duration)) {
			return { message: `Sora's duration must be 4, 8 or 12 seconds; got ${request.duration}` };
		}
		if (request.aspectRatio !== undefined && !SIZE_OF_RATIO[request.aspectRatio]) {
			return {
				message: `Sora's aspect ratio must be 16:9 (1280x720) or 9:16 (720x1280); got "${request.aspectRatio}"`,
				description: 'For other sizes set Options > Size instead.',
			};
		}
		if (request.size !== undefined) {
			if (!SORA_SIZES.includes(request.size)) {
				return { message: `Sora's size must be one of ${SORA_SIZES.join(', ')}; got "${request.size}"` };
			}
			if (PRO_ONLY_SIZES.includes(request.size) && !isPro(request.model)) {
				return { message: `Sora's size ${request.size} is made only by sora-2-pro; ${request.model} makes 1280x720 or 720x1280` };
			}
			const ratioSize = request.aspectRatio ? SIZE_OF_RATIO[request.aspectRatio] : undefined;
			if (ratioSize && landscape(ratioSize) !== landscape(request.size)) {
				return {
					message: `Sora's size ${request.size} and aspect ratio ${request.aspectRatio} disagree`,
					description: 'Remove "Aspect Ratio" from Options: Size sets the shape.',
				};
			}
		}
		return undefined;
	},

	checkImage(image, request) {
		const format = imageFormatProblem(image, 'Sora', ['jpeg', 'png', 'webp']);
		if (format) return format;
		const { width, height } = image.info;
		if (width === undefined || height === undefined) {
			return { message: `The size of the image ${image.label} could not be read; Sora needs it to equal the video's size` };
		}
		const actual = `${width}x${height}`;
		const wanted = requestedSize(request);
		const sizes = isPro(request.model) ? SORA_SIZES : SORA_SIZES.filter((size) => !PRO_ONLY_SIZES.includes(size));
		if (wanted === undefined ? !sizes.includes(actual) : actual !== wanted) {
			return {
				message: wanted
					? `The image ${image.label} is ${actual}; Sora needs the first frame to be exactly the video's size, ${wanted}`
					: `The image ${image.label} is ${actual}; Sora needs the first frame to be exactly one of its video sizes (${sizes.join(', ')})`,
				description: 'Resize or crop the image to the video size first (e.g. with the Edit Image node), or choose the Size that matches the image.',
			};
		}
		return undefined;
	},

	taskKind: () => 'image2video',

	createPath: () => VIDEOS_PATH,

	createBody(request, _frame, file) {
		// Without Size or Aspect Ratio, a first frame that is one of Sora's sizes sets the size.
		const size = requestedSize(request) ?? (file?.width && file.height ? `${file.width}x${file.height}` : undefined);
		const fields = json.defined({
			model: request.model,
			prompt: request.prompt,
			seconds: request.duration === undefined ? undefined : String(request.duration),
			size,
		});
		if (!file) return fields;
		// OpenAI takes input_reference only as a file part (a string is refused).
		return multipartBody([...Object.entries(fields).map(([name, value]) => ({ name, value: String(value) })), filePart('input_reference', file)]);
	},

	parseCreated: (body) => parseVideo(body, ''),

	pollPaths: (taskId) => [videoPath(taskId)],

	parseTask: (body, taskId) => parseVideo(body, taskId),
};

function landscape(size: string): boolean {
	const [width, height] = size.split('x').map(Number);
	return width > height;
}

/** OpenAI's video object. */
function parseVideo(body: unknown, taskId: string): TaskState {
	if (!json.isRecord(body)) throw new AnswerError(`Sora answered without a video${taskId ? ` for ${taskId}` : ''}`);
	const id = json.stringOf(body.id) ?? (taskId || undefined);
	if (!id) throw new AnswerError('Sora answered without a video id');
	const providerStatus = json.stringOf(body.status);
	const { status, phase } = statusOf(providerStatus);
	const details = json.defined({
		model: json.stringOf(body.model),
		progress: json.numberOf(body.progress),
		duration: json.numberOf(body.seconds),
		size: json.stringOf(body.size),
		createdAt: json.isoTime(body.created_at, 's'),
		completedAt: json.isoTime(body.completed_at, 's'),
		expiresAt: json.isoTime(body.expires_at, 's'),
	});
	const task: TaskState = { taskId: id, phase, status, providerStatus, details };
	if (phase === 'succeeded') task.videoPath = `${videoPath(id)}/content`;
	if (phase === 'failed') task.reason = failureReason(json.isRecord(body.error) ? body.error : {}, providerStatus);
	return task;
}

/**
 * Right after creation OpenAI says "queued"; status words are matched in any case; a status this node does not
 * know yet counts as still going.
 */
function statusOf(providerStatus: string | undefined): { status: string; phase: Phase } {
	const word = providerStatus ?? 'queued';
	return json.statusIn(STATUSES, word) ?? { status: word, phase: 'pending' };
}

function failureReason(error: Record<string, unknown>, providerStatus: string | undefined): string {
	const message = json.stringOf(error.message);
	const code = json.stringOf(error.code);
	if (message) return code && !message.includes(code) ? `${message} (${code})` : message;
	if (code) return code;
	const status = statusOf(providerStatus).status;
	return status === 'failed' ? 'Sora gave no reason' : `Sora says the task is ${providerStatus}, without a reason`;
}
