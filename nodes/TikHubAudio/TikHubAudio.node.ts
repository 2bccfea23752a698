import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { AUDIO_DEFAULT_CONCURRENCY, audioProperties } from './description';

export class TikHubAudio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikHub Audio',
		name: 'tikHubAudio',
		icon: { light: 'file:../../icons/tikhub.svg', dark: 'file:../../icons/tikhub.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["model"]}}',
		description: 'Transcribe audio to text or subtitles with Whisper and GPT-4o models through the TikHub AI proxy',
		defaults: { name: 'TikHub Audio' },
		usableAsTool: {
			replacements: {
				description:
					'Transcribes speech in an audio file (MP3, M4A, WAV, WebM, Ogg or FLAC, at most 25 MB) on the input item\'s binary field "data" into text. Set "Language" (e.g. en) when known. Returns JSON with "text"; with Response Format Verbose JSON also language, duration and timed segments.',
			},
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tikHubApi', required: true }],
		properties: audioProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Loaded at the first run, not when n8n starts and reads every node's description.
		const [{ runItems }, { prepareTranscription }] = await Promise.all([import('../shared/items/item-loop'), import('./transcribe')]);
		return await runItems(this, async (itemIndex) => await prepareTranscription(this, itemIndex), {
			defaultConcurrency: AUDIO_DEFAULT_CONCURRENCY,
		});
	}
}
