// .ci/run's last line comes from scripts/ci-totals.mjs. Checked on real vitest runs of small suites in
// a temp dir: one passes, one fails a test, one cannot even load, one whose beforeAll throws.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../support/contract.js';

const suites: Record<string, string> = {
  'passes.test.ts': `import { it, expect } from 'vitest';\nit('one', () => expect(1).toBe(1));\nit('two', () => expect(2).toBe(2));\n`,
  'fails.test.ts': `import { it, expect } from 'vitest';\nit('ok', () => expect(1).toBe(1));\nit('wrong', () => expect(1).toBe(2));\n`,
  'unloadable.test.ts': `import { it } from 'vitest';\nimport './does-not-exist.js';\nit('never runs', () => {});\n`,
  'hook.test.ts': `import { beforeAll, it } from 'vitest';\nbeforeAll(() => { throw new Error('no browser'); });\nit('skipped by the hook', () => {});\n`,
};

function runSuites(names: string[]): { lines: string[]; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'itnio-ci-totals-'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const name of names) writeFileSync(join(dir, name), suites[name]!);
  writeFileSync(join(dir, 'vitest.config.mjs'), `export default { test: { include: ['*.test.ts'], reporters: ['json'], outputFile: { json: 'report.json' } } };\n`);
  spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], { cwd: dir, encoding: 'utf8' });
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'ci-totals.mjs'), join(dir, 'report.json')], { encoding: 'utf8' });
  return { lines: result.stdout.trim().split('\n'), status: result.status };
}

describe('the CI totals line', () => {
  it('all green: the counts, exit 0', () => {
    const { lines, status } = runSuites(['passes.test.ts']);
    expect(lines.at(-1)).toBe('2 passed, 0 failed');
    expect(status).toBe(0);
  });

  it('a failed test, a suite that does not load and a failing beforeAll each count as failed', () => {
    const { lines, status } = runSuites(['passes.test.ts', 'fails.test.ts', 'unloadable.test.ts', 'hook.test.ts']);
    expect(lines.at(-1)).toBe('3 passed, 3 failed');
    expect(lines.filter((l) => l.startsWith('failed without a failed test')).map((l) => l.split('/').pop())).toEqual(expect.arrayContaining(['unloadable.test.ts', 'hook.test.ts']));
    expect(status).toBe(1);
  });

  it('no report at all is a failure', () => {
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'ci-totals.mjs'), join(tmpdir(), 'no-such-report.json')], { encoding: 'utf8' });
    expect(result.stdout.trim()).toBe('0 passed, 1 failed');
    expect(result.status).toBe(1);
  });

  it('.ci/run runs the README test command and ends with this script', () => {
    const script = readFileSync(join(root, '.ci', 'run'), 'utf8');
    expect(script).toContain('npm ci --no-audit --no-fund && npm test');
    expect(script.trim().split('\n').slice(-2)[0]).toContain('node scripts/ci-totals.mjs .vitest-report.json');
  });
});
