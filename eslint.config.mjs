// n8n's community-node lint, set up as @n8n/node-cli (0.48) sets it up for `n8n-node lint`:
// ESLint + typescript-eslint recommended + @n8n/eslint-plugin-community-nodes recommended.
// (node-cli also adds eslint-plugin-n8n-nodes-base, whose pnpm-only install script cannot
// run under npm, so that plugin is left out here.) The n8n rules apply to what n8n loads:
// nodes/, credentials/ and package.json. Tests and scripts are Node programs, not node code.
import eslint from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	globalIgnores(['dist', 'node_modules', 'out']),
	{
		files: ['**/*.ts'],
		extends: [eslint.configs.recommended, tseslint.configs.recommended],
		rules: { 'prefer-spread': 'off' },
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		extends: [n8nCommunityNodesPlugin.configs.recommended],
		rules: { 'no-console': 'error' },
	},
	{
		files: ['package.json'],
		extends: [n8nCommunityNodesPlugin.configs.recommended],
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
);
