import { KNOWN_MODELS } from './description';
import type { InputImage } from './images';
import type { EditFields, EditSettings } from './request';

/**
 * Catches what TikHub would reject, before a request (and the user's credits) is spent.
 * Each check returns a problem to report, or undefined when all is well.
 */

export interface Problem {
	message: string;
	description?: string;
}

const MAX_PROMPT_LENGTH = 32_000;
const MAX_IMAGES = 16;

function isWholeNumberIn(value: number, min: number, max: number): boolean {
	return Number.isInteger(value) && value >= min && value <= max;
}

/** Checks the parameters alone; runs before any binary data is read. */
export function checkFields(fields: EditFields, settings: EditSettings): Problem | undefined {
	if (fields.model === '') return { message: 'Choose a model' };
	if (fields.prompt.trim() === '') {
		return { message: 'The prompt is empty', description: 'Describe the edit you want in "Prompt".' };
	}
	if (fields.prompt.length > MAX_PROMPT_LENGTH) {
		return {
			message: `The prompt is ${fields.prompt.length} characters long; the limit is ${MAX_PROMPT_LENGTH}`,
		};
	}
	if (settings.imageProperties.length === 0) {
		return { message: 'Name the binary field with the image in "Input Binary Field(s)"' };
	}
	if (settings.imageProperties.length > MAX_IMAGES) {
		return { message: `At most ${MAX_IMAGES} images can be sent at once; got ${settings.imageProperties.length}` };
	}
	if (settings.imageProperties.length > 1 && KNOWN_MODELS.single.includes(fields.model)) {
		return {
			message: `${fields.model} takes one image, but ${settings.imageProperties.length} fields are listed (${settings.imageProperties.join(', ')})`,
			description: `Choose ${KNOWN_MODELS.multi.join(' or ')} to send several reference images, or list one field.`,
		};
	}
	if (fields.n !== undefined && !isWholeNumberIn(fields.n, 1, 10)) {
		return { message: `"Number of Images" must be a whole number from 1 to 10; got ${fields.n}` };
	}
	if (fields.size !== undefined && fields.size !== 'auto' && !/^\d{2,5}x\d{2,5}$/.test(fields.size)) {
		return {
			message: `"Size" must be "auto" or WIDTHxHEIGHT such as 1024x1536; got "${fields.size}"`,
		};
	}
	const format = fields.outputFormat ?? 'png';
	if (fields.outputCompression !== undefined) {
		if (!isWholeNumberIn(fields.outputCompression, 0, 100)) {
			return {
				message: `"Output Compression" must be a whole number from 0 to 100; got ${fields.outputCompression}`,
			};
		}
		if (format === 'png') {
			return {
				message: '"Output Compression" applies only to JPEG and WebP output',
				description: 'Set "Output Format" to JPEG or WebP, or remove "Output Compression".',
			};
		}
	}
	if (fields.background === 'transparent' && format === 'jpeg') {
		return {
			message: 'A transparent background needs PNG or WebP output, not JPEG',
			description: 'Set "Output Format" to PNG or WebP, or choose another background.',
		};
	}
	return undefined;
}

/** Checks the images once read: the mask must be a PNG of the first image's size. */
export function checkImages(images: InputImage[], mask?: InputImage): Problem | undefined {
	if (!mask) return undefined;
	if (mask.hasAlpha === false) {
		return {
			message: `The mask "${mask.fileName}" has no transparency`,
			description:
				'A mask is a PNG with an alpha channel: fully transparent pixels mark the area to edit. Save it with transparency.',
		};
	}
	const source = images[0];
	const { width, height } = mask.info;
	if (width === undefined || height === undefined) {
		return { message: `Could not read the size of the mask "${mask.fileName}"` };
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
