// The package as a user gets it: built, packed, installed from the tarball into a fresh project,
// type-checked and run there against a loopback server. Slow (tens of seconds), so one file does it once.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startLoopback, type Loopback } from './loopback.js';

const root = resolve(import.meta.dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

/** The README's "Using the SDK" example, taken from the README itself so the two cannot drift. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using the SDK'));
  const match = section.match(/```ts\n([\s\S]*?)```/);
  if (!match) throw new Error('README has no TypeScript example under "Using the SDK"');
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
const voice = createVoiceClient({ apiKey: 'bDqJFiq9', apiSecret: '7bz1lzh9', baseUrl, now: () => 1630468800000, onWarning: (w) => warnings.push(w) });
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

let work: string;
let packed: { filename: string; files: { path: string }[] };
let server: Loopback;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'itnio-voice-pack-'));
  npm(['run', '-s', 'build:sdk'], root);
  [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root));
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed.filename)], app);
  writeFileSync(join(app, 'consumer.ts'), consumer);
  // The README's "Using the SDK" example, type-checked and run as a user would.
  writeFileSync(join(app, 'example.ts'), readmeExample());
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      // No @types/node and no skipLibCheck: the package's declarations must stand on their own.
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [], strict: true, skipLibCheck: false, outDir: 'out' },
      files: ['consumer.ts', 'example.ts', 'process.d.ts'],
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

describe('the packed package', () => {
  it('holds the built SDK and the contract, not the sources or tests', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'dist/sdk/src/index.js', 'dist/sdk/src/index.d.ts', 'dist/sdk/generated/validators.js', 'dist/sdk/generated/openapi.d.ts']));
    expect(paths.filter((p) => /^(src|test|mocks|scripts|spec|generated|bench)\//.test(p) || p.includes('node_modules'))).toEqual([]);
  });

  it('installs with openapi-fetch as its only runtime dependency (no Ajv)', () => {
    const app = join(work, 'app');
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'itnio-voice', 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch']);
    expect(existsSync(join(app, 'node_modules', 'ajv'))).toBe(false);
    // The whole tree a user installs, as the README lists it (and as `npm audit --omit=dev` would check it).
    const installed = readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(installed.sort()).toEqual(['itnio-voice', 'openapi-fetch', 'openapi-typescript-helpers']);
  });

  it('type-checks a consumer file against its declarations', () => {
    const result = spawnSync(process.execPath, [tsc, '-p', join(work, 'app')], { encoding: 'utf8' });
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
    const result = await promisify(execFile)(process.execPath, [join(work, 'app', 'out', 'consumer.js'), server.url], { encoding: 'utf8', timeout: 30_000 });
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
    const env = { ...process.env, ITNIO_API_KEY: 'bDqJFiq9', ITNIO_API_SECRET: '7bz1lzh9', ITNIO_BASE_URL: server.url };
    const result = await promisify(execFile)(process.execPath, [join(work, 'app', 'out', 'example.js')], { encoding: 'utf8', timeout: 30_000, env });
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
      ['/voice/group/call/send/agent', 'bDqJFiq9', 'string'],
      ['/voice/recallFlow/update', 'bDqJFiq9', 'string'],
    ]);
    expect(JSON.parse(server.requests[1]!.body).keyId).toBe(4242);
  });
});
