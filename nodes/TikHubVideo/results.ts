import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { clip } from '../shared/http/error-messages';
import { readCredentials, redactKey } from '../shared/http/credentials';
import { downloadFile } from '../shared/http/download';
import type { RequestPolicy } from '../shared/http/transport';
import { base64ByteLength, binaryFromBase64, decodeBase64Head } from '../shared/media/base64-binary';
import type { ProviderName, TaskState, VideoRequest } from './providers/types';

/**
 * A task as output: its JSON (the same keys for both providers), and once it has succeeded the
 * video itself as binary `video/mp4`, downloaded at once because result URLs expire.
 */

export interface TaskContext {
	providerName: ProviderName;
	label: string;
	/** Known for generate (the request's fields fill what the task answer leaves out). */
	request?: VideoRequest;
	/** Kling: text2video or image2video, the path family the task lives under. */
	taskType?: string;
}

/** The keys every output of a task carries, for the next node or an AI agent. */
export function taskJson(task: TaskState, context: TaskContext): IDataObject {
	const { details, taskId, status, providerStatus, videoUrl } = task;
	const request = context.request;
	return {
		taskId,
		status,
		...(providerStatus && providerStatus !== status ? { providerStatus } : {}),
		provider: context.providerName,
		...(context.taskType ? { taskType: context.taskType } : {}),
		model: details.model ?? (request?.model || null),
		// The interface promises `videoUrl` on a finished task: null when there is none (Veo's inline video).
		...(videoUrl ? { videoUrl } : task.phase === 'pending' ? {} : { videoUrl: null }),
		...defaults(details, {
			duration: request?.duration,
			aspectRatio: request?.aspectRatio,
			resolution: request?.resolution,
		}),
	};
}

/** The task's details, with the request's values where the answer does not say. */
function defaults(details: IDataObject, requested: IDataObject): IDataObject {
	const merged: IDataObject = {};
	for (const [key, value] of Object.entries(requested)) if (value !== undefined) merged[key] = value;
	for (const [key, value] of Object.entries(details)) if (key !== 'model' && value !== undefined) merged[key] = value;
	return merged;
}

export function statusItem(itemIndex: number, task: TaskState, context: TaskContext): INodeExecutionData {
	return { json: taskJson(task, context), pairedItem: { item: itemIndex } };
}

/** A task that ended without a video: an error with the provider's own reason. */
export async function failedTaskError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	task: TaskState,
	context: TaskContext,
): Promise<NodeApiError> {
	const reason = await redactKey(ctx, itemIndex, task.reason ?? 'no reason given');
	const message = clip(`${context.label} task ${task.taskId} ${task.status === 'failed' ? 'failed' : `ended as "${task.status}"`}: ${reason}`);
	return apiError(ctx, itemIndex, message, {
		description: 'The provider did not make this video. Change what the reason points at (often the prompt or the image) and run the item again: each new task is billed.',
		itemJson: { ...taskJson(task, context), reason },
	});
}

/** How long each provider keeps a result (the providers' documented retention). */
const KEPT: Record<ProviderName, string> = {
	seedance: 'Seedance keeps results for about 24 hours',
	kling: 'Kling keeps results for about 30 days',
	veo: 'Google keeps Veo videos for about 2 days',
	sora: 'OpenAI keeps Sora videos for about an hour after they are done',
};

/** Downloads a succeeded task's video (or decodes it, when the answer holds it) and makes the output item. */
export async function videoItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	task: TaskState,
	context: TaskContext & { binaryPropertyOutput: string; policy: RequestPolicy },
): Promise<INodeExecutionData> {
	const fileName = `${task.taskId.replace(/[^\w.-]+/g, '_')}.mp4`;
	// Veo may answer with the video inline: taken out of the task so the text is not kept longer than needed.
	const inline = task.videoBase64;
	task.videoBase64 = undefined;
	if (inline !== undefined) return await inlineVideoItem(ctx, itemIndex, inline, fileName, task, context);

	const videoUrl = task.videoUrl ?? (task.videoPath ? `${(await readCredentials(ctx, itemIndex)).baseUrl}${task.videoPath}` : undefined);
	const json = taskJson({ ...task, videoUrl }, context);
	if (!videoUrl) {
		throw apiError(ctx, itemIndex, `${context.label} task ${task.taskId} succeeded but its answer holds no video URL`, {
			description: 'Run Get Task with this task ID again in a minute; if the URL is still missing, contact TikHub support.',
			itemJson: json,
		});
	}
	const { bytes, contentType } = await downloadFile(ctx, itemIndex, videoUrl, context.policy, {
		what: `the video of ${context.label} task ${task.taskId}`,
		hint: `The video URL may have expired: ${KEPT[context.providerName]}. Run Get Task with task ID ${task.taskId} for a fresh URL, or generate the video again (billed again).`,
	}).catch((error: unknown) => {
		if (error instanceof NodeApiError) error.context.itemJson = json;
		throw error;
	});
	if (!isMp4(bytes)) {
		const start = JSON.stringify(bytes.subarray(0, 16).toString('latin1'));
		throw apiError(ctx, itemIndex, `The file at the video URL of ${context.label} task ${task.taskId} is not an MP4 video`, {
			description: `Got ${bytes.length} bytes${contentType ? ` of ${contentType}` : ''} starting with ${start}, without the "ftyp" box an MP4 starts with. The URL may have expired and now serves an error page: run Get Task for a fresh one.`,
			itemJson: json,
		});
	}
	const binary = await ctx.helpers.prepareBinaryData(bytes, fileName, 'video/mp4');
	return {
		json: { ...json, fileName, mimeType: 'video/mp4', fileSize: bytes.length },
		binary: { [context.binaryPropertyOutput]: binary },
		pairedItem: { item: itemIndex },
	};
}

/** An MP4 starts with its "ftyp" box: 4 bytes of size, then the type. */
function isMp4(head: Buffer): boolean {
	return head.length >= 8 && head.toString('latin1', 4, 8) === 'ftyp';
}

/** A video the answer carried as base64 (Veo), written to n8n's binary store without a second decoded copy. */
async function inlineVideoItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	base64: string,
	fileName: string,
	task: TaskState,
	context: TaskContext & { binaryPropertyOutput: string },
): Promise<INodeExecutionData> {
	const json = taskJson(task, context);
	const head = decodeBase64Head(base64, 16);
	if (!isMp4(head)) {
		throw apiError(ctx, itemIndex, `The video in the answer of ${context.label} task ${task.taskId} is not an MP4 video`, {
			description: `Its ${base64ByteLength(base64)} bytes start with ${JSON.stringify(head.toString('latin1'))}, without the "ftyp" box an MP4 starts with.`,
			itemJson: json,
		});
	}
	const fileSize = base64ByteLength(base64);
	const binary = await binaryFromBase64(ctx, base64, fileName, 'video/mp4');
	return {
		json: { ...json, fileName, mimeType: 'video/mp4', fileSize },
		binary: { [context.binaryPropertyOutput]: binary },
		pairedItem: { item: itemIndex },
	};
}

/** An error about TikHub's answer; `itemJson` rides along into the error item (item-loop.ts). */
export function apiError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	extra: { description?: string; itemJson?: IDataObject } = {},
): NodeApiError {
	const error = new NodeApiError(ctx.getNode(), { message } as JsonObject, {
		itemIndex,
		message,
		description: extra.description,
	});
	if (extra.itemJson) error.context.itemJson = extra.itemJson;
	return error;
}
