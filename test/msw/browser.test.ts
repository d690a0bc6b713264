// The MSW handlers in a real browser, from the package as it ships: the README's frontend blocks ("For
// frontend teams") in a small project whose node_modules holds this package and msw, bundled for the
// browser with esbuild. esbuild resolves `itnio-voice/msw` through the package's own `exports` (the
// `browser` condition), so the page runs the compiled dist/mocks/msw/browser.js, never the sources; dist/
// must be built and as new as the sources (the test says so otherwise). The page is served from a loopback
// static server beside the service worker that `msw init` writes at test time, and run in Chromium. Calls
// to the vendor's own URL must get the engine's answers from the service worker, and nothing may reach
// the network off 127.0.0.1: every request the browser would send out is routed through a guard that
// records it and lets only loopback through.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, isLoopbackOrLocal, openChromium, type Session } from '../docs/browser.js';
import { operationPaths } from '../../generated/operations.js';
import { DEFAULT_BASE_URL } from '../../src/base-url.js';
import { requireBuilt } from './built.js';

const root = resolve(import.meta.dirname, '..', '..');
/** What `itnio-voice/msw` names for a browser bundler, from package.json's `exports`. */
const browserEntry: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports['./msw'].browser.replace(/^\.\//, '');

/** The README's frontend blocks: the worker module (`// src/mocks/voice.ts`) and the UI's call after it. */
export function readmeFrontendBlocks(): { module: string; call: string } {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const module = readme.match(/```ts\n(\/\/ src\/mocks\/voice\.ts[\s\S]*?)```/)?.[1];
  const call = readme.match(/```ts\n(\/\/ anywhere in the UI[\s\S]*?)```/)?.[1];
  if (!module || !call) throw new Error('README has no frontend blocks starting with // src/mocks/voice.ts and // anywhere in the UI');
  return { module, call };
}

let work: string;
let server: Server;
let origin: string;
let session: Session;
const served: string[] = [];
/** Every request Chromium was about to send to the network (service-worker answers never get here). */
const network: string[] = [];
let page: Page;
const logged: string[] = [];
/** The files the page was bundled from, relative to the repository. */
let bundledInputs: string[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`bash scripts/ensure-chromium.sh\` (npm test does it in pretest).`);
  work = mkdtempSync(join(tmpdir(), 'itnio-msw-browser-'));
  // The worker script as a project gets it: `npx msw init <public dir>`, from the msw installed here.
  execFileSync('npx', ['--no-install', 'msw', 'init', work, '--no-save'], { cwd: root, stdio: 'pipe' });
  const { module, call } = readmeFrontendBlocks();
  // A project with this package and msw installed (linked, as `npm link` would: the package is this
  // checkout, whose package.json and dist/ are what npm packs).
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(root, join(work, 'node_modules', 'itnio-voice'), 'dir');
  symlinkSync(join(root, 'node_modules', 'msw'), join(work, 'node_modules', 'msw'), 'dir');
  writeFileSync(join(work, 'voice.ts'), module);
  // The page: the README's module, its call, and the handle exposed for the test to drive.
  writeFileSync(join(work, 'main.ts'), `import { voice } from './voice.ts';\n(globalThis as any).voice = voice;\n${call}\n(globalThis as any).ready = true;\n`);
  requireBuilt(browserEntry);
  const bundled = await build({
    entryPoints: [join(work, 'main.ts')],
    absWorkingDir: root,
    bundle: true,
    platform: 'browser',
    conditions: ['browser'],
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  }).catch((error: Error) => {
    // A dist/ from older sources can import what no longer exists: say what to do, not only what failed.
    throw new Error(`bundling the page from the package failed (is dist/ stale? run \`node scripts/build.mjs\`): ${error.message}`, { cause: error });
  });
  bundledInputs = Object.keys(bundled.metafile.inputs);
  const files: Record<string, [string, string]> = {
    '/': ['text/html; charset=utf-8', '<!doctype html><title>itnio-voice msw</title><script type="module" src="/app.js"></script>'],
    '/app.js': ['text/javascript; charset=utf-8', bundled.outputFiles[0]!.text],
    '/mockServiceWorker.js': ['text/javascript; charset=utf-8', readFileSync(join(work, 'mockServiceWorker.js'), 'utf8')],
  };
  server = createServer((request, response) => {
    served.push(`${request.method} ${request.url}`);
    const file = files[request.url ?? ''];
    response.writeHead(file ? 200 : 404, { 'content-type': file?.[0] ?? 'text/plain' });
    response.end(file?.[1] ?? 'not here');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  session = await openChromium();
  await session.context.route('**/*', (route) => {
    const url = route.request().url();
    network.push(url);
    return isLoopbackOrLocal(url) ? route.continue() : route.abort('blockedbyclient');
  });
  page = await session.context.newPage();
  page.on('console', (message) => logged.push(message.text()));
  await page.goto(origin + '/');
  await page.waitForFunction(() => (globalThis as any).ready === true, undefined, { timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  await session?.close();
  if (server) await new Promise((done) => server.close(done));
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A POST from the page to the vendor's URL: status, JSON, and whether the service worker answered. */
async function call(path: string, body: unknown, query = ''): Promise<{ status: number; body: any; applied: string | null } | { failed: string }> {
  return page.evaluate(
    async ({ url, body }) => {
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        return { status: response.status, body: await response.json(), applied: response.headers.get('preference-applied') };
      } catch (error) {
        return { failed: String(error) };
      }
    },
    { url: DEFAULT_BASE_URL + path + query, body },
  );
}

const task = { appId: '2Xql9RBI', taskName: 'In Chromium', agentId: 41, numberInfoList: [{ calleeNumber: '6281234567890' }] };

describe("the README's frontend blocks, in Chromium", () => {
  it('were bundled from the package as it ships: its browser entry, compiled, with msw and nothing from Node', () => {
    expect(bundledInputs).toContain(browserEntry);
    expect(bundledInputs).toEqual(expect.arrayContaining(['dist/mocks/engine/index.js', 'dist/mocks/msw/handlers.js', 'dist/src/base-url.js']));
    expect(bundledInputs.filter((input) => /^(src|mocks|generated)\//.test(input) || input === 'dist/mocks/msw/index.js')).toEqual([]);
    expect(bundledInputs.filter((input) => input.startsWith('node:') || input === 'dist/src/client.js' || input === 'dist/src/sign.js')).toEqual([]);
    expect(bundledInputs).toContain('node_modules/msw/lib/browser/index.mjs');
  });

  it("ran: the UI's call got the engine's -22 with its finding", () => {
    const line = logged.find((text) => text.startsWith('{'));
    expect(JSON.parse(line!)).toMatchObject({ code: -22, findings: [{ path: '/numberInfoList/0/calleeNumber' }], findingsTotal: 1 });
  });

  it('answers from the engine: a task, its name again, its recall flow, an unknown keyId, a documented example', async () => {
    await page.evaluate(() => (globalThis as any).voice.reset());
    expect(await call(operationPaths.sendAgentGroupCall, task)).toEqual({ status: 200, body: { code: '0', msg: 'success', data: 123124 }, applied: null });
    expect(await call(operationPaths.sendAgentGroupCall, task)).toMatchObject({ body: { code: -41 } });
    const flow = { keyId: 123124, recallType: 0, recallInterval: 30, recallNum: 1 };
    expect(await call(operationPaths.updateRecallFlow, flow)).toMatchObject({ body: { code: 0 } });
    expect(await call(operationPaths.updateRecallFlow, { ...flow, keyId: 987654 })).toMatchObject({ body: { code: -24 } });
    expect(await call(operationPaths.sendAgentGroupCall, { ...task, agentId: 7 })).toMatchObject({ body: { code: -60 } });
    // A page cannot always set Prefer; the query form works, and the cross-origin page can read which answer it got.
    expect(await call(operationPaths.sendAgentGroupCall, {}, '?__example=concurrentTaskLimit')).toMatchObject({ body: { code: -37 }, applied: 'example=concurrentTaskLimit' });
    const journal = await page.evaluate(() => (globalThis as any).voice.requests().map((r: any) => `${r.reason} ${r.code}`));
    expect(journal).toEqual(['ok 0', 'state -41', 'ok 0', 'state -24', 'world -60', 'prefer -37']);
  });

  it('auth is off by default in a browser; faults from the page: an example, a status, a dropped connection', async () => {
    await page.evaluate(() => {
      const voice = (globalThis as any).voice;
      voice.reset();
      voice.addFault({ example: 'authenticationError' });
      voice.addFault({ status: 502 });
      voice.addFault({ drop: true });
    });
    expect(await call(operationPaths.sendAgentGroupCall, task)).toMatchObject({ status: 200, body: { code: -1 } });
    expect(await call(operationPaths.sendAgentGroupCall, task)).toMatchObject({ status: 502, body: { error: 'injected_fault' } });
    expect(await call(operationPaths.sendAgentGroupCall, task)).toEqual({ failed: expect.stringContaining('TypeError') });
    expect(await call(operationPaths.sendAgentGroupCall, task)).toMatchObject({ body: { code: '0' } }); // unsigned, auth off
  });

  it('nothing reached the network off loopback; the vendor URL was answered by the service worker', async () => {
    // The guard works: a URL no handler takes goes past the worker (`onUnhandledRequest: 'bypass'`) and is stopped.
    const unmocked = 'https://unmocked.example/ping';
    expect(await page.evaluate((url) => fetch(url).then(() => 'answered', (error) => String(error)), unmocked)).toContain('TypeError');
    expect(network).toEqual(expect.arrayContaining([`${origin}/`, `${origin}/app.js`]));
    expect(network.filter((url) => !isLoopbackOrLocal(url))).toEqual([unmocked]);
    expect(served).toEqual(expect.arrayContaining(['GET /', 'GET /app.js', 'GET /mockServiceWorker.js']));
    expect(served.filter((line) => line.includes('/voice/'))).toEqual([]);
    // The only console errors: the injected 502, the dropped connection and the blocked URL (which the
    // page sees fail in the worker's own fetch).
    expect(session.consoleErrors.map((text) => text.replace(/^[^ ]+ /, ''))).toEqual([
      'Failed to load resource: the server responded with a status of 502 (Bad Gateway)',
      'Failed to load resource: net::ERR_FAILED',
      'Failed to load resource: net::ERR_FAILED',
    ]);
  });
});
