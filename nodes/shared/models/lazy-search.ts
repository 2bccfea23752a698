import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { ModelKind } from './model-list';

/**
 * `modelSearch(kind)` for a node's `methods.listSearch`, loaded when the list is first opened:
 * n8n reads every node file when it starts, and the model list pulls in the HTTP path.
 */
export function lazyModelSearch(kind: ModelKind) {
	return async function (this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const { modelSearch } = await import('./model-list');
		return await modelSearch(kind).call(this, filter);
	};
}
