import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { text } from '../shared/items/parameters';
import { fetchUrlImage, inspectBinaryImage, type InputImage } from '../shared/media/input-images';
import { splitFieldList, splitUrlList } from '../shared/media/url-list';
import type { RequestPolicy } from '../shared/http/transport';

/** Where the edit node's images and mask come from: binary fields of the item, or URLs. */
export interface ImageSources {
	kind: 'binary' | 'url';
	/** Binary field names or URLs, as listed (a repeat is refused by checkSources). */
	names: string[];
	maskProperty?: string;
	maskUrl?: string;
}

export function readImageSources(ctx: IExecuteFunctions, itemIndex: number, options: IDataObject): ImageSources {
	const kind = ctx.getNodeParameter('imageSource', itemIndex, 'binary') === 'url' ? 'url' : 'binary';
	const names =
		kind === 'url'
			? splitUrlList(ctx.getNodeParameter('imageUrls', itemIndex, ''))
			: splitFieldList(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
	return {
		kind,
		names,
		maskProperty: text(options.maskBinaryPropertyName),
		maskUrl: text(options.maskUrl),
	};
}

/** Reads (or downloads) and checks every image and the mask of one item. */
export async function loadImages(
	ctx: IExecuteFunctions,
	itemIndex: number,
	sources: ImageSources,
	policy: RequestPolicy,
): Promise<{ images: InputImage[]; mask?: InputImage }> {
	const images: InputImage[] = [];
	for (const name of sources.names) {
		images.push(
			sources.kind === 'url'
				? await fetchUrlImage(ctx, itemIndex, name, 'image', policy)
				: await inspectBinaryImage(ctx, itemIndex, name, 'image', 'Input Binary Field(s)'),
		);
	}
	let mask: InputImage | undefined;
	if (sources.maskUrl) mask = await fetchUrlImage(ctx, itemIndex, sources.maskUrl, 'mask', policy);
	else if (sources.maskProperty) {
		mask = await inspectBinaryImage(ctx, itemIndex, sources.maskProperty, 'mask', 'Mask Binary Field');
	}
	return { images, mask };
}
