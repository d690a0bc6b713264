// How the mock serves the docs pages (mocks/http/static.ts): every URL shape under /docs reaches its page,
// a path-shaped link is sent to its hash route, and a served page names the address the browser used.
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../mocks/index.js';
import { DOCUMENTED_MOCK_URL, splitAtMockUrl } from '../../mocks/http/static.js';

/** A page like the built one: the documented address in the servers list and in a sample, and non-ASCII text. */
const page = (title: string) =>
  `<!doctype html><title>${title} — docs</title><script>const d = {"servers":[{"url":"${DOCUMENTED_MOCK_URL}"}],"x-codeSamples":[{"source":"BASE_URL=\\"\${BASE_URL:-${DOCUMENTED_MOCK_URL}}\\""}]};</script>`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the Host header we choose (fetch will not send another). */
function get(url: string, path: string, options: { method?: string; host?: string } = {}): Promise<Answer> {
  return new Promise((done, fail) => {
    const target = new URL(path, url);
    const req = request(target, { method: options.method ?? 'GET', headers: options.host === undefined ? {} : { host: options.host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', fail);
    req.end();
  });
}

let dir: string;
let mock: MockServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'itnio-docs-routes-'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'index.html'), page('API'));
  mock = await startMockServer({ port: 0, assetsDir: dir });
});

afterAll(async () => {
  await mock?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the docs pages on the mock', () => {
  it.each(['/docs', '/docs/', '/docs/index.html'])('%s is the API page', async (path) => {
    const answer = await get(mock.url, path);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.body).toContain('<title>API — docs</title>');
  });

  it.each([
    ['/docs/error-codes', '/docs#/error-codes'],
    ['/docs/section/signing', '/docs#/section/signing'],
    ['/docs/group-calls/sendagentgroupcall/', '/docs#/group-calls/sendagentgroupcall'],
    ['/docs/mockery', '/docs#/mockery'],
    ['/docs/mock/control/gethealth', '/docs/mock#/control/gethealth'],
  ])('a path-shaped link %s goes to its hash route %s', async (path, location) => {
    const answer = await get(mock.url, path);
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe(location);
  });

  it('/ goes to the docs', async () => {
    const answer = await get(mock.url, '/');
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe('/docs');
  });

  it('takes GET and HEAD only; HEAD says the length GET sends', async () => {
    expect((await get(mock.url, '/docs/error-codes', { method: 'POST' })).status).toBe(405);
    const head = await get(mock.url, '/docs', { method: 'HEAD' });
    const full = await get(mock.url, '/docs');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(full.body));
  });

  it('the mock control API page is at /docs/mock once built, and says how to build it before', async () => {
    for (const path of ['/docs/mock', '/docs/mock/', '/docs/mock/index.html']) {
      const missing = await get(mock.url, path);
      expect(missing.status).toBe(200);
      expect(missing.body).toContain('mock control API are not built');
      expect(missing.body).toContain('npm run docs');
    }
    mkdirSync(join(dir, 'docs', 'mock'));
    writeFileSync(join(dir, 'docs', 'mock', 'index.html'), page('Control'));
    for (const path of ['/docs/mock', '/docs/mock/', '/docs/mock/index.html']) {
      expect((await get(mock.url, path)).body).toContain('<title>Control — docs</title>');
    }
  });
});

describe('a served page names the address the browser reached the mock at', () => {
  it('from the Host header: the servers list and the samples', async () => {
    const answer = await get(mock.url, '/docs', { host: 'localhost:5123' });
    expect(answer.body).toBe(page('API').replaceAll(DOCUMENTED_MOCK_URL, 'http://localhost:5123'));
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  });

  it('as fetch sends it (the mock\'s own host and port)', async () => {
    const body = await (await fetch(`${mock.url}/docs`)).text();
    expect(body).toContain(`"url":"${mock.url}"`);
    expect(body).toContain(`\${BASE_URL:-${mock.url}}`);
    expect(body).not.toContain(DOCUMENTED_MOCK_URL);
  });

  it.each(['evil.example"><script>alert(1)</script>', "a'b:80", 'a b', ''])('a Host header that could break the page (%j) is not used: the socket address is', async (host) => {
    const answer = await get(mock.url, '/docs', { host });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(page('API').replaceAll(DOCUMENTED_MOCK_URL, `http://127.0.0.1:${mock.port}`));
  });

  it('an IPv6 Host is kept in brackets', async () => {
    const answer = await get(mock.url, '/docs', { host: '[::1]:4999' });
    expect(answer.body).toContain('"url":"http://[::1]:4999"');
  });

  it('the contract files are served as they are', async () => {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify({ servers: [{ url: DOCUMENTED_MOCK_URL }] }));
    expect(await (await fetch(`${mock.url}/openapi.json`)).json()).toEqual({ servers: [{ url: DOCUMENTED_MOCK_URL }] });
  });

  it('cuts a page once per version of its file, and a page without the address is one piece', () => {
    const bytes = Buffer.from(page('X'));
    const pieces = splitAtMockUrl(bytes);
    expect(pieces).toHaveLength(3);
    expect(splitAtMockUrl(bytes)).toBe(pieces);
    expect(Buffer.concat(pieces).toString()).toBe(page('X').replaceAll(DOCUMENTED_MOCK_URL, ''));
    expect(splitAtMockUrl(Buffer.from('<p>no address</p>'))).toHaveLength(1);
  });
});
