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
    // Outside worker/ and the test harnesses, workflow code is imported as a type only: workflows are started by
    // name in temporal/starters.ts, and their messages come from workflows/*-messages.ts.
    files: ['**/*.ts'],
    ignores: ['workflows/**', 'worker/**', 'test/**', 'bench/**', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)workflows(/index|/[a-z-]+-workflow)?$',
              allowTypeImports: true,
              message: 'start workflows by name (temporal/starters.ts); import workflow code as a type only',
            },
          ],
        },
      ],
    },
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
