import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { videoProperties } from './description';
import { DEFAULT_VIDEO_CONCURRENCY, MAX_VIDEO_CONCURRENCY } from './catalog';

export class TikHubVideo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikHub Video',
		name: 'tikHubVideo',
		icon: { light: 'file:../../icons/tikhub.svg', dark: 'file:../../icons/tikhub.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["provider"]}}',
		description: 'Generate videos with ByteDance Seedance, Kuaishou Kling, Google Veo and OpenAI Sora through the TikHub AI proxy',
		defaults: { name: 'TikHub Video' },
		usableAsTool: {
			replacements: {
				description:
					'Makes a short video with an AI video model (Seedance, Kling, Veo or Sora via TikHub) from a text prompt, optionally starting from an image given by URL. Waits until the video is ready (usually 1 to 5 minutes). The MP4 comes back as a binary file, with JSON taskId, status and videoUrl. Use the binary file: videoUrl may be null, may need the TikHub API key (Sora) and expires (within an hour for Sora). If the video is not ready in time, check the taskId again later.',
			},
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tikHubApi', required: true }],
		properties: videoProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Loaded at the first run, not when n8n starts and reads every node's description.
		const [{ runItems }, { prepareVideo }] = await Promise.all([import('../shared/items/item-loop'), import('./video')]);
		return await runItems(this, async (itemIndex) => await prepareVideo(this, itemIndex), {
			defaultConcurrency: DEFAULT_VIDEO_CONCURRENCY,
			maxConcurrency: MAX_VIDEO_CONCURRENCY,
		});
	}
}
