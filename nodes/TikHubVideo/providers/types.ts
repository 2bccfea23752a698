import type { IDataObject } from 'n8n-workflow';

import type { Problem } from '../../shared/items/problems';
import type { ImageInfo } from '../../shared/media/image-info';

/**
 * What the node asks of a video provider behind TikHub: how to create a task from the node's
 * fields, where to poll it, and how to read a task's answer. Seedance and Kling each implement
 * it in their own file; nothing else in the node knows a provider's field names.
 */

export type ProviderName = 'seedance' | 'kling';

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
	/** Kling: `negative_prompt`. */
	negativePrompt?: string;
}

/** The first-frame image as sent: a URL the provider fetches, or the bytes inline. */
export type FirstFrame = { url: string } | { base64: string; mimeType: string };

/** An input image's facts the providers' limits are about. */
export interface ImageFacts {
	label: string;
	info: ImageInfo;
	byteLength: number;
}

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
	/** As users know it: "Seedance", "Kling". */
	label: string;
	/** What the provider would reject in the fields, checked before anything is sent. */
	checkRequest(request: VideoRequest): Problem | undefined;
	/** What the provider would reject in the first-frame image (type, size). */
	checkImage(image: ImageFacts): Problem | undefined;
	taskKind(request: VideoRequest): TaskKind;
	createPath(kind: TaskKind): string;
	createBody(request: VideoRequest, frame?: FirstFrame): IDataObject;
	/** The create call's answer as the new task. Throws AnswerError when it holds none. */
	parseCreated(body: unknown): TaskState;
	/** Paths a task may be polled at, in the order to try them (kind unknown: every kind's). */
	pollPaths(taskId: string, kind?: TaskKind): string[];
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
	 */
	checkTaskId?(taskId: string): Problem | undefined;
}
