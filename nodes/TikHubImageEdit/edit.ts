import type { IExecuteFunctions } from 'n8n-workflow';

import { checkImageFields, readImageParameters } from '../shared/images/fields';
import { buildImageItems, type ImagesResponse } from '../shared/images/results';
import type { ItemJob } from '../shared/items/item-loop';
import { throwIfProblem } from '../shared/items/problems';
import { callTikHub } from '../shared/http/transport';
import { buildEditForm } from './request';
import { loadImages, readImageSources } from './sources';
import { checkMask, checkSources } from './validation';

/**
 * One input item: read and check everything locally (parameters, images, mask), then return
 * the job that sends the edit request and turns the answer into output items.
 */
export async function prepareEdit(ctx: IExecuteFunctions, itemIndex: number): Promise<ItemJob> {
	const { fields, output, policy, options } = readImageParameters(ctx, itemIndex);
	const sources = readImageSources(ctx, itemIndex, options);
	throwIfProblem(ctx, itemIndex, checkImageFields(fields) ?? checkSources(fields, sources));
	const { images, mask } = await loadImages(ctx, itemIndex, sources, policy);
	throwIfProblem(ctx, itemIndex, checkMask(images, mask));

	return async ({ gate, answered, sent }) => {
		const requestPolicy = { ...policy, gate, onSent: sent };
		const response = await callTikHub<ImagesResponse>(
			ctx,
			itemIndex,
			{ method: 'POST', path: '/v1/images/edits', body: buildEditForm(fields, images, mask) },
			requestPolicy,
		);
		await answered(); // the next item's request goes out before this one's images are stored
		return await buildImageItems(ctx, itemIndex, response, {
			fields,
			output,
			policy: requestPolicy,
			baseName: (index, count) => editedName(images[0].fileName, index, count),
		});
	};
}

/** "photo.png" -> "photo-edited", or "photo-edited-2" when a call returns several images. */
function editedName(source: string, index: number, count: number): string {
	const base = source.replace(/\.[A-Za-z0-9]{1,5}$/, '') || 'image';
	return count > 1 ? `${base}-edited-${index + 1}` : `${base}-edited`;
}
