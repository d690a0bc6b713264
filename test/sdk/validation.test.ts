// Validation before sending: every rule of the contract refuses its body with nothing sent at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoiceClient, MAX_COUNTED_FINDINGS, VoiceValidationError, type VoiceClient } from '../../src/index.js';
import type { OperationId } from '../../src/operations.js';
import { ruleCases, sendTask } from '../support/rule-cases.js';
import { callOperation } from './fixtures.js';
import { json, startLoopback, type Loopback } from './loopback.js';
import { credentials } from '../support/credentials.js';

let server: Loopback;
let voice: VoiceClient;
beforeAll(async () => {
  server = await startLoopback();
  server.respond(json({ code: 0, msg: 'success', data: 1 }));
  voice = createVoiceClient({ ...credentials, baseUrl: server.url });
});
afterAll(() => server.close());

const send = (client: VoiceClient, operation: OperationId, body: unknown) => callOperation(client, operation, body);

describe('a body the contract refuses is never sent', () => {
  // Run the refusals on a server no valid request ever reaches, so "zero connections" means what it says.
  let silent: Loopback;
  let guarded: VoiceClient;
  beforeAll(async () => {
    silent = await startLoopback();
    guarded = createVoiceClient({ ...credentials, baseUrl: silent.url });
  });
  afterAll(() => {
    expect(silent.connections()).toBe(0);
    return silent.close();
  });

  it.each(ruleCases.map((c) => [c.name, c] as const))('%s', async (_name, rule) => {
    const error = await send(guarded, rule.operation, rule.invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoiceValidationError);
    const refusal = error as VoiceValidationError;
    expect(refusal.operation).toBe(rule.operation);
    expect(refusal.findings.map((f) => f.path)).toContain(rule.path);
    expect(refusal.message).toContain(`${rule.path || '(body)'}: `);
    expect(silent.connections()).toBe(0);
    expect(silent.requests).toHaveLength(0);
  });
});

describe('the nearest valid body is sent', () => {
  it.each(ruleCases.map((c) => [c.name, c] as const))('%s', async (_name, rule) => {
    const before = server.requests.length;
    await send(voice, rule.operation, rule.fixed);
    expect(server.requests.length).toBe(before + 1);
  });
});

describe('the refusal names every problem with its JSON path', () => {
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => ({ calleeNumber: String(460000000000 + i) }));

  it('points into a large list', async () => {
    const body = { ...sendTask(), numberInfoList: numbers(2000) };
    body.numberInfoList[1834]!.calleeNumber = '12-34';
    const error = (await voice.sendAgentGroupCall(body as never).catch((e) => e)) as VoiceValidationError;
    expect(error.findings).toEqual([{ path: '/numberInfoList/1834/calleeNumber', message: 'must be 6–18 digits: country code + mobile number, no + or spaces', keyword: 'pattern' }]);
    expect(error.message).toBe(
      'sendAgentGroupCall: the contract refuses this request (1 problem); nothing was sent:\n  /numberInfoList/1834/calleeNumber: must be 6–18 digits: country code + mobile number, no + or spaces',
    );
  });

  it('keeps all findings and lists the first 50 in the message', async () => {
    const body = { ...sendTask(), numberInfoList: numbers(500) };
    for (let i = 0; i < 120; i++) body.numberInfoList[i * 4]!.calleeNumber = 'x';
    const error = (await voice.sendAgentGroupCall(body as never).catch((e) => e)) as VoiceValidationError;
    expect(error.findings).toHaveLength(120);
    expect(error.findings[119]!.path).toBe('/numberInfoList/476/calleeNumber');
    const lines = error.message.split('\n');
    expect(lines[0]).toContain('(120 problems)');
    expect(lines).toHaveLength(1 + 50 + 1);
    expect(lines.at(-1)).toBe('  … and 70 more (see .findings)');
  });

  it('keeps the first 1,000 findings of a 200,000-number body and counts them up to 10,000', async () => {
    const body = { ...sendTask(), numberInfoList: Array.from({ length: 200_000 }, () => ({ calleeNumber: 'x' })) };
    const error = (await voice.sendAgentGroupCall(body as never).catch((e) => e)) as VoiceValidationError;
    expect(error).toBeInstanceOf(VoiceValidationError);
    expect(error.findings).toHaveLength(1000);
    expect(error.total).toBe(MAX_COUNTED_FINDINGS);
    const lines = error.message.split('\n');
    expect(lines[0]).toContain('(10000 or more problems)');
    expect(lines.at(-1)).toBe('  … and at least 9950 more (.findings holds the first 1000)');
  });

  it('refuses a list far past its maxItems on its length, without reading the items', async () => {
    const body = { ...sendTask(), numberInfoList: new Array(3_000_000).fill({}) };
    const error = (await voice.sendAgentGroupCall(body as never).catch((e) => e)) as VoiceValidationError;
    expect(error.findings).toEqual([{ path: '/numberInfoList', message: 'must hold 1–200,000 numbers, one object each', keyword: 'maxItems' }]);
    expect(error.total).toBe(1);
  });

  it('lists problems in different places together', async () => {
    const body = { ...sendTask(), agentId: 0, taskName: 'A' };
    const error = (await voice.sendAgentGroupCall(body as never).catch((e) => e)) as VoiceValidationError;
    expect(error.findings.map((f) => f.path).sort()).toEqual(['/agentId', '/taskName']);
  });
});

describe('validate: false', () => {
  it('sends a body the contract refuses, so the vendor can judge it', async () => {
    const loose = createVoiceClient({ ...credentials, baseUrl: server.url, validate: false });
    const body = { ...sendTask(), agentId: 0 };
    const before = server.requests.length;
    await expect(loose.sendAgentGroupCall(body as never)).resolves.toBe(1);
    expect(server.requests.length).toBe(before + 1);
    expect(JSON.parse(server.requests.at(-1)!.body).agentId).toBe(0);
  });
});
