/**
 * Settings n8n-core reads when it loads: imported before anything from n8n, so the engine
 * writes its instance settings and binary files into a throwaway folder, never into ~/.n8n.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-tikhub-'));
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_VERSION_NOTIFICATIONS_ENABLED = 'false';
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
// The engine's own logs would drown the test output.
process.env.N8N_LOG_LEVEL ??= 'silent';

export const userFolder = process.env.N8N_USER_FOLDER;
