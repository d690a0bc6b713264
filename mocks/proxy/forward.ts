// Forwards one request to the upstream as it came (method, path and query, end-to-end headers, body bytes)
// and reads its answer as it came (status, headers, raw body bytes, compressed or not), without following
// redirects or decompressing: node:http rather than fetch, which would do both. What may grow is bounded:
// the answer's bytes and the time it takes.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Headers that belong to one connection, never passed on (RFC 9110, 7.6.1), and Host, which is the upstream's. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host', 'proxy-authorization', 'proxy-authenticate']);

export function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const named = new Set(String(headers.connection ?? '').split(',').map((name) => name.trim().toLowerCase()));
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

export interface Forwarded {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type ForwardResult = { ok: true; answer: Forwarded } | { ok: false; problem: string };

export interface ForwardOptions {
  method: string;
  /** Path and query, as the client sent them. */
  target: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
  maxAnswerBytes: number;
  timeoutMs: number;
}

/** Connections to the upstream kept open between exchanges, as a client of the vendor would keep them. */
export function upstreamAgent(upstream: URL): HttpAgent {
  const options = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16 };
  return upstream.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options);
}

export function forward(upstream: URL, agent: HttpAgent, options: ForwardOptions): Promise<ForwardResult> {
  // The upstream's own path, if it has one, comes before the operation's.
  const url = new URL(`${upstream.origin}${upstream.pathname.replace(/\/$/, '')}${options.target}`);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = { ...endToEnd(options.headers), 'content-length': String(options.body.byteLength) };
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: ForwardResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const outgoing = send(url, { method: options.method, headers, agent }, (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxAnswerBytes) {
          outgoing.destroy();
          return settle({ ok: false, problem: `the answer is larger than ${options.maxAnswerBytes} bytes` });
        }
        chunks.push(chunk);
      });
      incoming.on('end', () => settle({ ok: true, answer: { status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks, size) } }));
      incoming.on('error', (error) => settle({ ok: false, problem: `the answer broke off (${(error as NodeJS.ErrnoException).code ?? error.message})` }));
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      settle({ ok: false, problem: `no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    outgoing.on('error', (error) => settle({ ok: false, problem: `no answer (${(error as NodeJS.ErrnoException).code ?? error.message})` }));
    outgoing.end(options.body);
  });
}
