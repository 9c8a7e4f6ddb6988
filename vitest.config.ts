import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // the JSON report feeds .ci/run's closing "N passed, N failed" line
    reporters: ['default', 'json'],
    outputFile: { json: '.cache/vitest-report.json' },
  },
});
