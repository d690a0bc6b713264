// The contract-check proxy: `itnio-voice-mock --proxy <upstream>`. Every API request is forwarded to the
// upstream unchanged and its answer returned unchanged; both are held to the contract on the way, with the
// engine's request verdict and the SDK's answer checks (src/drift.ts), and what differs is reported at
// /__mock/drift, bounded like the journal. It decides nothing for the vendor: a refused request is still
// forwarded, a drifting answer still returned.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { DriftReport, Violation } from '../../generated/mock-control.js';
import { operationPaths, type OperationId } from '../../generated/operations.js';
import { answerDrift } from '../../src/drift.js';
import { DEFAULT_MAX_BODY_BYTES, requestVerdict } from '../engine/index.js';
import { Ring } from '../engine/journal.js';
import { asset, defaultAssetsDir } from '../http/assets.js';
import { isLoopback, type Listening, type ListenOptions } from '../http/limits.js';
import { listen } from '../http/listen.js';
import { BodyBudget } from '../http/body-budget.js';
import { dropRest, readBody } from '../http/read-body.js';
import { DEFAULT_BODIES_IN_FLIGHT, DEFAULT_DRAIN_MS } from '../http/server.js';
import { CORS, preflight, send, sendJson } from '../http/respond.js';
import { staticRoutes } from '../http/static.js';
import { endToEnd, forward, upstreamAgent } from './forward.js';

/** The vendor's answers are a few hundred bytes; a megabyte is a broken or hostile upstream. */
export const DEFAULT_MAX_ANSWER_BYTES = 1024 * 1024;
/** As long as the SDK waits by default. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;
/** As many as the journal keeps. */
export const DEFAULT_MAX_VIOLATIONS = 1000;
/** Request findings reported per exchange: enough to see what the client got wrong. */
const REQUEST_FINDINGS = 20;

export interface ProxyServerOptions extends ListenOptions {
  /** Where to forward, e.g. `https://api.itniotech.com`. */
  upstream: string;
  maxBodyBytes?: number;
  /** Request body bytes held at once, all connections together (default 4 × `maxBodyBytes`); past it, 503. */
  maxBodyBytesInFlight?: number;
  maxAnswerBytes?: number;
  upstreamTimeoutMs?: number;
  /** How many violations the report keeps, the latest. */
  maxViolations?: number;
  /** The control routes (health, drift): default on for a loopback host. */
  control?: boolean;
  assetsDir?: string;
  now?: () => number;
  /** Called for every violation as it is found (the CLI logs each as a JSON line). */
  onViolation?: (violation: Violation) => void;
}

export interface ProxyServer extends Listening {
  upstream: string;
  control: boolean;
  /** The drift report so far. */
  drift(): DriftReport;
}

const byPath = new Map((Object.entries(operationPaths) as [OperationId, string][]).map(([operationId, path]) => [path, operationId]));

/**
 * The answer's body as text, decompressed for checking only (what the client gets stays as it came). A
 * leading byte order mark stays in the text, for the drift checks to report.
 */
function textOf(body: Buffer, encoding: string | undefined, maxBytes: number): { ok: true; text: string } | { ok: false; problem: string } {
  const name = encoding?.trim().toLowerCase() ?? '';
  try {
    const options = { maxOutputLength: maxBytes };
    const bytes =
      name === '' || name === 'identity' ? body
      : name === 'gzip' || name === 'x-gzip' ? gunzipSync(body, options)
      : name === 'deflate' ? inflateSync(body, options)
      : name === 'br' ? brotliDecompressSync(body, options)
      : undefined;
    if (!bytes) return { ok: false, problem: `content encoding ${JSON.stringify(name.slice(0, 40))} cannot be checked` };
    return { ok: true, text: bytes.toString('utf8') };
  } catch (error) {
    return { ok: false, problem: `the ${name} body does not decompress within ${maxBytes} bytes (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
}

export async function startProxyServer(options: ProxyServerOptions): Promise<ProxyServer> {
  const {
    upstream,
    host = '127.0.0.1',
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    maxBodyBytesInFlight = DEFAULT_BODIES_IN_FLIGHT * maxBodyBytes,
    maxAnswerBytes = DEFAULT_MAX_ANSWER_BYTES,
    upstreamTimeoutMs = DEFAULT_UPSTREAM_TIMEOUT_MS,
    maxViolations = DEFAULT_MAX_VIOLATIONS,
    control = isLoopback(host),
    assetsDir = defaultAssetsDir(),
    now = Date.now,
    onViolation,
    ...listenOptions
  } = options;
  let upstreamUrl: URL;
  try {
    upstreamUrl = new URL(upstream);
  } catch {
    throw new TypeError(`the upstream must be an absolute http(s) URL, not ${JSON.stringify(upstream)}`);
  }
  if (upstreamUrl.protocol !== 'http:' && upstreamUrl.protocol !== 'https:') throw new TypeError(`the upstream must be http or https, not ${upstreamUrl.protocol}`);

  // Each body is held until the vendor's answer is passed on: without one cap for all of them, 256
  // connections could hold 64 MiB each.
  const budget = new BodyBudget(maxBodyBytesInFlight);
  if (budget.maxBytes < maxBodyBytes) throw new RangeError(`maxBodyBytesInFlight (${budget.maxBytes}) must be at least maxBodyBytes (${maxBodyBytes})`);
  const agent = upstreamAgent(upstreamUrl);
  const violations = new Ring<Violation>(maxViolations, 'maxViolations');
  let checked = 0;
  let violationsTotal = 0;
  const report = (operation: OperationId, direction: Violation['direction'], found: { path: string; message: string; keyword: string }, status?: number) => {
    const violation: Violation = { at: new Date(now()).toISOString(), operation, direction, path: found.path, message: found.message, keyword: found.keyword, ...(status === undefined ? {} : { status }) };
    violationsTotal++;
    violations.add(violation);
    onViolation?.(violation);
  };
  const drift = (): DriftReport => ({ checked, violationsTotal, violations: violations.list() });

  const serveStatic = staticRoutes(assetsDir);
  const controlContract = asset(`${assetsDir}/mock-control.json`, 'application/json; charset=utf-8');

  async function exchange(operation: OperationId, target: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const read = await readBody(request, maxBodyBytes, budget.claim(response));
    if (read.kind === 'aborted') return;
    if (read.kind === 'busy') {
      // The proxy's own limit, not the vendor's verdict: nothing was forwarded, and nothing drifted.
      dropRest(request, DEFAULT_DRAIN_MS);
      return sendJson(response, 503, { error: 'busy', message: read.message }, { 'Retry-After': String(read.retryAfterSeconds) });
    }
    if (read.kind === 'tooLarge') {
      dropRest(request, DEFAULT_DRAIN_MS);
      report(operation, 'request', { path: '', keyword: 'maxBodySize', message: `the body is larger than the proxy's limit of ${maxBodyBytes} bytes; it was not forwarded` });
      return sendJson(response, 413, { error: 'too_large', message: `the body is larger than the proxy's limit of ${maxBodyBytes} bytes` });
    }
    checked++;
    const verdict = requestVerdict(operation, { contentType: request.headers['content-type'], contentEncoding: request.headers['content-encoding'], body: read.bytes }, REQUEST_FINDINGS);
    for (const finding of verdict.findings) report(operation, 'request', finding);

    const result = await forward(upstreamUrl, agent, { method: request.method ?? 'POST', target, headers: request.headers, body: read.bytes, maxAnswerBytes, timeoutMs: upstreamTimeoutMs });
    if (!result.ok) {
      report(operation, 'response', { path: '', keyword: 'upstream', message: `the upstream did not answer: ${result.problem}` });
      return sendJson(response, 502, { error: 'upstream', message: `the upstream did not answer: ${result.problem}` });
    }
    const { answer } = result;
    const contentType = answer.headers['content-type'] ?? null;
    const text = textOf(answer.body, answer.headers['content-encoding'], maxAnswerBytes);
    if (!text.ok) report(operation, 'response', { path: '', keyword: 'contentEncoding', message: text.problem }, answer.status);
    else for (const finding of answerDrift(operation, { status: answer.status, contentType, body: text.text })) report(operation, 'response', finding, answer.status);

    response.writeHead(answer.status, { ...endToEnd(answer.headers), 'content-length': String(answer.body.length), ...CORS });
    response.end(answer.body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let target: URL;
    try {
      target = new URL(request.url ?? '/', 'http://proxy');
    } catch {
      return sendJson(response, 400, { error: 'bad_request', message: 'the request target is not a valid URL' });
    }
    const method = request.method ?? 'GET';
    const operation = byPath.get(target.pathname);
    if (method === 'OPTIONS') return preflight(request, response, operation ? 'POST, OPTIONS' : 'GET, HEAD, OPTIONS');
    if (operation) return exchange(operation, `${target.pathname}${target.search}`, request, response);
    if (control && method === 'GET') {
      if (target.pathname === '/__mock/health') return sendJson(response, 200, { status: 'ok' });
      if (target.pathname === '/__mock/drift') return sendJson(response, 200, drift());
      if (target.pathname === '/__mock/openapi.json') {
        const bytes = await controlContract.get();
        return bytes ? send(response, 200, bytes, controlContract.contentType) : sendJson(response, 404, { error: 'not_built', message: 'run `npm run build`' });
      }
    }
    if (await serveStatic(target.pathname, method, response)) return;
    sendJson(response, 404, { error: 'not_found', message: `no operation at ${method} ${target.pathname.slice(0, 200)}`, operations: [...byPath.keys()].map((path) => `POST ${path}`) });
  }

  const listening = await listen(handle, { host, ...listenOptions });
  const close = () => listening.close().finally(() => agent.destroy());
  return { ...listening, close, upstream: upstreamUrl.origin + upstreamUrl.pathname.replace(/\/$/, ''), control, drift };
}
