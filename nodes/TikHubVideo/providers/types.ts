import type { IDataObject } from 'n8n-workflow';

import type { MultipartBody } from '../../shared/http/multipart';
import type { Problem } from '../../shared/items/problems';
import type { UploadFile } from '../../shared/media/binary-file';
import type { ImageInfo } from '../../shared/media/image-info';

/**
 * What the node asks of a video provider behind TikHub: how to create a task from the node's
 * fields, where to poll it, and how to read a task's answer. Seedance, Kling, Veo and Sora each
 * implement it in their own file; nothing else in the node knows a provider's paths or field names.
 */

export type ProviderName = 'seedance' | 'kling' | 'veo' | 'sora';

/** Kling keeps text-to-video and image-to-video tasks under separate paths. */
export type TaskKind = 'text2video' | 'image2video';

/** The node's fields for a new video. Undefined means "not set": the field is not sent. */
export interface VideoRequest {
	model: string;
	prompt: string;
	/** Where the first frame comes from; none for text-to-video. */
	imageSource: 'none' | 'binary' | 'url';
	duration?: number;
	aspectRatio?: string;
	resolution?: string;
	/** Seedance: `watermark`. */
	watermark?: boolean;
	/** Seedance: `generate_audio`. */
	generateAudio?: boolean;
	/** Seedance: `seed`. */
	seed?: number;
	/** Seedance: `camera_fixed`. */
	cameraFixed?: boolean;
	/** Kling: `mode` (std or pro). */
	mode?: string;
	/** Kling: `sound` ("on" / "off"). */
	sound?: boolean;
	/** Kling: `negative_prompt`; Veo: `parameters.negativePrompt`. */
	negativePrompt?: string;
	/** Sora: `size` (`1280x720`, …). */
	size?: string;
}

/** The option fields of a request (what `VideoProvider.options` lists). */
export type VideoOption = Exclude<keyof VideoRequest, 'model' | 'prompt' | 'imageSource'>;

/** The first-frame image as sent: a URL the provider fetches, or the bytes inline. */
export type FirstFrame = { url: string } | { base64: string; mimeType: string };

/** The first-frame image as a file for a multipart form (Sora's `input_reference`), with its size. */
export interface FrameFile extends UploadFile {
	width?: number;
	height?: number;
}

/** One TikHub call: a status check is a GET for most providers, a POST with a body for Veo. */
export interface ProviderCall {
	method: 'GET' | 'POST';
	path: string;
	body?: IDataObject | MultipartBody;
}

/** An input image's facts the providers' limits are about. */
export interface ImageFacts {
	label: string;
	info: ImageInfo;
	byteLength: number;
}

/** Where a Task ID comes from: Get Task's field, or a create's answer. */
export type TaskIdSource = 'get' | 'created';

/** Where a task stands: still going, or ended one way or the other. */
export type Phase = 'pending' | 'succeeded' | 'failed';

export interface TaskState {
	taskId: string;
	phase: Phase;
	/** One vocabulary for both providers: queued, running, succeeded, failed, cancelled, expired. */
	status: string;
	/** The status as the provider said it (Kling: submitted, processing, succeed, failed). */
	providerStatus?: string;
	videoUrl?: string;
	/**
	 * Where the video is when it is not at a URL of its own: a path on TikHub's host, fetched
	 * with the key (Sora's `/v1/videos/{id}/content`).
	 */
	videoPath?: string;
	/** The video itself as base64, when the answer carries it inline (Veo). Read once, then dropped. */
	videoBase64?: string;
	/** Why the task failed, in the provider's words. */
	reason?: string;
	/** What the provider reports about the video: model, duration, aspectRatio, resolution … */
	details: IDataObject;
}

/**
 * TikHub answered with a success status, but the body says the call failed (Kling's `code`
 * other than 0) or holds no task. Turned into a node error by the caller, which masks the key.
 */
export class AnswerError extends Error {}

/**
 * A status answer that is no task answer at all (no status, no `data`, another shape, or about
 * another task): while waiting it is skipped like a network failure, and only Max Wait ends the
 * wait. `answer` is a short, key-masked glimpse of the body, for the final error.
 */
export class OddAnswerError extends AnswerError {
	answer?: string;
}

export interface VideoProvider {
	/** As users know it: "Seedance", "Kling", "Veo", "Sora". */
	label: string;
	/** The options it takes; any other option that is set is refused before anything is sent. */
	options: VideoOption[];
	/**
	 * How it takes a first frame. `download`: an image given by URL is downloaded by the node
	 * (without the key) and checked like a binary one, since the provider takes only the bytes.
	 * `file`: the bytes go as a multipart file, not base64.
	 */
	frame?: { fromUrl?: 'pass' | 'download'; as?: 'base64' | 'file' };
	/** What the provider would reject in the fields, checked before anything is sent. */
	checkRequest(request: VideoRequest): Problem | undefined;
	/** What the provider would reject in the first-frame image (type, size; Sora: its size against `size`). */
	checkImage(image: ImageFacts, request: VideoRequest): Problem | undefined;
	taskKind(request: VideoRequest): TaskKind;
	createPath(kind: TaskKind, request: VideoRequest): string;
	/** The create call's body; `file` is given instead of `frame` when `frame.as` is `file`. */
	createBody(request: VideoRequest, frame?: FirstFrame, file?: FrameFile): IDataObject | MultipartBody;
	/** The create call's answer as the new task. Throws AnswerError when it holds none. */
	parseCreated(body: unknown): TaskState;
	/** Paths a task may be polled at with GET, in the order to try them (kind unknown: every kind's). */
	pollPaths(taskId: string, kind?: TaskKind): string[];
	/**
	 * Status checks that are not a plain GET (Veo: a POST with the operation name); replaces
	 * pollPaths. `model` is the request's, for a task id that does not name it.
	 */
	pollCalls?(taskId: string, model?: string): ProviderCall[];
	/**
	 * A poll's answer. Throws AnswerError when the body says the call failed (a provider error
	 * code), OddAnswerError when it holds no task (no status, no data, another shape).
	 */
	parseTask(body: unknown, taskId: string): TaskState;
	/**
	 * Checks a Task ID (Get Task's field, or the id a create answered) before any request. Leave
	 * it out when the id goes into a URL path: then the node's default applies
	 * (shared/http/path-segment.ts: no `/`, `?`, `#`, whitespace, `.` or `..`). A provider that
	 * sends the id elsewhere (Veo: an operation name with slashes in a JSON body) sets its own.
	 * `when`: `get` for Get Task's field, `created` for the id a create just answered (the task
	 * exists and is billed, so only what cannot be sent at all is refused).
	 */
	checkTaskId?(taskId: string, when: TaskIdSource): Problem | undefined;
}
