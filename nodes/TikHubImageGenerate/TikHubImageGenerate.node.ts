import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { imageGenerateProperties } from './description';

export class TikHubImageGenerate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikHub Image Generate',
		name: 'tikHubImageGenerate',
		icon: { light: 'file:../../icons/tikhub.svg', dark: 'file:../../icons/tikhub.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"]}}',
		description: 'Generate images from a prompt with GPT Image models through the TikHub AI proxy',
		defaults: { name: 'TikHub Image Generate' },
		usableAsTool: {
			replacements: {
				description:
					'Creates an image from a text prompt with an AI image model (GPT Image via TikHub). Say in "Prompt" what the image should show. Returns JSON describing each image: fileName, mimeType, format, width, height, fileSize, revisedPrompt, and url when TikHub hosts the result (set Options > Response Format to URL to get one).',
			},
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tikHubApi', required: true }],
		properties: imageGenerateProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Loaded at the first run, not when n8n starts and reads every node's description.
		const [{ runItems }, { prepareGenerate }] = await Promise.all([import('../shared/items/item-loop'), import('./generate')]);
		return await runItems(this, async (itemIndex) => await prepareGenerate(this, itemIndex));
	}
}
