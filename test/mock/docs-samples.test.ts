// The docs' curl samples, run as they stand against the mock: "the docs' examples work against the mock".
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../mocks/server.js';
import { root } from '../support/contract.js';
import { startMock } from './harness.js';

const samplesDir = join(root, 'spec', 'code_samples', 'curl');
const samples = readdirSync(samplesDir).map((dir) => join(samplesDir, dir, 'post.sh'));

let mock: MockServer;
beforeAll(async () => (mock = await startMock()));
afterAll(() => mock?.close());

describe('the docs\' curl samples against the mock', () => {
  it('finds the samples', () => expect(samples.length).toBeGreaterThanOrEqual(2));
  for (const sample of samples) {
    it(`${sample.slice(root.length + 1)} is answered with code 0`, async () => {
      // Asynchronously: the mock answers from this same process.
      const { stdout } = await promisify(execFile)('sh', [sample], { env: { ...process.env, BASE_URL: mock.url }, timeout: 20_000 });
      expect(Number(JSON.parse(stdout).code)).toBe(0);
    });
  }
});
