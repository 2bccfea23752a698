/** GET /v1/models: every model the stand-in serves, in OpenAI's list shape. */

const OWNERS: Record<string, string> = {
	'gpt-4o-mini': 'openai',
	'gpt-4.1': 'openai',
	'gpt-5-mini': 'openai',
	'claude-sonnet-4-5-20250929': 'anthropic',
	'gemini-2.5-flash': 'google',
	'deepseek-chat': 'deepseek',
	'text-embedding-3-small': 'openai',
	'text-embedding-3-large': 'openai',
	'whisper-1': 'openai',
	'gpt-4o-transcribe': 'openai',
	'gpt-4o-mini-transcribe': 'openai',
	'gpt-image-2': 'openai',
	'gpt-image-2-vip': 'openai',
	'doubao-seedance-1-0-pro-250528': 'bytedance',
	'kling-v2-1': 'kling',
	'veo-3.0-generate-001': 'google',
	'sora-2': 'openai',
};

/** The chat models (what the chat endpoints accept); gpt-5-mini stands for the reasoning models' wire rules. */
export const CHAT_MODELS = ['gpt-4o-mini', 'gpt-4.1', 'gpt-5-mini', 'claude-sonnet-4-5-20250929', 'gemini-2.5-flash', 'deepseek-chat'];

export const MODELS = {
	object: 'list',
	data: Object.entries(OWNERS).map(([id, owned_by]) => ({ id, object: 'model', created: 1_735_689_600, owned_by })),
};
