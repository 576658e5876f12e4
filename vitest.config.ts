import { defineConfig } from 'vitest/config';

/**
 * Files that measure time or load the whole machine (Lighthouse's scores, crash safety
 * under write load, several servers and workers under load): run one at a time after the
 * rest, so that nothing else competes with them for the two cores of a CI machine.
 */
const ALONE = [
  'test/lighthouse.test.ts',
  'test/crash-safety.test.ts',
  'test/several-servers.test.ts',
  'test/workers.test.ts',
];

export default defineConfig({
  // Vite 8 transforms TS/TSX with Oxc. Match tsconfig (jsx: react-jsx, jsxImportSource: #jsx):
  // .tsx compiles to imports of `#jsx/jsx-runtime`, which package.json "imports" maps to
  // src/views/jsx/jsx-runtime.ts.
  oxc: {
    jsx: { runtime: 'automatic', importSource: '#jsx', development: false },
  },
  test: {
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts', 'client/**/*.test.ts'],
          exclude: ALONE,
          // Most files wait on PostgreSQL, servers and Chromium more than they compute:
          // two at a time on two cores (Vitest's default there is one).
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'alone',
          include: ALONE,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
