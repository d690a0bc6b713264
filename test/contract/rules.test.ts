import { describe, expect, it } from 'vitest';
import { formatFinding, validateRequest } from '../../src/validation.js';
import { acceptedQuirks, ruleCases } from '../support/rule-cases.js';

describe('each rule of the contract refuses the body that breaks it and accepts the nearest fix', () => {
  it.each(ruleCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const refused = validateRequest(c.operation, c.invalid);
    expect(refused.valid).toBe(false);
    expect(refused.findings.map((f) => f.path), refused.findings.map(formatFinding).join('\n')).toContain(c.path);
    const fixed = validateRequest(c.operation, c.fixed);
    expect(fixed.findings.map(formatFinding)).toEqual([]);
  });

  it('rule names are unique, so a failure names one rule', () => {
    expect(new Set(ruleCases.map((c) => c.name)).size).toBe(ruleCases.length);
  });
});

describe('what the vendor accepts, the contract accepts', () => {
  it.each(acceptedQuirks.map((q) => [q.name, q] as const))('%s', (_name, q) => {
    expect(validateRequest(q.operation, q.body).findings.map(formatFinding)).toEqual([]);
  });
});

describe('findings name the variant the body meant, not every variant it did not', () => {
  const node = { source: 1, voiceFileId: 'a.wav', hangUpSms: 0, toSeat: 0 };
  const update = (n: object) => ({ keyId: 299, recallType: 0, recallInterval: 30, recallNum: 1, nodeList: [n] });

  it('source 1 without voiceFileId: one finding, about voiceFileId', () => {
    const { findings } = validateRequest('updateRecallFlow', update({ ...node, voiceFileId: undefined }));
    expect(findings.map(formatFinding)).toEqual(["/nodeList/0: must have required property 'voiceFileId'"]);
  });

  it('an unknown source: one finding listing the allowed values', () => {
    const { findings } = validateRequest('updateRecallFlow', update({ ...node, source: 9 }));
    expect(findings.map(formatFinding)).toEqual(['/nodeList/0/source: must be one of 1, 2, 3']);
  });

  it('hang-up SMS with no trigger: one finding naming the four triggers', () => {
    const { findings } = validateRequest('updateRecallFlow', update({ ...node, hangUpSms: 1, smsContent: 'Hi' }));
    expect(findings.map(formatFinding)).toEqual([
      '/nodeList/0: must have at least one of: feedbackPush = 1, successPush = 1, failedPush = 1, ringPush = 1',
    ]);
  });

  it('recallFlow of the wrong type: one finding', () => {
    const body = { appId: 'a', taskName: 'ab', agentId: 1, numberInfoList: [{ calleeNumber: '123456' }], recallFlow: 5 };
    expect(validateRequest('sendAgentGroupCall', body).findings.map(formatFinding)).toEqual(['/recallFlow: must be object or null']);
  });

  it('every problem is reported, each with its path', () => {
    const body = { appId: '', taskName: 'x', agentId: 0, numberInfoList: [{ calleeNumber: '1' }, { calleeNumber: '463200000007' }, { calleeNumber: 'abc' }] };
    expect(validateRequest('sendAgentGroupCall', body).findings.map(formatFinding)).toEqual([
      '/appId: must be 1–64 characters',
      '/taskName: must be 2–64 characters',
      "/agentId: must be a whole number from 1 to 2147483647 (the vendor's 32-bit Integer)",
      // The items of numberInfoList are validated one by one after the rest, so their findings come last.
      '/numberInfoList/0/calleeNumber: must be 6–18 digits: country code + mobile number, no + or spaces',
      '/numberInfoList/2/calleeNumber: must be 6–18 digits: country code + mobile number, no + or spaces',
    ]);
  });

  it('maxFindings bounds the list but not the count', () => {
    const body = { appId: 'a', taskName: 'ab', agentId: 1, numberInfoList: Array.from({ length: 500 }, () => ({ calleeNumber: 'x' })) };
    const result = validateRequest('sendAgentGroupCall', body, { maxFindings: 20 });
    expect(result.findings).toHaveLength(20);
    expect(result.total).toBe(500);
  });
});
