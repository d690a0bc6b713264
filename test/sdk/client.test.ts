// The wire: what the SDK sends and how it reads the vendor's envelope, against a real loopback server.
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { createVoiceClient, SDK_VERSION } from '../../src/index.js';
import { flow, task } from './fixtures.js';
import { json, useLoopback } from './loopback.js';
import { operationPaths } from '../../src/operations.js';
import { API_KEY, credentials, SECOND_VECTOR, VECTOR, VECTOR_MS } from '../support/credentials.js';

const server = useLoopback();

const client = (extra: Partial<Parameters<typeof createVoiceClient>[0]> = {}) =>
  createVoiceClient({ ...credentials, baseUrl: server.url, now: () => VECTOR_MS, ...extra } as Parameters<typeof createVoiceClient>[0]);

describe('what goes on the wire', () => {
  it('sends the first vendor vector exactly: path, method, signing headers, JSON body', async () => {
    server.respond(json({ code: 0, msg: 'success', data: 4242 }));
    await expect(client().sendAgentGroupCall(task)).resolves.toBe(4242);
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent!.method).toBe('POST');
    expect(sent!.url).toBe(operationPaths.sendAgentGroupCall);
    expect(sent!.headers['api-key']).toBe(VECTOR.apiKey);
    expect(sent!.headers['timestamp']).toBe(String(VECTOR.timestamp));
    expect(sent!.headers['sign']).toBe(VECTOR.sign);
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(sent!.headers['user-agent']).toBe(`itnio-voice/${SDK_VERSION}`);
    expect(sent!.body).toBe(JSON.stringify(task));
  });

  it('sends the second vendor vector on updateRecallFlow', async () => {
    const { apiKey, apiSecret, sign } = SECOND_VECTOR;
    const voice = createVoiceClient({ apiKey, apiSecret, baseUrl: server.url, now: () => SECOND_VECTOR.timestamp * 1000 });
    server.respond(json({ code: 0, msg: 'success', data: null }));
    await expect(voice.updateRecallFlow(flow)).resolves.toBeUndefined();
    const [sent] = server.requests;
    expect(sent!.url).toBe(operationPaths.updateRecallFlow);
    expect(sent!.headers['api-key']).toBe(apiKey);
    expect(sent!.headers['sign']).toBe(sign);
    expect(JSON.parse(sent!.body)).toEqual(flow);
  });

  it('takes a fresh timestamp for every request, shifted by the clock offset', async () => {
    let ms = VECTOR_MS;
    const voice = client({ now: () => ms, clockOffsetSeconds: -30 });
    await voice.sendAgentGroupCall(task);
    ms += 61_500;
    await voice.sendAgentGroupCall(task);
    expect(server.requests.map((r) => r.headers['timestamp'])).toEqual(['1630468770', '1630468831']);
    expect(server.requests[0]!.headers['sign']).not.toBe(server.requests[1]!.headers['sign']);
  });

  it('uses the real clock by default', async () => {
    const before = Math.floor(Date.now() / 1000);
    await client({ now: undefined }).sendAgentGroupCall(task);
    const sent = Number(server.requests[0]!.headers['timestamp']);
    expect(sent).toBeGreaterThanOrEqual(before);
    expect(sent).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('prepends a caller User-Agent to its own', async () => {
    await client({ userAgent: 'billing-service/2.3' }).sendAgentGroupCall(task);
    expect(server.requests[0]!.headers['user-agent']).toBe(`billing-service/2.3 itnio-voice/${SDK_VERSION}`);
  });

  it('names the version package.json declares', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(SDK_VERSION).toBe(pkg.version);
  });

  it('signs through a sign callback, sync or async, without ever holding the secret', async () => {
    const seen: [string, string][] = [];
    const voice = createVoiceClient({
      apiKey: API_KEY,
      baseUrl: server.url,
      now: () => VECTOR_MS,
      sign: async (apiKey, timestamp) => {
        seen.push([apiKey, timestamp]);
        return VECTOR.sign;
      },
    });
    await voice.sendAgentGroupCall(task);
    expect(seen).toEqual([[API_KEY, String(VECTOR.timestamp)]]);
    expect(server.requests[0]!.headers['sign']).toBe(VECTOR.sign);
  });

  it('signs raw openapi-fetch calls too, and runs the caller middleware after signing', async () => {
    const voice = client();
    const logged: string[] = [];
    voice.raw.use({
      onRequest({ request }) {
        logged.push(`${request.method} ${new URL(request.url).pathname} sign=${request.headers.get('Sign')}`);
      },
    });
    server.respond(json({ code: '-24', msg: 'Data unexisting' }));
    const { data, response } = await voice.raw.POST(operationPaths.updateRecallFlow, { body: flow });
    expect(response.status).toBe(200);
    expect(data).toEqual({ code: '-24', msg: 'Data unexisting' });
    expect(logged).toEqual([`POST ${operationPaths.updateRecallFlow} sign=${VECTOR.sign}`]);
    expect(server.requests[0]!.headers['api-key']).toBe(API_KEY);
  });

  it('sends the same bytes whether or not caller middleware or a custom fetch sees the call', async () => {
    const plain = client();
    const watched = client();
    watched.raw.use({ onRequest() {} });
    const ownFetch = client({ fetch: (request: Request) => fetch(request) });
    for (const voice of [plain, watched, ownFetch]) {
      await voice.sendAgentGroupCall(task);
      await voice.updateRecallFlow(flow);
    }
    const wire = server.requests.map(({ method, url, headers, body }) => {
      const { host: _host, connection: _connection, ...rest } = headers; // per connection, not per call
      return { method, url, headers: rest, body };
    });
    expect(wire).toHaveLength(6);
    expect(wire[2]).toEqual(wire[0]);
    expect(wire[4]).toEqual(wire[0]);
    expect(wire[3]).toEqual(wire[1]);
    expect(wire[5]).toEqual(wire[1]);
  });

  it('gives caller middleware a real Request on typed calls: it can read the body and replace the request', async () => {
    const voice = client();
    const bodies: unknown[] = [];
    voice.raw.use({
      async onRequest({ request }) {
        expect(request).toBeInstanceOf(Request);
        bodies.push(await request.clone().json());
        const headers = new Headers(request.headers);
        headers.set('X-Trace-Id', 'trace-1');
        return new Request(request, { headers });
      },
    });
    await voice.sendAgentGroupCall(task);
    expect(bodies).toEqual([task]);
    expect(server.requests[0]!.headers['x-trace-id']).toBe('trace-1');
    expect(server.requests[0]!.headers['sign']).toBe(VECTOR.sign);
    expect(server.requests[0]!.body).toBe(JSON.stringify(task));
  });

  it('builds no Request for typed calls until caller middleware is registered, and again after it is ejected', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      const voice = client();
      const middleware = { onRequest() {} };
      await voice.sendAgentGroupCall(task); // fetch(url, init): one copy of the body, not two
      voice.raw.use(middleware);
      await voice.sendAgentGroupCall(task); // fetch(request): the middleware saw a real Request
      voice.raw.eject(middleware);
      await voice.sendAgentGroupCall(task);
      expect(spy.mock.calls.map(([input]) => (input instanceof Request ? 'Request' : typeof input))).toEqual(['string', 'Request', 'string']);
      expect(server.requests).toHaveLength(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('uses a custom fetch when given one', async () => {
    const urls: string[] = [];
    const voice = client({
      fetch: (request: Request) => {
        urls.push(request.url);
        return fetch(request);
      },
    });
    await voice.sendAgentGroupCall(task);
    expect(urls).toEqual([`${server.url}${operationPaths.sendAgentGroupCall}`]);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses to start without a key or a way to sign', () => {
    expect(() => createVoiceClient({ apiKey: '', apiSecret: 'x' })).toThrow(/apiKey/);
    expect(() => createVoiceClient({ apiKey: 'k' } as never)).toThrow(/apiSecret/);
    expect(() => createVoiceClient({ apiKey: 'k', apiSecret: 'x', sign: () => 'y' } as never)).toThrow(/either/);
  });
});

describe('reading the envelope', () => {
  it.each([
    ['number 0', { code: 0, msg: 'success', data: 7 }],
    ['string "0"', { code: '0', msg: 'success', data: 7 }],
    ['string "0" with reason instead of msg', { code: '0', reason: 'success', data: 7 }],
    ['keyId as a digit string', { code: 0, msg: 'success', data: '7' }],
  ])('treats code %s as success', async (_name, payload) => {
    server.respond(json(payload));
    await expect(client().sendAgentGroupCall(task)).resolves.toBe(7);
  });

  it.each([
    ['msg', { code: -41, msg: 'Task name already exists' }, 'Task name already exists'],
    ['reason', { code: '-41', reason: 'Task name already exists' }, 'Task name already exists'],
    ['neither', { code: -41 }, null],
  ])('reads the vendor message from %s', async (_name, payload, msg) => {
    server.respond(json(payload));
    const error = await client().sendAgentGroupCall(task).catch((e) => e);
    expect(error.code).toBe(-41);
    expect(error.msg).toBe(msg);
  });

  it('accepts success with data null on updateRecallFlow', async () => {
    server.respond(json({ code: 0, msg: 'success', data: null }));
    await expect(client().updateRecallFlow(flow)).resolves.toBeUndefined();
  });
});
