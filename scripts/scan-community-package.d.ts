// The part of n8n's scanner (plain JavaScript, no types shipped) that scripts/scan-package.ts uses.
declare module '@n8n/scan-community-package/scanner/scanner.mjs' {
	export interface ScanResult {
		passed: boolean;
		message?: string;
		details?: string;
	}
	/** The files the scanner lints in a package's source checkout. */
	export const SOURCE_FILE_PATTERNS: string[];
	/** Lints `dir` with the scanner's own ESLint config (default patterns: every .js, .ts and .json). */
	export function analyzePackage(dir: string, patterns?: string[]): Promise<ScanResult>;
}
