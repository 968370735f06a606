// @ts-check
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layersPlugin } from './eslint-layers.js';

/**
 * Layer rules live here, not in habit:
 * - `layers/may-import` (eslint-layers.js): the README's "may import" table, an allow-list per folder;
 * - only the Electron shell (main/shell/, main/index.ts) and preload/index.ts import `electron`;
 * - the renderer imports only the contract's types and its plain modules, never zod.
 */
const electron = { name: 'electron', message: 'Only main/shell/, main/index.ts and preload/index.ts may import electron.' };

const layer = (files, paths, patterns, ignores = []) => ({
  files,
  ignores,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'coverage/', 'tests/artifacts/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  layer(['main/**', 'sim/**', 'bench/**', 'preload/contract/**', 'renderer/**'], [electron], [], ['main/shell/**', 'main/index.ts']),
  {
    files: ['main/**', 'preload/**', 'renderer/**', 'sim/**'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/may-import': 'error' },
  },
  {
    files: ['renderer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electron, { name: 'zod', message: 'The renderer imports only the contract\u2019s types; validation happens on the main side.' }],
          patterns: [
            // The contract's plain modules (no zod) are shared rather than written twice: the initial state and the way a
            // change is applied, the command names and the API built from them, the action names, the one `isObject`.
            {
              regex: '(^|/)preload(/(?!contract/(state|stateChange|names|api|actions|guards)$).*)?$',
              allowTypeImports: true,
              message: 'The renderer may import only types from the contract (use `import type`).',
            },
            { group: ['**/main/**', '**/sim/**', 'node:*', 'ws'], message: 'The renderer runs in a browser page: no main-side or Node modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
);
