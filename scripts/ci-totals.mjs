// The totals line CI ends with, from vitest's JSON report: `N passed, N failed`. A test file that failed
// without a failed test in it (it did not load, or a beforeAll threw and its tests were skipped) counts as
// one failure, so a suite that never ran can never look green.
//
//   node scripts/ci-totals.mjs [report.json]   exits 1 when anything failed or nothing ran
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function totals(report) {
  const files = report.testResults ?? [];
  const unloaded = files.filter((file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'));
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + unloaded.length,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    unloaded: unloaded.map((file) => file.name),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] ?? '.vitest-report.json';
  if (!existsSync(file)) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  const result = totals(JSON.parse(readFileSync(file, 'utf8')));
  for (const name of result.unloaded) console.log(`failed without a failed test (did not load, or a hook failed): ${name}`);
  if (result.skipped) console.log(`${result.skipped} skipped`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
  if (result.failed > 0 || result.passed === 0) process.exitCode = 1;
}
