// The mock over HTTP: a thin node:http adapter around the engine. It routes (API, docs and contract,
// 404), answers CORS preflights, reads bodies under the engine's limit, and bounds every connection:
// how long its headers, its whole request and any silence may take, and how many may be open at once.
// It decides no API answer itself; the engine does.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { createVoiceMock, type MockAnswer, type VoiceMockControl, type VoiceMockOptions } from '../engine/index.js';
import { defaultAssetsDir } from './assets.js';
import { limitConnections } from './connections.js';
import { controlRoutes } from './control.js';
import { readBody } from './read-body.js';
import { preflight, sendJson } from './respond.js';
import { staticRoutes } from './static.js';

/** Headers, request line included, must arrive within this many ms of the connection's first byte. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** A whole request, body included, within this many ms: a 25 MB task needs about 3.5 Mbit/s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** A connection silent for this long (no byte read or written) is closed, whatever it is doing. */
export const DEFAULT_IDLE_TIMEOUT_MS = 15_000;
/** An idle keep-alive connection is closed after this long between requests (Node's default). */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/**
 * Open connections at most, far below the usual 1,024 file descriptors; at the cap a newcomer replaces
 * the connection idle longest, or is closed when every one is busy.
 */
export const DEFAULT_MAX_CONNECTIONS = 256;
/** After refusing a body it did not read, the mock reads and drops the rest this long at most, so the client can finish sending and read the answer. */
export const DEFAULT_DRAIN_MS = 5_000;

export interface MockServerOptions extends Omit<VoiceMockOptions, 'md5'> {
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where `openapi.json`, `openapi.yaml` and `docs/index.html` are (default: the package's dist/). */
  assetsDir?: string;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  maxConnections?: number;
  drainMs?: number;
  /**
   * The control API under `/__mock` (journal, reset, state, faults). Default: on when bound to a loopback
   * address, off anywhere else, where anyone who can reach the mock could drive it.
   */
  control?: boolean;
  /** Called once per API request, after it was answered (for the CLI's request log). */
  onAnswer?: (answer: AnswerLog) => void;
}

export interface AnswerLog {
  method: string;
  path: string;
  status: number;
  /** The vendor code answered, when the answer is in the vendor's envelope. */
  code?: number | string;
  /** What decided the answer: `auth`, `prefer`, `body`, `contract`, `state`, `ok` or `method`. */
  reason: string;
  ms: number;
}

export interface MockServer extends VoiceMockControl {
  url: string;
  host: string;
  port: number;
  /** Whether the control API answers under `/__mock`. */
  control: boolean;
  /** Connections open now (at most `maxConnections`). */
  connections(): number;
  close(): Promise<void>;
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can reach the mock there. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Reads and drops the rest of a body the mock refused without reading (too large, wrong type), so the
 * client can finish sending and then read the answer. Closing instead would reset the connection under
 * a client still uploading, which then often loses the answer (EPIPE instead of -22). A client that
 * keeps sending past `drainMs` is cut off.
 */
function drain(request: IncomingMessage, drainMs: number): void {
  if (request.complete) return;
  const timer = setTimeout(() => request.socket.destroy(), drainMs);
  timer.unref();
  request.once('end', () => clearTimeout(timer));
  request.once('close', () => clearTimeout(timer));
  request.resume();
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const {
    port = 4010,
    host = '127.0.0.1',
    assetsDir = defaultAssetsDir(),
    headersTimeoutMs = DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
    idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
    keepAliveTimeoutMs = DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections = DEFAULT_MAX_CONNECTIONS,
    drainMs = DEFAULT_DRAIN_MS,
    control = isLoopback(host),
    onAnswer,
    ...engineOptions
  } = options;

  const engine = createVoiceMock({ ...engineOptions, md5 });
  const serveStatic = staticRoutes(assetsDir);
  const serveControl = control ? controlRoutes(engine, assetsDir) : undefined;

  function answerApi(request: IncomingMessage, response: ServerResponse, path: string, answer: MockAnswer, started: number): void {
    if (answer.drop) request.socket.destroy();
    else {
      if (answer.unreadBody) drain(request, drainMs);
      if (!response.destroyed) sendJson(response, answer.status, answer.body, answer.headers);
    }
    onAnswer?.({ method: request.method ?? '', path, status: answer.status, code: answer.code, reason: answer.reason, ms: performance.now() - started });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = request.method ?? 'GET';
    let target: URL;
    try {
      target = new URL(request.url ?? '/', 'http://mock');
    } catch {
      return sendJson(response, 400, { error: 'bad_request', message: 'the request target is not a valid URL' });
    }
    if (method === 'OPTIONS') return preflight(request, response, engine.operationAt(target.pathname) ? 'POST, OPTIONS' : 'GET, HEAD, OPTIONS');

    const answer = await engine.answer({
      method,
      path: target.pathname,
      query: target.searchParams,
      header: (name) => header(request, name),
      headerEntries: () => Object.entries(request.headers).map(([name, value]): [string, string] => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
      readBody: (limit) => readBody(request, limit),
    });
    if (answer) return answerApi(request, response, target.pathname, answer, started);
    if (serveControl && (await serveControl(target.pathname, request, response))) return;
    if (await serveStatic(target.pathname, method, response)) return;

    sendJson(response, 404, {
      error: 'not_found',
      message: `no operation at ${method} ${target.pathname.slice(0, 200)}`,
      operations: engine.operations.map((o) => `${o.method} ${o.path}`),
      docs: '/docs',
    });
  }

  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      // Node checks the two timeouts above on this interval (30 s by default); check every second.
      connectionsCheckingInterval: 1_000,
    },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        // A bug in the mock must not take it down; say what failed so it can be reported.
        if (!response.headersSent) sendJson(response, 500, { error: 'mock_failure', message: String((error as Error)?.message ?? error) });
        else response.destroy();
      });
    },
  );
  const connections = limitConnections(server, maxConnections);
  // Silence between reads or writes, in any phase: the socket is destroyed.
  server.setTimeout(idleTimeoutMs, (socket) => socket.destroy());

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
    control,
    requests: engine.requests,
    clearRequests: engine.clearRequests,
    reset: engine.reset,
    state: engine.state,
    setState: engine.setState,
    addFault: engine.addFault,
    faults: engine.faults,
    clearFaults: engine.clearFaults,
    connections: connections.open,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
