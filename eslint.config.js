// @ts-check
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layer rules live here, not in habit: each zone lists what it must not import.
 * - only the Electron shell (main/shell/, main/index.ts) and preload/index.ts import `electron`;
 * - main/icws/ (protocol) and main/core/ (state and actions) import neither Electron nor the renderer nor the shell;
 * - the renderer imports only the contract's types, never its runtime (zod stays out of the UI bundle).
 */
const electron = { name: 'electron', message: 'Only main/shell/, main/index.ts and preload/index.ts may import electron.' };
const pattern = (group, message) => ({ group, message });

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
  layer(
    ['main/icws/**'],
    [electron],
    [
      pattern(['**/core/**', '**/shell/**', '**/bridge/**', '**/host/**'], 'main/icws/ speaks ICWS only: it knows nothing of the core, the shell or the transports.'),
      pattern(['**/renderer/**'], 'main/icws/ must not import the renderer.'),
    ],
  ),
  layer(
    ['main/core/**', 'main/transports/**', 'main/bridge/**', 'main/host/**'],
    [electron],
    [
      pattern(['**/shell/**', '**/shell'], 'Only the Electron shell may use the shell; the core and the transports stay Electron-free.'),
      pattern(['**/renderer/**'], 'The main side must not import the renderer.'),
    ],
  ),
  layer(
    ['preload/contract/**'],
    [electron],
    [pattern(['**/main/**', '**/renderer/**', '**/sim/**'], 'The contract depends on nothing but zod.')],
  ),
  layer(
    ['sim/**'],
    [electron],
    [pattern(['**/main/**', '**/preload/**', '**/renderer/**'], 'The simulator is a stand-alone CIC server: it imports nothing of the companion.')],
  ),
  {
    files: ['renderer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electron, { name: 'zod', message: 'The renderer imports only the contract\u2019s types; validation happens on the main side.' }],
          patterns: [
            // state.ts and stateChange.ts are plain data and functions with no runtime dependency: the initial state and
            // the way a change is applied are shared rather than written twice.
            {
              regex: '(^|/)preload(/(?!contract/state$|contract/stateChange$).*)?$',
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
