// Every way a call can fail, each as its own typed error naming the operation; nothing swallowed.
import { describe, expect, it } from 'vitest';
import {
  createVoiceClient,
  errorCodeTable,
  operationCodes,
  VoiceAbortError,
  VoiceApiError,
  VoiceError,
  VoiceHttpError,
  VoiceNetworkError,
  VoiceResponseError,
  VoiceSigningError,
  VoiceTimeoutError,
  type VoiceClient,
  type VoiceOperation,
} from '../../src/index.js';
import { operationPaths } from '../../src/operations.js';
import { flow, task } from './fixtures.js';
import { closedPortUrl, json, startLoopback, useLoopback } from './loopback.js';
import { credentials } from '../support/credentials.js';

const server = useLoopback();

const client = (extra: Record<string, unknown> = {}) =>
  createVoiceClient({ ...credentials, baseUrl: server.url, ...extra });

const calls: Record<VoiceOperation, (voice: ReturnType<typeof client>, options?: { signal?: AbortSignal; timeoutMs?: number }) => Promise<unknown>> = {
  sendAgentGroupCall: (voice, options) => voice.sendAgentGroupCall(task, options),
  updateRecallFlow: (voice, options) => voice.updateRecallFlow(flow, options),
};
const operations = Object.keys(calls) as VoiceOperation[];

async function failure(promise: Promise<unknown>): Promise<VoiceError> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(VoiceError);
  return outcome.error as VoiceError;
}

describe('VoiceApiError: a non-zero code', () => {
  const cases = operations.flatMap((operation) =>
    operationCodes[operation].filter((code) => code !== 0).flatMap((code) => [
      { operation, code, wire: code as number | string },
      { operation, code, wire: String(code) },
    ]),
  );
  it.each(cases)('$operation: code $wire', async ({ operation, code, wire }) => {
    const entry = errorCodeTable.find((e) => e.code === code)!;
    server.respond(json({ code: wire, msg: entry.vendorMessage, data: null }));
    const error = await failure(calls[operation](client()));
    expect(error).toBeInstanceOf(VoiceApiError);
    const api = error as VoiceApiError;
    expect(api.code).toBe(code);
    expect(api.codeName).toBe(entry.name);
    expect(api.msg).toBe(entry.vendorMessage);
    expect(api.description).toBe(entry.description);
    expect(api.operation).toBe(operation);
    expect(api.status).toBe(200);
    expect(api.name).toBe('VoiceApiError');
    expect(api.message).toBe(`${operation}: the vendor refused the request with code ${code} (${entry.name}): ${entry.vendorMessage}`);
  });

  it('keeps a code the contract does not list, without inventing a meaning', async () => {
    server.respond(json({ code: '-10', msg: 'Insufficient balance' }));
    const error = (await failure(client().sendAgentGroupCall(task))) as VoiceApiError;
    expect(error).toBeInstanceOf(VoiceApiError);
    expect(error.code).toBe(-10);
    expect(error.codeName).toBeUndefined();
    expect(error.description).toBeUndefined();
    expect(error.message).toBe('sendAgentGroupCall: the vendor refused the request with code -10: Insufficient balance');
  });
});

// Typed calls skip building a WHATWG Request until caller middleware is registered (src/plain-request.ts);
// every failure must read the same either way.
const transports: Record<'no caller middleware' | 'caller middleware', (voice: VoiceClient) => VoiceClient> = {
  'no caller middleware': (voice) => voice,
  'caller middleware': (voice) => (voice.raw.use({ onRequest() {} }), voice),
};
const matrix = operations.flatMap((operation) => Object.keys(transports).map((transport) => [operation, transport as keyof typeof transports] as const));

describe.each(matrix)('transport and format failures of %s (%s)', (operation, transport) => {
  const through = transports[transport];
  const client = (extra: Record<string, unknown> = {}) => through(createVoiceClient({ ...credentials, baseUrl: server.url, ...extra }));
  it('HTTP 502 from a proxy is a VoiceHttpError with the start of its page', async () => {
    server.respond((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const error = (await failure(calls[operation](client()))) as VoiceHttpError;
    expect(error).toBeInstanceOf(VoiceHttpError);
    expect(error.status).toBe(502);
    expect(error.statusText).toBe('Bad Gateway');
    expect(error.body).toContain('502 Bad Gateway');
    expect(error.operation).toBe(operation);
    expect(error.message).toBe(`${operation}: HTTP 502 Bad Gateway instead of the vendor's JSON answer`);
  });

  it('an HTTP error with a JSON body still is a VoiceHttpError, not success', async () => {
    server.respond(json({ code: 0, msg: 'success', data: 1 }, 503));
    const error = (await failure(calls[operation](client()))) as VoiceHttpError;
    expect(error).toBeInstanceOf(VoiceHttpError);
    expect(error.status).toBe(503);
    expect(error.body).toBe('{"code":0,"msg":"success","data":1}');
  });

  it('a redirect is not followed: a VoiceHttpError, and the signed request goes nowhere else', async () => {
    const elsewhere = await startLoopback();
    try {
      server.respond((_req, res) => {
        res.writeHead(307, { location: `${elsewhere.url}${operationPaths[operation]}` });
        res.end();
      });
      const error = (await failure(calls[operation](client()))) as VoiceHttpError;
      expect(error).toBeInstanceOf(VoiceHttpError);
      expect(error.status).toBe(307);
      expect(elsewhere.connections()).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('an HTML page with HTTP 200 is a VoiceResponseError', async () => {
    server.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>captive portal</html>');
    });
    const error = (await failure(calls[operation](client()))) as VoiceResponseError;
    expect(error).toBeInstanceOf(VoiceResponseError);
    expect(error.message).toBe(`${operation}: response body is not JSON (HTTP 200, content-type text/html)`);
    expect(error.body).toBe('<html>captive portal</html>');
  });

  it('an empty 200 is a VoiceResponseError', async () => {
    server.respond((_req, res) => {
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    });
    const error = await failure(calls[operation](client()));
    expect(error).toBeInstanceOf(VoiceResponseError);
    expect(error.message).toMatch(/empty response body/);
  });

  it.each([
    ['no code', { msg: 'success', data: 1 }, /has no `code`/],
    ['a code that is not a number', { code: 'OK', data: 1 }, /not an integer code such as -41 or "-41" \(got "OK"\)/],
    ['a JSON array', [0], /has no `code`/],
  ])('JSON with %s is a VoiceResponseError', async (_name, payload, message) => {
    server.respond(json(payload));
    const error = await failure(calls[operation](client()));
    expect(error).toBeInstanceOf(VoiceResponseError);
    expect(error.message).toMatch(message);
  });

  it('no answer within the timeout is a VoiceTimeoutError after the request reached the server', async () => {
    server.respond(() => {}); // never answers
    const error = (await failure(calls[operation](client({ timeoutMs: 5_000 }), { timeoutMs: 150 }))) as VoiceTimeoutError;
    expect(error).toBeInstanceOf(VoiceTimeoutError);
    expect(error.timeoutMs).toBe(150);
    expect(error.message).toMatch(new RegExp(`^${operation}: no answer within 150 ms; `));
    expect(server.requests).toHaveLength(1);
  });

  it('the client-wide timeout applies when the call gives none', async () => {
    server.respond(() => {});
    const error = (await failure(calls[operation](client({ timeoutMs: 120 })))) as VoiceTimeoutError;
    expect(error).toBeInstanceOf(VoiceTimeoutError);
    expect(error.timeoutMs).toBe(120);
  });

  it('a connection reset is a VoiceNetworkError carrying the cause', async () => {
    server.respond((req) => req.socket.destroy());
    const error = await failure(calls[operation](client()));
    expect(error).toBeInstanceOf(VoiceNetworkError);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toMatch(new RegExp(`^${operation}: network failure \\(fetch failed ← `));
    expect(server.requests).toHaveLength(1);
  });

  it('a refused connection is a VoiceNetworkError naming ECONNREFUSED', async () => {
    const voice = client({ baseUrl: await closedPortUrl() });
    const error = await failure(calls[operation](voice));
    expect(error).toBeInstanceOf(VoiceNetworkError);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it("the caller's AbortSignal is a VoiceAbortError with the caller's reason", async () => {
    server.respond(() => {});
    const controller = new AbortController();
    const pending = calls[operation](client(), { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error('shutting down'));
    const error = await failure(pending);
    expect(error).toBeInstanceOf(VoiceAbortError);
    expect((error.cause as Error).message).toBe('shutting down');
  });

  it('an already aborted signal sends nothing', async () => {
    const error = await failure(calls[operation](client(), { signal: AbortSignal.abort('not now') }));
    expect(error).toBeInstanceOf(VoiceAbortError);
    expect(error.cause).toBe('not now');
    expect(server.requests).toHaveLength(0);
  });

  it('a sign callback that throws or returns nothing is a VoiceSigningError, and nothing is sent', async () => {
    const throwing = through(createVoiceClient({ apiKey: 'k', baseUrl: server.url, sign: () => { throw new Error('vault unreachable'); } }));
    const thrown = await failure(calls[operation](throwing));
    expect(thrown).toBeInstanceOf(VoiceSigningError);
    expect((thrown.cause as Error).message).toBe('vault unreachable');
    expect(thrown.message).toBe(`${operation}: could not sign the request: the sign callback threw; nothing was sent`);
    const empty = through(createVoiceClient({ apiKey: 'k', baseUrl: server.url, sign: async () => undefined as never }));
    expect(await failure(calls[operation](empty))).toBeInstanceOf(VoiceSigningError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('sendAgentGroupCall success without a keyId', () => {
  it.each([[null], ['abc'], [1.5], [0]])('data %j is a VoiceResponseError, not a made-up keyId', async (data) => {
    server.respond(json({ code: 0, msg: 'success', data }));
    const error = (await failure(client().sendAgentGroupCall(task))) as VoiceResponseError;
    expect(error).toBeInstanceOf(VoiceResponseError);
    expect(error.message).toBe(`sendAgentGroupCall: code 0 but no task keyId in data (got ${JSON.stringify(data)}) (HTTP 200, content-type application/json)`);
    expect(error.body).toBe(JSON.stringify({ code: 0, msg: 'success', data }));
  });
});
