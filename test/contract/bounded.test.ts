// validateRequest does work and holds memory bounded by the contract's bounds, not by the body: a list or
// map larger than the contract allows is refused on its size alone, the long list (numberInfoList) is
// validated item by item, and findings past `maxFindings` are only counted. Memory is asserted as heap
// growth, never time.
import { describe, expect, it } from 'vitest';
import { VoiceValidationError } from '../../src/errors.js';
import { DEFAULT_MAX_FINDINGS, formatFinding, MAX_COUNTED_FINDINGS, validateRequest } from '../../src/validation.js';
import { recallFlowUpdate, recallNode, sendTask } from '../support/rule-cases.js';

const MiB = 2 ** 20;
const MOCK_FINDINGS = 50;

/** Heap growth while `work` runs, in bytes (a bound, not a measurement: garbage may still be counted). */
function heapGrowth<T>(work: () => T): { result: T; growth: number } {
  const before = process.memoryUsage().heapUsed;
  const result = work();
  return { result, growth: process.memoryUsage().heapUsed - before };
}

describe('a list longer than the contract allows is refused on its length alone', () => {
  it('32 MiB of {} items (11 million): one finding, and the heap stays flat', () => {
    // The validator sees what JSON.parse would give; one shared `{}` keeps the test itself small.
    const count = Math.floor((32 * MiB) / 3);
    const body = { ...sendTask(), numberInfoList: new Array(count).fill({}) };
    const { result, growth } = heapGrowth(() => validateRequest('sendAgentGroupCall', body, { maxFindings: MOCK_FINDINGS }));
    expect(result).toEqual({
      valid: false,
      findings: [{ path: '/numberInfoList', message: 'must hold 1–200,000 numbers, one object each', keyword: 'maxItems' }],
      total: 1,
    });
    expect(growth).toBeLessThan(16 * MiB);
  });

  it('8 MiB of {} items parsed from JSON, as the mock receives them: one finding, heap flat', () => {
    const text = `{"appId":"a","taskName":"ab","agentId":1,"numberInfoList":[${new Array(Math.floor((8 * MiB) / 3)).fill('{}').join(',')}]}`;
    expect(text.length).toBeGreaterThan(8 * MiB);
    const parsed = JSON.parse(text);
    const { result, growth } = heapGrowth(() => validateRequest('sendAgentGroupCall', parsed, { maxFindings: MOCK_FINDINGS }));
    expect(result.total).toBe(1);
    expect(result.findings.map(formatFinding)).toEqual(['/numberInfoList: must hold 1–200,000 numbers, one object each']);
    expect(growth).toBeLessThan(16 * MiB);
  });

  it(`200,000 {} items (the most allowed): counted up to ${MAX_COUNTED_FINDINGS}, only maxFindings kept, heap bounded`, () => {
    const body = { ...sendTask(), numberInfoList: new Array(200_000).fill({}) };
    const { result, growth } = heapGrowth(() => validateRequest('sendAgentGroupCall', body, { maxFindings: MOCK_FINDINGS }));
    expect(result.total).toBe(MAX_COUNTED_FINDINGS);
    expect(result.findings).toHaveLength(MOCK_FINDINGS);
    expect(result.findings[49]).toEqual({ path: '/numberInfoList/49', message: "must have required property 'calleeNumber'", keyword: 'required' });
    // 200,000 findings at ~200 bytes each would be 40 MB, and Ajv's verbose errors several times that.
    expect(growth).toBeLessThan(64 * MiB);
  });

  it.each([
    ['allowSendTime', 'sendAgentGroupCall', { ...sendTask(), allowSendTime: new Array(1_000_000).fill({ strTime: 'x' }) }, '/allowSendTime', 'must hold at most 3 daily windows'],
    ['recallFlow.nodeList', 'sendAgentGroupCall', { ...sendTask(), recallFlow: { recallType: 0, recallInterval: 1, recallNum: 1, nodeList: new Array(1_000_000).fill({}) } }, '/recallFlow/nodeList', 'must hold at most 10 nodes, one per recall attempt'],
    ['recallFlow.recallIntent', 'sendAgentGroupCall', { ...sendTask(), recallFlow: { recallType: 3, recallInterval: 1, recallNum: 1, recallIntent: new Array(1_000_000).fill(7) } }, '/recallFlow/recallIntent', 'must hold at most 64 intent codes'],
    ['update nodeList', 'updateRecallFlow', { ...recallFlowUpdate(), nodeList: new Array(1_000_000).fill({ source: 9 }) }, '/nodeList', 'must hold at most 10 nodes, one per recall attempt'],
  ] as const)('%s: a million items, one finding', (_name, op, body, path, message) => {
    const { result, growth } = heapGrowth(() => validateRequest(op, body));
    expect(result.findings.map(formatFinding)).toEqual([`${path}: ${message}`]);
    expect(result.total).toBe(1);
    expect(growth).toBeLessThan(16 * MiB);
  });

  it('a callInformation map of a million bad values: one finding for its size', () => {
    const callInformation: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) callInformation[`k${i}`] = i;
    const body = { ...sendTask(), numberInfoList: [{ calleeNumber: '463200000007', callInformation }] };
    const result = validateRequest('sendAgentGroupCall', body);
    expect(result.findings.map(formatFinding)).toEqual(['/numberInfoList/0/callInformation: must hold at most 100 keys, one per script variable']);
    expect(result.total).toBe(1);
  });

  it('when sizes are refused, nothing else is checked: total counts the oversize lists only', () => {
    const body = { ...sendTask(), appId: '', allowSendTime: new Array(4).fill({}), numberInfoList: new Array(200_001).fill({}) };
    const result = validateRequest('sendAgentGroupCall', body);
    expect(result.findings.map((f) => f.path).sort()).toEqual(['/allowSendTime', '/numberInfoList']);
    expect(result.total).toBe(2);
  });

  it('a list at its bound is validated as usual', () => {
    const body = { ...sendTask(), allowSendTime: new Array(3).fill({ strTime: '09:00', endTime: '18:00' }) };
    expect(validateRequest('sendAgentGroupCall', body).valid).toBe(true);
  });

  it('unknown fields are never walked, however many', () => {
    const body: Record<string, unknown> = { ...recallFlowUpdate(recallNode()) };
    for (let i = 0; i < 200_000; i++) body[`extra${i}`] = new Array(10).fill({});
    expect(validateRequest('updateRecallFlow', body).valid).toBe(true);
  });
});

describe('counting stops at MAX_COUNTED_FINDINGS', () => {
  it('79,000 numbers with 100 wrong values each (7.9 million findings): the items past the count are never looked at', () => {
    const callInformation = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    let looked = 0;
    // Each item counts the reads of its calleeNumber: validating an item reads it; skipping it does not.
    const item = () => ({
      get calleeNumber() {
        looked++;
        return '463200000007';
      },
      callInformation,
    });
    const body = { ...sendTask(), numberInfoList: Array.from({ length: 79_000 }, item) };
    const result = validateRequest('sendAgentGroupCall', body, { maxFindings: MOCK_FINDINGS });
    expect(result.total).toBe(MAX_COUNTED_FINDINGS);
    expect(result.findings).toHaveLength(MOCK_FINDINGS);
    expect(result.findings[0]).toEqual({ path: '/numberInfoList/0/callInformation/k0', message: 'must be string', keyword: 'type' });
    // 100 findings an item: about 100 items explained, plus the fail-fast pass's first look.
    expect(looked).toBeLessThan(1_000);
  });

  it('the SDK says "or more" when the count stopped', () => {
    const error = new VoiceValidationError({ operation: 'sendAgentGroupCall', findings: [{ path: '/numberInfoList/0', message: 'x', keyword: 'required' }], total: MAX_COUNTED_FINDINGS });
    expect(error.message).toContain(`(${MAX_COUNTED_FINDINGS} or more problems)`);
  });
});

describe('findings are capped as they are made', () => {
  it(`keeps ${DEFAULT_MAX_FINDINGS} by default, with the exact count`, () => {
    const body = { ...sendTask(), numberInfoList: Array.from({ length: 5000 }, () => ({ calleeNumber: 'x' })) };
    const result = validateRequest('sendAgentGroupCall', body);
    expect(result.findings).toHaveLength(DEFAULT_MAX_FINDINGS);
    expect(result.total).toBe(5000);
  });

  it('problems outside the long list come first, so a cut list still shows them', () => {
    const body = { ...sendTask(), agentId: 0, numberInfoList: Array.from({ length: 500 }, () => ({ calleeNumber: 'x' })) };
    const result = validateRequest('sendAgentGroupCall', body, { maxFindings: MOCK_FINDINGS });
    expect(result.findings[0]).toEqual({ path: '/agentId', message: "must be a whole number from 1 to 2147483647 (the vendor's 32-bit Integer)", keyword: 'minimum' });
    expect(result.total).toBe(501);
  });

  it('items carry their full path, escaped as JSON Pointer segments', () => {
    const body = { ...sendTask(), numberInfoList: [{ calleeNumber: '463200000007' }, { calleeNumber: '463200000007', callInformation: { 'a/b~c': 1 } }] };
    expect(validateRequest('sendAgentGroupCall', body).findings.map(formatFinding)).toEqual(['/numberInfoList/1/callInformation/a~1b~0c: must be string']);
  });
});
