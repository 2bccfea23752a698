import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_RETRIES, MAX_CONCURRENCY } from './parameters';

/**
 * The options every TikHub node offers about how it runs rather than what it asks for:
 * Concurrency, Max Retries, Timeout and the output binary field. Each node words the
 * description for its own work (images take 1 to 2 minutes, videos are waited for).
 * parameters.ts reads them back (readConcurrency, readRequestPolicy).
 */

export function concurrencyOption(
	defaultValue: number,
	description: string,
	maxValue = MAX_CONCURRENCY,
): INodeProperties {
	return {
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue },
		default: defaultValue,
		description,
	};
}

const MAX_RETRIES_DESCRIPTION =
	'How many times to try again when TikHub is rate limited (429), fails (500, 502, 503, 504) or cannot be reached. Waits longer each time and follows the Retry-After header.';

export function maxRetriesOption(description = MAX_RETRIES_DESCRIPTION): INodeProperties {
	return {
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: DEFAULT_MAX_RETRIES,
		description,
	};
}

export function timeoutOption(defaultSeconds: number, description: string): INodeProperties {
	return {
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: defaultSeconds,
		description,
	};
}

export function outputBinaryFieldOption(description: string, extra: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Output Binary Field',
		name: 'binaryPropertyOutput',
		type: 'string',
		default: 'data',
		description,
		...extra,
	};
}

/** The Options collection of a node: its optional fields (sorted by display name, as n8n's lint wants). */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options };
}
