// The code samples shown in the docs (x-codeSamples) work as printed and send what they say: one SDK and
// one curl sample per named request example, written by scripts/code-samples.mjs; each runs against the
// mock (curl in bash, TypeScript with tsx, the SDK mapped to its source), is answered with code 0, and
// puts on the wire the body of the example it names (taskName aside, which gets a time suffix). The
// TypeScript ones also type-check against the SDK's real types.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startMockServer, type MockServer } from '../../mocks/index.js';
import { differences, labelOf, LANGUAGES, MOCK_URL, operations } from '../../scripts/code-samples.mjs';
import { root } from './browser.js';
import { claimedExample, curlBody, typescriptBody, withoutTaskNameSuffix } from './sample-body.js';

const run = promisify(execFile);
const sdkEntry = resolve(root, 'src/index.ts');
const samplesDir = resolve(root, 'spec/code_samples');
const all = operations();
const sampleFile = (language: (typeof LANGUAGES)[number], dir: string, key: string) => join(samplesDir, language.dir, dir, `${key}.${language.ext}`);

describe('the samples are the ones the contract points at, for every request example', () => {
  it('spec/code_samples/ and each x-codeSamples list are what scripts/code-samples.mjs writes (run it after changing an example)', () => {
    const { changed, stray } = differences();
    expect([...changed, ...stray].map((file) => relative(root, file))).toEqual([]);
  });

  it('each operation has one SDK and one curl sample per named request example, and no other', () => {
    for (const operation of all) {
      expect(operation.examples.length).toBeGreaterThan(0);
      const listed = parse(readFileSync(operation.pathFile, 'utf8')).post['x-codeSamples'];
      const expected = LANGUAGES.flatMap((language) =>
        operation.examples.map((example) => ({
          lang: language.lang,
          label: labelOf(language, example.key),
          source: { $ref: `../code_samples/${language.dir}/${operation.dir}/${example.key}.${language.ext}` },
        })),
      );
      expect(listed).toEqual(expected);
    }
  });

  it("each sample's label is in redocly.yaml's codeSamples.languages (Redoc hides any other)", () => {
    const listed = new Set(parse(readFileSync(resolve(root, 'redocly.yaml'), 'utf8')).openapi.codeSamples.languages.map((l: { label?: string; lang: string }) => l.label ?? l.lang));
    const labels = all.flatMap((operation) => LANGUAGES.flatMap((language) => operation.examples.map((example) => labelOf(language, example.key))));
    expect(labels.filter((label) => !listed.has(label))).toEqual([]);
    expect(listed).toContain('Payload');
  });

  it('each sample names its example on its first lines, and calls the mock by default', () => {
    for (const operation of all) {
      for (const example of operation.examples) {
        for (const language of LANGUAGES) {
          const source = readFileSync(sampleFile(language, operation.dir, example.key), 'utf8');
          expect(claimedExample(source)).toBe(example.key);
          expect(source).toContain(MOCK_URL);
        }
      }
    }
  });
});

/** The mock, behind a proxy that keeps every body it passes on. */
interface Recorded {
  url: string;
  bodies: Array<{ path: string; body: string }>;
  close(): Promise<void>;
}

async function recordingProxy(target: string): Promise<Recorded> {
  const bodies: Recorded['bodies'] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks);
      bodies.push({ path: request.url ?? '', body: body.toString('utf8') });
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name))) as Record<string, string>;
      const answer = await fetch(target + request.url, { method: request.method, headers, body: body.length ? body : undefined });
      response.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' });
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, bodies, close: () => new Promise((done) => server.close(() => done())) };
}

describe('every sample against the mock: code 0, and the body of the example it names on the wire', { timeout: 180_000 }, () => {
  let mock: MockServer;
  let proxy: Recorded;
  let tsxConfig: string;

  beforeAll(async () => {
    mock = await startMockServer({ port: 0 });
    proxy = await recordingProxy(mock.url);
    // tsx resolves `itnio-voice` to the SDK's source through this, as a user's project resolves the package.
    tsxConfig = join(mkdtempSync(join(tmpdir(), 'itnio-samples-')), 'tsconfig.json');
    writeFileSync(tsxConfig, JSON.stringify({ extends: resolve(root, 'tsconfig.json'), compilerOptions: { paths: { 'itnio-voice': [sdkEntry] } } }));
  });
  afterAll(async () => {
    await proxy?.close();
    await mock?.close();
    if (tsxConfig) rmSync(resolve(tsxConfig, '..'), { recursive: true, force: true });
  });

  for (const operation of all) {
    for (const example of operation.examples) {
      it(`${operation.operationId} ${example.key}: curl, as printed`, async () => {
        const sample = sampleFile(LANGUAGES[1]!, operation.dir, example.key);
        const before = proxy.bodies.length;
        const { stdout } = await run('bash', [sample], { env: { ...process.env, BASE_URL: proxy.url }, timeout: 20_000 });
        expect(Number(JSON.parse(stdout).code)).toBe(0);
        const sent = proxy.bodies.slice(before);
        expect(sent.map((s) => s.path)).toEqual([operation.path]);
        expect(withoutTaskNameSuffix(JSON.parse(sent[0]!.body), example.value)).toEqual(example.value);
        // What the page shows is what runs: the body read off the text is the one sent.
        expect(withoutTaskNameSuffix(curlBody(readFileSync(sample, 'utf8'), '1767225600'), example.value)).toEqual(example.value);
      });

      it(`${operation.operationId} ${example.key}: the curl sample's signature is what the mock checks (another secret gets -1)`, async () => {
        const sample = sampleFile(LANGUAGES[1]!, operation.dir, example.key);
        const { stdout } = await run('bash', [sample], { env: { ...process.env, BASE_URL: mock.url, API_SECRET: 'not-the-secret' }, timeout: 20_000 });
        expect(Number(JSON.parse(stdout).code)).toBe(-1);
      });

      it(`${operation.operationId} ${example.key}: the SDK sample, run with tsx`, async () => {
        const sample = sampleFile(LANGUAGES[0]!, operation.dir, example.key);
        const before = proxy.bodies.length;
        const { stdout } = await run(process.execPath, ['--import', 'tsx', sample], {
          cwd: root,
          env: { ...process.env, ITNIO_BASE_URL: proxy.url, TSX_TSCONFIG_PATH: tsxConfig },
          timeout: 60_000,
        });
        expect(stdout).toMatch(/task created: keyId \d+|recall flow replaced/);
        const sent = proxy.bodies.slice(before);
        expect(sent.map((s) => s.path)).toEqual([operation.path]);
        expect(withoutTaskNameSuffix(JSON.parse(sent[0]!.body), example.value)).toEqual(example.value);
        expect(withoutTaskNameSuffix(typescriptBody(readFileSync(sample, 'utf8')), example.value)).toEqual(example.value);
      });
    }
  }
});

describe('TypeScript samples against the SDK types', () => {
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
      .map((d) => `${d.file ? relative(root, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }

  const samples = all.flatMap((operation) => operation.examples.map((example) => sampleFile(LANGUAGES[0]!, operation.dir, example.key)));

  it('type-check cleanly', () => {
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(typeErrors(samples)).toEqual([]);
  });

  it('would be caught if a sample drifted from the SDK (a required field removed fails to compile)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'itnio-sample-'));
    try {
      const broken = join(dir, 'broken.ts');
      const send = readFileSync(samples.find((s) => s.endsWith('minimalTask.ts'))!, 'utf8');
      expect(send).toMatch(/^\s*agentId: 41,\n/m);
      writeFileSync(broken, send.replace(/^\s*agentId: 41,\n/m, ''));
      expect(typeErrors([broken]).join('\n')).toMatch(/agentId/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
