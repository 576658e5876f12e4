// ESLint flat config. Run: npx eslint .
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const nodeGlobals = {
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  URLSearchParams: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  setImmediate: 'readonly',
  queueMicrotask: 'readonly',
  structuredClone: 'readonly',
  fetch: 'readonly',
  AbortController: 'readonly',
  TextEncoder: 'readonly',
  TextDecoder: 'readonly',
};

export default defineConfig(
  globalIgnores([
    'node_modules/',
    'data/',
    'coverage/',
    'test-artifacts/',
    'bench/out/',
    // browser bundles produced from client/ (if any)
    '**/*.min.js',
  ]),
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...nodeGlobals, module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommended],
    rules: {
      // Escape hatch: `// eslint-disable-next-line @typescript-eslint/no-explicit-any -- why`
      '@typescript-eslint/no-explicit-any': 'error',
      // `declare namespace JSX` in the JSX runtime is how TypeScript finds JSX types.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // DESIGN.md: permissions are one table asked through `can`/`require(action)`; no code
    // decides by naming a role. Tests may build actors of a given role.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    // Views compare a role only to mark the selected option of a role picker.
    ignores: [
      '**/*.test.ts',
      '**/*.test.tsx',
      '**/*.view.tsx',
      'src/views/**',
      'src/testing/**',
      'src/cli/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "BinaryExpression[operator=/^[!=]==?$/]:matches([left.property.name='role'], [right.property.name='role'])",
          message:
            'Ask the permission table (can / kit.require / the desk’s allowedActions) instead of comparing roles.',
        },
      ],
    },
  },
);
