import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    // A stray `.only` fails the run everywhere, not only where CI is set (biome refuses it too).
    allowOnly: false,
    // Every run writes a JSON report, from which .ci/run prints the plain "N passed, N failed"
    // line (scripts/test-summary.ts; .ci/run deletes the file first, so it is always this run's).
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    hookTimeout: 60_000,
    // Integration tests share one Postgres and one Redis; each test file uses its own
    // database/schema and key prefix, so files may run in parallel (2 cores in CI).
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
