import type { Problem } from '../../shared/items/problems';
import type { ImageFacts } from './types';

/**
 * The first-frame checks several providers make, each with its own formats and size limit:
 * the message names the provider and what it takes.
 */

const NAMES: Record<string, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP' };

/** An image of a format the provider does not take (`kinds`: png, jpeg, webp). */
export function imageFormatProblem(image: ImageFacts, provider: string, kinds: string[]): Problem | undefined {
	if (kinds.includes(image.info.kind)) return undefined;
	const names = kinds.map((kind) => NAMES[kind] ?? kind);
	const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0];
	return {
		message: `The image ${image.label} is ${image.info.mimeType}; ${provider} takes ${list}`,
		description: 'Convert it first, e.g. with the Edit Image node.',
	};
}

/** An image larger than the provider takes. */
export function imageBytesProblem(image: ImageFacts, provider: string, maxMegabytes: number): Problem | undefined {
	if (image.byteLength <= maxMegabytes * 1024 * 1024) return undefined;
	return { message: `The image ${image.label} is ${(image.byteLength / 1048576).toFixed(1)} MB; ${provider} takes at most ${maxMegabytes} MB` };
}
