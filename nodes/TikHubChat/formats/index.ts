import { chatCompletions } from './chat-completions';
import { generateContent } from './generate-content';
import { messages } from './messages';
import { responses } from './responses';
import type { ChatFormat } from './types';

export type ChatApi = 'chatCompletions' | 'responses' | 'messages' | 'generateContent';

/** The wire formats, by the node's `api` value. */
export const FORMATS: Record<ChatApi, ChatFormat> = { chatCompletions, responses, messages, generateContent };
