import type { IDataObject } from 'n8n-workflow';

/** The JSON body of POST /v1/embeddings: the only place that knows its field names. */

export interface EmbeddingFields {
	model: string;
	dimensions?: number;
}

export function buildEmbeddingsBody(fields: EmbeddingFields, texts: string[]): IDataObject {
	return {
		model: fields.model,
		input: texts,
		...(fields.dimensions !== undefined ? { dimensions: fields.dimensions } : {}),
	};
}
