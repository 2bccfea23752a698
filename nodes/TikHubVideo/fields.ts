import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Problem } from '../shared/items/problems';
import { number, readRequestPolicy, text } from '../shared/items/parameters';
import { isDataUrl, isHttpUrl, splitUrlList } from '../shared/media/url-list';
import { checkPathSegment } from '../shared/http/path-segment';
import { displayUrl } from '../shared/http/safe-url';
import type { RequestPolicy } from '../shared/http/transport';
import { kling } from './providers/kling';
import { seedance } from './providers/seedance';
import { sora } from './providers/sora';
import type { ProviderName, TaskIdSource, TaskKind, VideoOption, VideoProvider, VideoRequest } from './providers/types';
import { veo } from './providers/veo';
import { DEFAULT_POLL_INTERVAL_SECONDS, DEFAULT_MAX_WAIT_SECONDS, MAX_WAIT_LIMIT_SECONDS, DEFAULT_VIDEO_TIMEOUT_SECONDS } from './catalog';

/**
 * Reading one item's parameters: which provider and operation, the video's fields, and how
 * long to wait. Times are kept in milliseconds from here on.
 */

export const PROVIDERS: Record<ProviderName, VideoProvider> = { seedance, kling, veo, sora };

/** The options as the Options collection names them, for "… does not take" messages. */
const OPTION_NAMES: Record<VideoOption, string> = {
	duration: 'Duration (Seconds)',
	aspectRatio: 'Aspect Ratio',
	resolution: 'Resolution',
	watermark: 'Watermark',
	generateAudio: 'Generate Audio',
	seed: 'Seed',
	cameraFixed: 'Camera Fixed',
	mode: 'Mode',
	sound: 'Sound',
	negativePrompt: 'Negative Prompt',
	size: 'Size',
};

export type Operation = 'generate' | 'create' | 'get';

export interface Waiting {
	pollIntervalMs: number;
	maxWaitMs: number;
}

export interface VideoParameters {
	operation: Operation;
	providerName: ProviderName;
	provider: VideoProvider;
	/** For generate and create. */
	request: VideoRequest;
	binaryPropertyName: string;
	/** The Image URL field as a list (shared/media/url-list.ts); one is expected. */
	imageUrls: string[];
	/** For get. */
	taskId: string;
	/** For get with Kling: undefined means "try both kinds". */
	taskKind?: TaskKind;
	waiting: Waiting;
	binaryPropertyOutput: string;
	policy: Pick<RequestPolicy, 'timeoutMs' | 'maxRetries'>;
}

function flag(value: unknown): boolean | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return value === true || value === 'true';
}

/** Seconds (fractions allowed) -> milliseconds within limits; undefined or NaN -> the default. */
function seconds(value: unknown, min: number, max: number, fallback: number): number {
	const parsed = number(value);
	const valid = parsed !== undefined && Number.isFinite(parsed) ? parsed : fallback;
	return Math.round(Math.min(max, Math.max(min, valid)) * 1000);
}

/** Reads one item's parameters. An expression that fails throws here, for this item. */
export function readVideoParameters(ctx: IExecuteFunctions, itemIndex: number): VideoParameters {
	const param = (name: string, fallback: unknown = '') => ctx.getNodeParameter(name, itemIndex, fallback);
	const operation = param('operation', 'generate') as Operation;
	const named = String(param('provider', 'seedance'));
	const providerName: ProviderName = named in PROVIDERS ? (named as ProviderName) : 'seedance';
	const options = param('options', {}) as IDataObject;
	const creates = operation !== 'get';
	const imageSource = creates ? (String(param('imageSource', 'none')) as VideoRequest['imageSource']) : 'none';
	const taskType = providerName === 'kling' && !creates ? String(param('taskType', 'auto')) : 'auto';

	const request: VideoRequest = {
		model: creates ? (text(param('model')) ?? '') : '',
		prompt: creates ? String(param('prompt') ?? '') : '',
		imageSource: ['binary', 'url'].includes(imageSource) ? imageSource : 'none',
		duration: number(options.duration),
		aspectRatio: text(options.aspectRatio),
		resolution: text(options.resolution),
		watermark: flag(options.watermark),
		generateAudio: flag(options.generateAudio),
		seed: number(options.seed),
		cameraFixed: flag(options.cameraFixed),
		mode: text(options.mode),
		sound: flag(options.sound),
		negativePrompt: text(options.negativePrompt),
		size: text(options.size),
	};
	return {
		operation: ['create', 'get'].includes(operation) ? operation : 'generate',
		providerName,
		provider: PROVIDERS[providerName],
		request,
		binaryPropertyName: request.imageSource === 'binary' ? (text(param('binaryPropertyName', 'data')) ?? '') : '',
		imageUrls: request.imageSource === 'url' ? splitUrlList(param('imageUrl')) : [],
		taskId: creates ? '' : (text(param('taskId')) ?? ''),
		taskKind: taskType === 'text2video' || taskType === 'image2video' ? taskType : undefined,
		waiting: {
			pollIntervalMs: seconds(options.pollInterval, 0.1, 3600, DEFAULT_POLL_INTERVAL_SECONDS),
			maxWaitMs: seconds(options.maxWait, 0.1, MAX_WAIT_LIMIT_SECONDS, DEFAULT_MAX_WAIT_SECONDS),
		},
		binaryPropertyOutput: text(options.binaryPropertyOutput) ?? 'data',
		policy: readRequestPolicy(options, { timeoutSeconds: DEFAULT_VIDEO_TIMEOUT_SECONDS }),
	};
}

/** What is missing or malformed in the parameters themselves, whatever the provider. */
export function checkParameters(parameters: VideoParameters): Problem | undefined {
	if (parameters.operation === 'get') {
		if (parameters.taskId === '') {
			return { message: 'The Task ID is empty', description: 'Map the "taskId" of the Create Task output into "Task ID".' };
		}
		return checkTaskId(parameters.provider, parameters.taskId);
	}
	if (parameters.request.model === '') return { message: 'Choose a model' };
	if (parameters.request.imageSource === 'binary' && parameters.binaryPropertyName === '') {
		return { message: 'The Input Binary Field is empty', description: 'Name the binary field with the first-frame image, e.g. data.' };
	}
	if (parameters.request.imageSource === 'url') {
		const urls = parameters.imageUrls;
		const description = 'Give the full address of the first-frame image, starting with https://. The provider downloads it itself.';
		if (urls.length === 0) return { message: 'The Image URL is empty', description };
		if (urls.length > 1) {
			const listed = urls.slice(0, 2).map((url) => displayUrl(url, 80)).join(', ');
			return { message: `"Image URL" holds ${urls.length} URLs (${listed}${urls.length > 2 ? ', …' : ''}); the video takes one first frame`, description };
		}
		if (!isHttpUrl(urls[0]) && !isDataUrl(urls[0])) return { message: `The Image URL "${displayUrl(urls[0])}" is not an http(s) URL`, description };
	}
	for (const [name, value] of [['Duration', parameters.request.duration], ['Seed', parameters.request.seed]] as const) {
		if (value !== undefined && !Number.isFinite(value)) return { message: `"${name}" must be a number` };
	}
	return refusedOption(parameters);
}

/** An option the chosen provider does not take is refused, not dropped: the user set it for a reason. */
function refusedOption({ provider, request }: VideoParameters): Problem | undefined {
	const set = (Object.keys(OPTION_NAMES) as VideoOption[]).filter((option) => request[option] !== undefined);
	const refused = set.find((option) => !provider.options.includes(option));
	if (!refused) return undefined;
	const takers = Object.values(PROVIDERS).filter((each) => each.options.includes(refused)).map((each) => each.label);
	return {
		message: `${provider.label} does not take the option "${OPTION_NAMES[refused]}" (${takers.join(', ')} only)`,
		description: `Remove "${OPTION_NAMES[refused]}" from Options, or choose a provider that takes it.`,
	};
}

/**
 * A Task ID the provider can be asked about: its own check when it has one (an id that is not
 * put into a URL path), else the check of a URL path segment (no `/`, `?`, `#`, whitespace,
 * `.` or `..`), so an id can never move a request to another path.
 */
export function checkTaskId(provider: VideoProvider, taskId: string, when: TaskIdSource = 'get'): Problem | undefined {
	return provider.checkTaskId ? provider.checkTaskId(taskId, when) : checkPathSegment(taskId, 'Task ID');
}
