// The mock as a test double: its control API over HTTP (`/__mock`) and the same operations on the
// in-process handle, the journal and its bound, faults as the SDK sees them, auth off, determinism.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { parse as parseYaml } from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import { maxQueuedFaults } from '../../generated/mock-control.js';
import { createVoiceClient, VoiceApiError, VoiceHttpError, VoiceNetworkError, VoiceTimeoutError } from '../../src/index.js';
import { isLoopback, MockControlError, type MockServer } from '../../mocks/index.js';
import { journalHeaders, summarise } from '../../mocks/engine/journal.js';
import { sendTask } from '../support/rule-cases.js';
import { bigTask } from './big-task.js';
import { root } from '../support/contract.js';
import { API_KEY, API_SECRET, post, SEND, startMock, UPDATE } from './harness.js';

const controlContract = parseYaml(readFileSync(join(root, 'spec', 'mock-control', 'openapi.yaml'), 'utf8'));
/** A validator of the schema at `segments` in the control contract (its `$ref`s resolve within it). */
const controlAjv = new Ajv2020.default({ strict: false, allErrors: true });
controlAjv.addSchema(controlContract, 'control');
const schemaAt = (...segments: string[]) => controlAjv.compile({ $ref: `control#/${segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}` });

let sequence = 0;
const task = (patch: Record<string, unknown> = {}) => ({ ...sendTask(), taskName: `control ${++sequence}`, ...patch });

/** A control request over HTTP: status and parsed body (undefined for 204). */
async function control(mock: MockServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(mock.url + path, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('the control API over HTTP', () => {
  let mock: MockServer;
  beforeAll(async () => (mock = await startMock()));
  afterAll(() => mock?.close());

  it('GET /__mock/health answers once serving', async () => {
    expect(await control(mock, 'GET', '/__mock/health')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('GET /__mock/requests lists what was received and why it was answered so; DELETE empties it', async () => {
    await control(mock, 'DELETE', '/__mock/requests');
    await post(mock, SEND, task());
    await post(mock, SEND, { appId: '' });
    await post(mock, UPDATE, {}, {}, { sign: false });
    const { status, body } = await control(mock, 'GET', '/__mock/requests');
    expect(status).toBe(200);
    expect(body.requests.map((r: any) => [r.operation, r.status, r.code, r.reason])).toEqual([
      ['sendAgentGroupCall', 200, '0', 'ok'],
      ['sendAgentGroupCall', 200, -22, 'contract'],
      ['updateRecallFlow', 200, -1, 'auth'],
    ]);
    const [ok, refused, unsigned] = body.requests;
    expect(ok).toMatchObject({ method: 'POST', path: SEND, headers: { 'api-key': API_KEY, sign: '(redacted)', 'content-type': 'application/json' }, body: { appId: '2Xql9RBI', agentId: 41 } });
    expect(Date.parse(ok.at)).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(refused.findings.length).toBeGreaterThan(0);
    expect(refused.findingsTotal).toBe(refused.findings.length);
    expect(unsigned.detail).toContain('Api-Key');
    expect(unsigned).not.toHaveProperty('body');
    expect(JSON.stringify(body)).not.toMatch(/[0-9a-f]{32}/); // no Sign anywhere
    expect(await control(mock, 'DELETE', '/__mock/requests')).toEqual({ status: 204, body: undefined });
    expect((await control(mock, 'GET', '/__mock/requests')).body).toEqual({ requests: [] });
  });

  it('GET and PUT /__mock/state: what the mock knows, settable', async () => {
    const put = await control(mock, 'PUT', '/__mock/state', { keyIds: [5001], taskNames: ['Taken'], agents: [{ agentId: 41, scenario: 'marketing' }] });
    expect(put).toEqual({ status: 200, body: { keyIds: [5001], taskNames: ['Taken'], agents: [{ agentId: 41, scenario: 'marketing' }] } });
    expect((await post(mock, SEND, task({ taskName: 'Taken' }))).body.code).toBe(-41);
    expect((await post(mock, UPDATE, { keyId: 5001, recallType: 0, recallInterval: 30, recallNum: 1 })).body.code).toBe(0);
    expect((await post(mock, UPDATE, { keyId: 299, recallType: 0, recallInterval: 30, recallNum: 1 })).body.code).toBe(-24); // left out: forgotten
    const created = (await post(mock, SEND, task())).body.data;
    expect((await control(mock, 'GET', '/__mock/state')).body.keyIds).toEqual([5001, created]);
  });

  it('PUT /__mock/state refuses what is not a state with findings at their paths (400)', async () => {
    const answer = await control(mock, 'PUT', '/__mock/state', { keyIds: [0], agents: [{ agentId: 41, scenario: 'sales' }], extra: true });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
    expect(answer.body.findings.map((f: any) => f.path)).toEqual(expect.arrayContaining(['', '/keyIds/0', '/agents/0/scenario']));
    expect((await control(mock, 'PUT', '/__mock/state', '{"keyIds": [1,')).status).toBe(400);
  });

  it('POST /__mock/reset: state, journal and faults as the mock started', async () => {
    await control(mock, 'PUT', '/__mock/state', { agents: [{ agentId: 7, scenario: 'marketing' }] });
    await control(mock, 'POST', '/__mock/faults', { status: 503 });
    expect(await control(mock, 'POST', '/__mock/reset')).toEqual({ status: 204, body: undefined });
    expect((await control(mock, 'GET', '/__mock/state')).body).toEqual({ keyIds: [299, 123123], taskNames: [], agents: [] });
    expect((await control(mock, 'GET', '/__mock/faults')).body).toEqual({ faults: [] });
    expect((await control(mock, 'GET', '/__mock/requests')).body).toEqual({ requests: [] });
    // An open world again: agent 41 is accepted.
    expect((await post(mock, SEND, task())).body.code).toBe('0');
  });

  it('POST, GET and DELETE /__mock/faults: queued in order, refused with findings when not a fault', async () => {
    await control(mock, 'DELETE', '/__mock/faults');
    expect(await control(mock, 'POST', '/__mock/faults', { operation: 'updateRecallFlow', example: 'dataNotFound' })).toEqual({
      status: 201,
      body: { faults: [{ operation: 'updateRecallFlow', example: 'dataNotFound', times: 1 }] },
    });
    await control(mock, 'POST', '/__mock/faults', { status: 502, times: 2 });
    expect((await control(mock, 'GET', '/__mock/faults')).body.faults).toHaveLength(2);
    for (const [body, path] of [
      [{ status: 502, drop: true }, ''],
      [{ status: 302 }, '/status'],
      [{ example: 'noSuchAnswer' }, '/example'],
      [{ operation: 'updateRecallFlow', example: 'taskNameExists' }, '/example'], // a name only the send has
      [{ delayMs: 1e9 }, '/delayMs'],
      [{ drop: true, times: 0 }, '/times'],
    ] as const) {
      const refused = await control(mock, 'POST', '/__mock/faults', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.findings.map((f: any) => f.path), JSON.stringify(body)).toContain(path);
    }
    expect((await control(mock, 'GET', '/__mock/faults')).body.faults).toHaveLength(2);
    expect(await control(mock, 'DELETE', '/__mock/faults')).toEqual({ status: 204, body: undefined });
  });

  it('answers a wrong method with 405 and Allow, and a browser preflight for PUT and DELETE', async () => {
    const wrong = await fetch(mock.url + '/__mock/state', { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, PUT, OPTIONS');
    const preflight = await fetch(mock.url + '/__mock/state', { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'PUT' } });
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');
  });
});

describe('the control API as its contract describes it', () => {
  let mock: MockServer;
  beforeAll(async () => (mock = await startMock()));
  afterAll(() => mock?.close());

  const routes = Object.entries<any>(controlContract.paths).flatMap(([path, item]) =>
    Object.entries<any>(item).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
  );

  it('documents the routes the mock serves (drift: the proxy only)', () => expect(routes.length).toBe(11));

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s answers with a status the contract lists', async (_name, route) => {
    const example = Object.values<any>(route.operation.requestBody?.content['application/json'].examples ?? {})[0]?.value;
    const answer = await fetch(mock.url + route.path, {
      method: route.method,
      ...(example ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(example) } : {}),
    });
    expect(Object.keys(route.operation.responses)).toContain(String(answer.status));
    // The body is what the contract says that status carries (or nothing, where it lists no content).
    const text = await answer.text();
    const media = route.operation.responses[String(answer.status)].content?.['application/json'];
    if (!media) expect(text).toBe('');
    else {
      expect(answer.headers.get('content-type')).toMatch(/^application\/json\b/);
      const validate = schemaAt('paths', route.path, route.method.toLowerCase(), 'responses', String(answer.status), 'content', 'application/json', 'schema');
      expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    }
    mock.reset();
  });

  it('a bad body gets 400 with findings, as the contract describes it', async () => {
    const answer = await control(mock, 'POST', '/__mock/faults', { status: 200 });
    expect(answer.status).toBe(400);
    const validate = schemaAt('components', 'responses', 'InvalidControlRequest', 'content', 'application/json', 'schema');
    expect(validate(answer.body), JSON.stringify(validate.errors)).toBe(true);
    expect(answer.body.findings).toContainEqual(expect.objectContaining({ path: '/status', keyword: 'minimum' }));
  });

  it(`queues at most ${maxQueuedFaults} faults (the contract's bound): one more is a 400, in-process a MockControlError`, async () => {
    for (let i = 0; i < maxQueuedFaults; i++) mock.addFault({ delayMs: 0 });
    expect(() => mock.addFault({ drop: true })).toThrow(MockControlError);
    const answer = await control(mock, 'POST', '/__mock/faults', { drop: true });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_request', findings: [{ path: '', keyword: 'maxItems' }] });
    expect(answer.body.findings[0].message).toContain(`at most ${maxQueuedFaults} faults`);
    expect(mock.faults()).toHaveLength(maxQueuedFaults);
    expect(controlContract.components.schemas.FaultList.properties.faults.maxItems).toBe(maxQueuedFaults);
    mock.clearFaults();
    expect(mock.addFault({ drop: true })).toHaveLength(1);
    mock.reset();
  });

  it('every example of a fault and of a state in the contract is one the mock takes', () => {
    for (const example of Object.values<any>(controlContract.paths['/__mock/faults'].post.requestBody.content['application/json'].examples)) {
      expect(() => mock.addFault(example.value)).not.toThrow();
    }
    for (const example of [
      ...Object.values<any>(controlContract.paths['/__mock/state'].put.requestBody.content['application/json'].examples).map((e) => e.value),
      ...controlContract.components.schemas.MockState.examples,
    ]) {
      expect(mock.setState(example)).toMatchObject({ agents: example.agents });
    }
    mock.reset();
  });
});

describe('MockControlError', () => {
  it('is built from one object, and its message lists the findings with their paths', () => {
    const error = new MockControlError({ message: 'PUT /__mock/state takes no such body', findings: [{ path: '/agents/0/agentId', keyword: 'minimum', message: 'must be >= 1' }] });
    expect(error.message).toBe('PUT /__mock/state takes no such body:\n  /agents/0/agentId: must be >= 1');
    expect(error.findings).toHaveLength(1);
    expect(new MockControlError({ message: 'the body ended early' }).findings).toEqual([]);
  });
});

describe('the same operations in-process', () => {
  let mock: MockServer;
  beforeAll(async () => (mock = await startMock()));
  afterAll(() => mock?.close());

  it('requests, clearRequests, state, setState, addFault, faults, clearFaults, reset', async () => {
    await post(mock, SEND, task());
    expect(mock.requests().map((r) => r.reason)).toEqual(['ok']);
    mock.clearRequests();
    expect(mock.requests()).toEqual([]);
    expect(mock.setState({ agents: [{ agentId: 41, scenario: 'debtCollection' }] })).toEqual({ keyIds: [], taskNames: [], agents: [{ agentId: 41, scenario: 'debtCollection' }] });
    expect(mock.state().agents).toHaveLength(1);
    expect(() => mock.setState({ agents: [{ agentId: -1, scenario: 'debtCollection' }] })).toThrow(/\/agents\/0\/agentId/);
    expect(mock.addFault({ drop: true })).toEqual([{ drop: true, times: 1 }]);
    expect(() => mock.addFault({ example: 'nope' })).toThrow(/no documented answer "nope"/);
    expect(mock.faults()).toEqual([{ drop: true, times: 1 }]);
    mock.clearFaults();
    expect(mock.faults()).toEqual([]);
    mock.reset();
    expect(mock.state()).toEqual({ keyIds: [299, 123123], taskNames: [], agents: [] });
  });
});

describe('the journal', () => {
  it('keeps the latest maxRequests, oldest first', async () => {
    const mock = await startMock({ maxRequests: 3 });
    try {
      for (let i = 0; i < 5; i++) await post(mock, SEND, task({ taskName: `journal ${i}` }));
      expect(mock.requests().map((r) => (r.body as { taskName: string }).taskName)).toEqual(['journal 2', 'journal 3', 'journal 4']);
    } finally {
      await mock.close();
    }
  });

  it('summarises a large body: a 200,000-number task is a small entry', async () => {
    const mock = await startMock();
    try {
      await post(mock, SEND, bigTask('journal big task'));
      const [entry] = mock.requests();
      const list = (entry!.body as { numberInfoList: unknown[] }).numberInfoList;
      expect(list).toHaveLength(6);
      expect(list[5]).toBe('… 199995 more items (200000 in all)');
      expect(JSON.stringify(entry).length).toBeLessThan(5_000);
    } finally {
      await mock.close();
    }
  });

  it('cuts long strings and header values, and keeps a __proto__ key as data', async () => {
    const mock = await startMock();
    try {
      await post(mock, SEND, `{"appId":"${'a'.repeat(1000)}","__proto__":{"polluted":true}}`, { 'x-long': 'v'.repeat(5000) });
      const [entry] = mock.requests();
      expect((entry!.body as Record<string, string>).appId).toBe(`${'a'.repeat(200)}… (1000 characters)`);
      expect(Object.keys(entry!.body as object)).toContain('__proto__');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(entry!.headers['x-long']).toHaveLength(256 + '… (5000 characters)'.length);
    } finally {
      await mock.close();
    }
  });
  // Node's own parser drops a header named __proto__, but MSW passes a page's headers as they are.
  it('keeps keys and header names like __proto__ as data, on plain objects', () => {
    const headers = journalHeaders([['__proto__', 'header'], ['Sign', 'secret'], ['Content-Type', 'application/json']]);
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toBe('header');
    expect(headers).toMatchObject({ sign: '(redacted)', 'content-type': 'application/json' });
    const body = summarise(JSON.parse('{"a":{"__proto__":{"polluted":true}},"constructor":1}')) as Record<string, Record<string, unknown>>;
    expect(Object.getOwnPropertyDescriptor(body.a, '__proto__')?.value).toEqual({ polluted: true });
    for (const kept of [headers, body, body.a]) expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('faults, as the SDK sees them', () => {
  let mock: MockServer;
  let voice: ReturnType<typeof createVoiceClient>;
  beforeAll(async () => {
    mock = await startMock();
    voice = createVoiceClient({ apiKey: API_KEY, apiSecret: API_SECRET, baseUrl: mock.url, timeoutMs: 2_000 });
  });
  afterAll(() => mock?.close());

  it('each kind becomes its typed error, used in the order queued, then the mock answers as usual', async () => {
    mock.addFault({ operation: 'sendAgentGroupCall', example: 'concurrentTaskLimit' });
    mock.addFault({ status: 502 });
    mock.addFault({ drop: true });
    mock.addFault({ delayMs: 3_000 });
    const outcomes: unknown[] = [];
    for (let i = 0; i < 5; i++) outcomes.push(await voice.sendAgentGroupCall(task() as never).catch((error: unknown) => error));
    expect(outcomes[0]).toBeInstanceOf(VoiceApiError);
    expect((outcomes[0] as VoiceApiError).code).toBe(-37);
    expect(outcomes[1]).toBeInstanceOf(VoiceHttpError);
    expect((outcomes[1] as VoiceHttpError).status).toBe(502);
    expect(outcomes[2]).toBeInstanceOf(VoiceNetworkError);
    expect(outcomes[3]).toBeInstanceOf(VoiceTimeoutError); // 3 s against the SDK's 2 s timeout
    expect(typeof outcomes[4]).toBe('number');
    // The delayed request goes on once its 3 s are over; by then the SDK had given up and closed the
    // connection, so its body never came (400, aborted). The journal lists requests as they were answered.
    await expect.poll(() => mock.requests().slice(-5).map((r) => [r.reason, r.status]), { timeout: 10_000 }).toEqual([
      ['fault', 200],
      ['fault', 502],
      ['fault', 0],
      ['ok', 200],
      ['body', 400],
    ]);
  });

  it('times counts down; a fault for one operation waits for it', async () => {
    mock.addFault({ operation: 'updateRecallFlow', status: 503, times: 2 });
    expect(typeof (await voice.sendAgentGroupCall(task() as never))).toBe('number');
    const update = { keyId: 299, recallType: 0, recallInterval: 30, recallNum: 1 } as never;
    for (let i = 0; i < 2; i++) await expect(voice.updateRecallFlow(update)).rejects.toBeInstanceOf(VoiceHttpError);
    await expect(voice.updateRecallFlow(update)).resolves.toBeUndefined();
    expect(mock.faults()).toEqual([]);
  });
});

describe('options', () => {
  it('auth off: unsigned requests are accepted, and journalled', async () => {
    const mock = await startMock({ auth: 'off' });
    try {
      const answer = await post(mock, SEND, task(), {}, { sign: false });
      expect(answer.body.code).toBe('0');
      expect(mock.requests()[0]).toMatchObject({ reason: 'ok', headers: expect.not.objectContaining({ sign: expect.anything() }) });
    } finally {
      await mock.close();
    }
  });

  it('latencyMs delays every API answer, which still comes and is journalled; the control API is not delayed', async () => {
    const mock = await startMock({ latencyMs: 300 });
    try {
      const impatient = createVoiceClient({ apiKey: API_KEY, apiSecret: API_SECRET, baseUrl: mock.url, timeoutMs: 50 });
      await expect(impatient.sendAgentGroupCall(task() as never)).rejects.toBeInstanceOf(VoiceTimeoutError);
      const patient = createVoiceClient({ apiKey: API_KEY, apiSecret: API_SECRET, baseUrl: mock.url, timeoutMs: 10_000 });
      const update = { keyId: 299, recallType: 0, recallInterval: 30, recallNum: 1 } as never;
      await expect(patient.updateRecallFlow(update)).resolves.toBeUndefined();
      // The control API answers at once, however long the API's answers wait.
      const health = await fetch(mock.url + '/__mock/health', { signal: AbortSignal.timeout(250) });
      expect(health.status).toBe(200);
      // The impatient client had closed its connection before the delay was over, so its body never
      // arrived whole (400, `body`); the patient one was answered as usual.
      await expect.poll(() => mock.requests().map((r) => [r.operation, r.reason, r.status])).toEqual([
        ['sendAgentGroupCall', 'body', 400],
        ['updateRecallFlow', 'ok', 200],
      ]);
    } finally {
      await mock.close();
    }
  });

  it('deterministic: the same requests in the same order get the same answers, keyIds from firstKeyId', async () => {
    const run = async () => {
      const mock = await startMock({ firstKeyId: 1000, knownKeyIds: [1001] });
      try {
        const answers = [];
        for (const name of ['a', 'b', 'a', 'c']) answers.push((await post(mock, SEND, task({ taskName: `deterministic ${name}` }))).body);
        return answers.map((a) => [a.code, a.data]);
      } finally {
        await mock.close();
      }
    };
    const first = await run();
    expect(first).toEqual([['0', 1000], ['0', 1002], [-41, null], ['0', 1003]]);
    expect(await run()).toEqual(first);
  });

  it('bound to a host that is not loopback, the control API is off unless switched on', async () => {
    // Bound to every interface (as a container would), reached here over loopback only.
    const everywhere = await startMock({ host: '0.0.0.0' });
    const switchedOn = await startMock({ host: '0.0.0.0', control: true });
    try {
      const local = (mock: MockServer) => `http://127.0.0.1:${mock.port}`;
      expect(everywhere.control).toBe(false);
      expect((await fetch(local(everywhere) + '/__mock/health')).status).toBe(404);
      expect((await post({ ...everywhere, url: local(everywhere) }, SEND, task())).body.code).toBe('0'); // the API itself answers
      expect(switchedOn.control).toBe(true);
      expect(await (await fetch(local(switchedOn) + '/__mock/health')).json()).toEqual({ status: 'ok' });
    } finally {
      await everywhere.close();
      await switchedOn.close();
    }
  });

  it('the control API is on by default on loopback and can be switched off', async () => {
    expect(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0') || isLoopback('192.168.1.5') || isLoopback('::')).toBe(false);
    const on = await startMock();
    const off = await startMock({ control: false });
    try {
      expect(on.control).toBe(true);
      expect(off.control).toBe(false);
      expect((await fetch(off.url + '/__mock/health')).status).toBe(404);
      // The in-process handle is the suite's own, and works either way.
      expect(off.faults()).toEqual([]);
    } finally {
      await on.close();
      await off.close();
    }
  });
});
