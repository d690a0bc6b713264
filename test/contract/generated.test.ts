// generated/ is committed; it must be exactly what `npm run generate` makes from the current spec/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../support/contract.js';

describe('generated/ matches the contract', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'itnio-generated-'));
  // Both generators `npm run generate` runs: the vendor contract's code and the mock's (control API, world).
  for (const generator of ['scripts/generate.ts', 'scripts/generate-mock.ts']) {
    execFileSync(join(root, 'node_modules', '.bin', 'tsx'), [generator, fresh], { cwd: root, stdio: 'pipe' });
  }
  const committed = join(root, 'generated');

  it('the same files', () => {
    expect(readdirSync(committed).sort()).toEqual(readdirSync(fresh).sort());
  });

  it.each(readdirSync(fresh))('%s is what the generator writes (run `npm run generate`)', (file) => {
    expect(readFileSync(join(committed, file), 'utf8') === readFileSync(join(fresh, file), 'utf8')).toBe(true);
  });

  it('the validators need no Ajv at run time', () => {
    expect(readFileSync(join(fresh, 'validators.js'), 'utf8')).not.toMatch(/require\(|from "ajv/);
  });
});
