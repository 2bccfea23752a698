import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { RequestPolicy } from '../http/transport';

/**
 * Reading node parameters the same way in every TikHub node: what counts as "not set",
 * numbers typed by expression, and the run settings (timeout, retries, concurrency) kept
 * within the limits the UI shows.
 */

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_TIMEOUT_SECONDS = 300;
export const DEFAULT_MAX_RETRIES = 2;
/**
 * Items in flight at once, at most, unless a node sets its own cap: 32 uploads of up to 50 MB
 * is already more than a small worker should hold. A node whose items cost little while in
 * flight (a video task being waited for) sets a higher one.
 */
export const MAX_CONCURRENCY = 32;

/** A string option, or undefined when unset or blank (an empty string is not a value). */
export function text(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const trimmed = String(value).trim();
	return trimmed === '' ? undefined : trimmed;
}

/** A number option, or undefined when unset; NaN when set to something that is no number. */
export function number(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return typeof value === 'number' ? value : Number(String(value).trim());
}

/**
 * Keeps a run setting within its limits, also when an expression sets it: an expression
 * giving 1e6 retries or 500 parallel uploads would hurt more than it helps.
 */
export function clamp(value: number | undefined, min: number, max: number, fallback: number): number {
	if (value === undefined || !Number.isFinite(value)) return fallback;
	return Math.min(max, Math.max(min, Math.round(value)));
}

/** Timeout and retries of one item's requests, from its Options. */
export function readRequestPolicy(
	options: IDataObject,
	defaults: { timeoutSeconds?: number } = {},
): Pick<RequestPolicy, 'timeoutMs' | 'maxRetries'> {
	const timeoutSeconds = clamp(number(options.timeout), 1, 3600, defaults.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
	return {
		timeoutMs: timeoutSeconds * 1000,
		maxRetries: clamp(number(options.maxRetries), 0, 10, DEFAULT_MAX_RETRIES),
	};
}

/**
 * Items in flight at once, read once per run from the first item. Only this one option is
 * resolved, and an expression that fails there falls back to the default: a bad expression in
 * another option is reported on its own item, not by the whole run.
 */
export function readConcurrency(
	ctx: IExecuteFunctions,
	fallback = DEFAULT_CONCURRENCY,
	max = MAX_CONCURRENCY,
): number {
	let value: unknown;
	try {
		value = ctx.getNodeParameter('options.concurrency', 0, fallback);
	} catch {
		value = undefined;
	}
	return clamp(number(value), 1, max, fallback);
}
