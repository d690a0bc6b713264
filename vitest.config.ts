import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report is what .ci/run counts; CI does not read the console summary.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    // Suites start loopback servers and a browser; give them room, but never assert on time.
    testTimeout: 60_000,
    // Two files at a time: most suites wait on child processes, sockets or Chromium, so one worker (the
    // default on two cores) left a core idle and CI near its 10-minute budget.
    maxWorkers: 2,
    hookTimeout: 120_000,
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
  },
});
