// The mock over HTTP: a thin node:http adapter around the engine. It routes (API, control API, docs and
// contract, 404), answers CORS preflights and reads bodies under the engine's limit and one budget for all
// bodies at once (body-budget.ts); listen.ts bounds every connection. It decides no API answer itself; the
// engine does.
import { md5 } from '../../src/sign.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createVoiceMock, DEFAULT_MAX_BODY_BYTES, type AnswerReason, type MockAnswer, type VoiceMockControl, type VoiceMockOptions } from '../engine/index.js';
import { defaultAssetsDir } from './assets.js';
import { BodyBudget } from './body-budget.js';
import { isLoopback, type Listening, type ListenOptions } from './limits.js';
import { listen } from './listen.js';
import { controlRoutes, MAX_CONTROL_BODY_BYTES } from './control.js';
import { dropRest, readBody } from './read-body.js';
import { preflight, sendJson } from './respond.js';
import { staticRoutes } from './static.js';

/** After refusing a body it did not read, the mock reads and drops the rest this long at most, so the client can finish sending and read the answer. */
export const DEFAULT_DRAIN_MS = 5_000;
/**
 * Request bodies held at once, across all connections, by default: this many at the largest limit a route
 * has (`maxBodyBytes`, or the control API's 16 MiB), so 256 MiB with the default limit of 64 MiB.
 */
export const DEFAULT_BODIES_IN_FLIGHT = 4;

export interface MockServerOptions extends Omit<VoiceMockOptions, 'md5'>, ListenOptions {
  /** Where `openapi.json`, `openapi.yaml` and `docs/index.html` are (default: the package's dist/). */
  assetsDir?: string;
  drainMs?: number;
  /**
   * Request body bytes held at once, all connections together (default: 4 × the larger of `maxBodyBytes`
   * and 16 MiB, so 256 MiB). A body that would take the total past it gets HTTP 503 with Retry-After, at
   * once and unread; the vendor's -22 would tell the client that its request is wrong, and it is not.
   */
  maxBodyBytesInFlight?: number;
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
  /** What decided the answer, as the journal says it (`auth`, `fault`, `contract`, `world`, `ok`…). */
  reason: AnswerReason;
  ms: number;
}

export interface MockServer extends VoiceMockControl, Listening {
  /** Whether the control API answers under `/__mock`. */
  control: boolean;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const {
    port,
    host = '127.0.0.1',
    assetsDir = defaultAssetsDir(),
    headersTimeoutMs,
    requestTimeoutMs,
    idleTimeoutMs,
    keepAliveTimeoutMs,
    maxConnections,
    drainMs = DEFAULT_DRAIN_MS,
    maxBodyBytesInFlight,
    control = isLoopback(host),
    onAnswer,
    ...engineOptions
  } = options;

  const maxBodyBytes = engineOptions.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const budget = new BodyBudget(maxBodyBytesInFlight ?? DEFAULT_BODIES_IN_FLIGHT * Math.max(maxBodyBytes, MAX_CONTROL_BODY_BYTES));
  if (budget.maxBytes < maxBodyBytes) throw new RangeError(`maxBodyBytesInFlight (${budget.maxBytes}) must be at least maxBodyBytes (${maxBodyBytes}), or no body at the limit could ever be read`);
  const engine = createVoiceMock({ ...engineOptions, md5 });
  const serveStatic = staticRoutes(assetsDir);
  const serveControl = control ? controlRoutes(engine, assetsDir, { budget, drainMs }) : undefined;

  function answerApi(request: IncomingMessage, response: ServerResponse, path: string, answer: MockAnswer, started: number): void {
    if (answer.drop) request.socket.destroy();
    else {
      if (answer.unreadBody) dropRest(request, drainMs);
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
      readBody: (limit) => readBody(request, limit, budget.claim(response)),
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

  const listening = await listen(handle, { port, host, headersTimeoutMs, requestTimeoutMs, idleTimeoutMs, keepAliveTimeoutMs, maxConnections });
  return {
    ...listening,
    control,
    requests: engine.requests,
    clearRequests: engine.clearRequests,
    reset: engine.reset,
    state: engine.state,
    setState: engine.setState,
    addFault: engine.addFault,
    faults: engine.faults,
    clearFaults: engine.clearFaults,
  };
}
