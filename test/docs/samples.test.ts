// The code samples shown in the docs (x-codeSamples) work as printed: the curl ones run in bash against the
// mock and are answered with code 0; the TypeScript ones type-check against the SDK's real types.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './browser.js';

const samplesDir = resolve(root, 'spec/code_samples');
const OPERATION_DIRS = ['voice_group_call_send_agent', 'voice_recallFlow_update'];
const mockEntry = resolve(root, 'mocks/index.ts');
const sdkEntry = resolve(root, 'src/index.ts');

function sampleFiles(lang: string, ext: string): string[] {
  const dir = join(samplesDir, lang);
  return readdirSync(dir).map((operation) => join(dir, operation, `post.${ext}`)).filter(existsSync);
}

describe('the sample files are the ones the contract points at', () => {
  it('has a TypeScript and a curl sample for each operation, referenced from its path file', () => {
    for (const operation of OPERATION_DIRS) {
      const pathFile = readFileSync(resolve(root, 'spec/paths', `${operation}.yaml`), 'utf8');
      expect(pathFile).toContain(`../code_samples/TypeScript/${operation}/post.ts`);
      expect(pathFile).toContain(`../code_samples/curl/${operation}/post.sh`);
      expect(existsSync(join(samplesDir, 'TypeScript', operation, 'post.ts'))).toBe(true);
      expect(existsSync(join(samplesDir, 'curl', operation, 'post.sh'))).toBe(true);
    }
  });
});

const noMock = existsSync(mockEntry) ? '' : ' — SKIPPED: mocks/index.ts does not exist yet';
describe.skipIf(noMock !== '')(`curl samples against the mock${noMock}`, () => {
  type Mock = { url: string; close(): Promise<void> };
  let mock: Mock;
  const run = promisify(execFile);

  beforeAll(async () => {
    const { startMockServer } = (await import(mockEntry)) as { startMockServer(options: { port: number }): Promise<Mock> };
    mock = await startMockServer({ port: 0 });
  });
  afterAll(async () => mock?.close());

  for (const operation of OPERATION_DIRS) {
    const sample = join(samplesDir, 'curl', operation, 'post.sh');

    it(`${operation}: bash runs it, curl exits 0 and the answer is code 0`, async () => {
      // Asynchronous exec: the mock answers from this same process.
      const { stdout } = await run('bash', [sample], { env: { ...process.env, BASE_URL: mock.url }, timeout: 20_000 });
      expect(Number(JSON.parse(stdout).code)).toBe(0);
    });

    it(`${operation}: the signature it computes is what the mock checks (another secret gets -1)`, async () => {
      const env = { ...process.env, BASE_URL: mock.url, API_SECRET: 'not-the-secret' };
      const { stdout } = await run('bash', [sample], { env, timeout: 20_000 });
      expect(Number(JSON.parse(stdout).code)).toBe(-1);
    });
  }
});

const noSdk = existsSync(sdkEntry) ? '' : ' — SKIPPED: src/index.ts does not exist yet';
describe.skipIf(noSdk !== '')(`TypeScript samples against the SDK types${noSdk}`, () => {
  /** Type-checks files as a user's project would, with `itnio-voice` mapped to the SDK's source. */
  function typeErrors(files: string[]): string[] {
    const configPath = resolve(root, 'tsconfig.json');
    const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (!config) throw new Error('cannot read tsconfig.json');
    const options: ts.CompilerOptions = { ...config.options, noEmit: true, paths: { 'itnio-voice': [sdkEntry] } };
    const program = ts.createProgram(files, options);
    return ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.includes(resolve(d.file.fileName)))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }

  const samples = sampleFiles('TypeScript', 'ts');

  it('finds one per operation', () => expect(samples).toHaveLength(OPERATION_DIRS.length));

  it('type-check cleanly', () => {
    expect(typeErrors(samples)).toEqual([]);
  });

  it('would be caught if a sample drifted from the SDK (a required field removed fails to compile)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'itnio-sample-'));
    try {
      const broken = join(dir, 'broken.ts');
      const send = readFileSync(samples.find((s) => s.includes('send_agent'))!, 'utf8');
      expect(send).toMatch(/^\s*agentId: 41,\n/m);
      writeFileSync(broken, send.replace(/^\s*agentId: 41,\n/m, ''));
      expect(typeErrors([broken]).join('\n')).toMatch(/agentId/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
