// The contract's conditional rules as the compiler sees them: one refusal per rule, and the valid shapes compile.
import { describe, expectTypeOf, it } from 'vitest';
import {
  createVoiceClient,
  VoiceApiError,
  type RecallNode,
  type SendAgentGroupCallRequest,
  type SendRecallFlow,
  type UpdateRecallFlowRequest,
  type OperationId,
  type VoiceClient,
  type VoiceOperations,
} from '../../src/index.js';

const base = { hangUpSms: 0, toSeat: 0 } as const;
const smsOn = { hangUpSms: 1, smsContent: 'Call us back', failedPush: 1 } as const;
const transfer = { toSeat: 1, sipGroupId: 1000038, outboundControl: 1, calloutRate: 1, toSeatType: 1 } as const;

describe('recall node: voice source', () => {
  it('source 1 needs voiceFileId', () => {
    const ok: RecallNode = { ...base, source: 1, voiceFileId: 'a.wav' };
    // @ts-expect-error source 1 without voiceFileId
    const bad: RecallNode = { ...base, source: 1 };
    expectTypeOf(ok).toExtend<RecallNode>();
    void bad;
  });
  it('source 2 needs uploadName and baseFile', () => {
    const ok: RecallNode = { ...base, source: 2, uploadName: 'offer.wav', baseFile: 'UklGRg==' };
    // @ts-expect-error source 2 without uploadName
    const noName: RecallNode = { ...base, source: 2, baseFile: 'UklGRg==' };
    // @ts-expect-error source 2 without baseFile
    const noFile: RecallNode = { ...base, source: 2, uploadName: 'offer.wav' };
    void [ok, noName, noFile];
  });
  it('source 3 needs text and lan', () => {
    const ok: RecallNode = { ...base, source: 3, text: 'Hello', lan: 'EN' };
    // @ts-expect-error source 3 without text
    const noText: RecallNode = { ...base, source: 3, lan: 'EN' };
    // @ts-expect-error source 3 without lan
    const noLan: RecallNode = { ...base, source: 3, text: 'Hello' };
    // @ts-expect-error lan outside the vendor's codes
    const badLan: RecallNode = { ...base, source: 3, text: 'Bonjour', lan: 'FR' };
    void [ok, noText, noLan, badLan];
  });
  it('source is required and is 1, 2 or 3', () => {
    // @ts-expect-error no source
    const none: RecallNode = { ...base, voiceFileId: 'a.wav' };
    // @ts-expect-error source 4
    const four: RecallNode = { ...base, source: 4, voiceFileId: 'a.wav' };
    void [none, four];
  });
});

describe('recall node: hang-up SMS', () => {
  it('hangUpSms 1 needs smsContent', () => {
    const ok: RecallNode = { source: 1, voiceFileId: 'a.wav', toSeat: 0, ...smsOn };
    // @ts-expect-error hangUpSms 1 without smsContent
    const bad: RecallNode = { source: 1, voiceFileId: 'a.wav', toSeat: 0, hangUpSms: 1, failedPush: 1 };
    void [ok, bad];
  });
  it('feedbackPush 1 needs feedbackValue', () => {
    const ok: RecallNode = { source: 1, voiceFileId: 'a.wav', toSeat: 0, ...smsOn, feedbackPush: 1, feedbackValue: '1' };
    // @ts-expect-error feedbackPush 1 without feedbackValue
    const bad: RecallNode = { source: 1, voiceFileId: 'a.wav', toSeat: 0, ...smsOn, feedbackPush: 1 };
    void [ok, bad];
  });
  it('successPush 1 needs successPushTime', () => {
    const ok: RecallNode = { source: 1, voiceFileId: 'a.wav', toSeat: 0, ...smsOn, successPush: 1, successPushTime: 10 };
    // @ts-expect-error successPush 1 without successPushTime
    const bad: RecallNode = { source: 1, voiceFileId: 'a.wav', toSeat: 0, ...smsOn, successPush: 1 };
    void [ok, bad];
  });
  it('hangUpSms 1 needs at least one push flag set to 1', () => {
    const ok: RecallNode = { source: 1, voiceFileId: 'a.wav', toSeat: 0, hangUpSms: 1, smsContent: 'Hi', ringPush: 1 };
    // @ts-expect-error every push flag 0
    const bad: RecallNode = { source: 1, voiceFileId: 'a.wav', toSeat: 0, hangUpSms: 1, smsContent: 'Hi', feedbackPush: 0, successPush: 0, failedPush: 0, ringPush: 0 };
    // @ts-expect-error no push flag at all
    const none: RecallNode = { source: 1, voiceFileId: 'a.wav', toSeat: 0, hangUpSms: 1, smsContent: 'Hi' };
    void [ok, bad, none];
  });
});

describe('recall node: transfer to a human agent', () => {
  it('toSeat 1 needs sipGroupId, outboundControl, calloutRate and toSeatType', () => {
    const ok: RecallNode = { source: 1, voiceFileId: 'a.wav', hangUpSms: 0, ...transfer };
    const { sipGroupId, outboundControl, calloutRate, toSeatType, ...rest } = transfer;
    void [sipGroupId, outboundControl, calloutRate, toSeatType];
    // @ts-expect-error toSeat 1 without sipGroupId
    const noGroup: RecallNode = { source: 1, voiceFileId: 'a.wav', hangUpSms: 0, ...rest, outboundControl, calloutRate, toSeatType };
    // @ts-expect-error toSeat 1 without outboundControl
    const noControl: RecallNode = { source: 1, voiceFileId: 'a.wav', hangUpSms: 0, ...rest, sipGroupId, calloutRate, toSeatType };
    // @ts-expect-error toSeat 1 without calloutRate
    const noRate: RecallNode = { source: 1, voiceFileId: 'a.wav', hangUpSms: 0, ...rest, sipGroupId, outboundControl, toSeatType };
    // @ts-expect-error toSeat 1 without toSeatType
    const noType: RecallNode = { source: 1, voiceFileId: 'a.wav', hangUpSms: 0, ...rest, sipGroupId, outboundControl, calloutRate };
    void [ok, noGroup, noControl, noRate, noType];
  });
  it('toSeatType 2 needs toSeatKey', () => {
    const ok: RecallNode = { source: 1, voiceFileId: 'a.wav', hangUpSms: 0, ...transfer, toSeatType: 2, toSeatKey: '#' };
    // @ts-expect-error toSeatType 2 without toSeatKey
    const bad: RecallNode = { source: 1, voiceFileId: 'a.wav', hangUpSms: 0, ...transfer, toSeatType: 2 };
    void [ok, bad];
  });
  it('toSeat 0 needs none of them', () => {
    const ok: RecallNode = { source: 2, uploadName: 'offer.wav', baseFile: 'UklGRg==', hangUpSms: 0, toSeat: 0 };
    expectTypeOf(ok).toExtend<RecallNode>();
  });
});

describe('recall flow of a new task', () => {
  it('needs recallType, recallInterval and recallNum', () => {
    const ok: SendRecallFlow = { recallType: 1, recallInterval: 30, recallNum: 2, nodeList: [{ agentId: 41 }, { agentId: '41' }] };
    // @ts-expect-error no recallType
    const noType: SendRecallFlow = { recallInterval: 30, recallNum: 2 };
    // @ts-expect-error no recallInterval
    const noInterval: SendRecallFlow = { recallType: 1, recallNum: 2 };
    // @ts-expect-error no recallNum
    const noNum: SendRecallFlow = { recallType: 1, recallInterval: 30 };
    void [ok, noType, noInterval, noNum];
  });
  it('recallType 3 needs recallIntent', () => {
    const ok: SendRecallFlow = { recallType: 3, recallInterval: 30, recallNum: 1, recallIntent: ['205', '99999'] };
    // @ts-expect-error recallType 3 without recallIntent
    const bad: SendRecallFlow = { recallType: 3, recallInterval: 30, recallNum: 1 };
    // @ts-expect-error an intent code outside the tables
    const badCode: SendRecallFlow = { recallType: 3, recallInterval: 30, recallNum: 1, recallIntent: ['203'] };
    void [ok, bad, badCode];
  });
});

describe('requests', () => {
  const task = { appId: '2Xql9RBI', taskName: 'T1', numberInfoList: [{ calleeNumber: '463200000007' }], maxCalls: null, maxRingingTime: null, enableRecording: null };
  it('send needs agentId', () => {
    const ok: SendAgentGroupCallRequest = { ...task, agentId: 41 };
    // @ts-expect-error no agentId
    const bad: SendAgentGroupCallRequest = { ...task };
    // @ts-expect-error agentId as a string
    const text: SendAgentGroupCallRequest = { ...task, agentId: '41' };
    void [ok, bad, text];
  });
  it('update takes nodes of the RecallNode type only', () => {
    const ok: UpdateRecallFlowRequest = { keyId: 299, recallType: 0, recallInterval: 30, recallNum: 1, nodeList: [{ source: 1, voiceFileId: 'a.wav', hangUpSms: 0, toSeat: 0 }] };
    // @ts-expect-error a node without voiceFileId for source 1
    const bad: UpdateRecallFlowRequest = { keyId: 299, recallType: 0, recallInterval: 30, recallNum: 1, nodeList: [{ source: 1, hangUpSms: 0, toSeat: 0 }] };
    void [ok, bad];
  });
});

describe('client surface', () => {
  it('resolves keyId as a number and the update with nothing', () => {
    expectTypeOf<VoiceClient['sendAgentGroupCall']>().returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf<VoiceClient['updateRecallFlow']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<VoiceClient['sendAgentGroupCall']>().parameter(0).toEqualTypeOf<SendAgentGroupCallRequest>();
  });
  it('takes apiSecret or sign, never both or neither', () => {
    createVoiceClient({ apiKey: 'k', apiSecret: 's' });
    createVoiceClient({ apiKey: 'k', sign: async (key, timestamp) => `${key}${timestamp}` });
    // @ts-expect-error both
    createVoiceClient({ apiKey: 'k', apiSecret: 's', sign: () => 'x' });
    // @ts-expect-error neither
    createVoiceClient({ apiKey: 'k' });
  });
  it('exposes the vendor code on VoiceApiError as a number', () => {
    expectTypeOf<VoiceApiError['code']>().toEqualTypeOf<number>();
    expectTypeOf<VoiceApiError['operation']>().toEqualTypeOf<OperationId>();
  });
  it('has one method per operation of the contract', () => {
    expectTypeOf<keyof VoiceOperations>().toEqualTypeOf<OperationId>();
  });
  it('types raw calls from the contract', () => {
    const voice = createVoiceClient({ apiKey: 'k', apiSecret: 's' });
    // @ts-expect-error a path the contract does not have
    void voice.raw.POST('/voice/group/call/cancel', { body: {} });
  });
});
