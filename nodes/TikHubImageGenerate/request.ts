import type { IDataObject } from 'n8n-workflow';

import { IMAGE_API_FIELDS, type ImageFields } from '../shared/images/fields';

/** The JSON body of POST /v1/images/generations: every field that is set, under its API name. */
export function buildGenerateBody(fields: ImageFields): IDataObject {
	const body: IDataObject = {};
	for (const [key, apiName] of IMAGE_API_FIELDS) {
		const value = fields[key];
		if (value !== undefined) body[apiName] = value;
	}
	return body;
}
