// Helpers for the docs' browser test: serve dist/docs on loopback, drive Debian's Chromium, and sort every
// request the page makes into "stayed on this machine" or not.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Request } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');
export const docsDir = resolve(root, 'dist/docs');
export const docsFile = resolve(docsDir, 'index.html');
export const CHROMIUM = '/usr/bin/chromium';

/**
 * What Redoc 3.0.1 tries to load from outside whatever the options say: its sidebar always mounts a
 * "Redocly" attribution <img> from this CDN. Our page template's Content-Security-Policy stops it inside
 * the browser. Listed so that anything new Redoc starts to fetch fails the test and gets looked at.
 */
export const KNOWN_CSP_BLOCKED = new Set(['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg']);

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/**
 * Builds the page when it is missing or older than what it is built from. Same build-docs call as
 * `npm run docs`, but straight from spec/: `npm run docs` also rewrites dist/openapi.json, which other test
 * files may be reading at the same moment.
 */
export function ensureDocsBuilt(): void {
  const inputs = [resolve(root, 'spec'), resolve(root, 'redocly.yaml'), resolve(root, 'scripts/docs-template.hbs')];
  if (existsSync(docsFile) && statSync(docsFile).mtimeMs >= Math.max(...inputs.map(newestMtime))) return;
  const redocly = resolve(root, 'node_modules/.bin/redocly');
  execFileSync(redocly, ['build-docs', 'spec/openapi.yaml', '--inlineBundle', '-o', 'dist/docs/index.html'], { cwd: root, stdio: 'pipe' });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.png': 'image/png', '.json': 'application/json' };

/** A throwaway static server for dist/docs on 127.0.0.1; it logs every path asked for. */
export async function serveDocs(): Promise<{ url: string; served: string[]; close(): Promise<void> }> {
  const served: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    served.push(path);
    const file = resolve(docsDir, `.${path.endsWith('/') ? `${path}index.html` : path}`);
    if (!file.startsWith(docsDir + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, served, close: () => new Promise((done) => server.close(() => done())) };
}

export interface SeenRequest {
  url: string;
  /** Set when the request failed; a CSP block means the browser never sent it. */
  failure?: string;
}

export function isLoopbackOrLocal(url: string): boolean {
  const parsed = new URL(url);
  // data:, blob: and about: never touch the network (Redoc's search runs in blob: workers).
  if (['data:', 'blob:', 'about:'].includes(parsed.protocol)) return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
}

export interface Session {
  context: BrowserContext;
  requests: SeenRequest[];
  consoleErrors: string[];
  close(): Promise<void>;
}

/** Chromium as this machine allows it: no sandbox as root, no background calls home, a fresh profile. */
export async function openChromium(): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'itnio-docs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const requests: SeenRequest[] = [];
  const byRequest = new Map<Request, SeenRequest>();
  context.on('request', (request) => {
    const seen = { url: request.url() };
    byRequest.set(request, seen);
    requests.push(seen);
  });
  context.on('requestfailed', (request) => {
    const seen = byRequest.get(request);
    if (seen) seen.failure = request.failure()?.errorText ?? 'failed';
  });
  const consoleErrors: string[] = [];
  const watch = (page: import('playwright-core').Page) => {
    page.on('console', (message: ConsoleMessage) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    requests,
    consoleErrors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Playwright reports a CSP block as `csp`; Chromium's own name for it is `net::ERR_BLOCKED_BY_CSP`. */
function isCspBlock(failure: string | undefined): boolean {
  return failure === 'csp' || failure === 'net::ERR_BLOCKED_BY_CSP';
}

/** Requests that went, or would have gone, off this machine, minus those our CSP stopped in the browser. */
export function leftLoopback(requests: SeenRequest[]): SeenRequest[] {
  return requests.filter((r) => !isLoopbackOrLocal(r.url) && !isCspBlock(r.failure));
}

export function blockedByCsp(requests: SeenRequest[]): string[] {
  return requests.filter((r) => !isLoopbackOrLocal(r.url) && isCspBlock(r.failure)).map((r) => r.url);
}

/** Console errors other than Chromium's report of a known URL our CSP blocked. */
export function unexpectedConsoleErrors(errors: string[]): string[] {
  return errors.filter((text) => {
    const blocked = /Content Security Policy/.test(text) && [...KNOWN_CSP_BLOCKED].some((url) => text.includes(`'${url}'`));
    return !blocked;
  });
}
