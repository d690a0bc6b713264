// Prism is the peer the contract stays compatible with: a team that runs the Prism CLI on our bundled
// contract gets every named example with `Prefer: example=<name>`, and a refusal for a body the contract
// refuses. And the answers our own engine gives from generated/ are the ones Prism reads from the
// contract, example for example. (Prism is not on the mock's run-time path; see the README.)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationAnswers } from '../../generated/examples.js';
import type { MockServer } from '../../mocks/index.js';
import { bundledContract, operationPaths, root } from '../support/contract.js';
import { freePort } from '../support/net.js';
import { contractExamples, post, signed, startMock } from './harness.js';

type OperationId = keyof typeof operationPaths;
const operations = Object.keys(operationPaths) as OperationId[];

let prism: ChildProcess;
let prismUrl: string;
let prismLog = '';
let mock: MockServer;

beforeAll(async () => {
  // The contract bundled from spec/ as it stands, the file a team would hand to Prism.
  const file = join(mkdtempSync(join(tmpdir(), 'itnio-prism-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(bundledContract().bundled));
  const port = await freePort();
  prismUrl = `http://127.0.0.1:${port}`;
  prism = spawn(join(root, 'node_modules', '.bin', 'prism'), ['mock', '-h', '127.0.0.1', '-p', String(port), file], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prism.stdout!.on('data', (c: Buffer) => (prismLog += c));
  prism.stderr!.on('data', (c: Buffer) => (prismLog += c));
  for (let i = 0; i < 600 && !/Prism is listening/.test(prismLog); i++) await new Promise((r) => setTimeout(r, 50));
  if (!/Prism is listening/.test(prismLog)) throw new Error(`Prism did not start:\n${prismLog}`);
  mock = await startMock();
}, 60_000);

afterAll(async () => {
  prism?.kill('SIGKILL');
  await mock?.close();
});

async function askPrism(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; body: any }> {
  const response = await fetch(prismUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed(), ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

describe.each(operations)('%s under the Prism CLI', (operation) => {
  const names = Object.keys(operationAnswers[operation]);

  it('has named answers to compare', () => expect(names.length).toBeGreaterThanOrEqual(7));

  // Prism validates the body even when an example is asked for; ours does not read it. A valid one suits both.
  const body = Object.values(contractExamples(operation, 'request'))[0];

  it.each(names)('Prefer: example=%s → the same answer from Prism and from our engine', async (name) => {
    const fromPrism = await askPrism(operationPaths[operation], body, { prefer: `example=${name}` });
    expect(fromPrism.status).toBe(200);
    const ours = await post(mock, operationPaths[operation], body, { prefer: `example=${name}` });
    expect(ours.status).toBe(200);
    expect(ours.body).toEqual(fromPrism.body);
    expect(ours.body).toEqual(operationAnswers[operation][name as keyof (typeof operationAnswers)[typeof operation]]);
  });

  it('refuses a body the contract refuses (HTTP 422, problem+json naming the field), as our engine does with -22', async () => {
    const invalid = { appId: '', keyId: 'not a number' };
    const fromPrism = await askPrism(operationPaths[operation], invalid);
    expect(fromPrism.status).toBe(422);
    expect(fromPrism.type).toContain('application/problem+json');
    const ours = await post(mock, operationPaths[operation], invalid);
    expect(ours.body.code).toBe(-22);
  });
});
