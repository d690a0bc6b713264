// The control API over HTTP (spec/mock-control/openapi.yaml): thin routes onto the engine's
// VoiceMockControl, so `/__mock/*` and the in-process handle can never disagree.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { MockControlError, type VoiceMockControl } from '../engine/index.js';
import { asset } from './assets.js';
import type { BodyBudget } from './body-budget.js';
import { dropRest, readBody } from './read-body.js';
import { CORS, send, sendJson } from './respond.js';

/** A state with 1,000,000 keyIds is about 11 MB of JSON; more is not a test's world. */
export const MAX_CONTROL_BODY_BYTES = 16 * 1024 * 1024;

/** A route, given the request's body as JSON to read if it needs it. */
type Route = (body: () => Promise<unknown>) => Promise<[number, unknown]>;

/** A body the mock cannot hold now (its body budget is spent): HTTP 503, as for the API. */
class Busy extends Error {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

function noContent(response: ServerResponse): void {
  response.writeHead(204, CORS);
  response.end();
}

async function jsonBody(request: IncomingMessage, response: ServerResponse, budget: BodyBudget): Promise<unknown> {
  // Never more than the budget, so that a body that could never fit is "too large", not "busy" forever.
  const limit = Math.min(MAX_CONTROL_BODY_BYTES, budget.maxBytes);
  const read = await readBody(request, limit, budget.claim(response));
  if (read.kind === 'busy') throw new Busy(read.message, read.retryAfterSeconds);
  if (read.kind === 'tooLarge') throw new MockControlError({ message: `the body is larger than ${limit} bytes` });
  if (read.kind === 'aborted') throw new MockControlError({ message: 'the body ended early' });
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(read.bytes));
  } catch (error) {
    throw new MockControlError({ message: `the body is not JSON: ${(error as Error).message}` });
  }
}

/** The `/__mock` routes: path → method → what it does; undefined answers mean 204. */
export function controlRoutes(
  control: VoiceMockControl,
  assetsDir: string,
  bodies: { budget: BodyBudget; drainMs: number },
): (pathname: string, request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  const contract = asset(resolve(assetsDir, 'mock-control.json'), 'application/json; charset=utf-8');
  const routes: Record<string, Record<string, Route>> = {
    // The control API's own contract, bundled (spec/mock-control/openapi.yaml).
    '/__mock/openapi.json': {
      GET: async () => {
        const bytes = await contract.get();
        return bytes ? [200, bytes] : [404, { error: 'not_built', message: `${contract.file} does not exist; run \`npm run build\`` }];
      },
    },
    '/__mock/health': { GET: async () => [200, { status: 'ok' }] },
    '/__mock/requests': {
      GET: async () => [200, { requests: control.requests() }],
      DELETE: async () => [204, control.clearRequests()],
    },
    '/__mock/reset': { POST: async () => [204, control.reset()] },
    '/__mock/state': {
      GET: async () => [200, control.state()],
      PUT: async (body) => [200, control.setState((await body()) as never)],
    },
    '/__mock/faults': {
      GET: async () => [200, { faults: control.faults() }],
      POST: async (body) => [201, { faults: control.addFault((await body()) as never) }],
      DELETE: async () => [204, control.clearFaults()],
    },
  };

  return async function serveControl(pathname, request, response) {
    const route = routes[pathname];
    if (!route) return false;
    const method = request.method ?? 'GET';
    const allow = [...Object.keys(route), 'OPTIONS'].join(', ');
    const handler = route[method];
    if (!handler) {
      return sendJson(response, 405, { error: 'method_not_allowed', message: `${pathname} takes ${allow}, not ${method}` }, { Allow: allow }), true;
    }
    try {
      const [status, body] = await handler(() => jsonBody(request, response, bodies.budget));
      if (status === 204) noContent(response);
      else if (Buffer.isBuffer(body)) send(response, status, body, contract.contentType);
      else sendJson(response, status, body);
    } catch (error) {
      if (error instanceof Busy) {
        dropRest(request, bodies.drainMs);
        return sendJson(response, 503, { error: 'busy', message: error.message }, { 'Retry-After': String(error.retryAfterSeconds) }), true;
      }
      if (!(error instanceof MockControlError)) throw error;
      sendJson(response, 400, { error: 'invalid_request', message: error.message.split('\n')[0], findings: error.findings });
    }
    return true;
  };
}
