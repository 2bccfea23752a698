import type { FixtureItem } from './engine/stand-in-nodes';
import { encodePng } from './server';

/** Small images made on the fly, so tests need no files on disk. */

export const RED = [255, 0, 0, 255] as const;

export function png(width = 64, height = 64, rgba: readonly number[] = RED): Buffer {
	return encodePng(width, height, rgba);
}

/** An input item with one PNG under `data` (or the given fields). */
export function imageItem(
	binary: Record<string, { bytes: Buffer; fileName?: string; mimeType?: string }> = {
		data: { bytes: png(), fileName: 'photo.png', mimeType: 'image/png' },
	},
	json: FixtureItem['json'] = {},
): FixtureItem {
	return { json, binary };
}
