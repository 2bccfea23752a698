import type { Problem } from '../items/problems';

/**
 * A value a user gives (a task id, a model name) that goes into a URL path as one segment.
 * Encoding alone is not enough: `.` and `..` survive encodeURIComponent and would move the
 * request to another path. Checked before any request, then encoded.
 */

/** What is wrong with `value` as one path segment, or undefined when it is fine. */
export function checkPathSegment(value: string, field: string): Problem | undefined {
	const shown = JSON.stringify(value.length > 80 ? `${value.slice(0, 79)}…` : value);
	if (value === '') return { message: `"${field}" is empty` };
	if (value === '.' || value === '..') {
		return { message: `"${field}" cannot be ${shown}`, description: `Map the ${field} the earlier node returned, e.g. {{ $json.taskId }}.` };
	}
	const bad = /[/\\?#]|\s|\p{Cc}/u.exec(value);
	if (bad) {
		const what = /\s/.test(bad[0]) ? 'whitespace' : `"${bad[0]}"`;
		return {
			message: `"${field}" ${shown} contains ${what}, which no ID has`,
			description: `Check that "${field}" holds only the ID (e.g. {{ $json.taskId }}), not a URL, a path or several values.`,
		};
	}
	return undefined;
}
