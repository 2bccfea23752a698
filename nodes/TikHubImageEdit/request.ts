import { IMAGE_API_FIELDS, type ImageFields } from '../shared/images/fields';
import { filePart, multipartBody, type FormPart, type MultipartBody } from '../shared/http/multipart';
import type { InputImage } from '../shared/media/input-images';

/**
 * The multipart form of POST /v1/images/edits. One image goes as `image`; several as repeated
 * `image[]` parts (TikHub's convention for reference images); the mask as `mask`. Text fields
 * keep the API's reference order (model and prompt first), and unset ones are left out.
 * Images are streamed from n8n's binary store when the request is sent (shared/http/multipart.ts).
 */
export function buildEditForm(fields: ImageFields, images: InputImage[], mask?: InputImage): MultipartBody {
	const [before, after] = [IMAGE_API_FIELDS.slice(0, 2), IMAGE_API_FIELDS.slice(2)];
	const text = ([key, formName]: readonly [keyof ImageFields, string]): FormPart[] => {
		const value = fields[key];
		return value === undefined ? [] : [{ name: formName, value: String(value) }];
	};
	const imageField = images.length > 1 ? 'image[]' : 'image';
	return multipartBody([
		...before.flatMap(text),
		...images.map((image) => filePart(imageField, image)),
		...(mask ? [filePart('mask', mask)] : []),
		...after.flatMap(text),
	]);
}
