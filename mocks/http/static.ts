// What the mock serves besides the API: the docs pages and the bundled contract, from the package's dist/
// (or another assets folder), and `/` sending a browser to the docs.
//
// The docs pages route on the URL's hash (`/docs#/error-codes`), so one file works as it is, served here
// or opened from disk. Here, every URL under /docs reaches its page:
//
//   /docs, /docs/, /docs/index.html            the API's page
//   /docs/mock, /docs/mock/, /docs/mock/index.html   the mock control API's page
//   /docs/<route> → 302 /docs#/<route>         (and /docs/mock/<route> → /docs/mock#/<route>), so a
//                                              path-shaped link (typed, or shared) opens that section
//
// A page served here names the mock's real address: every `http://127.0.0.1:4010` in it (the server the
// contract lists for the mock, and the samples' default) becomes the address the browser reached this
// mock at, from the request's Host header.
import type { ServerResponse } from 'node:http';
import { assetsIn, type Asset } from './assets.js';
import { CORS, send, sendJson } from './respond.js';

/** The mock's address as the contract and the samples write it (its defaults); pages show the real one. */
export const DOCUMENTED_MOCK_URL = 'http://127.0.0.1:4010';

/** A Host header that can go into a page as it is: a name or an IP literal, and a port. */
const HOST_HEADER = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253})(?::\d{1,5})?$/;

interface DocsPage {
  /** Where it is served: `/docs`, `/docs/mock`. */
  base: string;
  asset: Asset;
  /** What to say when the file is not there. */
  missing: string;
}

function docsFallback(file: string, missing: string): string {
  return `<!doctype html><meta charset="utf-8"><title>itnio-voice mock</title>
<h1>itnio-voice mock server</h1>
<p>${missing} (there is no <code>${file.replace(/[<>&]/g, '')}</code>); in the repository, run <code>npm run docs</code> and reload.</p>
<p>The contract: <a href="/openapi.json">/openapi.json</a>, <a href="/openapi.yaml">/openapi.yaml</a>.</p>`;
}

/** The address to put on a page: the one the browser used, else the socket's own. */
export function servedOrigin(response: ServerResponse): string {
  const request = response.req;
  const host = request?.headers.host;
  if (host && HOST_HEADER.test(host)) return `http://${host.toLowerCase()}`;
  const { localAddress, localPort } = request?.socket ?? {};
  if (!localAddress || !localPort) return DOCUMENTED_MOCK_URL;
  return `http://${localAddress.includes(':') ? `[${localAddress}]` : localAddress}:${localPort}`;
}

/**
 * The page cut where it names the documented address, cached per file version (the asset hands out the
 * same Buffer until the file changes): answering one page for any address costs no copy of its bytes.
 */
const piecesOf = new WeakMap<Buffer, Buffer[]>();

export function splitAtMockUrl(bytes: Buffer): Buffer[] {
  let pieces = piecesOf.get(bytes);
  if (!pieces) {
    pieces = [];
    let from = 0;
    for (let at = bytes.indexOf(DOCUMENTED_MOCK_URL); at !== -1; at = bytes.indexOf(DOCUMENTED_MOCK_URL, from)) {
      pieces.push(bytes.subarray(from, at));
      from = at + DOCUMENTED_MOCK_URL.length;
    }
    pieces.push(bytes.subarray(from));
    piecesOf.set(bytes, pieces);
  }
  return pieces;
}

function sendPage(response: ServerResponse, bytes: Buffer, origin: string): void {
  const pieces = splitAtMockUrl(bytes);
  const between = Buffer.from(origin);
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0) + between.length * (pieces.length - 1);
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': length, 'Cache-Control': 'no-cache', ...CORS });
  pieces.forEach((piece, index) => {
    if (index > 0) response.write(between);
    response.write(piece);
  });
  response.end();
}

/**
 * The text without the slashes it ends with. A loop, not `replace(/\/+$/, '')`: that expression retries
 * from every slash of a run that does not reach the end, so a path of 16,000 slashes and an `x` took
 * 220 ms, with every other client waiting.
 */
function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end--;
  return text.slice(0, end);
}

type Route = { file: Asset } | { page: DocsPage } | { redirect: string };

/** A handler for the static routes: true when it answered, false when the path is not one of them. */
export function staticRoutes(assetsDir: string): (pathname: string, method: string, response: ServerResponse) => Promise<boolean> {
  const assets = assetsIn(assetsDir);
  const files = new Map<string, Asset>([
    ['/openapi.json', assets.contractJson],
    ['/openapi.yaml', assets.contractYaml],
  ]);
  // Longest base first: /docs/mock/… belongs to the mock's page, not to a route of the API's.
  const pages: DocsPage[] = [
    { base: '/docs/mock', asset: assets.mockDocs, missing: 'The docs of the mock control API are not built' },
    { base: '/docs', asset: assets.docs, missing: 'The interactive docs are not built' },
  ];

  function route(pathname: string): Route | undefined {
    if (pathname === '/') return { redirect: '/docs' };
    const file = files.get(pathname);
    if (file) return { file };
    for (const page of pages) {
      if (pathname === page.base || pathname === `${page.base}/` || pathname === `${page.base}/index.html`) return { page };
      if (pathname.startsWith(`${page.base}/`)) {
        const inPage = withoutTrailingSlashes(pathname.slice(page.base.length + 1));
        return { redirect: `${page.base}#/${inPage}` };
      }
    }
    return undefined;
  }

  return async function serveStatic(pathname, method, response) {
    const found = route(pathname);
    if (!found) return false;
    if (method !== 'GET' && method !== 'HEAD') {
      return sendJson(response, 405, { error: 'method_not_allowed', message: `${pathname} takes GET, not ${method}` }, { Allow: 'GET, HEAD, OPTIONS' }), true;
    }
    if ('redirect' in found) {
      response.writeHead(302, { Location: found.redirect, 'Content-Length': 0, ...CORS });
      return response.end(), true;
    }
    if ('page' in found) {
      const bytes = await found.page.asset.get();
      if (bytes) sendPage(response, bytes, servedOrigin(response));
      else send(response, 200, docsFallback(found.page.asset.file, found.page.missing), 'text/html; charset=utf-8');
      return true;
    }
    const bytes = await found.file.get();
    if (bytes) send(response, 200, bytes, found.file.contentType);
    else sendJson(response, 404, { error: 'not_built', message: `${found.file.file} does not exist; run \`npm run build\`` });
    return true;
  };
}
