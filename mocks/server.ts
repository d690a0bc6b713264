// The mock's HTTP layer: node:http, routing, CORS, the body limit, and the order of the vendor's checks
// (signature, then `Prefer`, then the body, then the state). Everything the vendor would answer is HTTP
// 200 in its envelope; only requests that are not API calls (unknown path, wrong method, an unknown
// `Prefer` example) get other statuses.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { validateRequest, type OperationId } from '../src/validation.js';
import { checkAuth } from './auth.js';
import { isJsonContentType, readBody } from './body.js';
import { contractOperations, documentedKeyIds, loadContract, type ContractOperation, type OpenApiDocument } from './contract.js';
import { bodyProblem, explained, parameterException, success } from './dialect.js';
import { prepareExamples, readPreferences, type Envelope, type ExampleBook } from './prism.js';
import { DEFAULT_MAX_TASK_NAMES, MockState } from './state.js';

export { DEFAULT_MAX_TASK_NAMES };

const root = resolve(import.meta.dirname, '..');

/** The vendor's documented example credentials, so the docs' examples work as they stand. */
export const DEFAULT_API_KEY = 'bDqJFiq9';
export const DEFAULT_API_SECRET = '7bz1lzh9';
/** About 30 minutes, as the vendor's sibling pages state. */
export const DEFAULT_TIMESTAMP_WINDOW_SECONDS = 1800;
/** Well above the ~22 MB of a 200,000-number task, far below what could hurt the machine. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Enough to fix a body by; a 200,000-number body with every number wrong stays a small answer. */
export const DEFAULT_MAX_FINDINGS = 50;

export interface MockServerOptions {
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  apiKey?: string;
  apiSecret?: string;
  /** Default 1800 (±30 minutes); Infinity accepts any timestamp. */
  timestampWindowSeconds?: number;
  /** The clock in milliseconds (default `Date.now`). */
  now?: () => number;
  maxBodyBytes?: number;
  maxFindings?: number;
  /** The bundled contract, as a path or a parsed document (default `dist/openapi.json`). */
  spec?: string | OpenApiDocument;
  /** Where the Redoc page lives (default `dist/docs`). */
  docsDir?: string;
  /** keyIds to treat as issued besides the contract's own (e.g. ones a frontend kept across restarts). */
  knownKeyIds?: number[];
  /** How many of the latest task names are remembered for -41 (default 100,000); older ones may be reused. */
  maxTaskNames?: number;
  /** Called once per API request, after it was answered (for the CLI's request log). */
  onAnswer?: (answer: AnswerLog) => void;
}

export interface AnswerLog {
  method: string;
  path: string;
  status: number;
  /** The vendor code answered, when the answer is in the vendor's envelope. */
  code?: number | string;
  /** What decided the answer: `prefer`, `auth`, `body`, `contract`, `state` or `ok`. */
  reason: string;
  ms: number;
}

export interface MockServer {
  url: string;
  host: string;
  port: number;
  state: MockState;
  close(): Promise<void>;
}

const CORS_ALLOWED_HEADERS = 'Content-Type, Api-Key, Timestamp, Sign, Prefer';

function send(response: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

function setCors(request: IncomingMessage, response: ServerResponse): void {
  // No cookies are involved, so any origin may call; a browser app on another port is the point.
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Expose-Headers', 'Preference-Applied');
  if (request.method === 'OPTIONS') {
    response.setHeader('Access-Control-Allow-Methods', 'POST, GET, HEAD, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', request.headers['access-control-request-headers'] ?? CORS_ALLOWED_HEADERS);
    response.setHeader('Access-Control-Max-Age', '600');
  }
}

function docsFallback(docsDir: string): string {
  return `<!doctype html><meta charset="utf-8"><title>itnio-voice mock</title>
<h1>itnio-voice mock server</h1>
<p>The interactive docs are not built yet (no <code>${relative(process.cwd(), resolve(docsDir, 'index.html'))}</code>); run <code>npm run docs</code> and reload.</p>
<p>The contract: <a href="/openapi.json">/openapi.json</a>, <a href="/openapi.yaml">/openapi.yaml</a>.</p>`;
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const {
    port = 4010,
    host = '127.0.0.1',
    apiKey = DEFAULT_API_KEY,
    apiSecret = DEFAULT_API_SECRET,
    timestampWindowSeconds = DEFAULT_TIMESTAMP_WINDOW_SECONDS,
    now = Date.now,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    maxFindings = DEFAULT_MAX_FINDINGS,
    spec = resolve(root, 'dist', 'openapi.json'),
    docsDir = resolve(root, 'dist', 'docs'),
    knownKeyIds = [],
    maxTaskNames = DEFAULT_MAX_TASK_NAMES,
    onAnswer,
  } = options;

  const doc = loadContract(spec);
  const operations = contractOperations(doc);
  const book = await prepareExamples(doc, operations);
  const state = new MockState(documentedKeyIds(doc, operations.map((o) => book.example(o.operationId, 'success'))), knownKeyIds, maxTaskNames);
  const byPath = new Map<string, ContractOperation>(operations.map((o) => [o.path, o]));
  const specJson = JSON.stringify(doc);
  let specYaml: string | undefined;
  const auth = { apiKey, apiSecret, timestampWindowSeconds, now };

  async function answerApi(request: IncomingMessage, response: ServerResponse, operation: ContractOperation, query: URLSearchParams): Promise<[number, string, Envelope | { error: string; message: string; examples: string[] }]> {
    const id = operation.operationId;

    const verdict = checkAuth(request.headers, auth);
    if (!verdict.ok) return [200, 'auth', explained(book, id, verdict.name, verdict.detail)];

    const preferences = readPreferences(request.headers['prefer'] as string | undefined, query);
    if (preferences) {
      const chosen = await book.negotiate(id, preferences);
      if (!chosen.ok) return [400, 'prefer', { error: 'unknown_preference', message: chosen.message, examples: chosen.available }];
      if (chosen.example) response.setHeader('Preference-Applied', `example=${chosen.example}`);
      return [200, 'prefer', chosen.body];
    }

    if (!isJsonContentType(request.headers['content-type'])) {
      const got = request.headers['content-type'] ? `not ${request.headers['content-type']}` : 'none was sent';
      return [200, 'body', bodyProblem(book, id, 'contentType', `Content-Type must be application/json (${got})`)];
    }
    const body = await readBody(request, maxBodyBytes);
    if (body.kind === 'aborted') return [400, 'body', { error: 'aborted', message: 'the request body ended early', examples: [] }];
    if (body.kind === 'tooLarge') {
      // The rest of the upload is not wanted; closing stops a client from streaming it all to us.
      response.setHeader('Connection', 'close');
      return [200, 'body', bodyProblem(book, id, 'maxBodySize', `the body is larger than the mock's limit of ${maxBodyBytes} bytes`)];
    }
    if (body.text.trim() === '') return [200, 'body', bodyProblem(book, id, 'json', 'the body is empty; send a JSON object')];
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch (error) {
      return [200, 'body', bodyProblem(book, id, 'json', `the body is not valid JSON: ${(error as Error).message}`)];
    }

    const result = validateRequest(id as OperationId, parsed, { maxFindings });
    if (!result.valid) return [200, 'contract', parameterException(book, id, result.findings, result.total)];

    const fields = parsed as { taskName?: string; keyId?: unknown };
    if (id === 'sendAgentGroupCall') {
      if (!state.claimTaskName(String(fields.taskName))) {
        return [200, 'state', explained(book, id, 'taskNameExists', `this mock already has a task named ${JSON.stringify(fields.taskName)}`)];
      }
      return [200, 'ok', success(book, id, state.issueKeyId())];
    }
    if (id === 'updateRecallFlow' && !state.isIssued(fields.keyId)) {
      return [200, 'state', explained(book, id, 'dataNotFound', `this mock never issued keyId ${JSON.stringify(fields.keyId)}`)];
    }
    return [200, 'ok', success(book, id)];
  }

  async function serveStatic(pathname: string, response: ServerResponse): Promise<boolean> {
    if (pathname === '/openapi.json') return send(response, 200, specJson), true;
    if (pathname === '/openapi.yaml') return send(response, 200, (specYaml ??= toYaml(doc)), 'application/yaml; charset=utf-8'), true;
    if (pathname === '/docs' || pathname === '/docs/') {
      // Read per request, so docs rebuilt while the mock runs show up on reload.
      const page = await readFile(resolve(docsDir, 'index.html'), 'utf8').catch(() => docsFallback(docsDir));
      return send(response, 200, page, 'text/html; charset=utf-8'), true;
    }
    if (pathname === '/') {
      response.writeHead(302, { Location: '/docs', 'Content-Length': 0 });
      return response.end(), true;
    }
    return false;
  }

  const staticPaths = new Set(['/', '/docs', '/docs/', '/openapi.json', '/openapi.yaml']);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'http://mock');
    const method = request.method ?? 'GET';
    setCors(request, response);

    if (method === 'OPTIONS') {
      response.writeHead(204, { Allow: byPath.has(url.pathname) ? 'POST, OPTIONS' : 'GET, HEAD, OPTIONS' });
      return void response.end();
    }

    const operation = byPath.get(url.pathname);
    if (operation) {
      if (method !== operation.method) {
        response.setHeader('Allow', `${operation.method}, OPTIONS`);
        return send(response, 405, JSON.stringify({ error: 'method_not_allowed', message: `${url.pathname} takes ${operation.method}, not ${method}` }));
      }
      const [status, reason, body] = await answerApi(request, response, operation, url.searchParams);
      if (!response.writableEnded && !response.destroyed) send(response, status, JSON.stringify(body));
      onAnswer?.({ method, path: url.pathname, status, code: (body as Envelope).code, reason, ms: performance.now() - started });
      return;
    }

    if (staticPaths.has(url.pathname)) {
      if (method !== 'GET' && method !== 'HEAD') {
        response.setHeader('Allow', 'GET, HEAD, OPTIONS');
        return send(response, 405, JSON.stringify({ error: 'method_not_allowed', message: `${url.pathname} takes GET, not ${method}` }));
      }
      await serveStatic(url.pathname, response);
      return;
    }

    send(
      response,
      404,
      JSON.stringify({
        error: 'not_found',
        message: `no operation at ${method} ${url.pathname}`,
        operations: operations.map((o) => `${o.method} ${o.path}`),
        docs: '/docs',
      }),
    );
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in the mock must not take it down; say what failed so it can be reported.
      if (!response.headersSent) send(response, 500, JSON.stringify({ error: 'mock_failure', message: String((error as Error)?.message ?? error) }));
      else response.destroy();
    });
  });
  // Uploads of a 200,000-number task from a slow client must not be cut off by the default timeouts.
  server.requestTimeout = 5 * 60_000;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    state,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
