import { IMAGE_MODELS } from '../shared/images/descriptions';
import type { ImageFields } from '../shared/images/fields';
import type { Problem } from '../shared/items/problems';
import type { InputImage } from '../shared/media/input-images';
import type { ImageSources } from './sources';

/**
 * The edit node's own checks, before a request (and the user's credits) is spent; the fields
 * it shares with image generation are checked by checkImageFields.
 */

const MAX_IMAGES = 16;

/** How many images, and whether the model takes that many. */
export function checkSources(fields: ImageFields, sources: ImageSources): Problem | undefined {
	const { names } = sources;
	const what = sources.kind === 'binary' ? 'fields' : 'URLs';
	if (names.length === 0) {
		return sources.kind === 'binary'
			? { message: 'Name the binary field with the image in "Input Binary Field(s)"' }
			: { message: 'Give the URL of the image to edit in "Image URL(s)"' };
	}
	if (names.length > MAX_IMAGES) {
		return { message: `At most ${MAX_IMAGES} images can be sent at once; got ${names.length}` };
	}
	if (names.length > 1 && IMAGE_MODELS.single.includes(fields.model)) {
		return {
			message: `${fields.model} takes one image, but ${names.length} ${what} are listed (${names.join(', ')})`,
			description: `Choose ${IMAGE_MODELS.multi.join(' or ')} to send several reference images, or list one.`,
		};
	}
	if (sources.maskProperty && sources.maskUrl) {
		return { message: 'Set either "Mask Binary Field" or "Mask URL", not both' };
	}
	return undefined;
}

/**
 * The mask must be a PNG with an alpha channel (checked from its header: a mask whose pixels are
 * all opaque is not detected) and have the first image's width and height.
 */
export function checkMask(images: InputImage[], mask?: InputImage): Problem | undefined {
	if (!mask) return undefined;
	if (mask.hasAlpha === false) {
		return {
			message: `The mask ${mask.label} has no transparency`,
			description:
				'A mask is a PNG with an alpha channel: fully transparent pixels mark the area to edit. Save it with transparency.',
		};
	}
	const source = images[0];
	const { width, height } = mask.info;
	if (width === undefined || height === undefined) {
		return { message: `Could not read the size of the mask ${mask.label}` };
	}
	if (source.info.width !== undefined && source.info.height !== undefined) {
		if (width !== source.info.width || height !== source.info.height) {
			return {
				message: `The mask is ${width}x${height} but the image is ${source.info.width}x${source.info.height}`,
				description:
					'The mask must have exactly the same width and height as the (first) image. Resize it first, e.g. with the Edit Image node.',
			};
		}
	}
	return undefined;
}
