import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { callTikHub } from '../shared/http/transport';
import type { ItemJob } from '../shared/items/item-loop';
import { throwIfProblem } from '../shared/items/problems';
import { fetchUrlImage, inspectBinaryImage, readImageBytes, type InputImage } from '../shared/media/input-images';
import { readChatParameters, type ChatParameters } from './fields';
import type { ChatImage } from './formats/types';
import { buildChatItem } from './results';

/**
 * One input item: read and check its fields and images (no request), then return the job that
 * sends one message in the chosen wire format and turns the answer into one output item.
 */
export async function prepareChat(ctx: IExecuteFunctions, itemIndex: number): Promise<ItemJob> {
	const read = readChatParameters(ctx, itemIndex);
	throwIfProblem(ctx, itemIndex, 'message' in read ? read : undefined);
	const parameters = read as ChatParameters;
	const { format, fields, imageSource, imageNames, policy } = parameters;

	// Images are checked now (type from their first bytes, size); their bytes are read when the request is sent.
	const images: Array<InputImage | { url: string }> = [];
	for (const name of imageNames) {
		if (imageSource === 'binary') images.push(await inspectBinaryImage(ctx, itemIndex, name, 'vision', 'Input Binary Field(s)'));
		else if (format.urlImages === 'inline') images.push(await fetchUrlImage(ctx, itemIndex, name, 'vision', policy));
		else images.push({ url: name });
	}

	return async ({ gate }): Promise<INodeExecutionData[]> => {
		const parts: ChatImage[] = [];
		for (const image of images) {
			parts.push(
				'url' in image
					? { kind: 'url', url: image.url }
					: { kind: 'inline', mimeType: image.mimeType, base64: (await readImageBytes(image)).toString('base64') },
			);
		}
		const answer = await callTikHub<unknown>(
			ctx,
			itemIndex,
			{
				method: 'POST',
				path: format.path(fields.model),
				body: format.body(fields, parts),
				headers: format.headers,
				keyHeader: format.keyHeader,
			},
			{ ...policy, gate },
		);
		return [await buildChatItem(ctx, itemIndex, parameters, answer)];
	};
}
