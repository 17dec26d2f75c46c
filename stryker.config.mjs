// Mutation testing of the pure cores: `npm run test:mutation`. Stryker changes one
// operator or constant at a time in the files under `mutate` and runs the tests that
// cover that line (`perTest`); a mutant no test notices is a gap in the tests.
// Only the unit tests of those cores run, so the whole run fits in CI's 90 minutes on
// two cores; the report is written to reports/mutation/ (HTML and JSON).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts' },
  coverageAnalysis: 'perTest',
  // Mutants of module-level code (the unit registry, regexes, limits) would each rerun
  // every listed test, 90% of the run's time: left out. The limits and boundaries that
  // matter are pinned by literal tests (request-gate, claims' ±10%, CSV triggers).
  ignoreStatic: true,
  mutate: [
    'lib/domain/units.ts',
    'lib/domain/claims.ts',
    'lib/domain/derive.ts',
    'lib/domain/downsample.ts',
    'lib/export/csv.ts',
    'lib/formats/number.ts',
    'lib/formats/period.ts',
    'lib/import/plan.ts',
    'lib/web/auth.ts',
    'lib/web/editor-token.ts',
    'lib/web/forwarding.ts',
    'lib/web/login-throttle.ts',
    'lib/web/request-gate.ts',
  ],
  // Unit tests only: the plan is tested here against an in-memory store
  // (tests/import/plan.test.ts), not through a database.
  testFiles: [
    'tests/domain/units.test.ts',
    'tests/domain/claims.test.ts',
    'tests/domain/derive.test.ts',
    'tests/domain/downsample.test.ts',
    'tests/export/csv.test.ts',
    'tests/formats/number-period.test.ts',
    'tests/formats/encoding-numbers-entities.test.ts',
    'tests/import/plan.test.ts',
    'tests/auth/*.test.ts',
  ],
  // Left out of the sandbox copies: databases, build output and earlier reports.
  ignorePatterns: ['/data', '/reports', '/test-results', 'tests/.tmp', '.ci'],
  // One test process per core; the machine has two.
  concurrency: 2,
  timeoutMS: 30_000,
  // The first run, with coverage per test, runs every listed test file once, one at a time.
  dryRunTimeoutMinutes: 30,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 80, low: 60, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
export default config;
