import type { INodeProperties } from 'n8n-workflow';

import { concurrencyOption, maxRetriesOption, outputBinaryFieldOption, timeoutOption } from '../shared/items/run-options';
import {
	DEFAULT_MAX_WAIT_SECONDS,
	DEFAULT_POLL_INTERVAL_SECONDS,
	DEFAULT_VIDEO_CONCURRENCY,
	DEFAULT_VIDEO_TIMEOUT_SECONDS,
	KLING_MODELS,
	MAX_VIDEO_CONCURRENCY,
	MAX_WAIT_LIMIT_SECONDS,
	SEEDANCE_MODELS,
	SORA_MODELS,
	SORA_SIZES,
	VEO_MODELS,
} from './catalog';
import type { ProviderName } from './providers/types';

/**
 * The video node's fields. Comments name the API field each one fills: Seedance's in its JSON
 * body (providers/seedance.ts), Kling's, Veo's and Sora's in theirs (providers/kling.ts, veo.ts, sora.ts).
 */

const CREATES = { operation: ['generate', 'create'] };
/** For options inside the collection: shown by the top-level fields (the leading slash). */
const onlyFor = (show: Record<string, string[]>) => ({ show: Object.fromEntries(Object.entries(show).map(([k, v]) => [`/${k}`, v])) });

/**
 * Options only some providers take are still shown for every provider: n8n drops an option its
 * form hides, so one set for another provider (after switching Provider, or in a copied
 * workflow) would be lost without a word. The node refuses it instead, naming the providers
 * that take it (fields.ts); the description names them up front.
 */
const PROVIDER_OPTION = onlyFor(CREATES);

/** A yes/no option only some providers take. */
function flag(displayName: string, name: string, description: string): INodeProperties {
	return { displayName, name, type: 'boolean', default: false, description, displayOptions: PROVIDER_OPTION };
}

/** The Model field of one provider: its known models, any other by expression. */
function modelField(provider: ProviderName, label: string, models: Array<{ name: string; value: string }>): INodeProperties {
	const firstModel = models[0].value;
	return {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: models,
		default: firstModel,
		description: `The ${label} model. To use a model not listed here, switch this field to Expression and type its ID.`,
		displayOptions: { show: { provider: [provider], ...CREATES } },
	};
}

export const videoProperties: INodeProperties[] = [
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Seedance (ByteDance)', value: 'seedance', description: 'Doubao Seedance models' },
			{ name: 'Kling (Kuaishou)', value: 'kling', description: 'Kling models' },
			{ name: 'Veo (Google)', value: 'veo', description: 'Google Veo models' },
			{ name: 'Sora (OpenAI)', value: 'sora', description: 'OpenAI Sora 2 models' },
		],
		default: 'seedance',
		description: 'The video model family TikHub forwards the request to',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate a video',
				description: 'Create a video task, wait until it ends and download the video',
			},
			{
				name: 'Create Task',
				value: 'create',
				action: 'Create a video task',
				description: 'Start a video task and return its ID at once, for flows that wait with a Wait node',
			},
			{
				name: 'Get Task',
				value: 'get',
				action: 'Get a video task',
				description: 'Check a task once; download the video when it is done',
			},
		],
		default: 'generate',
	},
	// Seedance: model
	modelField('seedance', 'Seedance', SEEDANCE_MODELS),
	// Kling: model_name
	modelField('kling', 'Kling', KLING_MODELS),
	// Veo: the model in the path, /v1beta/models/{model}:predictLongRunning
	modelField('veo', 'Veo', VEO_MODELS),
	// Sora: model
	modelField('sora', 'Sora', SORA_MODELS),
	{
		// Seedance: content[] text part; Kling: prompt; Veo: instances[0].prompt; Sora: prompt
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'e.g. The product turns slowly on a marble table, soft studio light, camera circles it',
		description: 'What happens in the video. Needed for text-to-video; optional (but helpful) with a first-frame image.',
		displayOptions: { show: CREATES },
	},
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		options: [
			{ name: 'None (Text to Video)', value: 'none', description: 'The video is made from the prompt alone' },
			{ name: 'Binary Field', value: 'binary', description: 'First frame from an image read or downloaded by an earlier node' },
			{ name: 'URL', value: 'url', description: 'First frame from an image on the web, fetched by the provider' },
		],
		default: 'none',
		description: 'Where the first frame of the video comes from (image-to-video)',
		displayOptions: { show: CREATES },
	},
	{
		// Seedance: content[] image_url part (data: URI), role first_frame; Kling: image (base64);
		// Veo: instances[0].image.bytesBase64Encoded; Sora: the input_reference file (multipart)
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		description: 'Binary field of the input item with the first-frame image (PNG or JPEG; WebP for Seedance and Sora). Sora needs it to be exactly the video size.',
		displayOptions: { show: { ...CREATES, imageSource: ['binary'] } },
	},
	{
		// Seedance: content[] image_url part, role first_frame; Kling: image; Veo and Sora: downloaded
		// by the node (without the key) and sent as the bytes, as for a binary field
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/product.png',
		description: 'Public URL of the first-frame image; it must open without signing in. Seedance and Kling download it themselves; for Veo and Sora the node downloads it and sends the image. A data:image/png;base64,… URL is sent inline instead.',
		displayOptions: { show: { ...CREATES, imageSource: ['url'] } },
	},
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.taskId }}',
		description: 'ID of the task to check, as Create Task returned it in "taskId" (Veo: the whole operation name, models/…/operations/…)',
		displayOptions: { show: { operation: ['get'] } },
	},
	{
		displayName: 'Task Type',
		name: 'taskType',
		type: 'options',
		options: [
			{ name: 'Auto', value: 'auto', description: 'Look the task up as text-to-video, then as image-to-video' },
			{ name: 'Image to Video', value: 'image2video' },
			{ name: 'Text to Video', value: 'text2video' },
		],
		default: 'auto',
		description: 'Kling keeps the two kinds of task apart. Create Task returns the kind in "taskType".',
		displayOptions: { show: { provider: ['kling'], operation: ['get'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				// Seedance: ratio; Kling: aspect_ratio (text-to-video only); Veo: parameters.aspectRatio;
				// Sora: size (16:9 -> 1280x720, 9:16 -> 720x1280) when Size is not set
				displayName: 'Aspect Ratio',
				name: 'aspectRatio',
				type: 'options',
				options: [
					{ name: '1:1', value: '1:1' },
					{ name: '16:9', value: '16:9' },
					{ name: '21:9 (Seedance)', value: '21:9' },
					{ name: '3:4 (Seedance)', value: '3:4' },
					{ name: '4:3 (Seedance)', value: '4:3' },
					{ name: '9:16', value: '9:16' },
					{ name: 'Adaptive (Seedance)', value: 'adaptive' },
				],
				default: '16:9',
				description: 'Shape of the video. Kling takes it only for text-to-video; with an image it follows the image. Veo and Sora: 16:9 or 9:16.',
				displayOptions: onlyFor(CREATES),
			},
			// Seedance: camera_fixed
			flag('Camera Fixed', 'cameraFixed', 'Seedance only. Whether the camera stays still.'),
			concurrencyOption(
				DEFAULT_VIDEO_CONCURRENCY,
				'How many input items are handled at the same time. Waiting costs nothing, so 10 videos take about as long as one; lower it if TikHub answers "rate limit" (429) when tasks are created.',
				MAX_VIDEO_CONCURRENCY,
			),
			{
				// Seedance: duration (integer); Kling: duration (string); Veo: parameters.durationSeconds
				// (number); Sora: seconds (string)
				displayName: 'Duration (Seconds)',
				name: 'duration',
				type: 'number',
				typeOptions: { minValue: -1 },
				default: 5,
				description: 'Length of the video. Kling: 5 or 10. Seedance: depends on the model, e.g. 4 to 12 for 1.5 Pro (-1 lets it choose). Veo: 4, 6 or 8 (Veo 2: 5 to 8). Sora: 4, 8 or 12.',
				displayOptions: onlyFor(CREATES),
			},
			// Seedance: generate_audio; Veo: parameters.generateAudio
			flag('Generate Audio', 'generateAudio', 'Seedance and Veo only. Whether the video gets a sound track (Seedance 1.5 Pro and later, Veo 3 and later).'),
			maxRetriesOption(
				'How many times to try a request again when TikHub is rate limited (429), fails (5xx) or cannot be reached. Creating a task is retried only when TikHub cannot have started it (429, no connection), so a video is never billed twice.',
			),
			{
				displayName: 'Max Wait (Seconds)',
				name: 'maxWait',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_WAIT_LIMIT_SECONDS },
				default: DEFAULT_MAX_WAIT_SECONDS,
				description:
					'How long Generate waits for the video (default 15 minutes; up to 24 hours). After that the item fails with the task ID, and the task can still be fetched with Get Task.',
				displayOptions: onlyFor({ operation: ['generate'] }),
			},
			{
				// Kling: mode
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				options: [
					{ name: 'Standard', value: 'std', description: '720p, cheaper and faster' },
					{ name: 'Professional', value: 'pro', description: '1080p, higher quality' },
				],
				default: 'std',
				description: 'Kling only. Quality mode.',
				displayOptions: PROVIDER_OPTION,
			},
			{
				// Kling: negative_prompt; Veo: parameters.negativePrompt
				displayName: 'Negative Prompt',
				name: 'negativePrompt',
				type: 'string',
				default: '',
				description: 'Kling and Veo only. What the video should not show.',
				displayOptions: PROVIDER_OPTION,
			},
			outputBinaryFieldOption('Name of the binary field that holds the video in the output item', {
				displayOptions: onlyFor({ operation: ['generate', 'get'] }),
			}),
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_POLL_INTERVAL_SECONDS,
				description: 'How often Generate checks whether the video is ready. Videos take from 30 seconds to several minutes.',
				displayOptions: onlyFor({ operation: ['generate'] }),
			},
			{
				// Seedance: resolution; Veo: parameters.resolution
				displayName: 'Resolution',
				name: 'resolution',
				type: 'options',
				options: [
					{ name: '480p', value: '480p' },
					{ name: '720p', value: '720p' },
					{ name: '1080p', value: '1080p' },
				],
				default: '720p',
				description: 'Seedance and Veo only (Veo: 720p or 1080p). Resolution of the video; higher costs more.',
				displayOptions: PROVIDER_OPTION,
			},
			{
				// Seedance: seed
				displayName: 'Seed',
				name: 'seed',
				type: 'number',
				default: -1,
				description: 'Seedance only. The same seed with the same fields gives a similar video; -1 picks one at random.',
				displayOptions: PROVIDER_OPTION,
			},
			{
				// Sora: size
				displayName: 'Size',
				name: 'size',
				type: 'options',
				options: SORA_SIZES.map((size) => ({ name: size.endsWith('x720') || size.endsWith('x1024') ? `${size} (Landscape)` : `${size} (Portrait)`, value: size })),
				default: '1280x720',
				description: 'Sora only. Width x height of the video; 1792x1024 and 1024x1792 need sora-2-pro. A first-frame image must have exactly this size.',
				displayOptions: PROVIDER_OPTION,
			},
			// Kling: sound ("on" / "off")
			flag('Sound', 'sound', 'Kling only. Whether the video gets sound (Kling V2.6 and later).'),
			timeoutOption(
				DEFAULT_VIDEO_TIMEOUT_SECONDS,
				'How long to wait for TikHub to answer one request (a create, a status check or the download); not the wait for the video, which is Max Wait',
			),
			// Seedance: watermark
			flag('Watermark', 'watermark', 'Seedance only. Whether the video carries the provider\'s "AI generated" watermark.'),
		],
	},
];
