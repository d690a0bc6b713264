// The package as a user gets it. A clean copy of the repository (its files, nothing built, no dist/) is
// packed with plain `npm pack` — whatever the tarball needs must come from the package's own `prepare` —
// and the tarball is installed into an empty project, where its SDK, its mock command and its in-process
// mock are type-checked and run. Slow (tens of seconds), so one file does it once.
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startLoopback, type Loopback } from '../sdk/loopback.js';
import { cleanCopy } from '../support/copy.js';
import { API_KEY, API_SECRET } from '../support/credentials.js';
import { operationPaths } from '../../generated/operations.js';
import { freePort } from '../support/net.js';

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
const port: number = mock.port;
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
  url: mock.url,
  port,
  keyId: typeof keyId,
  again: again instanceof VoiceApiError ? again.code : String(again),
  docs: [docs.status, docs.headers.get('content-type'), page.includes('<redoc') || page.includes('redoc')],
}));
`;

// A project pointing the SDK at `npx itnio-voice-mock`: a signed call that creates a task, the same call
// again (the mock remembers the name), and one signed with the wrong secret.
const binCall = `
import { createVoiceClient, VoiceApiError } from 'itnio-voice';

const [baseUrl, apiKey, apiSecret, taskName] = process.argv.slice(2) as [string, string, string, string];
const task = { appId: '2Xql9RBI', taskName, agentId: 41, numberInfoList: [{ calleeNumber: '463200000007' }] };
const codeOf = (error: unknown) => (error instanceof VoiceApiError ? error.codeName ?? error.code : String(error));

const voice = createVoiceClient({ apiKey, apiSecret, baseUrl });
let keyId: number | string;
try { keyId = await voice.sendAgentGroupCall(task); } catch (e) { keyId = codeOf(e); }
let again: unknown;
try { await voice.sendAgentGroupCall(task); } catch (e) { again = e; }
const forged = createVoiceClient({ apiKey, apiSecret: apiSecret + 'x', baseUrl });
let refused: unknown;
try { await forged.sendAgentGroupCall({ ...task, taskName: taskName + ' forged' }); } catch (e) { refused = e; }
console.log(JSON.stringify({ keyId, again: codeOf(again), forged: codeOf(refused) }));
`;

// Preloaded with --import: records the URL of every module the process loads into $LOADED_MODULES, one a
// line, so a test sees what an import reaches whatever its form (static, side-effect, re-export, dynamic).
const recordLoads = `
import { register } from 'node:module';
register('./record-loads-hooks.mjs', import.meta.url, { data: process.env.LOADED_MODULES });
`;
const recordLoadsHooks = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(file) { log = file; }
export async function load(url, context, nextLoad) {
  appendFileSync(log, url + '\\n');
  return nextLoad(url, context);
}
`;

/** The packages the README's "Runtime dependencies" paragraph names: its first sentence, asides left out. */
function readmeRuntimeDependencies(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const paragraph = readme.match(/^Runtime dependencies \([^)]*\):([\s\S]+?)(?:\n\n|(?![\s\S]))/m)?.[1];
  if (!paragraph) throw new Error('README has no paragraph starting "Runtime dependencies (…):"');
  // "`openapi-fetch` (the typed HTTP client under …) and its `openapi-typescript-helpers` (types only). …"
  const sentence = paragraph.replace(/\([^()]*\)/g, '').split(/\.\s/)[0]!;
  const names = [...sentence.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  const notPackages = names.filter((name) => !/^(?:@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*$/.test(name));
  if (names.length === 0 || notPackages.length > 0) throw new Error(`README's "Runtime dependencies" names no packages, or names ${notPackages.join(', ')}`);
  return names.sort();
}

type NpmLsNode = { version?: string; dependencies?: Record<string, NpmLsNode> };
/** The names of every installed package in an `npm ls --json` tree below `node`, at any depth. */
function namesIn(node: NpmLsNode, into = new Set<string>()): Set<string> {
  for (const [name, child] of Object.entries(node.dependencies ?? {})) {
    // An optional peer the project has not installed (msw) is listed without a version: not in the tree.
    if (child.version === undefined) continue;
    into.add(name);
    namesIn(child, into);
  }
  return into;
}

/** Runs a compiled consumer file with every module it loads recorded; the URLs, relative to the project. */
async function loadedModules(file: string, args: string[]): Promise<string[]> {
  const log = join(work, `loaded-${file}.txt`);
  rmSync(log, { force: true });
  const result = await run(process.execPath, ['--import', './record-loads.mjs', join('out', file), ...args], {
    cwd: app,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, LOADED_MODULES: log },
  });
  expect(result.stderr).toBe('');
  const project = `${pathToFileURL(app).href}/`;
  return readFileSync(log, 'utf8').trim().split('\n').map((url) => (url.startsWith(project) ? url.slice(project.length) : url));
}

let work: string;
let app: string;
let typeCheck: SpawnSyncReturns<string>;
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
  writeFileSync(join(app, 'bin-call.ts'), binCall);
  writeFileSync(join(app, 'record-loads.mjs'), recordLoads);
  writeFileSync(join(app, 'record-loads-hooks.mjs'), recordLoadsHooks);
  // The README's "Using the SDK" example, type-checked and run as a user would.
  writeFileSync(join(app, 'example.ts'), readmeExample());
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      // No @types/node and no skipLibCheck: the package's declarations must stand on their own.
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [], strict: true, skipLibCheck: false, outDir: 'out' },
      files: ['consumer.ts', 'example.ts', 'in-process.ts', 'bin-call.ts', 'process.d.ts'],
    }),
  );
  // The example reads process.env, bin-call.ts its arguments; declare just those rather than install @types/node.
  writeFileSync(join(app, 'process.d.ts'), 'declare const process: { env: Record<string, string | undefined>; argv: string[] };\n');
  // Compiled once here (into out/, which the tests below run); the type-check test reads the result.
  typeCheck = spawnSync(process.execPath, [tsc, '-p', app], { encoding: 'utf8' });
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

  it('installs the runtime tree the README lists, and nothing else: no mock-only or build-only package', () => {
    const listed = readmeRuntimeDependencies();
    // The tree npm itself sees in the consumer project (what `npm audit --omit=dev` would check).
    const tree = JSON.parse(npm(['ls', '--all', '--omit=dev', '--json', '--offline'], app));
    expect(Object.keys(tree.dependencies)).toEqual(['itnio-voice']);
    expect([...namesIn(tree.dependencies['itnio-voice'])].sort()).toEqual(listed);
    // What the package declares is what that tree grows from.
    const manifest = JSON.parse(readFileSync(join(installed(), 'package.json'), 'utf8'));
    expect(listed).toEqual(expect.arrayContaining(Object.keys(manifest.dependencies)));
  });

  it("`import 'itnio-voice'` loads no mock code, at run time: every module the SDK's calls load is the SDK's or a listed dependency", async () => {
    server.respond(json({ code: 0, msg: 'success', data: 77 }));
    const loaded = await loadedModules('consumer.js', [server.url]);
    const packageOf = (url: string) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
    expect(loaded).toContain('node_modules/itnio-voice/dist/src/index.js');
    const fromPackage = loaded.filter((url) => packageOf(url) === 'itnio-voice');
    expect(fromPackage.length).toBeGreaterThan(5);
    expect(fromPackage.filter((url) => !/^node_modules\/itnio-voice\/dist\/(?:src|generated)\//.test(url))).toEqual([]);
    const others = loaded.filter((url) => packageOf(url) !== undefined && packageOf(url) !== 'itnio-voice');
    expect(others.filter((url) => !readmeRuntimeDependencies().includes(packageOf(url)!))).toEqual([]);
    // Nothing from outside the project either (only Node's own modules and the consumer's file).
    expect(loaded.filter((url) => packageOf(url) === undefined && !url.startsWith('node:') && url !== 'out/consumer.js')).toEqual([]);
  });

  it('the load recorder sees mock code when it is loaded: itnio-voice/mock in-process', async () => {
    const loaded = await loadedModules('in-process.js', []);
    expect(loaded).toContain('node_modules/itnio-voice/dist/mocks/index.js');
  });

  it("`import 'itnio-voice'` reaches no mock code, statically: every import form in the compiled SDK, followed", () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      // `import … from`, `export … from`, `import '…'`, `import('…')`, `require('…')`.
      for (const [, , spec] of text.matchAll(/(?<![\w$.])(?:from|import|require)\s*\(?\s*(['"])([^'"\n]+)\1/g)) {
        if (spec!.startsWith('.')) visit(resolve(dirname(file), spec!));
        else bare.add(spec!);
      }
      // An import() of a computed name cannot be followed: none is allowed.
      expect(text.match(/(?<![\w$.])import\s*\((?!\s*['"])/g), file).toBeNull();
    };
    visit(join(installed(), 'dist/src/index.js'));
    const files = [...seen].map((f) => f.slice(installed().length + 1));
    expect(files.length).toBeGreaterThan(5);
    expect(files.filter((f) => !f.startsWith('dist/src/') && !f.startsWith('dist/generated/'))).toEqual([]);
    expect([...bare].filter((name) => !name.startsWith('node:') && !readmeRuntimeDependencies().includes(name))).toEqual([]);
  });

  it('type-checks consumer files against its declarations', () => {
    expect(typeCheck.stdout + typeCheck.stderr).toBe('');
    expect(typeCheck.status).toBe(0);
  });

  it('imports and works in the consumer project', async () => {
    server.requests.length = 0;
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
    const answer = JSON.parse(result.stdout);
    // The port it resolves with is the one its URL names, and a real one (not the 0 it was asked for).
    expect(answer.port).toBeGreaterThan(0);
    expect(answer.url).toBe(`http://127.0.0.1:${answer.port}`);
    expect(answer).toEqual({
      url: expect.any(String),
      port: expect.any(Number),
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
  type Running = { child: ChildProcess; url: string; output: () => string };
  const started: Running[] = [];

  /** The installed bin, run as npx runs it; resolves once its banner is out. */
  async function startBin(args: string[], environment: Record<string, string> = {}): Promise<Running> {
    const bin = join(app, 'node_modules', '.bin', 'itnio-voice-mock');
    // Only the settings given here: none inherited from the shell running the tests.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(?:PORT|HOST|ITNIO_MOCK_.*)$/.test(name)));
    // Its own process group, as a terminal gives it: Ctrl-C signals the group.
    const child = spawn(bin, args, { cwd: app, detached: true, env: { ...inherited, PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, ...environment }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c));
    child.stderr!.on('data', (c: Buffer) => (output += c));
    const running = { child, url: '', output: () => output };
    started.push(running);
    for (let i = 0; i < 300 && !output.includes('credentials:') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
    running.url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    expect(running.url, output).not.toBe('');
    return running;
  }

  /** bin-call.js, the consumer project's signed SDK calls, against a running bin. */
  async function sdkCalls(url: string, apiKey: string, apiSecret: string, taskName: string) {
    const result = await run(process.execPath, [join(app, 'out', 'bin-call.js'), url, apiKey, apiSecret, taskName], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout);
  }

  /** Signals the bin's process group and resolves with its exit code, once its port is closed. */
  async function stop({ child, url }: Running, signal: NodeJS.Signals): Promise<number | null> {
    const exited = new Promise<number | null>((done) => (child.exitCode !== null ? done(child.exitCode) : child.once('exit', (code) => done(code))));
    process.kill(-child.pid!, signal);
    const code = await exited;
    await expect(fetch(`${url}/openapi.json`)).rejects.toThrow();
    return code;
  }

  afterAll(() => {
    for (const { child } of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  describe('with flags (--port 0)', () => {
    let mock: Running;
    beforeAll(async () => {
      // Executable with its own shebang: npx runs exactly this link.
      expect(statSync(join(app, 'node_modules', '.bin', 'itnio-voice-mock')).mode & 0o111).not.toBe(0);
      mock = await startBin(['--port', '0']);
    }, 30_000);

    it('prints its address and the credentials', () => {
      expect(mock.output()).toContain(`credentials: Api-Key ${API_KEY}, secret ${API_SECRET}`);
    });

    it("answers the installed SDK's signed calls, and refuses one signed with the wrong secret", async () => {
      expect(await sdkCalls(mock.url, API_KEY, API_SECRET, 'From npx')).toEqual({ keyId: expect.any(Number), again: 'taskNameExists', forged: 'authenticationError' });
      // Its request log says why each was answered so.
      const log = mock.output().split('\n').filter((line) => line.startsWith(`POST ${operationPaths.sendAgentGroupCall} `));
      expect(log.map((line) => /\((\w+),/.exec(line)?.[1])).toEqual(['ok', 'state', 'auth']);
    });

    it('serves the docs page and the contracts it ships', async () => {
      const docs = await fetch(mock.url + '/docs');
      expect(docs.status).toBe(200);
      expect((await docs.text()).length).toBeGreaterThan(1_000_000); // the self-contained Redoc page
      expect(await (await fetch(mock.url + '/openapi.json')).json()).toEqual(JSON.parse(readFileSync(join(installed(), 'dist/openapi.json'), 'utf8')));
      // The control API's contract and docs page ship too.
      const controlContract = await fetch(mock.url + '/__mock/openapi.json');
      expect(controlContract.status).toBe(200);
      expect(await controlContract.json()).toEqual(JSON.parse(readFileSync(join(installed(), 'dist/mock-control.json'), 'utf8')));
      const mockDocs = await fetch(mock.url + '/docs/mock');
      expect(mockDocs.status).toBe(200);
      expect(await mockDocs.text()).toContain('itnio-voice mock — control API');
    });

    it('stops on SIGTERM with exit code 0', async () => {
      expect(await stop(mock, 'SIGTERM')).toBe(0);
      expect(mock.output()).toContain('SIGTERM: stopping the mock');
    });
  });

  describe('with the environment (PORT, HOST, ITNIO_MOCK_*)', () => {
    const apiKey = 'envKey01';
    const apiSecret = 'env-secret-01';
    let port: number;
    let mock: Running;
    beforeAll(async () => {
      port = await freePort();
      mock = await startBin([], {
        PORT: String(port),
        HOST: '127.0.0.1',
        ITNIO_MOCK_FIRST_KEY_ID: '5000',
        ITNIO_MOCK_API_KEY: apiKey,
        ITNIO_MOCK_API_SECRET: apiSecret,
      });
    }, 30_000);

    it('listens on the PORT and HOST it was given, with the credentials it was given (the secret not shown)', () => {
      expect(mock.url).toBe(`http://127.0.0.1:${port}`);
      expect(mock.output()).toContain(`credentials: Api-Key ${apiKey}, secret (from ITNIO_MOCK_API_SECRET, not shown)`);
      expect(mock.output()).not.toContain(apiSecret);
    });

    it("answers the installed SDK's calls signed with those credentials, numbering tasks from ITNIO_MOCK_FIRST_KEY_ID", async () => {
      expect(await sdkCalls(mock.url, apiKey, apiSecret, 'From the environment')).toEqual({ keyId: 5000, again: 'taskNameExists', forged: 'authenticationError' });
      // The default credentials are not accepted any more.
      expect((await sdkCalls(mock.url, API_KEY, API_SECRET, 'Default credentials')).keyId).toBe('authenticationError');
    });

    it('stops on SIGINT (Ctrl-C) with exit code 0', async () => {
      expect(await stop(mock, 'SIGINT')).toBe(0);
      expect(mock.output()).toContain('SIGINT: stopping the mock');
    });
  });
});
