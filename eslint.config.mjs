// n8n's community-node lint, set up as @n8n/node-cli (0.48) sets it up for `n8n-node lint`:
// ESLint + typescript-eslint recommended + @n8n/eslint-plugin-community-nodes recommended.
// (node-cli itself also adds eslint-plugin-n8n-nodes-base, whose pnpm-only install script
// cannot run under npm, so that plugin is left out here.)
import eslint from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	globalIgnores(['dist', 'node_modules', 'out']),
	{
		files: ['**/*.ts'],
		extends: [
			eslint.configs.recommended,
			tseslint.configs.recommended,
			n8nCommunityNodesPlugin.configs.recommended,
		],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
		},
	},
	{
		files: ['package.json'],
		extends: [n8nCommunityNodesPlugin.configs.recommended],
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		// Tests, scripts and the test server are not node code: they may use Node's APIs and print.
		files: ['test/**/*.ts', 'scripts/**/*.ts'],
		rules: {
			'no-console': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			// The test server's fixed bearer token is test data, not a secret.
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
		},
	},
);
