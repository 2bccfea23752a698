import type {
	IDataObject,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { readCredentials, TIKHUB_CREDENTIAL } from '../http/credentials';

/**
 * The models TikHub serves, from `GET /v1/models` (OpenAI's list shape:
 * `{ data: [{ id, owned_by, … }] }`), filtered to the kind a node needs. It feeds the
 * searchable "From List" mode of every `model` resource locator; the "ID" mode always takes
 * any name, so a model missing from the list (or a gateway without the endpoint) never blocks a user.
 */

export type ModelKind = 'chat' | 'embedding' | 'transcription';

/** Words in a model id that mark it as something other than a chat model. */
const NOT_CHAT = /embed|whisper|transcri|tts|speech|dall-e|image|imagen|sora|veo|kling|seedance|moderation|rerank/i;

const KIND_TEST: Record<ModelKind, (id: string) => boolean> = {
	chat: (id) => !NOT_CHAT.test(id),
	embedding: (id) => /embed/i.test(id),
	transcription: (id) => /whisper|transcri/i.test(id),
};

export function isModelOfKind(id: string, kind: ModelKind): boolean {
	return KIND_TEST[kind](id);
}

/** Ids from a `/v1/models` answer; anything that is not the list shape gives none. */
export function modelIds(body: unknown): string[] {
	const data = (body as IDataObject | undefined)?.data;
	if (!Array.isArray(data)) return [];
	const ids = data
		.map((entry) => (entry as IDataObject | null)?.id)
		.filter((id): id is string => typeof id === 'string' && id.trim() !== '');
	return [...new Set(ids)].sort();
}

/** `GET <Base URL>/v1/models` with the credential; the list of model ids, sorted. */
export async function fetchModelIds(ctx: ILoadOptionsFunctions): Promise<string[]> {
	const { baseUrl } = await readCredentials(ctx, 0);
	const options: IHttpRequestOptions = { method: 'GET', url: `${baseUrl}/v1/models`, json: true, timeout: 30_000 };
	const body: unknown = await ctx.helpers.httpRequestWithAuthentication.call(ctx, TIKHUB_CREDENTIAL, options);
	return modelIds(body);
}

/** A `listSearch` method for a resource locator: the models of one kind, searchable by name. */
export function modelSearch(kind: ModelKind) {
	return async function (this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const needle = (filter ?? '').trim().toLowerCase();
		const results: INodeListSearchItems[] = (await fetchModelIds(this))
			.filter((id) => isModelOfKind(id, kind))
			.filter((id) => needle === '' || id.toLowerCase().includes(needle))
			.map((id) => ({ name: id, value: id }));
		return { results };
	};
}
