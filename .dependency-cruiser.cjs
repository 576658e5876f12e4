// Import rules from DESIGN.md "Architecture": imports point downward only.
// Run: npx depcruise src --config .dependency-cruiser.cjs
//
// Test files (*.test.ts[x]) and the test harness in src/testing/ may wire the
// whole app together, so the layer rules below do not apply to them. The
// "domain internals are private" rules and the cycle rule apply to everything.

const TEST_FILE = '\\.test\\.tsx?$';
const DOMAIN_INDEX = '^src/domains/[^/]+/index\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Runtime import cycle. Cycles that pass through an `import type` edge are erased at ' +
        'compile time and are allowed; move shared types down a layer if this one bites.',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'This import cannot be resolved to a file on disk.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'shared-imports-nothing',
      severity: 'error',
      comment: 'src/shared/ holds tiny pure helpers and imports nothing else in src.',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'config-imports-only-shared',
      severity: 'error',
      comment: 'src/config/ may import only src/shared/.',
      from: { path: '^src/config/', pathNot: TEST_FILE },
      to: { path: '^src/', pathNot: '^src/(config|shared)/' },
    },
    {
      name: 'db-imports-only-shared-and-config',
      severity: 'error',
      comment: 'src/db/ may import only src/shared/ and src/config/.',
      from: { path: '^src/db/', pathNot: TEST_FILE },
      to: { path: '^src/', pathNot: '^src/(db|shared|config)/' },
    },
    {
      name: 'backup-imports-only-db-config-shared',
      severity: 'error',
      comment:
        'src/backup/ (backup, restore, db copy) works on tables and files, below the domains: ' +
        'it may import only src/db/, src/config/ and src/shared/.',
      from: { path: '^src/backup/', pathNot: TEST_FILE },
      to: { path: '^src/', pathNot: '^src/(backup|db|shared|config)/' },
    },
    {
      name: 'domains-not-upward',
      severity: 'error',
      comment:
        'Domains never import http/, views/, cli/ or the composition root (app.ts, main.ts); ' +
        'they are handed their dependencies.',
      from: { path: '^src/domains/', pathNot: TEST_FILE },
      to: { path: ['^src/(http|views|cli)/', '^src/(app|main)\\.tsx?$'] },
    },
    {
      name: 'domain-internals-from-other-domain',
      severity: 'error',
      comment:
        'A domain may use another domain only through that domain`s index.ts, never its ' +
        'internal files.',
      from: { path: '^src/domains/([^/]+)/' },
      to: { path: '^src/domains/[^/]+/', pathNot: ['^src/domains/$1/', DOMAIN_INDEX] },
    },
    {
      name: 'domain-internals-from-outside',
      severity: 'error',
      comment:
        'Outside src/domains/, a domain is used only through its index.ts (its public surface).',
      from: { path: '^src/', pathNot: '^src/domains/' },
      to: { path: '^src/domains/[^/]+/', pathNot: DOMAIN_INDEX },
    },
    {
      name: 'views-import-only-views-and-shared',
      severity: 'error',
      comment:
        'Views receive plain data: they import only src/views/ and src/shared/ (not even ' +
        'type-only imports of domain types; declare a view model in src/views/ instead).',
      from: { path: '^src/views/', pathNot: TEST_FILE },
      to: { path: '^src/', pathNot: '^src/(views|shared)/' },
    },
    {
      name: 'admin-screen-views-are-views',
      severity: 'error',
      comment:
        'An admin screen`s view (screens/<screen>.view.tsx) lives beside its routes but is a ' +
        'view: it imports only src/views/, src/shared/ and other screen views.',
      from: { path: '^src/http/admin/screens/[^/]+\\.view\\.tsx$' },
      to: {
        path: '^src/',
        pathNot: ['^src/(views|shared)/', '^src/http/admin/screens/[^/]+\\.view\\.tsx$'],
      },
    },
    {
      name: 'http-imports-down-only',
      severity: 'error',
      comment:
        'src/http/ may import http/, views/, shared/, config/ and domains through their ' +
        'index.ts; not db/, cli/, testing/ or the composition root.',
      from: { path: '^src/http/', pathNot: TEST_FILE },
      to: { path: '^src/', pathNot: ['^src/(http|views|shared|config)/', DOMAIN_INDEX] },
    },
    {
      name: 'not-to-testing-from-production',
      severity: 'error',
      comment: 'Only test files and src/testing/ itself may import the test harness.',
      from: { path: '^src/', pathNot: [TEST_FILE, '^src/testing/'] },
      to: { path: '^src/testing/' },
    },
    {
      name: 'not-to-test-file',
      severity: 'error',
      comment: 'Nothing imports a test file; move shared helpers into src/testing/.',
      from: {},
      to: { path: TEST_FILE },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // type-only imports count: views may not even import domain types.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: './tsconfig.json' },
    // package.json "imports" (#jsx/jsx-runtime) resolves as a subpath import.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
