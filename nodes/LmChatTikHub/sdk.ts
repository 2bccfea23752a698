import type { ISupplyDataFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * n8n's AI node SDK, loaded when a model is asked for, not when n8n loads the package: n8n
 * loads every node of a package at start, and one that fails to load takes the whole package
 * with it. n8n versions that do not bundle the SDK (all of 1.x) thus still load the other TikHub
 * nodes; only this node fails, when it runs, saying why.
 */

export type AiNodeSdk = typeof import('@n8n/ai-node-sdk');

/** The first n8n release that bundles `@n8n/ai-node-sdk` with `aiNodeSdkVersion` 1 (see README). */
export const FIRST_N8N_WITH_SDK = '2.16.0';

export async function loadAiNodeSdk(ctx: ISupplyDataFunctions): Promise<AiNodeSdk> {
	try {
		return await import('@n8n/ai-node-sdk');
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `TikHub Chat Model needs n8n ${FIRST_N8N_WITH_SDK} or newer`, {
			description:
				`This n8n does not provide n8n's AI node SDK (@n8n/ai-node-sdk), which this node builds its model with: ${(error as Error).message.split('\n')[0]}. ` +
				`Update n8n to ${FIRST_N8N_WITH_SDK} or newer; the other TikHub nodes work without it.`,
		});
	}
}
