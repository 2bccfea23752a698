import type { IExecuteFunctions } from 'n8n-workflow';

import { checkImageFields, readImageParameters } from '../shared/images/fields';
import { buildImageItems, type ImagesResponse } from '../shared/images/results';
import type { ItemJob } from '../shared/items/item-loop';
import { throwIfProblem } from '../shared/items/problems';
import { callTikHub } from '../shared/http/transport';
import { buildGenerateBody } from './request';

/**
 * One input item (a row of prompts, a schedule tick): check its fields, then return the job
 * that sends the generation request and turns the answer into output items.
 */
export async function prepareGenerate(ctx: IExecuteFunctions, itemIndex: number): Promise<ItemJob> {
	const { fields, output, policy } = readImageParameters(ctx, itemIndex);
	throwIfProblem(ctx, itemIndex, checkImageFields(fields));

	return async ({ gate, answered, sent }) => {
		const requestPolicy = { ...policy, gate, onSent: sent };
		const response = await callTikHub<ImagesResponse>(
			ctx,
			itemIndex,
			{ method: 'POST', path: '/v1/images/generations', body: buildGenerateBody(fields) },
			requestPolicy,
		);
		await answered(); // the next item's request goes out before this one's images are stored
		return await buildImageItems(ctx, itemIndex, response, {
			fields,
			output,
			policy: requestPolicy,
			baseName: (index, count, created) => generatedName(itemIndex, index, count, created),
		});
	};
}

/**
 * "generated-1764057600-1" for input item 0 (TikHub's `created` time keeps names of later runs
 * apart), "generated-1764057600-1-2" for its second image when a call returns several.
 */
function generatedName(itemIndex: number, index: number, count: number, created?: number): string {
	const base = `generated-${created ?? 'image'}-${itemIndex + 1}`;
	return count > 1 ? `${base}-${index + 1}` : base;
}
