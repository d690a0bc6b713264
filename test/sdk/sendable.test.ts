// Nothing unchecked is sent: NaN and ±Infinity (which JSON.stringify would send as null), BigInts and
// cycles are refused before serialising, anywhere in the body (unknown fields included), with their JSON
// path, whether or not the contract is checked (validate: false turns off the contract, not JSON).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoiceClient, VoiceValidationError, type VoiceClient } from '../../src/index.js';
import { flow, task } from './fixtures.js';
import { startLoopback, type Loopback } from './loopback.js';
import { credentials } from '../support/credentials.js';

// A server no request may reach: every body here must be refused before anything is sent.
let silent: Loopback;
let strict: VoiceClient;
let loose: VoiceClient;
beforeAll(async () => {
  silent = await startLoopback();
  strict = createVoiceClient({ ...credentials, baseUrl: silent.url });
  loose = createVoiceClient({ ...credentials, baseUrl: silent.url, validate: false });
});
afterAll(() => {
  expect(silent.connections()).toBe(0);
  return silent.close();
});

async function refusal(promise: Promise<unknown>): Promise<VoiceValidationError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VoiceValidationError);
  return error as VoiceValidationError;
}

const modes = [
  ['validate: true', () => strict],
  ['validate: false', () => loose],
] as const;

describe.each(modes)('%s', (_mode, voice) => {
  it.each([
    ['agentId Infinity', { ...task, agentId: Infinity }, '/agentId'],
    ['agentId NaN', { ...task, agentId: NaN }, '/agentId'],
    ['maxCalls -Infinity', { ...task, maxCalls: -Infinity }, '/maxCalls'],
    ['an unknown field', { ...task, priority: Infinity }, '/priority'],
    ['deep in an unknown field', { ...task, extra: { a: [1, { b: NaN }] } }, '/extra/a/1/b'],
    ['in callInformation', { ...task, numberInfoList: [{ calleeNumber: '463200000007', callInformation: { 'a/b': Infinity } }] }, '/numberInfoList/0/callInformation/a~1b'],
    ['a boxed number', { ...task, agentId: new Number(NaN) }, '/agentId'],
    ['what a toJSON returns', { ...task, extra: { toJSON: () => ({ x: NaN }) } }, '/extra/x'],
  ])('send: %s is refused with its path', async (_name, body, path) => {
    const error = await refusal(voice().sendAgentGroupCall(body as never));
    expect(error.findings.map((f) => f.path)).toContain(path);
    expect(error.message).toContain('nothing was sent');
  });

  it('update: keyId Infinity is refused with its path', async () => {
    const error = await refusal(voice().updateRecallFlow({ ...flow, keyId: Infinity }));
    expect(error.findings.map((f) => f.path)).toEqual(['/keyId']);
  });

  it('a BigInt is refused with its path, not thrown from JSON.stringify', async () => {
    const error = await refusal(voice().sendAgentGroupCall({ ...task, agentId: 41n } as never));
    expect(error.findings.map((f) => f.path)).toEqual(['/agentId']);
  });

  it('a cycle is refused with its path', async () => {
    const body: Record<string, unknown> = { ...task };
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    body.extra = loop;
    const error = await refusal(voice().sendAgentGroupCall(body as never));
    expect(error.findings.map((f) => f.path)).toEqual(['/extra/self']);
  });

  it('a million NaNs: the first 1,000 findings and the count', async () => {
    const error = await refusal(voice().sendAgentGroupCall({ ...task, extra: new Array(1_000_000).fill(NaN) } as never));
    expect(error.findings).toHaveLength(1000);
    expect(error.total).toBe(1_000_000);
  });

  it('10,000-deep nesting is walked without overflowing the stack', async () => {
    let deep: unknown = Infinity;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const error = await refusal(voice().sendAgentGroupCall({ ...task, extra: deep } as never));
    expect(error.findings[0]!.path).toBe(`/extra${'/a'.repeat(10_000)}`);
  });
});

describe('the refusal says why', () => {
  it('with validate: false, the JSON finding', async () => {
    const error = await refusal(loose.updateRecallFlow({ ...flow, keyId: Infinity }));
    expect(error.findings).toEqual([{ path: '/keyId', message: 'must be a finite number: JSON has no Infinity (JSON.stringify would send null)', keyword: 'json' }]);
    expect(error.message).toBe(
      'updateRecallFlow: this body cannot be sent as JSON (1 problem); nothing was sent:\n  /keyId: must be a finite number: JSON has no Infinity (JSON.stringify would send null)',
    );
  });

  it('with validation on, the contract speaks first where it knows the field, and JSON where it does not', async () => {
    const known = await refusal(strict.updateRecallFlow({ ...flow, keyId: Infinity }));
    expect(known.findings).toEqual([{ path: '/keyId', message: 'must be integer', keyword: 'type' }]);
    const unknown = await refusal(strict.updateRecallFlow({ ...flow, retries: NaN } as never));
    expect(unknown.findings).toEqual([{ path: '/retries', message: 'must be a finite number: JSON has no NaN (JSON.stringify would send null)', keyword: 'json' }]);
  });

  it('genuine nulls are no reason to refuse', async () => {
    const server = await startLoopback();
    try {
      const voice = createVoiceClient({ apiKey: 'k', apiSecret: 's', baseUrl: server.url });
      await expect(voice.sendAgentGroupCall({ ...task, maxCalls: null, extra: [null] } as never)).resolves.toBe(1);
      expect(JSON.parse(server.requests[0]!.body)).toMatchObject({ maxCalls: null, extra: [null] });
    } finally {
      await server.close();
    }
  });
});

describe('what JSON carries is sent as it is', () => {
  it('shared (not circular) objects, toJSON, large finite numbers and -0 pass the check', async () => {
    const server = await startLoopback();
    try {
      const voice = createVoiceClient({ apiKey: 'k', apiSecret: 's', baseUrl: server.url, validate: false });
      const shared = { n: 1 };
      const body = { ...task, a: shared, b: [shared, shared], when: new Date(0), big: 1e300, zero: -0 };
      await expect(voice.sendAgentGroupCall(body as never)).resolves.toBe(1);
      expect(server.requests[0]!.body).toBe(JSON.stringify(body));
    } finally {
      await server.close();
    }
  });
});
