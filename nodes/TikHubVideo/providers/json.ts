import type { IDataObject } from 'n8n-workflow';

export { isRecord } from '../../shared/http/error-messages';
export { isWholeNumberIn as whole } from '../../shared/items/problems';

/**
 * Reading the providers' JSON answers without trusting their shape: a value is taken only when
 * it has the expected type, so an odd answer gives "not reported" rather than a crash.
 */

export function stringOf(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** A number the provider may send as a number or a string ("5.1"). */
export function numberOf(value: unknown): number | undefined {
	const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
	return Number.isFinite(parsed) ? parsed : undefined;
}

/** Drops the keys whose value is undefined, so "not set" is not sent or shown. */
export function defined(object: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

/** A provider's timestamp (Seedance: seconds, Kling: milliseconds) as an ISO date. */
export function isoTime(value: unknown, unit: 's' | 'ms'): string | undefined {
	const time = numberOf(value);
	if (time === undefined || time <= 0) return undefined;
	const date = new Date(unit === 's' ? time * 1000 : time);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A provider's status word looked up in its table whatever its case ("SUCCEEDED", "Succeed"). */
export function statusIn<T>(table: Record<string, T>, word: string | undefined): T | undefined {
	if (word === undefined) return undefined;
	const key = word.trim().toLowerCase();
	return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
