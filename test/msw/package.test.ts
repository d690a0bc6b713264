// `itnio-voice/msw` as a user installs it. The repository is packed from a clean copy (as
// test/package/package.test.ts does) and installed into an empty project: first without msw, where the
// SDK and the mock work and `itnio-voice/msw` says what to install (imported or required); then with msw
// beside it, where the README's backend suite ("For backend teams") runs under Vitest against the
// installed package, type-checks against its declarations, a CommonJS project require()s it, and a
// browser bundler resolves the browser entry. Slow (tens of seconds).
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanCopy } from '../support/copy.js';

const root = resolve(import.meta.dirname, '..', '..');
const env = { ...process.env, npm_config_update_notifier: 'false', SCARF_ANALYTICS: 'false', REDOCLY_TELEMETRY: 'off' };
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });
const run = promisify(execFile);
const mswVersion: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.msw;

/** The README's backend suite: the block that starts `// voice-msw.test.ts`. */
function readmeBackendSuite(): string {
  const match = readFileSync(join(root, 'README.md'), 'utf8').match(/```ts\n(\/\/ voice-msw\.test\.ts\n[\s\S]*?)```/);
  if (!match) throw new Error('README has no vitest suite starting with // voice-msw.test.ts');
  return match[1]!;
}

// What a project without msw sees: the SDK and the mock load; itnio-voice/msw explains itself.
const probe = `
const sdk = await import('itnio-voice').then((m) => typeof m.createVoiceClient, (e) => String(e));
const mock = await import('itnio-voice/mock').then((m) => typeof m.startMockServer, (e) => String(e));
const msw = await import('itnio-voice/msw').then(() => 'loaded', (e) => e.message);
console.log(JSON.stringify({ sdk, mock, msw }));
`;

// The same from CommonJS: require() of the entry (Node's require of an ES module, which refuses one that
// awaits at its top level).
const probeCommonJs = `
let msw;
try { require('itnio-voice/msw'); msw = 'loaded'; } catch (e) { msw = e.code === 'ERR_REQUIRE_ASYNC_MODULE' ? e.code : e.message; }
console.log(JSON.stringify({ msw }));
`;

// With msw installed, from CommonJS: the handlers are the msw the project requires and imports (one msw,
// its ES module build), and msw/node answers with them.
const commonJsSuite = `
const { createVoiceHandlers } = require('itnio-voice/msw');
const { HttpHandler } = require('msw');
const { setupServer } = require('msw/node');
(async () => {
  const voice = createVoiceHandlers();
  const imported = await import('msw');
  const server = setupServer(...voice);
  server.listen({ onUnhandledRequest: 'error' });
  const answer = await fetch(voice.baseUrl + '/voice/group/call/send/agent', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.json());
  server.close();
  console.log(JSON.stringify({ required: voice.every((h) => h instanceof HttpHandler), imported: voice.every((h) => h instanceof imported.HttpHandler), code: answer.code, journal: voice.requests().map((r) => r.reason) }));
})();
`;

let work: string;
let app: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'itnio-voice-msw-pack-'));
  const copy = cleanCopy(join(work, 'repo'));
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], copy));
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename)], app);
  writeFileSync(join(app, 'probe.mjs'), probe);
  writeFileSync(join(app, 'probe.cjs'), probeCommonJs);
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('installed without msw', () => {
  it('msw is a peer the install leaves out', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/itnio-voice/package.json'), 'utf8'));
    expect([manifest.peerDependencies, manifest.peerDependenciesMeta]).toEqual([{ msw: '^2.10' }, { msw: { optional: true } }]);
    expect(readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.')).sort()).toEqual(['itnio-voice', 'openapi-fetch', 'openapi-typescript-helpers']);
  });

  it('the SDK and the mock load; itnio-voice/msw says what to install', async () => {
    const { stdout, stderr } = await run(process.execPath, [join(app, 'probe.mjs')], { cwd: app, encoding: 'utf8', timeout: 30_000 });
    expect(stderr).toBe('');
    const seen = JSON.parse(stdout);
    expect([seen.sdk, seen.mock]).toEqual(['function', 'function']);
    expect(seen.msw).toContain('itnio-voice/msw needs msw 2 (^2.10), an optional peer dependency of itnio-voice that is not installed here: run `npm install --save-dev msw`');
    expect(seen.msw).toContain("Cannot find module 'msw'");
  });

  it('from CommonJS, require() of itnio-voice/msw says the same', async () => {
    const { stdout, stderr } = await run(process.execPath, [join(app, 'probe.cjs')], { cwd: app, encoding: 'utf8', timeout: 30_000 });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout).msw).toContain('itnio-voice/msw needs msw 2 (^2.10), an optional peer dependency of itnio-voice that is not installed here: run `npm install --save-dev msw`');
  });
});

describe('installed with msw', () => {
  beforeAll(() => {
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev', `msw@${mswVersion}`], app);
  }, 120_000);

  it("runs the README's backend suite under Vitest against the installed package", async () => {
    // Its own folder; vitest is this checkout's (as test/package/package.test.ts runs the mock's suite).
    const suite = join(app, 'suite');
    mkdirSync(join(suite, 'node_modules'), { recursive: true });
    symlinkSync(join(root, 'node_modules', 'vitest'), join(suite, 'node_modules', 'vitest'), 'dir');
    writeFileSync(join(suite, 'voice-msw.test.ts'), readmeBackendSuite());
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const result = await run(process.execPath, [vitest, 'run', '--root', suite, '--reporter', 'json'], { encoding: 'utf8', timeout: 60_000, cwd: suite }).catch((error) => error);
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
    expect(report.testResults[0].assertionResults.map((t: { title: string; status: string }) => [t.title, t.status]), result.stderr).toEqual([
      ['creates a task once; the same name again is -41', 'passed'],
      ['meets a dropped connection', 'passed'],
      ['lets one test override one route the msw way', 'passed'],
    ]);

    // The same file type-checks against the package's declarations and msw's.
    writeFileSync(
      join(suite, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [], strict: true, skipLibCheck: true, noEmit: true }, files: ['voice-msw.test.ts'] }),
    );
    const tsc = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', suite], { encoding: 'utf8' }).catch((error) => error);
    expect(tsc.stdout + tsc.stderr).toBe('');
  });

  it('a CommonJS project require()s it: the handlers are its one msw, and msw/node answers with them', async () => {
    writeFileSync(join(app, 'suite.cjs'), commonJsSuite);
    const { stdout, stderr } = await run(process.execPath, [join(app, 'suite.cjs')], { cwd: app, encoding: 'utf8', timeout: 30_000 });
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({ required: true, imported: true, code: -1, journal: ['auth'] });
  });

  it("the package's declarations for itnio-voice/msw stand on their own (no skipLibCheck)", async () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      [
        "import { createVoiceHandlers, MockControlError, type VoiceHandlers, type Fault } from 'itnio-voice/msw';",
        "import type { HttpHandler } from 'msw';",
        "const voice: VoiceHandlers = createVoiceHandlers({ baseUrl: 'https://gateway.example/itnio', agents: [{ agentId: 41, scenario: 'marketing' }] });",
        'const handlers: HttpHandler[] = [...voice];',
        "const fault: Fault = { operation: 'sendAgentGroupCall', status: 502 };",
        'voice.addFault(fault);',
        'voice.reset();',
        "// @ts-expect-error auth is 'on' or 'off'",
        "createVoiceHandlers({ auth: 'maybe' });",
        'export { handlers, MockControlError };',
      ].join('\n'),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [], strict: true, skipLibCheck: false, noEmit: true }, files: ['consumer.ts'] }),
    );
    const tsc = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app], { encoding: 'utf8' }).catch((error) => error);
    expect(tsc.stdout + tsc.stderr).toBe('');
  });

  it('a browser bundler resolves the browser entry, Node the Node one', async () => {
    writeFileSync(join(app, 'entry.js'), "import { createVoiceHandlers } from 'itnio-voice/msw';\nexport const voice = createVoiceHandlers();\n");
    const bundle = (platform: 'browser' | 'node') =>
      build({ entryPoints: [join(app, 'entry.js')], absWorkingDir: app, bundle: true, platform, format: 'esm', write: false, metafile: true, logLevel: 'silent', external: platform === 'node' ? ['msw', 'node:*'] : [] });
    const browser = Object.keys((await bundle('browser')).metafile.inputs);
    expect(browser).toContain('node_modules/itnio-voice/dist/mocks/msw/browser.js');
    expect(browser).not.toContain('node_modules/itnio-voice/dist/mocks/msw/index.js');
    expect(browser.filter((input) => input.startsWith('node:') || input.includes('dist/src/sign.js'))).toEqual([]);
    expect(browser).toContain('node_modules/msw/lib/core/index.mjs'); // msw itself, bundled from the project's install
    const node = Object.keys((await bundle('node')).metafile.inputs);
    expect(node).toContain('node_modules/itnio-voice/dist/mocks/msw/index.js');
  });
});
