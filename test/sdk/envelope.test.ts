// The vendor's envelope is read strictly, by the contract's response schema: success is `code` exactly 0
// or "0", and a send's keyId is a positive int32. Every loose reading that once passed is refused here.
import { describe, expect, it } from 'vitest';
import { createVoiceClient, VoiceApiError, VoiceError, VoiceResponseError, type VoiceOperation } from '../../src/index.js';
import { operationIds } from '../../src/operations.js';
import { callOperation, flow, task } from './fixtures.js';
import { json, useLoopback } from './loopback.js';
import { credentials } from '../support/credentials.js';

const server = useLoopback();
const voice = () => createVoiceClient({ ...credentials, baseUrl: server.url });
const call = (operation: VoiceOperation) => callOperation(voice(), operation);
const operations = operationIds;

async function outcome(promise: Promise<unknown>): Promise<{ value: unknown } | { error: VoiceError }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => {
      expect(error).toBeInstanceOf(VoiceError);
      return { error: error as VoiceError };
    },
  );
}

describe('success is code 0 or "0", nothing looser', () => {
  const loose = ['0x0', '+0', '0e5', '0.0', ' \n0\t', '-0', '00', '', ' 0', '0 ', 'O', 'false'];
  const cases = operations.flatMap((operation) => loose.map((code) => [operation, code] as const));
  it.each(cases)('%s: code %j is a VoiceResponseError, not success', async (operation, code) => {
    server.respond(json({ code, msg: 'success', data: 123 }));
    const result = await outcome(call(operation));
    expect('error' in result && result.error).toBeInstanceOf(VoiceResponseError);
    expect((result as { error: VoiceError }).error.message).toContain(`response \`code\` is not an integer code such as -41 or "-41" (got ${JSON.stringify(code)})`);
  });

  it.each(operations.flatMap((operation) => [true, null, [0], { n: 0 }, 0.5, 2 ** 31, -(2 ** 31) - 1, '2147483648', '-041', '1e3'].map((code) => [operation, code] as const)))(
    '%s: code %j is a VoiceResponseError',
    async (operation, code) => {
      server.respond(json({ code, msg: 'no', data: null }));
      const result = await outcome(call(operation));
      expect('error' in result && result.error).toBeInstanceOf(VoiceResponseError);
    },
  );

  it.each([0, '0'])('%j with a keyId is success', async (code) => {
    server.respond(json({ code, msg: 'success', data: 77 }));
    await expect(voice().sendAgentGroupCall(task)).resolves.toBe(77);
  });

  it.each([[-41, -41], ['-41', -41], [5, 5], ['-2147483648', -2147483648], [-2147483648, -2147483648], ['-9', -9]] as const)(
    'code %j is the vendor refusing (VoiceApiError %d)',
    async (code, number) => {
      server.respond(json({ code, msg: 'no' }));
      const result = await outcome(voice().sendAgentGroupCall(task));
      expect('error' in result && result.error).toBeInstanceOf(VoiceApiError);
      expect((result as { error: VoiceApiError }).error.code).toBe(number);
    },
  );

  it('a megabyte of msg is kept as a snippet', async () => {
    server.respond(json({ code: -18, msg: 'x'.repeat(1_000_000) }));
    const result = (await outcome(voice().sendAgentGroupCall(task))) as { error: VoiceApiError };
    expect(result.error).toBeInstanceOf(VoiceApiError);
    expect(result.error.msg!.length).toBeLessThan(1000);
    expect(result.error.message.length).toBeLessThan(1000);
  });
});

describe('a keyId is a positive 32-bit integer', () => {
  it.each([
    [2147483648],
    ['2147483648'],
    [2 ** 53 - 1],
    [String(2 ** 53 - 1)],
    [0],
    ['0'],
    [-1],
    [1.5],
    ['041'],
    ['+41'],
    [' 41'],
    ['41 '],
    ['4.1e1'],
    [''],
    [true],
    [[41]],
    [{ keyId: 41 }],
    [null],
  ])('data %j is a VoiceResponseError, never a keyId', async (data) => {
    server.respond(json({ code: 0, msg: 'success', data }));
    const result = await outcome(voice().sendAgentGroupCall(task));
    expect('error' in result && result.error).toBeInstanceOf(VoiceResponseError);
    expect((result as { error: VoiceError }).error.message).toMatch(/^sendAgentGroupCall: code 0 but no task keyId in data/);
  });

  it('no data at all is no keyId either', async () => {
    server.respond(json({ code: '0', msg: 'success' }));
    const result = await outcome(voice().sendAgentGroupCall(task));
    expect((result as { error: VoiceError }).error.message).toContain('no task keyId in data (got nothing)');
  });

  it.each([
    [1, 1],
    [2147483647, 2147483647],
    ['2147483647', 2147483647],
    ['123', 123],
  ])('data %j is keyId %d', async (data, keyId) => {
    server.respond(json({ code: 0, msg: 'success', data }));
    await expect(voice().sendAgentGroupCall(task)).resolves.toBe(keyId);
  });

  it('an update ignores data: code alone decides', async () => {
    server.respond(json({ code: 0, msg: 'success', data: 'whatever' }));
    await expect(voice().updateRecallFlow(flow)).resolves.toBeUndefined();
  });
});
