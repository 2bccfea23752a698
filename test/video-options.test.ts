import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { INodeProperties } from 'n8n-workflow';

import { TikHubVideo } from '../nodes/TikHubVideo/TikHubVideo.node.ts';
import type { TikHubServer } from '../harness/server';
import { runVideo, useServer } from './video-harness';

let server: TikHubServer;
useServer((started) => (server = started));

describe('options a provider does not take', () => {
	test('are refused before any request, with a message naming the provider and who takes the option', async () => {
		for (const [provider, options, message] of [
			['veo', { mode: 'pro' }, 'Veo does not take the option "Mode" (Kling only)'],
			['sora', { watermark: true }, 'Sora does not take the option "Watermark" (Seedance only)'],
			['sora', { negativePrompt: 'blur' }, 'Sora does not take the option "Negative Prompt" (Kling, Veo only)'],
			['kling', { generateAudio: true }, 'Kling does not take the option "Generate Audio" (Seedance, Veo only)'],
			['seedance', { size: '1280x720' }, 'Seedance does not take the option "Size" (Sora only)'],
			['seedance', { negativePrompt: 'blur' }, 'Seedance does not take the option "Negative Prompt" (Kling, Veo only)'],
			['veo', { seed: 3 }, 'Veo does not take the option "Seed" (Seedance only)'],
		] as const) {
			const run = await runVideo(server, { parameters: { provider, operation: 'create', prompt: 'A cat', options }, onError: 'continueRegularOutput' });
			assert.equal(run.items[0].json.error, message, provider);
			assert.match(String(run.items[0].json.errorDescription), /Remove ".+" from Options/);
		}
		assert.equal(server.videos.requests.length, 0);
	});

	test('run options (Poll Interval, Max Wait, Timeout …) are every provider\'s', async () => {
		for (const provider of ['seedance', 'kling', 'veo', 'sora']) {
			const run = await runVideo(server, {
				parameters: { provider, operation: 'create', prompt: 'A cat', options: { pollInterval: 5, maxWait: 60, timeout: 30, maxRetries: 1, concurrency: 2, binaryPropertyOutput: 'video' } },
			});
			assert.equal(run.error, undefined, `${provider}: ${run.error?.message}`);
		}
	});
});

describe('the form', () => {
	const properties = new TikHubVideo().description.properties;
	const options = properties.find((property) => property.name === 'options')?.options as INodeProperties[];
	const shownFor = (name: string) => (options.find((option) => option.name === name)?.displayOptions?.show?.['/provider'] ?? 'all') as string[] | 'all';

	test('offers the four providers, each with its own model list', () => {
		const provider = properties.find((property) => property.name === 'provider');
		assert.deepEqual((provider?.options as Array<{ value: string }>).map((option) => option.value), ['seedance', 'kling', 'veo', 'sora']);
		const models = properties.filter((property) => property.name === 'model');
		assert.deepEqual(
			models.map((model) => [model.displayOptions?.show?.provider, model.default]),
			[[['seedance'], 'doubao-seedance-1-5-pro-251215'], [['kling'], 'kling-v2-6'], [['veo'], 'veo-3.1-generate-preview'], [['sora'], 'sora-2']],
		);
	});

	test('offers every option for every provider (n8n would drop a hidden one silently); the description names who takes it', () => {
		for (const name of ['negativePrompt', 'generateAudio', 'resolution', 'size', 'mode', 'sound', 'watermark', 'seed', 'cameraFixed', 'duration', 'aspectRatio']) {
			assert.equal(shownFor(name), 'all', name);
		}
		const said = (name: string) => String(options.find((option) => option.name === name)?.description);
		assert.match(said('negativePrompt'), /^Kling and Veo only\./);
		assert.match(said('generateAudio'), /^Seedance and Veo only\./);
		assert.match(said('size'), /^Sora only\./);
		assert.match(said('mode'), /^Kling only\./);
	});
});
