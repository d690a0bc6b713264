// What the mock serves besides the API: the docs page and the bundled contract, from the package's dist/
// (or another assets folder), and `/` sending a browser to the docs.
import type { ServerResponse } from 'node:http';
import { assetsIn, type Asset } from './assets.js';
import { CORS, send, sendJson } from './respond.js';

function docsFallback(file: string): string {
  return `<!doctype html><meta charset="utf-8"><title>itnio-voice mock</title>
<h1>itnio-voice mock server</h1>
<p>The interactive docs are not built (there is no <code>${file.replace(/[<>&]/g, '')}</code>); in the repository, run <code>npm run docs</code> and reload.</p>
<p>The contract: <a href="/openapi.json">/openapi.json</a>, <a href="/openapi.yaml">/openapi.yaml</a>.</p>`;
}

/** A handler for the static routes: true when it answered, false when the path is not one of them. */
export function staticRoutes(assetsDir: string): (pathname: string, method: string, response: ServerResponse) => Promise<boolean> {
  const assets = assetsIn(assetsDir);
  const routes = new Map<string, Asset>([
    ['/openapi.json', assets.contractJson],
    ['/openapi.yaml', assets.contractYaml],
    ['/docs', assets.docs],
    ['/docs/', assets.docs],
  ]);

  return async function serveStatic(pathname, method, response) {
    if (pathname === '/') {
      response.writeHead(302, { Location: '/docs', 'Content-Length': 0, ...CORS });
      return response.end(), true;
    }
    const file = routes.get(pathname);
    if (!file) return false;
    if (method !== 'GET' && method !== 'HEAD') {
      return sendJson(response, 405, { error: 'method_not_allowed', message: `${pathname} takes GET, not ${method}` }, { Allow: 'GET, HEAD, OPTIONS' }), true;
    }
    const bytes = await file.get();
    if (bytes) send(response, 200, bytes, file.contentType);
    else if (file === assets.docs) send(response, 200, docsFallback(file.file), 'text/html; charset=utf-8');
    else sendJson(response, 404, { error: 'not_built', message: `${file.file} does not exist; run \`npm run build\`` });
    return true;
  };
}
