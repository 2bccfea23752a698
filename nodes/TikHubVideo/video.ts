import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { throwIfProblem } from '../shared/items/problems';
import { fetchUrlImage, inspectBinaryImage, readImageBytes, type InputImage } from '../shared/media/input-images';
import { isDataUrl } from '../shared/media/url-list';
import type { ItemJob } from '../shared/items/item-loop';
import { redactKey } from '../shared/http/credentials';
import { clip } from '../shared/http/error-messages';
import { displayUrl } from '../shared/http/safe-url';
import { callTikHub, type RequestPolicy } from '../shared/http/transport';
import { checkParameters, checkTaskId, readVideoParameters, type VideoParameters } from './fields';
import { AnswerError, OddAnswerError, type FirstFrame, type FrameFile, type ProviderCall, type TaskKind, type TaskState, type VideoProvider } from './providers/types';
import { apiError, failedTaskError, statusItem, taskJson, videoItem, type TaskContext } from './results';
import { settle, waitForTask } from './wait';

/**
 * One input item: read and check everything locally (parameters, the first-frame image), then
 * return the job that talks to TikHub for the chosen operation:
 * - generate: create the task, wait for it, download the video;
 * - create: create the task and return its id at once;
 * - get: check the task once; download the video when it is done.
 */
export async function prepareVideo(ctx: IExecuteFunctions, itemIndex: number): Promise<ItemJob> {
	const parameters = readVideoParameters(ctx, itemIndex);
	const { provider, request } = parameters;
	throwIfProblem(ctx, itemIndex, checkParameters(parameters));

	if (parameters.operation === 'get') {
		return guarded(ctx, itemIndex, parameters, async (policy, known) => await getTask(ctx, itemIndex, parameters, policy, known));
	}

	throwIfProblem(ctx, itemIndex, provider.checkRequest(request));
	let image: InputImage | undefined;
	const [imageUrl] = parameters.imageUrls;
	if (request.imageSource === 'binary') {
		image = await inspectBinaryImage(ctx, itemIndex, parameters.binaryPropertyName, 'image', 'Input Binary Field');
	} else if (request.imageSource === 'url' && (isDataUrl(imageUrl) || provider.frame?.fromUrl === 'download')) {
		// A data: URL is the image itself; a provider that takes only the bytes (Veo, Sora) gets the
		// image downloaded now (without the key). Either way it is checked before paying.
		image = await fetchUrlImage(ctx, itemIndex, imageUrl, 'image', parameters.policy);
	}
	if (image) throwIfProblem(ctx, itemIndex, provider.checkImage(image, request));

	return guarded(ctx, itemIndex, parameters, async (policy, known) => {
		const file = image && provider.frame?.as === 'file' ? frameFile(image) : undefined;
		const frame: FirstFrame | undefined =
			image && !file
				? { base64: (await readImageBytes(image)).toString('base64'), mimeType: image.mimeType }
				: request.imageSource === 'url' && !image
					? { url: imageUrl }
					: undefined;
		const kind = provider.taskKind(request);
		const context: TaskContext = {
			providerName: parameters.providerName,
			label: provider.label,
			request,
			taskType: parameters.providerName === 'kling' ? kind : undefined,
		};
		const created = await createTask(ctx, itemIndex, parameters, kind, policy, frame, file);
		// From here on the task exists (and is billed): every failure names it (guarded).
		known.task = created;
		known.taskType = context.taskType;
		const badId = checkTaskId(provider, created.taskId, 'created');
		if (badId) throw new AnswerError(`${provider.label} answered with a task id that cannot be checked: ${badId.message}`);
		if (parameters.operation === 'create') return [statusItem(itemIndex, created, context)];

		const [pollCall] = statusCalls(provider, created.taskId, kind, request.model);
		const task = await waitForTask(ctx, itemIndex, {
			label: provider.label,
			task: created,
			check: async (deadline) => await readTask(provider, await callTikHub(ctx, itemIndex, pollCall, { ...policy, deadline }), created.taskId),
			waiting: parameters.waiting,
			itemJson: taskJson(created, context),
			onTask: (task) => (known.task = task),
		});
		return [await finishedItem(ctx, itemIndex, task, context, parameters, policy)];
	});
}

/** A status answer as a task; an answer that holds none carries a glimpse of itself for the final error. */
async function readTask(provider: VideoProvider, body: unknown, taskId: string): Promise<TaskState> {
	const parsed = await settle(async () => provider.parseTask(body, taskId));
	if ('value' in parsed) return parsed.value;
	if (parsed.error instanceof OddAnswerError) parsed.error.answer = clip(JSON.stringify(body) ?? String(body), 160);
	throw parsed.error;
}

/**
 * The create call. It starts billed work, so the transport retries it only when TikHub cannot
 * have taken it (429, no connection), and says so when a 5xx or a cut connection may hide a
 * task that was made.
 */
async function createTask(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameters: VideoParameters,
	kind: TaskKind,
	policy: RequestPolicy,
	frame?: FirstFrame,
	file?: FrameFile,
): Promise<TaskState> {
	const { provider, request } = parameters;
	const body = await callTikHub(
		ctx,
		itemIndex,
		{ method: 'POST', path: provider.createPath(kind, request), body: provider.createBody(request, frame, file) },
		{ ...policy, idempotent: false },
	);
	return provider.parseCreated(body);
}

/** Get Task: one status check. Kling tasks are looked up under both kinds unless told which. */
async function getTask(ctx: IExecuteFunctions, itemIndex: number, parameters: VideoParameters, policy: RequestPolicy, known: KnownTask) {
	const { provider, taskId } = parameters;
	const paths = statusCalls(provider, taskId, parameters.taskKind);
	let task: TaskState | undefined;
	let taskType: string | undefined;
	for (const [index, call] of paths.entries()) {
		const checked = await settle(async () => await readTask(provider, await callTikHub(ctx, itemIndex, call, policy), taskId));
		if ('value' in checked) {
			task = checked.value;
			taskType = parameters.providerName === 'kling' ? call.path.split('/').at(-2) : undefined;
			break;
		}
		const { error } = checked;
		if (!isNotFound(error)) throw error;
		if (index < paths.length - 1) continue;
		if (paths.length > 1) {
			throw new AnswerError(`${provider.label} has no text-to-video or image-to-video task ${taskId}: ${(error as Error).message}`);
		}
		if (error instanceof NodeApiError && error.httpCode === '404') {
			error.description = `No ${provider.label} task with ID ${taskId}: check "Task ID" and "Provider". Providers drop old tasks after a while.`;
		}
		throw error;
	}
	const context: TaskContext = { providerName: parameters.providerName, label: provider.label, taskType };
	if (!task) throw new AnswerError(`${provider.label} found no task ${taskId}`);
	if (task.taskId !== taskId) throw new OddAnswerError(`${provider.label} answered about task ${clip(task.taskId, 80)} when asked about task ${taskId}`);
	known.task = task;
	known.taskType = taskType;
	if (task.phase === 'pending') return [statusItem(itemIndex, task, context)];
	return [await finishedItem(ctx, itemIndex, task, context, parameters, policy)];
}

/** Where a task's status is checked: the provider's own calls (Veo's POST), or a GET per poll path. */
function statusCalls(provider: VideoProvider, taskId: string, kind?: TaskKind, model?: string): ProviderCall[] {
	if (provider.pollCalls) return provider.pollCalls(taskId, model);
	return provider.pollPaths(taskId, kind).map((path) => ({ method: 'GET', path }));
}

/** The first frame as a multipart file (Sora), opened when the request is sent. */
function frameFile(image: InputImage): FrameFile {
	const { fileName, mimeType, byteLength, open, info } = image;
	return { fileName, mimeType, byteLength, open, width: info.width, height: info.height };
}

/** An answer that says "no such task here" (Kling: look under the other kind of task). */
function isNotFound(error: unknown): boolean {
	if (error instanceof AnswerError) return true;
	return error instanceof NodeApiError && ['400', '404', '422'].includes(String(error.httpCode));
}

async function finishedItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	task: TaskState,
	context: TaskContext,
	parameters: VideoParameters,
	policy: RequestPolicy,
) {
	if (task.phase === 'failed') throw await failedTaskError(ctx, itemIndex, task, context);
	return await videoItem(ctx, itemIndex, task, {
		...context,
		binaryPropertyOutput: parameters.binaryPropertyOutput,
		policy,
	});
}

/** The task an item works on, as last known: set once it exists, updated by every status check. */
interface KnownTask {
	task?: TaskState;
	taskType?: string;
}

/**
 * The job with the run's back-off gate in its request policy; TikHub answers that said "failed"
 * in their body (AnswerError) turned into node errors with the key masked; and every failure
 * after a task exists (a 401/404 on a status check, a provider error code, an odd answer, a
 * failed download) carrying `taskId`, `provider` and the last known `status` on its error item,
 * so a flow can run Get Task later. Provider-agnostic: new providers get it as they are.
 */
function guarded(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameters: VideoParameters,
	work: (policy: RequestPolicy, known: KnownTask) => Promise<Awaited<ReturnType<ItemJob>>>,
): ItemJob {
	return async ({ gate }) => {
		const known: KnownTask = {};
		const done = await settle(async () => await work({ ...parameters.policy, gate }, known));
		if ('value' in done) return done.value;
		let error = done.error;
		if (error instanceof AnswerError) {
			error = apiError(ctx, itemIndex, await redactKey(ctx, itemIndex, error.message), {
				description:
					error instanceof OddAnswerError
						? 'TikHub answered, but not with the task asked about. Run Get Task with this task ID again later.'
						: 'TikHub accepted the request but its answer reports a failure. Check the message; it comes from the provider.',
			});
		}
		const taskId = known.task?.taskId ?? (parameters.operation === 'get' ? parameters.taskId : undefined);
		if (taskId && (error instanceof NodeApiError || error instanceof NodeOperationError)) {
			const already = (error.context.itemJson ?? {}) as IDataObject;
			const itemJson: IDataObject = {
				taskId,
				provider: parameters.providerName,
				...(known.task ? { status: known.task.status } : {}),
				...(known.taskType ? { taskType: known.taskType } : {}),
				...already,
			};
			// The error item keeps the video URL for the record, without its signed query.
			if (typeof itemJson.videoUrl === 'string') itemJson.videoUrl = displayUrl(itemJson.videoUrl);
			error.context.itemJson = itemJson;
		}
		throw error;
	};
}
