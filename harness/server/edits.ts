import { ALLOWED, bad, imagesAnswer, parseSize, type ImageAnswer, type StoreFile } from './image-answers';
import { detectFormat, readImageSize, type ImageFormat, type ImageSize } from './images';
import type { RecordedFile, RecordedRequest } from './multipart';

const FALLBACK_SIZE: ImageSize = { width: 64, height: 64 };

function isIntegerIn(value: string, min: number, max: number): boolean {
	return /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max;
}

// Checks what the real API would reject; undefined means the request is fine.
function validate(fields: Record<string, string>, images: RecordedFile[], mask?: RecordedFile): ImageAnswer | undefined {
	if (!fields.prompt) return bad("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
	if (fields.model === '') return bad("Invalid value: ''. 'model' must not be empty.", 'model');
	if (images.length === 0) return bad("Missing required parameter: 'image'.", 'image', 'missing_required_parameter');
	for (const [index, image] of images.entries()) {
		if (!detectFormat(image.bytes)) {
			return bad(
				`Invalid image file or mode for image ${index + 1}, please check your image file.`,
				image.field,
				'invalid_image_format',
			);
		}
	}
	for (const [name, values] of Object.entries(ALLOWED)) {
		const value = fields[name];
		if (value !== undefined && !values.includes(value)) {
			return bad(`Invalid value: '${value}'. Supported values are: ${values.map((v) => `'${v}'`).join(', ')}.`, name);
		}
	}
	if (fields.n !== undefined && !isIntegerIn(fields.n, 1, 10)) return bad(`Invalid 'n': '${fields.n}'. Expected an integer from 1 to 10.`, 'n');
	if (fields.output_compression !== undefined && !isIntegerIn(fields.output_compression, 0, 100)) {
		return bad(`Invalid 'output_compression': '${fields.output_compression}'.`, 'output_compression');
	}
	if (!parseSize(fields.size)) return bad(`Invalid size '${fields.size}'. Use 'auto' or WIDTHxHEIGHT.`, 'size');
	if (fields.background === 'transparent' && fields.output_format === 'jpeg') {
		return bad('Transparent background is not supported for the jpeg output format.', 'background');
	}
	if (mask) {
		if (detectFormat(mask.bytes) !== 'png') return bad('Invalid mask: it must be a PNG file.', 'mask', 'invalid_image_format');
		const maskSize = readImageSize(mask.bytes);
		const imageSize = readImageSize(images[0].bytes);
		if (maskSize && imageSize && (maskSize.width !== imageSize.width || maskSize.height !== imageSize.height)) {
			return bad('Invalid mask: it must have the same dimensions as the image.', 'mask');
		}
	}
	return undefined;
}

/** Answers POST /v1/images/edits like the real API, with generated images. */
export function answerEdit(request: RecordedRequest, storeFile: StoreFile): ImageAnswer {
	if (request.parseError) return bad(`Could not parse multipart form: ${request.parseError}`, 'body', 'invalid_body');
	const { fields } = request;
	const images = request.files.filter((file) => file.field === 'image' || file.field === 'image[]');
	const mask = request.files.find((file) => file.field === 'mask');
	const invalid = validate(fields, images, mask);
	if (invalid) return invalid;

	const requested = parseSize(fields.size);
	const size = requested === 'auto' || !requested ? (readImageSize(images[0].bytes) ?? FALLBACK_SIZE) : requested;
	return imagesAnswer(
		{
			prompt: `Edited: ${fields.prompt}`,
			size,
			count: fields.n === undefined ? 1 : Number(fields.n),
			outputFormat: (fields.output_format ?? 'png') as ImageFormat,
			responseFormat: fields.response_format,
			background: fields.background,
			quality: fields.quality,
		},
		storeFile,
	);
}
