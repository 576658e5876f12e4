import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Vite 8 transforms TS/TSX with Oxc. Match tsconfig (jsx: react-jsx, jsxImportSource: #jsx):
  // .tsx compiles to imports of `#jsx/jsx-runtime`, which package.json "imports" maps to
  // src/views/jsx/jsx-runtime.ts.
  oxc: {
    jsx: { runtime: 'automatic', importSource: '#jsx', development: false },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts', 'client/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: true,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
