import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { root } from '../support/contract.js';

const run = promisify(execFile);
const bin = (name: string) => `${root}/node_modules/.bin/${name}`;
const env = { ...process.env, SCARF_ANALYTICS: 'false', REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' };

describe('the contract passes both linters with nothing to report', () => {
  it('redocly lint (recommended-strict): no errors, no warnings', async () => {
    const { stdout, stderr } = await run(bin('redocly'), ['lint', '--format=json'], { cwd: root, env, maxBuffer: 1 << 24 });
    const report = JSON.parse(stdout);
    const problems = report.problems.map((p: any) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
    expect(problems, stderr).toEqual([]);
  });

  it('spectral lint (spectral:oas + OWASP) on the bundle: no errors, no warnings', async () => {
    await run(bin('redocly'), ['bundle', 'spec/openapi.yaml', '-o', 'dist/openapi.json'], { cwd: root, env });
    const output = join(mkdtempSync(join(tmpdir(), 'spectral-')), 'report.json');
    // Spectral exits non-zero when it finds anything; the report file says what.
    await run(bin('spectral'), ['lint', '--format=json', '--output', output, '--fail-severity=hint', 'dist/openapi.json'], { cwd: root, env }).catch(() => {});
    const findings = JSON.parse(readFileSync(output, 'utf8')).map((f: any) => `${f.code}: ${f.message} at ${f.path.join('.')}`);
    expect(findings).toEqual([]);
  });
});
