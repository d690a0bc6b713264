// The secret signs requests and goes nowhere else: not on the wire, not in any error or object a caller sees.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVoiceClient, VoiceError, type VoiceClient, type VoiceWarning } from '../../src/index.js';
import { API_KEY, API_SECRET } from '../support/credentials.js';
import { operationIds } from '../../src/operations.js';
import { sendTask } from '../support/rule-cases.js';
import { flow, task } from './fixtures.js';
import { closedPortUrl, json, startLoopback, type Loopback, type Responder } from './loopback.js';

const SECRET = API_SECRET;
let server: Loopback;
let voice: VoiceClient;
const warnings: VoiceWarning[] = [];
const consoleSpies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) => vi.spyOn(console, m));

beforeAll(async () => {
  server = await startLoopback();
  // A generous timeout: on a busy machine the first calls are slow; the timeout case sets its own.
  voice = createVoiceClient({ apiKey: API_KEY, apiSecret: SECRET, baseUrl: server.url, timeoutMs: 30_000, onWarning: (w) => warnings.push(w) });
});
afterAll(() => server.close());

/** Every view of a value a caller or a logger could take. */
function views(value: unknown): string[] {
  const out = [String(value), inspect(value, { showHidden: true, depth: Infinity, getters: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) out.push(value.message, value.stack ?? '');
  return out;
}

function expectNoSecret(value: unknown) {
  for (const view of views(value)) expect(view).not.toContain(SECRET);
}

const html: Responder = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<html></html>');
};
const gateway: Responder = (_req, res) => {
  res.writeHead(502);
  res.end('bad gateway');
};

describe('apiSecret never leaks', () => {
  const paths: [string, () => Promise<unknown>][] = [
    ['VoiceApiError', async () => { server.respond(json({ code: -1, msg: 'Authentication error' })); return voice.sendAgentGroupCall(task); }],
    ['VoiceHttpError', async () => { server.respond(gateway); return voice.updateRecallFlow(flow); }],
    ['VoiceResponseError', async () => { server.respond(html); return voice.sendAgentGroupCall(task); }],
    ['VoiceTimeoutError', async () => { server.respond(() => {}); return voice.sendAgentGroupCall(task, { timeoutMs: 100 }); }],
    ['VoiceAbortError', async () => voice.sendAgentGroupCall(task, { signal: AbortSignal.abort() })],
    ['VoiceNetworkError (reset)', async () => { server.respond((req) => req.socket.destroy()); return voice.updateRecallFlow(flow); }],
    ['VoiceNetworkError (refused)', async () => createVoiceClient({ apiKey: API_KEY, apiSecret: SECRET, baseUrl: await closedPortUrl() }).sendAgentGroupCall(task)],
    ['VoiceValidationError', async () => voice.sendAgentGroupCall({ ...sendTask(), agentId: SECRET } as never)],
  ];

  it.each(paths)('%s: not in its message, fields, cause, stack, inspect or JSON', async (name, run) => {
    const error = await run().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(VoiceError);
    expect((error as Error).name).toBe(name.split(' ')[0]);
    if (name !== 'VoiceValidationError') expectNoSecret(error);
    else {
      // The body itself held the secret (a caller's mistake); the finding names the path, not the value.
      expect((error as Error).message).not.toContain(SECRET);
      expect(JSON.stringify(error)).not.toContain(SECRET);
    }
  });

  it('not in the client object, its raw client, or any option echo', () => {
    expectNoSecret(voice);
    expectNoSecret(voice.raw);
    expect(Object.keys(voice).sort()).toEqual([...operationIds, 'raw'].sort());
  });

  it('not in errors from bad options', () => {
    for (const bad of [{ apiKey: '', apiSecret: SECRET }, { apiKey: 'k', apiSecret: SECRET, sign: () => 'x' }]) {
      let thrown: unknown;
      try {
        createVoiceClient(bad as never);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expectNoSecret(thrown);
    }
  });

  it('not on the wire, and not in warnings', async () => {
    server.respond(json({ code: 0, msg: 'success', data: 1 }));
    await voice.sendAgentGroupCall({ ...sendTask(), unknownField: 'x' } as never);
    expect(server.requests.length).toBeGreaterThan(0);
    for (const request of server.requests) expect(JSON.stringify(request)).not.toContain(SECRET);
    expect(warnings.length).toBeGreaterThan(0);
    expectNoSecret(warnings);
  });

  it('nothing was logged to the console on any of these paths', () => {
    for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
  });
});
