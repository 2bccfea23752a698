import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BackoffGate } from '../shared/backoff-gate';
import { callTikHub, type RequestPolicy } from '../shared/transport';
import { readInputImage } from './images';
import { buildEditForm, readEditParameters } from './request';
import { buildOutputItems, type ImagesResponse } from './results';
import { checkFields, checkImages, type Problem } from './validation';

/**
 * One input item: check it, send one edit request, and turn the answer into output items.
 * Everything that can be checked locally is checked before the request is sent.
 */
export async function editImage(
	this: IExecuteFunctions,
	itemIndex: number,
	gate: BackoffGate,
): Promise<INodeExecutionData[]> {
	const { fields, settings } = readEditParameters(this, itemIndex);
	throwIfProblem(this, itemIndex, checkFields(fields, settings));

	const images = [];
	for (const property of settings.imageProperties) {
		images.push(await readInputImage(this, itemIndex, property, 'image'));
	}
	const mask = settings.maskProperty
		? await readInputImage(this, itemIndex, settings.maskProperty, 'mask')
		: undefined;
	throwIfProblem(this, itemIndex, checkImages(images, mask));

	const policy: RequestPolicy = {
		timeoutMs: settings.timeoutSeconds * 1000,
		maxRetries: settings.maxRetries,
		gate,
	};
	const response = await callTikHub<ImagesResponse>(
		this,
		itemIndex,
		{ method: 'POST', path: '/v1/images/edits', body: buildEditForm(fields, images, mask) },
		policy,
	);
	return await buildOutputItems(this, itemIndex, response, {
		fields,
		settings,
		sourceFileName: images[0].fileName,
		policy,
	});
}

function throwIfProblem(ctx: IExecuteFunctions, itemIndex: number, problem?: Problem): void {
	if (!problem) return;
	throw new NodeOperationError(ctx.getNode(), problem.message, {
		itemIndex,
		description: problem.description,
	});
}
