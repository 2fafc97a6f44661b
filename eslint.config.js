// ESLint flat config: typescript-eslint with type information, so promise
// mistakes (a forgotten await on a span flush) are caught.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'collector/.build/**',
      'collector/bin/**',
      'playwright-report/**',
      'test-results/**',
      'bench-results/**',
      '.tools/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // web/src/tracing.ts stays at the top of web/src, imported as './tracing':
    // the benchmark's untraced build (bench/src/browser-cost.ts) swaps exactly
    // that import for a stub, so an import from a subfolder would slip the real
    // SDK into the build it measures as untraced.
    files: ['web/src/*/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+tracing$',
              message:
                "Import tracing.ts only from a module at the top of web/src, as './tracing' (see eslint.config.js).",
            },
          ],
        },
      ],
    },
  },
);
