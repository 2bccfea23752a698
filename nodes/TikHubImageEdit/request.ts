import { IMAGE_API_FIELDS, type ImageFields } from '../shared/images/fields';
import type { InputImage } from '../shared/media/input-images';

/**
 * The multipart form of POST /v1/images/edits. One image goes as `image`; several as repeated
 * `image[]` parts (TikHub's convention for reference images); the mask as `mask`. Text fields
 * keep the API's reference order (model and prompt first), and unset ones are left out.
 */
export async function buildEditForm(
	fields: ImageFields,
	images: InputImage[],
	mask?: InputImage,
): Promise<FormData> {
	const form = new FormData();
	const [before, after] = [IMAGE_API_FIELDS.slice(0, 2), IMAGE_API_FIELDS.slice(2)];
	const appendText = ([key, formName]: readonly [keyof ImageFields, string]) => {
		const value = fields[key];
		if (value !== undefined) form.append(formName, String(value));
	};

	before.forEach(appendText);
	const imageField = images.length > 1 ? 'image[]' : 'image';
	for (const image of images) form.append(imageField, await image.blob(), image.fileName);
	if (mask) form.append('mask', await mask.blob(), mask.fileName);
	after.forEach(appendText);
	return form;
}
