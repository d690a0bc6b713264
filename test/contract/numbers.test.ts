// Numbers the vendor's Java service cannot hold are refused: every `format: int32` field is bounded to what
// a Java int holds (or its narrower documented range), every number field refuses NaN and ±Infinity (JSON
// has neither: JSON.parse reads 1e400 as Infinity, JSON.stringify would send null). The fields are found
// in the contract itself, so a field added later is covered or this suite fails.
import { describe, expect, it } from 'vitest';
import { formatFinding, validateRequest, type OperationId } from '../../src/validation.js';
import { bundledContract, operationPaths } from '../support/contract.js';
import { recallFlowUpdate, recallNode, sendTask } from '../support/rule-cases.js';

const { dereferenced } = bundledContract();
const schemaOf = (op: OperationId) => dereferenced.paths[operationPaths[op]].post.requestBody.content['application/json'].schema;
const operations = Object.keys(operationPaths) as OperationId[];

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

interface NumberField {
  pointer: string;
  formats: Set<string>;
  schemas: any[];
}

/** Every location of the body whose schema (in any variant) admits a number, with its formats. */
function numberFields(schema: any): Map<string, NumberField> {
  const found = new Map<string, NumberField>();
  const walk = (s: any, pointer: string) => {
    if (typeof s !== 'object' || s === null) return;
    const types = [s.type ?? []].flat();
    const numericEnum = Array.isArray(s.enum) && s.enum.some((v: unknown) => typeof v === 'number');
    if (types.includes('integer') || types.includes('number') || numericEnum || typeof s.const === 'number') {
      const field = found.get(pointer) ?? { pointer, formats: new Set<string>(), schemas: [] };
      if (s.format) field.formats.add(s.format);
      field.schemas.push(s);
      found.set(pointer, field);
    }
    for (const [name, sub] of Object.entries<any>(s.properties ?? {})) walk(sub, `${pointer}/${name}`);
    if (s.items) walk(s.items, `${pointer}/0`);
    for (const key of ['allOf', 'anyOf', 'oneOf']) for (const sub of s[key] ?? []) walk(sub, pointer);
  };
  walk(schema, '');
  return found;
}

/** Valid bodies in which every number field of the contract is present (checked below). */
const fullBodies: Record<OperationId, () => any> = {
  sendAgentGroupCall: () => ({
    ...sendTask(),
    maxCalls: 300,
    maxRingingTime: 60,
    enableRecording: 1,
    calloutRate: 1,
    recallFlow: { recallType: 3, recallInterval: 30, recallNum: 1, recallIntent: ['205'], nodeList: [{ agentId: 41 }] },
  }),
  updateRecallFlow: () =>
    recallFlowUpdate(
      recallNode({
        source: 3,
        voiceFileId: null,
        text: 'Hello',
        lan: 'EN',
        speakingRate: 1,
        ssmlGender: 2,
        accent: 1,
        hangUpSms: 1,
        idxSmsAppId: 5,
        smsContent: 'Hi',
        feedbackPush: 0,
        successPush: 1,
        successPushTime: 10,
        failedPush: 0,
        ringPush: 0,
        toSeat: 1,
        sipGroupId: 1000038,
        outboundControl: 1,
        calloutRate: 1,
        toSeatType: 2,
        toSeatKey: '0',
        delayTransfer: 0,
      }),
    ),
};

function setAt(body: any, pointer: string, value: unknown): any {
  const parts = pointer.split('/').slice(1);
  const key = parts.pop()!;
  parts.reduce((node, part) => node[part], body)[key] = value;
  return body;
}

function getAt(body: any, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce((node, part) => node?.[part], body);
}

const fields = Object.fromEntries(operations.map((op) => [op, numberFields(schemaOf(op))])) as Record<OperationId, Map<string, NumberField>>;
const int32Cases = operations.flatMap((op) => [...fields[op].values()].filter((f) => f.formats.has('int32')).map((f) => [op, f.pointer] as const));
const numberCases = operations.flatMap((op) => [...fields[op].keys()].map((pointer) => [op, pointer] as const));

describe('the fields under test are the contract’s', () => {
  it.each(operations)('%s: the full body is valid and holds every number field', (op) => {
    const body = fullBodies[op]();
    expect(validateRequest(op, body).findings.map(formatFinding)).toEqual([]);
    for (const pointer of fields[op].keys()) expect(typeof getAt(body, pointer), pointer).toBe('number');
  });

  it('finds the int32 fields (a sanity check that the walk sees the contract)', () => {
    expect(int32Cases.map(([op, p]) => `${op}${p}`)).toEqual(
      expect.arrayContaining(['sendAgentGroupCall/agentId', 'sendAgentGroupCall/recallFlow/nodeList/0/agentId', 'updateRecallFlow/keyId', 'updateRecallFlow/nodeList/0/sipGroupId']),
    );
  });

  it.each(int32Cases)('%s %s: format int32 comes with a minimum and a maximum inside the int32 range', (op, pointer) => {
    // One variant bounding it is enough: the variants are combined with allOf, so the tightest bound holds.
    const field = fields[op].get(pointer)!;
    const bounded = field.schemas.filter((s) => s.format === 'int32');
    for (const s of bounded) {
      expect(s.minimum, `${pointer} minimum`).toBeGreaterThanOrEqual(INT32_MIN);
      expect(s.maximum, `${pointer} maximum`).toBeLessThanOrEqual(INT32_MAX);
    }
  });

  it('every int64 field is bounded to integers JSON parsers hold exactly', () => {
    const int64 = operations.flatMap((op) => [...fields[op].values()].filter((f) => f.formats.has('int64')));
    for (const field of int64) {
      for (const s of field.schemas.filter((x) => x.format === 'int64')) {
        expect(s.minimum, field.pointer).toBeGreaterThanOrEqual(-Number.MAX_SAFE_INTEGER);
        expect(s.maximum, field.pointer).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
      }
    }
  });
});

describe('values a Java int cannot hold are refused at their path', () => {
  const attacks: [string, number][] = [
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['NaN', NaN],
    ['2**31', 2 ** 31],
    ['1e20', 1e20],
    ['-2**31-1', -(2 ** 31) - 1],
  ];
  const cases = int32Cases.flatMap(([op, pointer]) => attacks.map(([name, value]) => [op, pointer, name, value] as const));
  it.each(cases)('%s %s = %s', (op, pointer, _name, value) => {
    const { valid, findings } = validateRequest(op, setAt(fullBodies[op](), pointer, value));
    expect(valid).toBe(false);
    expect(findings.map((f) => f.path), findings.map(formatFinding).join('\n')).toContain(pointer);
  });

  it('the largest int32 is accepted where the contract gives no narrower range', () => {
    expect(validateRequest('updateRecallFlow', { ...fullBodies.updateRecallFlow(), keyId: INT32_MAX }).valid).toBe(true);
    expect(validateRequest('sendAgentGroupCall', { ...fullBodies.sendAgentGroupCall(), agentId: INT32_MAX, calloutRate: INT32_MIN }).valid).toBe(true);
  });

  it.each([
    ['2147483647', true],
    ['2147483648', false],
    ['9999999999', false],
    ['041', false],
    ['+41', false],
    [' 41', false],
    ['4.1', false],
  ])('a recall node agentId in digits is bounded like the number: %j → %s', (agentId, ok) => {
    const body = fullBodies.sendAgentGroupCall();
    body.recallFlow.nodeList = [{ agentId }];
    const { valid, findings } = validateRequest('sendAgentGroupCall', body);
    expect(valid, findings.map(formatFinding).join('\n')).toBe(ok);
    if (!ok) expect(findings.map((f) => f.path)).toContain('/recallFlow/nodeList/0/agentId');
  });
});

describe('NaN and ±Infinity are refused by every number field', () => {
  const cases = numberCases.flatMap(([op, pointer]) => [NaN, Infinity, -Infinity].map((value) => [op, pointer, value] as const));
  it.each(cases)('%s %s = %s', (op, pointer, value) => {
    const { valid, findings } = validateRequest(op, setAt(fullBodies[op](), pointer, value));
    expect(valid).toBe(false);
    expect(findings.map((f) => f.path)).toContain(pointer);
  });

  it.each([
    ['sendAgentGroupCall', '{"appId":"a","taskName":"ab","agentId":1e400,"numberInfoList":[{"calleeNumber":"123456"}]}', '/agentId'],
    ['sendAgentGroupCall', '{"appId":"a","taskName":"ab","agentId":-1e400,"numberInfoList":[{"calleeNumber":"123456"}]}', '/agentId'],
    ['updateRecallFlow', '{"keyId":1e400,"recallType":0,"recallInterval":30,"recallNum":1}', '/keyId'],
    ['updateRecallFlow', '{"keyId":1,"recallType":0,"recallInterval":30,"recallNum":1,"nodeList":[{"source":3,"text":"Hi","lan":"EN","speakingRate":1e400,"hangUpSms":0,"toSeat":0}]}', '/nodeList/0/speakingRate'],
  ] as const)('%s: raw JSON %s (JSON.parse gives Infinity) is refused', (op, raw, pointer) => {
    const parsed = JSON.parse(raw);
    expect(Number.isFinite(getAt(parsed, pointer))).toBe(false);
    const { valid, findings } = validateRequest(op, parsed);
    expect(valid).toBe(false);
    expect(findings.map((f) => f.path)).toContain(pointer);
  });
});
