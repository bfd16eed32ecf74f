// Lint rules: typescript-eslint's strict type-aware set, React hooks rules,
// and import boundaries that keep each runtime's code apart (browser code
// cannot reach Node modules or the server, and the reverse).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'crypto', 'http', 'os', 'child_process', 'net', 'zlib', 'stream'];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', '.tmp', 'coverage', 'test-results', 'playwright-report', 'data'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/client/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [...nodeBuiltins, '**/server/**', '**/sw/**'].map((group) => ({
            group: [group],
            message: 'Browser code cannot import Node or server code.',
          })),
        },
      ],
    },
  },
  {
    files: ['src/sw/**/*.ts'],
    languageOptions: { globals: globals.serviceworker },
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nodeBuiltins, '**/server/**', '**/client/**'] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...nodeBuiltins, '**/server/**', '**/client/**', '**/sw/**', 'dexie', 'react', 'kysely'] },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/client/**', '**/sw/**', 'react', 'dexie'] }],
    },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.mjs', '*.ts', '*.js', 'src/**/*.test.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: { 'no-restricted-imports': 'off' },
  },
);
