// The mock as MSW handlers under msw/node, reached by the SDK at its DEFAULT base URL (the vendor's): no
// port, and nothing leaves the process. Unhandled requests are errors, every socket connect is watched
// and must never happen, and each answer is the engine's: a task created, its name refused again (-41),
// its keyId's recall flow replaced (0) and an unknown one's refused (-24), an unsigned request (-1), a body
// the contract refuses (-22 with findings), the journal, each kind of fault as the SDK's typed error, reset.
import net from 'node:net';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createVoiceClient,
  DEFAULT_BASE_URL,
  VoiceApiError,
  VoiceHttpError,
  VoiceNetworkError,
  VoiceTimeoutError,
  type SendAgentGroupCallRequest,
  type UpdateRecallFlowRequest,
} from '../../src/index.js';
import { createVoiceHandlers, DEFAULT_API_KEY, DEFAULT_API_SECRET, MockControlError } from '../../mocks/msw/index.js';
import { operationPaths } from '../../generated/operations.js';
import { signRequest } from '../../src/sign.js';

const voice = createVoiceHandlers({ agents: [{ agentId: 41, scenario: 'marketing' }] });
const server = setupServer(...voice);
const unhandled: string[] = [];
const connect = vi.spyOn(net.Socket.prototype, 'connect');

const client = createVoiceClient({ apiKey: DEFAULT_API_KEY, apiSecret: DEFAULT_API_SECRET }); // no baseUrl: the vendor's
const task: SendAgentGroupCallRequest = { appId: '2Xql9RBI', taskName: 'Spring campaign', agentId: 41, numberInfoList: [{ calleeNumber: '6281234567890' }] };
const flow = (keyId: number): UpdateRecallFlowRequest => ({
  keyId,
  recallType: 0,
  recallInterval: 30,
  recallNum: 1,
  nodeList: [{ source: 3, text: 'This is a payment reminder.', lan: 'EN', hangUpSms: 0, toSeat: 0 }],
});

beforeAll(() => {
  server.events.on('request:unhandled', ({ request }) => unhandled.push(`${request.method} ${request.url}`));
  server.listen({ onUnhandledRequest: 'error' });
});
beforeEach(() => voice.reset());
afterEach(() => server.resetHandlers());
afterAll(() => {
  server.close();
  connect.mockRestore();
});

describe('the SDK at its default base URL, answered by the MSW handlers', () => {
  it('intercepts the vendor URL the SDK takes by default', () => {
    expect(voice.baseUrl).toBe(DEFAULT_BASE_URL);
    expect(voice.map((handler) => handler.info.path)).toEqual(Object.values(operationPaths).map((path) => DEFAULT_BASE_URL + path));
  });

  it('creates a task, refuses its name again with -41, replaces its recall flow, refuses an unknown keyId with -24', async () => {
    const keyId = await client.sendAgentGroupCall(task);
    expect(keyId).toBe(123124); // the engine's first keyId, as the HTTP mock's
    await expect(client.sendAgentGroupCall(task)).rejects.toMatchObject({ name: 'VoiceApiError', code: -41, codeName: 'taskNameExists' });
    await expect(client.updateRecallFlow(flow(keyId))).resolves.toBeUndefined();
    await expect(client.updateRecallFlow(flow(987654))).rejects.toMatchObject({ code: -24, detail: 'this mock never issued keyId 987654' });
    expect(voice.requests().map((r) => [r.operation, r.code, r.reason])).toEqual([
      ['sendAgentGroupCall', '0', 'ok'],
      ['sendAgentGroupCall', -41, 'state'],
      ['updateRecallFlow', 0, 'ok'],
      ['updateRecallFlow', -24, 'state'],
    ]);
    expect(voice.state()).toMatchObject({ taskNames: ['Spring campaign'] });
  });

  it('checks the signature: an unsigned request is refused with -1, a wrong secret too', async () => {
    const unsigned = await fetch(DEFAULT_BASE_URL + operationPaths.sendAgentGroupCall, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(task) });
    expect(unsigned.status).toBe(200);
    expect(await unsigned.json()).toMatchObject({ code: -1, detail: 'the Api-Key header is missing' });
    const wrong = createVoiceClient({ apiKey: DEFAULT_API_KEY, apiSecret: 'not-the-secret' });
    await expect(wrong.sendAgentGroupCall(task)).rejects.toMatchObject({ code: -1, codeName: 'authenticationError' });
    expect(voice.requests().map((r) => [r.reason, r.code, r.headers.sign])).toEqual([
      ['auth', -1, undefined],
      ['auth', -1, '(redacted)'],
    ]);
  });

  it('refuses a body the contract refuses with -22 and its findings (SDK validation off)', async () => {
    const unchecked = createVoiceClient({ apiKey: DEFAULT_API_KEY, apiSecret: DEFAULT_API_SECRET, validate: false });
    const error = await unchecked.sendAgentGroupCall({ ...task, numberInfoList: [{ calleeNumber: '+62 812' }], maxCalls: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoiceApiError);
    expect(error).toMatchObject({ code: -22, findingsTotal: 2 });
    expect((error as VoiceApiError).findings!.map((f) => f.path).sort()).toEqual(['/maxCalls', '/numberInfoList/0/calleeNumber']);
    expect(voice.requests()).toMatchObject([{ reason: 'contract', code: -22, findingsTotal: 2, body: { taskName: 'Spring campaign' } }]);
  });

  it('holds a task to the scenario world (-60 for an agent it does not know)', async () => {
    await expect(client.sendAgentGroupCall({ ...task, agentId: 7 })).rejects.toMatchObject({ code: -60 });
  });

  it('answers a documented example on demand: Prefer header or ?__example=', async () => {
    const signed = signRequest(DEFAULT_API_KEY, DEFAULT_API_SECRET, Math.floor(Date.now() / 1000));
    const byHeader = await fetch(DEFAULT_BASE_URL + operationPaths.sendAgentGroupCall, { method: 'POST', headers: { ...signed, prefer: 'example=concurrentTaskLimit' } });
    expect(byHeader.headers.get('preference-applied')).toBe('example=concurrentTaskLimit');
    expect(await byHeader.json()).toMatchObject({ code: -37 });
    const byQuery = await fetch(`${DEFAULT_BASE_URL}${operationPaths.updateRecallFlow}?__example=dataNotFound`, { method: 'POST', headers: signed });
    expect(await byQuery.json()).toMatchObject({ code: -24 });
  });

  it('answers other methods and near-miss paths as the HTTP mock does, never from the network', async () => {
    const get = await fetch(DEFAULT_BASE_URL + operationPaths.sendAgentGroupCall);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST, OPTIONS']);
    const slash = await fetch(`${DEFAULT_BASE_URL}${operationPaths.sendAgentGroupCall}/`, { method: 'POST' });
    expect(slash.status).toBe(404);
    expect(await slash.json()).toMatchObject({ error: 'not_found', operations: Object.values(operationPaths).map((p) => `POST ${p}`) });
    // Elsewhere on the vendor's host: not the mock's, so msw's onUnhandledRequest decides (here: an error).
    await expect(fetch(`${DEFAULT_BASE_URL}/voice/other`, { method: 'POST' })).rejects.toThrow();
    expect(unhandled.splice(0)).toEqual([`POST ${DEFAULT_BASE_URL}/voice/other`]);
  });
});

describe('faults, through the SDK as its typed errors', () => {
  it('example → VoiceApiError with that code, before the signature check', async () => {
    voice.addFault({ operation: 'sendAgentGroupCall', example: 'concurrentTaskLimit' });
    await expect(client.sendAgentGroupCall(task)).rejects.toMatchObject({ name: 'VoiceApiError', code: -37 });
  });

  it('status → VoiceHttpError', async () => {
    voice.addFault({ status: 502 });
    const error = await client.sendAgentGroupCall(task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoiceHttpError);
    expect(error).toMatchObject({ status: 502 });
  });

  it('drop → VoiceNetworkError (HttpResponse.error(), a network error)', async () => {
    voice.addFault({ operation: 'updateRecallFlow', drop: true });
    await expect(client.updateRecallFlow(flow(123123))).rejects.toBeInstanceOf(VoiceNetworkError);
  });

  it('delayMs past the timeout → VoiceTimeoutError; the request is answered after the delay', async () => {
    voice.addFault({ delayMs: 300 });
    await expect(client.sendAgentGroupCall(task, { timeoutMs: 50 })).rejects.toBeInstanceOf(VoiceTimeoutError);
    await vi.waitFor(() => expect(voice.requests()).toHaveLength(1), { timeout: 2_000 });
  });

  it('latencyMs delays every answer', async () => {
    const slow = createVoiceHandlers({ latencyMs: 200, baseUrl: 'https://slow.example' });
    server.use(...slow);
    const sluggish = createVoiceClient({ apiKey: DEFAULT_API_KEY, apiSecret: DEFAULT_API_SECRET, baseUrl: slow.baseUrl });
    await expect(sluggish.sendAgentGroupCall(task, { timeoutMs: 20 })).rejects.toBeInstanceOf(VoiceTimeoutError);
    // The call that timed out still created its task once its answer was due, as with the vendor.
    await expect(sluggish.sendAgentGroupCall({ ...task, taskName: 'Patient' })).resolves.toBe(123125);
    expect(slow.state().taskNames).toEqual(['Spring campaign', 'Patient']);
  });

  it('faults are used once by default, in order, and listed; an invalid one is a MockControlError', async () => {
    voice.addFault({ status: 503, times: 2 });
    expect(voice.faults()).toEqual([{ status: 503, times: 2 }]);
    await expect(client.sendAgentGroupCall(task)).rejects.toMatchObject({ status: 503 });
    await expect(client.sendAgentGroupCall(task)).rejects.toMatchObject({ status: 503 });
    await expect(client.sendAgentGroupCall(task)).resolves.toBe(123124);
    expect(() => voice.addFault({ example: 'noSuchAnswer' })).toThrow(MockControlError);
  });
});

describe('the handle', () => {
  it('reset() brings back the starting state, journal and faults', async () => {
    await client.sendAgentGroupCall(task);
    voice.addFault({ status: 500 });
    voice.setState({ keyIds: [5], agents: [] });
    voice.reset();
    expect([voice.requests(), voice.faults()]).toEqual([[], []]);
    expect(voice.state()).toMatchObject({ taskNames: [], agents: [{ agentId: 41, scenario: 'marketing' }] });
    expect(await client.sendAgentGroupCall(task)).toBe(123124);
  });

  it('is the array msw takes: spreading it copies the handlers, not the controls', () => {
    expect(Array.isArray(voice)).toBe(true);
    expect(Object.keys(voice)).toEqual(['0', '1']);
    expect([...voice]).toHaveLength(2);
  });

  it('one route can be overridden the msw way, the other still answers from the engine', async () => {
    server.use(http.post(DEFAULT_BASE_URL + operationPaths.updateRecallFlow, () => HttpResponse.json({ code: -28, msg: 'overridden' })));
    await expect(client.updateRecallFlow(flow(123123))).rejects.toMatchObject({ code: -28 });
    await expect(client.sendAgentGroupCall(task)).resolves.toBe(123124);
  });

  it('answers under a base URL with a path prefix', async () => {
    const prefixed = createVoiceHandlers({ baseUrl: 'https://gateway.example/itnio/' });
    expect(prefixed.baseUrl).toBe('https://gateway.example/itnio');
    server.use(...prefixed);
    const viaGateway = createVoiceClient({ apiKey: DEFAULT_API_KEY, apiSecret: DEFAULT_API_SECRET, baseUrl: 'https://gateway.example/itnio' });
    expect(await viaGateway.sendAgentGroupCall(task)).toBe(123124);
    expect(prefixed.requests()).toMatchObject([{ path: operationPaths.sendAgentGroupCall, code: '0' }]);
    expect(voice.requests()).toEqual([]); // its own engine, its own state
  });

  it('refuses a base URL it could not match, saying why', () => {
    expect(() => createVoiceHandlers({ baseUrl: '/relative' })).toThrow(/absolute URL/);
    expect(() => createVoiceHandlers({ baseUrl: 'https://x.example/?q=1' })).toThrow(/query or fragment/);
    expect(() => createVoiceHandlers({ baseUrl: 'https://x.example/:id' })).toThrow(/route syntax/);
    expect(() => createVoiceHandlers({ baseUrl: 'ftp://x.example' })).toThrow(/https: or http:/);
  });

  it('auth off accepts unsigned requests, as the HTTP mock does', async () => {
    const open = createVoiceHandlers({ auth: 'off', baseUrl: 'https://open.example' });
    server.use(...open);
    const answer = await fetch(`https://open.example${operationPaths.sendAgentGroupCall}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(task) });
    expect(await answer.json()).toMatchObject({ code: '0', data: 123124 });
  });
});

describe('bodies are read with a running count, never past the limit', () => {
  const limited = createVoiceHandlers({ maxBodyBytes: 1_000, baseUrl: 'https://limited.example' });
  const url = `https://limited.example${operationPaths.sendAgentGroupCall}`;
  const headers = () => ({ 'content-type': 'application/json', ...signRequest(DEFAULT_API_KEY, DEFAULT_API_SECRET, Math.floor(Date.now() / 1000)) });

  beforeEach(() => server.use(...limited));

  it('stops reading a streamed body as soon as it passes the limit', async () => {
    let pulled = 0;
    const chunk = new TextEncoder().encode(' '.repeat(100));
    // 10 MB on offer, one 100-byte chunk a pull, no Content-Length.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (++pulled > 100_000) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const answer = await fetch(url, { method: 'POST', headers: headers(), body, duplex: 'half' } as RequestInit);
    expect(await answer.json()).toMatchObject({ code: -22, findings: [{ keyword: 'maxBodySize' }] });
    expect(pulled).toBeLessThan(100); // about 11 chunks: the limit, and what the streams queued ahead
  });

  it('refuses a body announced larger than the limit without reading it', async () => {
    const answer = await fetch(url, { method: 'POST', headers: { ...headers(), 'content-length': '5000' }, body: 'x'.repeat(5000) });
    expect(await answer.json()).toMatchObject({ code: -22, findings: [{ keyword: 'maxBodySize' }] });
  });

  it('reads a body just under the limit', async () => {
    const text = JSON.stringify({ ...task, taskName: 'Limit' });
    const answer = await fetch(url, { method: 'POST', headers: headers(), body: text.padEnd(1_000, ' ') });
    expect(await answer.json()).toMatchObject({ code: '0' });
  });
});

describe('nothing left the process', () => {
  it('no socket was opened and no request went unhandled', () => {
    expect(connect).not.toHaveBeenCalled();
    expect(unhandled).toEqual([]);
  });
});
