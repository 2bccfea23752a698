import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** What a local check reports: what is wrong, and what to do about it. Checks return one or undefined. */
export interface Problem {
	message: string;
	description?: string;
}

/** Fails the item with the problem, before anything is sent. */
export function throwIfProblem(ctx: IExecuteFunctions, itemIndex: number, problem?: Problem): void {
	if (!problem) return;
	throw new NodeOperationError(ctx.getNode(), problem.message, {
		itemIndex,
		description: problem.description,
	});
}

/** A whole number within limits; undefined (not set) is not one. */
export function isWholeNumberIn(value: number | undefined, min: number, max: number): boolean {
	return value !== undefined && Number.isInteger(value) && value >= min && value <= max;
}
