import type { ChatAnswer } from './common';
import { isRecord } from './common';
import { openAiError } from '../respond';

/** What the two OpenAI formats (chat completions, responses) share: their 400 and their content parts. */

export const bad = (message: string, param: string | null = null, code: string | null = null): ChatAnswer => ({
	status: 400,
	body: openAiError(message, param, code),
});

/**
 * A message's content, a string or a list of parts, as text. `readPart` reads one part: its text,
 * undefined for a part without text (an image), or the answer that refuses it.
 */
export function readContent(
	content: unknown,
	at: string,
	readPart: (part: Record<string, unknown>, where: string) => ChatAnswer | string | undefined,
): ChatAnswer | string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return bad(`Invalid type for '${at}.content': expected one of a string or an array of objects.`, `${at}.content`, 'invalid_type');
	const texts: string[] = [];
	for (const [j, part] of content.entries()) {
		const where = `${at}.content[${j}]`;
		if (!isRecord(part)) return bad(`Invalid type for '${where}': expected an object.`, where, 'invalid_type');
		const read = readPart(part, where);
		if (typeof read === 'string') texts.push(read);
		else if (read) return read;
	}
	return texts.join('\n');
}

/** A text part's text, or the 400 for a part without one. */
export function partText(part: Record<string, unknown>, where: string): ChatAnswer | string {
	if (typeof part.text !== 'string') return bad(`Missing required parameter: '${where}.text'.`, `${where}.text`, 'missing_required_parameter');
	return part.text;
}
