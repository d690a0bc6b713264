// Helpers for the docs' browser test: build the pages when stale, drive Debian's Chromium, and sort every
// request a page makes into "stayed on this machine" or not.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Request } from 'playwright-core';
import { buildDocs, MOCK_CONTROL_PAGE } from '../../scripts/docs-page.mjs';

export const root = resolve(import.meta.dirname, '../..');
export const distDir = resolve(root, 'dist');
export const docsDir = resolve(distDir, 'docs');
export const docsFile = resolve(docsDir, 'index.html');
/** The mock control API's page. */
export const mockDocsFile = resolve(distDir, MOCK_CONTROL_PAGE);
/** Where the browser test leaves its screenshots (under dist/, never committed). */
export const screenshotsDir = resolve(docsDir, 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/**
 * Builds the pages when one is missing or older than what it is built from: the same build as
 * `npm run docs` (scripts/docs-page.mjs), but straight from spec/, since `npm run docs` also rewrites
 * dist/openapi.json, which other test files may be reading at the same moment.
 */
export function ensureDocsBuilt(): void {
  const inputs = ['spec', 'redocly.yaml', 'scripts/docs-template.hbs', 'scripts/docs-page.mjs'].map((path) => resolve(root, path));
  const pages = [docsFile, mockDocsFile];
  const newestInput = Math.max(...inputs.map(newestMtime));
  if (pages.every((page) => existsSync(page) && statSync(page).mtimeMs >= newestInput)) return;
  buildDocs('spec/openapi.yaml', 'dist/docs');
}

export interface SeenRequest {
  url: string;
  /** Set when the request failed (a CSP block, for one, means the browser never sent it). */
  failure?: string;
}

export function isLoopbackOrLocal(url: string): boolean {
  const parsed = new URL(url);
  // data:, blob: and about: never touch the network (Redoc's search runs in blob: workers); file: is the
  // standalone page opened from disk.
  if (['data:', 'blob:', 'about:', 'file:'].includes(parsed.protocol)) return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
}

export interface Session {
  context: BrowserContext;
  requests: SeenRequest[];
  consoleErrors: string[];
  close(): Promise<void>;
}

/** Chromium as this machine allows it: no sandbox as root, no background calls home, a fresh profile. */
export async function openChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'itnio-docs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? { width: 1400, height: 1000 },
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
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: pageerror: ${error.message}`));
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

/** Requests that went, or were about to go (blocked or not), anywhere but this machine. */
export function leftLoopback(requests: SeenRequest[]): SeenRequest[] {
  return requests.filter((r) => !isLoopbackOrLocal(r.url));
}
