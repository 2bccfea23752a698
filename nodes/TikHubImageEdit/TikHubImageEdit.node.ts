import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { imageEditProperties } from './description';

export class TikHubImageEdit implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikHub Image Edit',
		name: 'tikHubImageEdit',
		icon: { light: 'file:../../icons/tikhub.svg', dark: 'file:../../icons/tikhub.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["model"]}}',
		description: 'Edit images with GPT Image models through the TikHub AI proxy',
		defaults: { name: 'TikHub Image Edit' },
		usableAsTool: {
			replacements: {
				description:
					'Edits an image with an AI image model (GPT Image via TikHub). Give the image as a URL in "Image URL(s)" and say in "Prompt" what to change. Returns JSON describing each edited image: fileName, mimeType, format, width, height, fileSize, revisedPrompt, and url when TikHub hosts the result (set Options > Response Format to URL to get one).',
			},
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tikHubApi', required: true }],
		properties: imageEditProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Loaded at the first run, not when n8n starts and reads every node's description.
		const [{ runItems }, { prepareEdit }] = await Promise.all([import('../shared/items/item-loop'), import('./edit')]);
		return await runItems(this, async (itemIndex) => await prepareEdit(this, itemIndex));
	}
}
