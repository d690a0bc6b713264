// The fast path of typed calls (src/plain-request.ts) relies on openapi-fetch honouring a call's own
// `Request` and `fetch` options. This holds the installed openapi-fetch to it, and shows that a version
// ignoring either would make typed calls fail loudly, with nothing sent, rather than send something else.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { paths } from '../../generated/openapi.js';
import { createVoiceClient, VoiceError } from '../../src/index.js';
import { operationIds, operationPaths } from '../../src/operations.js';
import { FastPathError, PlainRequest, plainTransport } from '../../src/plain-request.js';
import { credentials } from '../support/credentials.js';
import { bodies, callOperation, task } from './fixtures.js';
import { json, useLoopback } from './loopback.js';

/** Which per-call options the openapi-fetch under the SDK ignores, as a future version might. */
const ignored = vi.hoisted(() => ({ Request: false, fetch: false }));

vi.mock('openapi-fetch', async (importOriginal) => {
  const actual = await importOriginal<typeof import('openapi-fetch')>();
  const createClient = ((options: Parameters<typeof actual.default>[0]) => {
    const client = actual.default<Record<string, never>>(options);
    const drop = (init: Record<string, unknown> = {}) => {
      const { Request, fetch, ...rest } = init;
      return { ...rest, ...(ignored.Request ? {} : { Request }), ...(ignored.fetch ? {} : { fetch }) };
    };
    return { ...client, POST: (path: never, init: never) => client.POST(path, drop(init) as never) };
  }) as unknown as typeof actual.default;
  return { ...actual, default: createClient };
});

const server = useLoopback(json({ code: 0, msg: 'success', data: 1 }));
afterEach(() => {
  ignored.Request = false;
  ignored.fetch = false;
  vi.restoreAllMocks();
});

describe('the installed openapi-fetch honours a call’s own Request and fetch', () => {
  it('builds the call’s Request class from the URL and init it computed, hands that to middleware and to the call’s fetch', async () => {
    const { default: createClient } = await vi.importActual<typeof import('openapi-fetch')>('openapi-fetch');
    const client = createClient<paths>({ baseUrl: server.url, redirect: 'manual', headers: { 'User-Agent': 'probe' } });
    const seenByMiddleware: unknown[] = [];
    client.use({
      onRequest({ request }) {
        seenByMiddleware.push(request);
        request.headers.set('Sign', 'signed-in-middleware');
        return request;
      },
    });
    const handed: unknown[] = [];
    const controller = new AbortController();
    const path = operationPaths[operationIds[0]!];
    const { response } = await client.POST(path, {
      body: { any: 'thing' } as never,
      bodySerializer: () => '{"exact":"text"}',
      signal: controller.signal,
      parseAs: 'stream',
      Request: plainTransport.Request,
      fetch: (request: Request) => {
        handed.push(request);
        return plainTransport.fetch(request);
      },
    } as never);
    expect(response.status).toBe(200);
    expect(seenByMiddleware).toHaveLength(1);
    expect(seenByMiddleware[0]).toBeInstanceOf(PlainRequest);
    expect(handed).toEqual(seenByMiddleware);
    const plain = handed[0] as PlainRequest;
    expect(plain.url).toBe(`${server.url}${path}`);
    expect(plain.method).toBe('POST');
    expect(plain.init).toMatchObject({ method: 'POST', body: '{"exact":"text"}', redirect: 'manual', signal: controller.signal });
    // What reached the wire is what openapi-fetch computed, with the middleware's header.
    const [sent] = server.requests;
    expect(sent).toMatchObject({ method: 'POST', url: path, body: '{"exact":"text"}' });
    expect(sent!.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'probe', sign: 'signed-in-middleware' });
  });

  it('typed calls take that path: fetch(url, init), no Request built', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    const voice = createVoiceClient({ ...credentials, baseUrl: server.url });
    for (const operation of operationIds) await callOperation(voice, operation);
    expect(spy.mock.calls.map(([input]) => typeof input)).toEqual(operationIds.map(() => 'string'));
    expect(server.requests.map((r) => r.body)).toEqual(operationIds.map((operation) => JSON.stringify(bodies[operation])));
  });
});

describe('an openapi-fetch that ignored them would make typed calls fail loudly, with nothing sent', () => {
  it.each([
    ['Request', { Request: true, fetch: false }],
    ['fetch', { Request: false, fetch: true }],
  ] as const)('ignoring the call’s own %s: a FastPathError naming it, and no connection', async (option, mode) => {
    Object.assign(ignored, mode);
    const before = server.connections();
    for (const operation of operationIds) {
      const error = await callOperation(createVoiceClient({ ...credentials, baseUrl: server.url }), operation).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FastPathError);
      expect(error).not.toBeInstanceOf(VoiceError); // not a network failure after which a task "may exist"
      expect((error as Error).message).toContain(`ignored the call's own \`${option}\` option`);
      expect((error as Error).message).toContain('nothing was sent');
    }
    expect(server.connections()).toBe(before);
    expect(server.requests).toHaveLength(0);
  });

  it('ignoring both: the request goes the Request way, byte for byte the same', async () => {
    const voice = createVoiceClient({ ...credentials, baseUrl: server.url, now: () => 1_700_000_000_000 });
    await voice.sendAgentGroupCall(task);
    Object.assign(ignored, { Request: true, fetch: true });
    await voice.sendAgentGroupCall(task);
    const [fast, slow] = server.requests.map(({ method, url, headers, body }) => {
      const { host: _host, connection: _connection, ...rest } = headers;
      return { method, url, headers: rest, body };
    });
    expect(slow).toEqual(fast);
  });

  it('caller middleware still sees a real Request: the fast path is not involved', async () => {
    Object.assign(ignored, { Request: true, fetch: false });
    const voice = createVoiceClient({ ...credentials, baseUrl: server.url });
    voice.raw.use({ onRequest({ request }) { expect(request).toBeInstanceOf(Request); } });
    await expect(voice.sendAgentGroupCall(task)).resolves.toBe(1);
  });
});
