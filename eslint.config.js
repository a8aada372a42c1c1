// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Modules that domain code must never import: runtimes, drivers, adapters, HTTP. */
const adapterOnlyImports = [
  { group: ['**/adapters/**', '**/http/**', '**/entrypoints/**', '**/auth/**'], message: 'Domain code does not import adapters; wire ports in a composition root.' },
  { group: ['node:*', 'better-sqlite3', 'mongodb', 'hono', 'hono/*', '@hono/*', 'ws', '@aws-sdk/*', '@middy/*', 'jose'], message: 'Domain code is runtime-free; take a port instead.' },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.hangar/**', 'test-output/**', 'cdk.out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['functions/src/domain/**/*.ts', 'functions/src/ports/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.contract.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: adapterOnlyImports }] },
  },
  {
    files: ['protocol/src/**/*.ts'],
    ignores: ['protocol/src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!zod$|\\./)', message: 'protocol depends on nothing but zod.' }] }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
