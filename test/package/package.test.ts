// The package as a user gets it. A clean copy of the repository (its files, nothing built, no dist/) is
// packed with plain `npm pack` — whatever the tarball needs must come from the package's own `prepare` —
// and the tarball is installed into an empty project, where its SDK, its mock command and its in-process
// mock are type-checked and run. Slow (tens of seconds), so one file does it once.
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startLoopback, type Loopback } from '../sdk/loopback.js';
import { cleanCopy } from '../support/copy.js';
import { signRequest } from '../../src/sign.js';
import { API_KEY, API_SECRET } from '../support/credentials.js';
import { operationPaths } from '../../generated/operations.js';

const root = resolve(import.meta.dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const env = { ...process.env, npm_config_update_notifier: 'false', SCARF_ANALYTICS: 'false', REDOCLY_TELEMETRY: 'off' };
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });
const run = promisify(execFile);

/** The README's "Using the SDK" example, taken from the README itself so the two cannot drift. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using the SDK'));
  const match = section.match(/```ts\n([\s\S]*?)```/);
  if (!match) throw new Error('README has no TypeScript example under "Using the SDK"');
  return match[1]!;
}

/** The README's vitest suite for the mock as a test double (the block that starts `// voice.test.ts`). */
function readmeSuite(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = readme.match(/```ts\n(\/\/ voice\.test\.ts\n[\s\S]*?)```/);
  if (!match) throw new Error('README has no vitest suite starting with // voice.test.ts');
  return match[1]!;
}

const consumer = `
import {
  createVoiceClient, computeSign, validateRequest, errorCodeTable, VoiceApiError, VoiceValidationError,
  type RecallNode, type SendAgentGroupCallRequest, type VoiceWarning,
} from 'itnio-voice';

const baseUrl = (globalThis as unknown as { process: { argv: string[] } }).process.argv[2]!;

// The contract's rules reach the consumer's compiler.
// @ts-expect-error source 1 needs voiceFileId
const wrong: RecallNode = { source: 1, hangUpSms: 0, toSeat: 0 };
void wrong;

const task: SendAgentGroupCallRequest = {
  appId: '2Xql9RBI', taskName: 'Packed', agentId: 41, maxCalls: null, maxRingingTime: null, enableRecording: null,
  numberInfoList: [{ calleeNumber: '463200000007', text1: 'x'.repeat(31) }],
};
const warnings: VoiceWarning[] = [];
const voice = createVoiceClient({ apiKey: '${API_KEY}', apiSecret: '${API_SECRET}', baseUrl, now: () => 1630468800000, onWarning: (w) => warnings.push(w) });
const keyId: number = await voice.sendAgentGroupCall(task);
let apiError: unknown;
try { await voice.sendAgentGroupCall(task); } catch (e) { apiError = e; }
let refused: unknown;
try { await voice.sendAgentGroupCall({ ...task, agentId: 0 }); } catch (e) { refused = e; }
console.log(JSON.stringify({
  keyId,
  sign: computeSign('api-key', 'api-secret', 1630468800),
  valid: validateRequest('sendAgentGroupCall', task).valid,
  codes: errorCodeTable.length,
  apiError: apiError instanceof VoiceApiError ? [apiError.code, apiError.codeName] : String(apiError),
  refused: refused instanceof VoiceValidationError ? refused.findings.map((f) => f.path) : String(refused),
  warnings: warnings.map((w) => w.kind),
}));
`;

// A backend suite's use of the mock: started in-process on a free port, called through the SDK, closed.
const inProcess = `
import { createVoiceClient, VoiceApiError } from 'itnio-voice';
import { startMockServer, DEFAULT_API_KEY, DEFAULT_API_SECRET } from 'itnio-voice/mock';

const mock = await startMockServer({ port: 0 });
const voice = createVoiceClient({ apiKey: DEFAULT_API_KEY, apiSecret: DEFAULT_API_SECRET, baseUrl: mock.url });
const task = { appId: '2Xql9RBI', taskName: 'In-process', agentId: 41, numberInfoList: [{ calleeNumber: '463200000007' }] };
const keyId = await voice.sendAgentGroupCall(task);
let again: unknown;
try { await voice.sendAgentGroupCall(task); } catch (e) { again = e; }
await voice.updateRecallFlow({ keyId, recallType: 0, recallInterval: 30, recallNum: 1, nodeList: [{ source: 3, text: 'Hello', lan: 'EN', hangUpSms: 0, toSeat: 0 }] });
const docs = await fetch(mock.url + '/docs');
const page = await docs.text();
await mock.close();
console.log(JSON.stringify({
  url: mock.url.replace(/:\\d+$/, ''),
  keyId: typeof keyId,
  again: again instanceof VoiceApiError ? again.code : String(again),
  docs: [docs.status, docs.headers.get('content-type'), page.includes('<redoc') || page.includes('redoc')],
}));
`;

let work: string;
let app: string;
let packed: { filename: string; files: { path: string; mode: number }[] };
let server: Loopback;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'itnio-voice-pack-'));
  // A clean copy, nothing built; `prepare` uses this checkout's devDependencies.
  const copy = cleanCopy(join(work, 'repo'));
  expect(existsSync(join(copy, 'dist'))).toBe(false);
  [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], copy));

  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename)], app);
  writeFileSync(join(app, 'consumer.ts'), consumer);
  writeFileSync(join(app, 'in-process.ts'), inProcess);
  // The README's "Using the SDK" example, type-checked and run as a user would.
  writeFileSync(join(app, 'example.ts'), readmeExample());
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      // No @types/node and no skipLibCheck: the package's declarations must stand on their own.
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [], strict: true, skipLibCheck: false, outDir: 'out' },
      files: ['consumer.ts', 'example.ts', 'in-process.ts', 'process.d.ts'],
    }),
  );
  // The example reads process.env; declare just that rather than install @types/node.
  writeFileSync(join(app, 'process.d.ts'), 'declare const process: { env: Record<string, string | undefined> };\n');
  server = await startLoopback();
}, 240_000);

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const installed = () => join(app, 'node_modules', 'itnio-voice');
/** What the package ships besides compiled code: both contracts and both docs pages. */
const SHIPPED_ASSETS = ['dist/openapi.json', 'dist/openapi.yaml', 'dist/mock-control.json', 'dist/docs/index.html', 'dist/docs/mock/index.html'];

describe('the packed package', () => {
  it('holds the built SDK, the compiled mock, the contract, the docs page and the licence; no sources or tests', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json', 'README.md', 'LICENSE',
        'dist/src/index.js', 'dist/src/index.d.ts', 'dist/generated/validators.js', 'dist/generated/openapi.d.ts',
        'dist/mocks/index.js', 'dist/mocks/index.d.ts', 'dist/mocks/cli.js',
        'dist/openapi.json', 'dist/openapi.yaml', 'dist/docs/index.html',
        'dist/mock-control.json', 'dist/docs/mock/index.html',
      ]),
    );
    expect(paths.filter((p) => /^(src|test|mocks|scripts|spec|generated|bench)\//.test(p) || p.includes('node_modules'))).toEqual([]);
    // Nothing a build or a test leaves in dist/ besides what `files` names (build state, screenshots).
    expect(paths.filter((p) => p.startsWith('dist/') && !/^dist\/(src|mocks|generated)\/.+\.(js|d\.ts)$/.test(p) && !SHIPPED_ASSETS.includes(p))).toEqual([]);
  });

  it('every path that exports, main, types and bin name is in the tarball, and every file is reachable from them', () => {
    const manifest = JSON.parse(readFileSync(join(installed(), 'package.json'), 'utf8'));
    const paths = new Set(packed.files.map((f) => f.path));
    const targets = [manifest.main, manifest.types, ...Object.values<string>(manifest.bin)];
    for (const target of Object.values<string | Record<string, string>>(manifest.exports)) targets.push(...(typeof target === 'string' ? [target] : Object.values(target)));
    for (const target of targets) expect(paths, target).toContain(target.replace(/^\.\//, ''));
    // `files` and `exports` agree: every shipped top-level asset is exported.
    for (const asset of ['dist/openapi.json', 'dist/openapi.yaml', 'dist/mock-control.json']) expect(targets.map((t) => t.replace(/^\.\//, ''))).toContain(asset);
  });

  it('installs with openapi-fetch as its only runtime dependency: no mock-only or build-only package', () => {
    const manifest = JSON.parse(readFileSync(join(installed(), 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch']);
    // The whole tree a user installs, as the README lists it (and as `npm audit --omit=dev` would check it).
    const tree = readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(tree.sort()).toEqual(['itnio-voice', 'openapi-fetch', 'openapi-typescript-helpers']);
  });

  it("`import 'itnio-voice'` reaches no mock code", () => {
    // The SDK entry's import graph, followed through the compiled files.
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'/g)) {
        if (spec!.startsWith('.')) visit(resolve(dirname(file), spec!));
      }
    };
    visit(join(installed(), 'dist/src/index.js'));
    const files = [...seen].map((f) => f.slice(installed().length + 1));
    expect(files.length).toBeGreaterThan(5);
    expect(files.filter((f) => !f.startsWith('dist/src/') && !f.startsWith('dist/generated/'))).toEqual([]);
  });

  it('type-checks consumer files against its declarations', () => {
    const result = spawnSync(process.execPath, [tsc, '-p', app], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('imports and works in the consumer project', async () => {
    let calls = 0;
    server.respond((req, res, recorded) => {
      calls++;
      // First call creates the task, the second (same taskName) is refused as the vendor would.
      json(calls === 1 ? { code: 0, msg: 'success', data: 77 } : { code: '-41', msg: 'Task name already exists' })(req, res, recorded);
    });
    // Asynchronously: the loopback server answering it runs in this process.
    const result = await run(process.execPath, [join(app, 'out', 'consumer.js'), server.url], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      keyId: 77,
      sign: '916cca171614e17d6ccea6b02e53d807',
      valid: true,
      codes: 19,
      apiError: [-41, 'taskNameExists'],
      refused: ['/agentId'],
      warnings: ['truncated', 'truncated'],
    });
    expect(server.requests[0]!.headers['sign']).toBe('05d7a50893e22a5c4bb3216ae3396c7c');
    expect(server.requests).toHaveLength(2);
  });

  it('runs the README example: signed calls, middleware logging, no warnings', async () => {
    server.requests.length = 0;
    server.respond((req, res, recorded) =>
      json(recorded.url.endsWith('/send/agent') ? { code: 0, msg: 'success', data: 4242 } : { code: '0', reason: 'success', data: null })(req, res, recorded),
    );
    const childEnv = { ...process.env, ITNIO_API_KEY: API_KEY, ITNIO_API_SECRET: API_SECRET, ITNIO_BASE_URL: server.url };
    const result = await run(process.execPath, [join(app, 'out', 'example.js')], { encoding: 'utf8', timeout: 30_000, env: childEnv });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual([
      '→ POST /voice/group/call/send/agent',
      '← 200 /voice/group/call/send/agent',
      'task created: keyId 4242',
      '→ POST /voice/recallFlow/update',
      '← 200 /voice/recallFlow/update',
      'recall flow replaced',
    ]);
    expect(server.requests.map((r) => [r.url, r.headers['api-key'], typeof r.headers['sign']])).toEqual([
      [operationPaths.sendAgentGroupCall, API_KEY, 'string'],
      [operationPaths.updateRecallFlow, API_KEY, 'string'],
    ]);
    expect(JSON.parse(server.requests[1]!.body).keyId).toBe(4242);
  });

  it("starts the mock in-process from 'itnio-voice/mock' and answers the SDK's signed calls", async () => {
    const result = await run(process.execPath, [join(app, 'out', 'in-process.js')], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      url: 'http://127.0.0.1',
      keyId: 'number',
      again: -41,
      docs: [200, 'text/html; charset=utf-8', true],
    });
  });
});

describe("the README's vitest suite, run against the installed package", () => {
  it('passes: journal, fault and world, through the SDK', async () => {
    // Its own folder, so the runtime tree checked above stays the package's; vitest is this checkout's.
    const suite = join(app, 'suite');
    mkdirSync(join(suite, 'node_modules'), { recursive: true });
    symlinkSync(join(root, 'node_modules', 'vitest'), join(suite, 'node_modules', 'vitest'), 'dir');
    writeFileSync(join(suite, 'voice.test.ts'), readmeSuite());
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const result = await run(process.execPath, [vitest, 'run', '--root', suite, '--reporter', 'json'], { encoding: 'utf8', timeout: 60_000, cwd: suite }).catch((error) => error);
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
    expect(report.testResults[0].assertionResults.map((t: { title: string; status: string }) => [t.title, t.status])).toEqual([
      ['creates a task, and the mock saw it signed', 'passed'],
      ['meets a gateway error it cannot ask for', 'passed'],
      ['is refused an agent the world does not know', 'passed'],
    ]);
  });
});

describe('npx itnio-voice-mock, from the installed package', () => {
  let child: ChildProcess;
  let output = '';
  let url = '';

  beforeAll(async () => {
    const bin = join(app, 'node_modules', '.bin', 'itnio-voice-mock');
    // Executable with its own shebang: npx runs exactly this link.
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    child = spawn(bin, ['--port', '0'], { cwd: app, env: { ...process.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (output += c));
    child.stderr!.on('data', (c: Buffer) => (output += c));
    for (let i = 0; i < 300 && !output.includes('credentials:'); i++) await new Promise((r) => setTimeout(r, 50));
    url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
  }, 30_000);
  afterAll(() => child?.kill('SIGKILL'));

  it('prints its address and the credentials', () => {
    expect(url, output).not.toBe('');
    expect(output).toContain(`credentials: Api-Key ${API_KEY}`);
  });

  it('answers a signed call, serves the docs page and the contract it ships, and stops on SIGTERM', async () => {
    const headers = { 'content-type': 'application/json', ...signRequest(API_KEY, API_SECRET, Math.floor(Date.now() / 1000)) };
    const body = JSON.stringify({ appId: '2Xql9RBI', taskName: 'From npx', agentId: 41, numberInfoList: [{ calleeNumber: '463200000007' }] });
    const answer = await (await fetch(url + operationPaths.sendAgentGroupCall, { method: 'POST', headers, body })).json();
    expect(answer).toMatchObject({ code: '0', msg: 'success', data: expect.any(Number) });
    const docs = await fetch(url + '/docs');
    expect(docs.status).toBe(200);
    expect((await docs.text()).length).toBeGreaterThan(1_000_000); // the self-contained Redoc page
    expect(await (await fetch(url + '/openapi.json')).json()).toEqual(JSON.parse(readFileSync(join(installed(), 'dist/openapi.json'), 'utf8')));
    // The control API's contract and docs page ship too.
    const controlContract = await fetch(url + '/__mock/openapi.json');
    expect(controlContract.status).toBe(200);
    expect(await controlContract.json()).toEqual(JSON.parse(readFileSync(join(installed(), 'dist/mock-control.json'), 'utf8')));
    const mockDocs = await fetch(url + '/docs/mock');
    expect(mockDocs.status).toBe(200);
    expect(await mockDocs.text()).toContain('itnio-voice mock — control API');
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM: stopping the mock');
  });
});
