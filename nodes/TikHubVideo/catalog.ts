/**
 * What the Video node's description shows: each provider's models and Sora's sizes, and the
 * run settings' defaults and limits. Kept apart from the providers' request code so that n8n,
 * which reads every node's description when it starts, loads none of it.
 */

export const SEEDANCE_MODELS = [
	{ name: 'Seedance 1.5 Pro', value: 'doubao-seedance-1-5-pro-251215' },
	{ name: 'Seedance 1.0 Pro', value: 'doubao-seedance-1-0-pro-250528' },
	{ name: 'Seedance 1.0 Pro Fast', value: 'doubao-seedance-1-0-pro-fast-251015' },
	{ name: 'Seedance 2.0', value: 'doubao-seedance-2-0-260128' },
];

export const KLING_MODELS = [
	{ name: 'Kling V2.6', value: 'kling-v2-6' },
	{ name: 'Kling V2.5 Turbo', value: 'kling-v2-5-turbo' },
	{ name: 'Kling V2.1 Master', value: 'kling-v2-1-master' },
	{ name: 'Kling V2 Master', value: 'kling-v2-master' },
	{ name: 'Kling V1.6', value: 'kling-v1-6' },
	{ name: 'Kling V1', value: 'kling-v1' },
];

/** Model IDs are not stated by TikHub: Google's names, any other by expression. */
export const VEO_MODELS = Object.entries({
	'veo-3.1-generate-preview': 'Veo 3.1',
	'veo-3.1-fast-generate-preview': 'Veo 3.1 Fast',
	'veo-3.0-generate-001': 'Veo 3',
	'veo-3.0-fast-generate-001': 'Veo 3 Fast',
	'veo-2.0-generate-001': 'Veo 2',
}).map(([value, name]) => ({ name, value }));

export const SORA_MODELS = [
	{ name: 'Sora 2', value: 'sora-2' },
	{ name: 'Sora 2 Pro', value: 'sora-2-pro' },
];

/** OpenAI's sizes; the last two only for sora-2-pro. */
export const SORA_SIZES = ['1280x720', '720x1280', '1792x1024', '1024x1792'];

export const DEFAULT_POLL_INTERVAL_SECONDS = 10;
export const DEFAULT_MAX_WAIT_SECONDS = 900;
/** A day: results expire after that at Seedance, so waiting longer cannot help. */
export const MAX_WAIT_LIMIT_SECONDS = 86_400;
/** Waiting is idle time, so a batch of videos waits side by side. */
export const DEFAULT_VIDEO_CONCURRENCY = 10;
/**
 * Video tasks waited for at once, at most: a task in flight costs a status check every Poll
 * Interval, not an upload, so more fit than the image nodes' 32 (each finished video is held
 * whole while it is stored, so 100 finishing together hold 100 videos).
 */
export const MAX_VIDEO_CONCURRENCY = 100;
/** Per request: a create may carry an inline image of several MB. */
export const DEFAULT_VIDEO_TIMEOUT_SECONDS = 120;
