// The mock as MSW 2 request handlers: a thin adapter over the same engine as the HTTP mock, so a suite
// using msw/node or a page using msw/browser gets exactly the answers of `itnio-voice-mock` (signature,
// `Prefer`, the contract's verdict with findings, state, the scenario world, faults), with no port.
//
// It only translates: a fetch `Request` becomes the engine's plain `MockRequest` (its body read with a
// running count, never past the engine's limit), and the engine's `MockAnswer` becomes a `Response`
// (`drop` → `HttpResponse.error()`, a network error). Delays (`latencyMs`, a `delayMs` fault) are the
// engine's own waits. msw itself is handed in by the entry (index.ts for Node, browser.ts for browsers),
// so this module loads nothing from msw at run time and the Node entry can say what to install when msw
// is missing.
import type { HttpHandler, HttpResponse as MswHttpResponse, http as mswHttp } from 'msw';
import { createVoiceMock, type BodyRead, type MockAnswer, type VoiceMockControl, type VoiceMockOptions } from '../engine/index.js';
import { CORS } from '../http/respond.js';

/** The two things of msw the handlers use, from whichever build of msw the entry loaded. */
export interface Msw {
  http: typeof mswHttp;
  HttpResponse: typeof MswHttpResponse;
}

export interface VoiceHandlersOptions extends VoiceMockOptions {
  /**
   * The base URL the handlers answer under, as the SDK's `baseUrl` (default the vendor's,
   * `https://api.itniotech.com`). A path prefix is kept: `https://gateway.example/itnio` answers
   * `https://gateway.example/itnio/voice/recallFlow/update`.
   */
  baseUrl?: string;
}

/**
 * MSW request handlers, one per API operation, to spread into `setupServer(...)` or `setupWorker(...)`;
 * the array is also the mock's control handle (journal, reset, state, faults), as `startMockServer`'s is.
 */
export interface VoiceHandlers extends Array<HttpHandler>, VoiceMockControl {
  /** The base URL the handlers answer under, without a trailing slash. */
  readonly baseUrl: string;
}

/** What path-to-regexp (behind msw's string paths) would read as syntax rather than as the path itself. */
const PATH_SYNTAX = /[:()*?+{}\\]/;

/** The base URL as the handlers match it: absolute http(s), no credentials, query or fragment, no trailing slash. */
function checkBaseUrl(baseUrl: unknown, example: string): { href: string; prefix: string } {
  const wrong = (problem: string) => new TypeError(`createVoiceHandlers: baseUrl ${problem}; expected an absolute URL such as ${example}`);
  if (typeof baseUrl !== 'string') throw wrong(`must be a string (got ${typeof baseUrl})`);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw wrong(`is not a valid absolute URL (${baseUrl.includes('@') ? 'value not shown' : JSON.stringify(baseUrl.slice(0, 200))})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw wrong(`must use https: or http: (got ${JSON.stringify(url.protocol)})`);
  if (url.username || url.password) throw wrong('must not hold a user name or password');
  if (url.search || url.hash) throw wrong(`must not have a query or fragment (got ${JSON.stringify(baseUrl.slice(0, 200))})`);
  const prefix = url.pathname.replace(/\/+$/, '');
  if (PATH_SYNTAX.test(prefix)) throw wrong(`has a path with characters msw reads as route syntax (${JSON.stringify(prefix.slice(0, 200))})`);
  if (url.hostname.startsWith('[')) throw wrong('names an IPv6 address, which msw cannot match in a string path; use a host name');
  return { href: url.origin + prefix, prefix };
}

/**
 * Reads a fetch body up to `limitBytes`, counting as it goes: a body announced larger is refused unread,
 * and reading stops (the stream is cancelled) as soon as the count passes the limit.
 */
export async function readBody(request: Request, limitBytes: number): Promise<BodyRead> {
  const announced = Number(request.headers.get('content-length'));
  if (Number.isFinite(announced) && announced > limitBytes) return { kind: 'tooLarge' };
  if (request.body === null) return { kind: 'ok', bytes: new Uint8Array(0) };
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = request.body.getReader();
  } catch {
    return { kind: 'aborted' }; // already read or locked by another handler
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limitBytes) {
        chunks.length = 0;
        reader.cancel().catch(() => undefined);
        return { kind: 'tooLarge' };
      }
      chunks.push(value);
    }
  } catch {
    return { kind: 'aborted' };
  }
  if (chunks.length === 1) return { kind: 'ok', bytes: chunks[0]! };
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { kind: 'ok', bytes };
}

/**
 * The handlers over a new engine. The entries hand in msw, the default base URL (the SDK's) and their
 * own defaults (md5, auth).
 */
export function voiceHandlers(msw: Msw, defaultBaseUrl: string, options: VoiceHandlersOptions = {}): VoiceHandlers {
  const { baseUrl = defaultBaseUrl, ...engineOptions } = options;
  const base = checkBaseUrl(baseUrl, defaultBaseUrl);
  const engine = createVoiceMock(engineOptions);
  // The HTTP mock's headers, CORS included, so an answer is the same whichever adapter gave it (a service
  // worker's answer needs no CORS: the browser does not filter it).
  const json = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    msw.HttpResponse.json(body as never, { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...CORS, ...headers } });

  const respond = (answer: MockAnswer) => (answer.drop ? msw.HttpResponse.error() : json(answer.status, answer.body, answer.headers));

  async function resolve(request: Request): Promise<Response> {
    const url = new URL(request.url);
    // msw matches paths without regard to case or a trailing slash; the engine decides what is an operation.
    // No CORS preflight comes here (a service worker never sees one), so every method goes to the engine.
    const path = url.pathname.startsWith(base.prefix) ? url.pathname.slice(base.prefix.length) : url.pathname;
    const answer = await engine.answer({
      method: request.method,
      path,
      query: url.searchParams,
      header: (name) => request.headers.get(name) ?? undefined,
      headerEntries: () => {
        const entries: [string, string][] = [];
        request.headers.forEach((value, name) => entries.push([name, value]));
        return entries;
      },
      readBody: (limit) => readBody(request, limit),
    });
    if (answer) return respond(answer);
    // A near miss (another case, a trailing slash) under the base URL: the HTTP mock's 404, never the network.
    return json(404, {
      error: 'not_found',
      message: `no operation at ${request.method} ${path.slice(0, 200)}`,
      operations: engine.operations.map((o) => `${o.method} ${o.path}`),
    });
  }

  const handlers = engine.operations.map(({ path }) => msw.http.all(base.href + path, ({ request }) => resolve(request)));
  const control: VoiceMockControl & { baseUrl: string } = {
    baseUrl: base.href,
    requests: engine.requests,
    clearRequests: engine.clearRequests,
    reset: engine.reset,
    state: engine.state,
    setState: engine.setState,
    addFault: engine.addFault,
    faults: engine.faults,
    clearFaults: engine.clearFaults,
  };
  // Not enumerable: the array still logs, compares and copies as the list of handlers msw takes.
  for (const [name, value] of Object.entries(control)) Object.defineProperty(handlers, name, { value, enumerable: false });
  return handlers as VoiceHandlers;
}
