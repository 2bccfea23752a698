import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

/**
 * Stands in for n8n's Logger (what nodes get as `this.logger`): keeps every line with its
 * metadata so tests can read what the node logged (and check that no secret is in it).
 */
export const logLines: string[] = [];

const record =
	(level: string) =>
	(message: string, metadata?: object): void => {
		logLines.push(`${level} ${message} ${metadata ? JSON.stringify(metadata) : ''}`);
	};

const capturingLogger = {
	error: record('error'),
	warn: record('warn'),
	info: record('info'),
	debug: record('debug'),
	scoped() {
		return capturingLogger;
	},
};

export function captureLogs(): void {
	Container.set(Logger, capturingLogger as unknown as Logger);
}
