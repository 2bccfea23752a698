// Jest with ts-jest: TypeScript tests run as written. Types are checked once by
// `npm run typecheck` (tsc), so ts-jest only transpiles (isolatedModules in tsconfig.test.json).
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	// Engine tests send real HTTP requests and wait out real (short) retry delays.
	testTimeout: 60_000,
	// The tests share two cores with the local TikHub server and n8n's engine: one file at a time.
	maxWorkers: 1,
};
