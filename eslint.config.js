import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'test-results/', 'db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The admin panel's browser modules (served as they are, no build step).
    files: ['admin/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, activities only as types.
    // Workflow tests beside it run in Node and drive the sandbox from outside.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltins }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
);
