import { IMAGE_MODELS } from '../shared/images/descriptions';
import type { ImageFields } from '../shared/images/fields';
import type { Problem } from '../shared/items/problems';
import type { InputImage } from '../shared/media/input-images';
import { findRepeat } from '../shared/media/url-list';
import { displayUrl } from '../shared/http/safe-url';
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
	const shown = (name: string) => (sources.kind === 'url' ? displayUrl(name, 80) : name);
	const repeat = findRepeat(names);
	if (repeat !== undefined) {
		const field = sources.kind === 'binary' ? 'Input Binary Field(s)' : 'Image URL(s)';
		return {
			message: `${sources.kind === 'binary' ? 'The binary field' : 'The URL'} "${shown(repeat)}" is listed twice in "${field}"`,
			description: 'Each image is sent once: remove the repeat, or name another field or URL.',
		};
	}
	if (names.length > MAX_IMAGES) {
		return { message: `At most ${MAX_IMAGES} images can be sent at once; got ${names.length}` };
	}
	if (names.length > 1 && IMAGE_MODELS.single.includes(fields.model)) {
		const list = names.slice(0, 3).map(shown).join(', ') + (names.length > 3 ? ', …' : '');
		return {
			message: `${fields.model} takes one image, but ${names.length} ${what} are listed (${list})`,
			description: `Choose ${IMAGE_MODELS.multi.join(' or ')} to send several reference images, or list one.`,
		};
	}
	if (sources.maskProperty && sources.maskUrl) {
		return { message: 'Set either "Mask Binary Field" or "Mask URL", not both' };
	}
	return undefined;
}

/**
 * The mask must be a PNG with an alpha channel, with at least one fully transparent pixel (read
 * from its pixels, stopping at the first one; interlaced PNGs are not read), and have the first
 * image's width and height.
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
	if (mask.hasTransparentPixel === false) {
		return {
			message: `The mask ${mask.label} has no fully transparent pixel, so it marks nothing to edit`,
			description:
				'Fully transparent pixels (alpha 0) mark the area to edit; this mask is opaque (or only partly transparent) everywhere. Erase the area to edit to full transparency.',
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
