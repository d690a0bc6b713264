// One verdict for the SDK's validator and the mock, fuzzed: bodies generated from the contract's schemas
// go to both, and the mock, over signed HTTP, must agree with the validator finding for finding. Seeded
// and bounded (a few hundred requests), so a failure reproduces and the suite stays quick.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRequest, type OperationId } from '../../src/validation.js';
import { DEFAULT_MAX_FINDINGS, type MockServer } from '../../mocks/index.js';
import { guaranteedInvalid, mutationCategories, validBody } from '../support/arbitrary.js';
import { bundledContract, operationPaths } from '../support/contract.js';
import { post, startMock } from './harness.js';

const SEED = 20261124;
const RUNS = 60; // per operation and property: 4 × 60 generated requests plus the hostile cases below
const { dereferenced } = bundledContract();
const operations = Object.keys(operationPaths) as OperationId[];
const schemaOf = (op: OperationId) => dereferenced.paths[operationPaths[op]].post.requestBody.content['application/json'].schema;

let mock: MockServer;
let sequence = 0;

// Generated updates name random keyIds; the mock must know them (as a frontend declares with
// ITNIO_MOCK_KEY_IDS), or a valid body would meet the state check (-24) instead of the contract.
const samples = Object.fromEntries(
  operations.map((op) => [op, fc.sample(validBody(schemaOf(op)), { seed: SEED, numRuns: RUNS })]),
) as unknown as Record<OperationId, { value: any }[]>;
const keyIds = samples.updateRecallFlow.map((g) => g.value.keyId).filter((k): k is number => Number.isInteger(k) && k > 0);

beforeAll(async () => {
  mock = await startMock({ knownKeyIds: keyIds });
});
afterAll(() => mock?.close());

/** A send gets a taskName of its own (the mock refuses a reused one with -41); still 2–64 characters. */
function unique(op: OperationId, body: any): any {
  if (op !== 'sendAgentGroupCall' || body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return { ...body, taskName: `verdict ${process.pid} ${++sequence}` };
}

/**
 * Sends the JSON text to the mock and checks its answer against the validator's verdict on the same text
 * as the mock parses it: 0 when valid, else -22 with exactly the validator's (first 50) findings and total.
 */
async function sameVerdict(op: OperationId, text: string): Promise<boolean> {
  const expected = validateRequest(op, JSON.parse(text), { maxFindings: DEFAULT_MAX_FINDINGS });
  const answer = await post(mock, operationPaths[op], text);
  expect(answer.status, answer.text.slice(0, 300)).toBe(200);
  if (expected.valid) {
    expect(Number(answer.body.code), answer.text.slice(0, 300)).toBe(0);
  } else {
    expect(answer.body.code, answer.text.slice(0, 300)).toBe(-22);
    expect(answer.body.findings).toEqual(expected.findings);
    expect(answer.body.findingsTotal).toBe(expected.total);
  }
  return expected.valid;
}

describe.each(operations)('%s: the validator and the mock agree', (op) => {
  const bodies = validBody(schemaOf(op));

  it('valid generated bodies: accepted by both (code 0 over signed HTTP)', async () => {
    for (const generated of samples[op]) {
      const body = unique(op, generated.value);
      expect(validateRequest(op, body).findings).toEqual([]);
      expect(await sameVerdict(op, JSON.stringify(body))).toBe(true);
    }
  });

  it(`mutated bodies (${mutationCategories.join(', ')}): refused by both with the same findings`, async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(bodies.chain(guaranteedInvalid), async (mutation) => {
        seen.add(mutation.category);
        // Not renamed: a refused body never reaches the taskName check, and renaming could undo the mutation.
        const body = mutation.body;
        expect(validateRequest(op, body).valid, `${mutation.kind} at ${mutation.pointer}`).toBe(false);
        expect(await sameVerdict(op, JSON.stringify(body)), `${mutation.kind} at ${mutation.pointer}`).toBe(false);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect([...seen].sort()).toEqual([...mutationCategories].sort()); // the run really tried every kind
  });
});

/** A valid body's JSON text with `insert` placed right after the opening brace of the root object. */
const withField = (body: unknown, insert: string) => `{${insert},${JSON.stringify(body).slice(1)}`;
/** The same, inside the first object under `key` (e.g. the first numberInfoList item). */
function withFieldAt(body: unknown, marker: string, insert: string): string {
  const text = JSON.stringify(body);
  const at = text.indexOf(marker);
  if (at === -1) throw new Error(`no ${marker} in ${text}`);
  return text.slice(0, at + marker.length) + insert + ',' + text.slice(at + marker.length);
}

describe('hostile bodies: the same verdict, no crash, no hang', () => {
  const send = () => unique('sendAgentGroupCall', samples.sendAgentGroupCall.find((g) => (g.value as any).numberInfoList?.length)!.value);
  const update = () => samples.updateRecallFlow[0]!.value;
  const deep = (depth: number, open: string, close: string, leaf = '1') => open.repeat(depth) + leaf + close.repeat(depth);

  const cases: [string, OperationId, () => string, 'valid' | 'invalid' | 'either'][] = [
    ['__proto__ at the root', 'sendAgentGroupCall', () => withField(send(), '"__proto__":{"polluted":true}'), 'either'],
    ['constructor.prototype at the root', 'updateRecallFlow', () => withField(update(), '"constructor":{"prototype":{"polluted":true}}'), 'either'],
    ['__proto__ in a number item', 'sendAgentGroupCall', () => withFieldAt(send(), '"numberInfoList":[{', '"__proto__":{"calleeNumber":"1"}'), 'either'],
    ['__proto__ as a script value', 'sendAgentGroupCall', () => withFieldAt(send(), '"numberInfoList":[{', '"callInformation":{"__proto__":"x","constructor":"y"}'), 'either'],
    ['__proto__ replacing numberInfoList', 'sendAgentGroupCall', () => JSON.stringify(send()).replace('"numberInfoList"', '"__proto__"'), 'invalid'],
    ['an array nested 10,000 deep at the root', 'sendAgentGroupCall', () => withField(send(), `"deep":${deep(10_000, '[', ']')}`), 'either'],
    ['an object nested 10,000 deep as a number item', 'sendAgentGroupCall', () => withFieldAt(send(), '"numberInfoList":[', `${deep(10_000, '{"a":', '}')}`), 'invalid'],
    ['an array nested 10,000 deep as the keyId', 'updateRecallFlow', () => JSON.stringify({ ...update(), keyId: '@@' }).replace('"@@"', deep(10_000, '[', ']')), 'invalid'],
    ['a 1 MB taskName', 'sendAgentGroupCall', () => JSON.stringify({ ...send(), taskName: 'x'.repeat(1_000_000) }), 'invalid'],
    ['a 4 MB unknown field', 'sendAgentGroupCall', () => withField(send(), `"notes":"${'n'.repeat(4_000_000)}"`), 'either'],
    ['a 1 MB calleeNumber of digits', 'sendAgentGroupCall', () => JSON.stringify({ ...send(), numberInfoList: [{ calleeNumber: '4'.repeat(1_000_000) }] }), 'invalid'],
    ['unicode taskName (CJK and emoji)', 'sendAgentGroupCall', () => JSON.stringify({ ...send(), taskName: `任务😀 ${++sequence} ñ \u202e` }), 'valid'],
    ['a taskName of 33 emoji (66 UTF-16 units)', 'sendAgentGroupCall', () => JSON.stringify({ ...send(), taskName: '😀'.repeat(33) }), 'invalid'],
    ['lone surrogates and NUL in a string, escaped', 'sendAgentGroupCall', () => JSON.stringify({ ...send(), taskName: `\ud800\u0000\udfff ${++sequence}` }), 'valid'],
    ['unicode digits as a calleeNumber', 'sendAgentGroupCall', () => JSON.stringify({ ...send(), numberInfoList: [{ calleeNumber: '٤٦٠٠٠٠٠٠٠٠٠٠' }] }), 'invalid'],
    ['a keyId past 2^63 as raw JSON text', 'updateRecallFlow', () => JSON.stringify({ ...update(), keyId: '@@' }).replace('"@@"', '9223372036854775807'), 'invalid'],
    ['a keyId of 1e400 (Infinity once parsed)', 'updateRecallFlow', () => JSON.stringify({ ...update(), keyId: '@@' }).replace('"@@"', '1e400'), 'invalid'],
    ['a keyId of -0', 'updateRecallFlow', () => JSON.stringify({ ...update(), keyId: '@@' }).replace('"@@"', '-0'), 'invalid'],
    ['a duplicated key, the last one invalid', 'updateRecallFlow', () => withField(update(), '"keyId":1').replace(/}$/, ',"keyId":"x"}'), 'invalid'],
  ];

  it.each(cases)('%s', async (_name, op, make, expected) => {
    const text = make();
    const valid = await sameVerdict(op, text);
    if (expected !== 'either') expect(valid ? 'valid' : 'invalid').toBe(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('calleeNumber');
  });

  it('still answers a valid signed request afterwards', async () => {
    expect(await sameVerdict('sendAgentGroupCall', JSON.stringify(send()))).toBe(true);
  });
});
