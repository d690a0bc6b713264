// One named case per rule of the contract: a body that breaks it, the nearest body that does not, and
// where the finding must point. Shared by the contract, SDK and mock suites, so all three prove the
// same verdict.
import type { OperationId } from '../../src/validation.js';

export interface RuleCase {
  name: string;
  operation: OperationId;
  /** A body the contract refuses because of this rule alone. */
  invalid: Record<string, unknown>;
  /** The nearest body the contract accepts. */
  fixed: Record<string, unknown>;
  /** JSON Pointer of the finding the refusal must include. */
  path: string;
}

type Body = Record<string, any>;

export function sendTask(): Body {
  return {
    appId: '2Xql9RBI',
    taskName: 'Rule case task',
    agentId: 41,
    numberInfoList: [{ calleeNumber: '6281234567890' }],
    recallFlow: { recallType: 1, recallInterval: 30, recallNum: 1, nodeList: [{ agentId: 41 }] },
  };
}

/** A recall node with an uploaded file, no SMS and no transfer: the smallest valid node. */
export function recallNode(patch: Body = {}): Body {
  return { source: 1, voiceFileId: 'reminder.wav', hangUpSms: 0, toSeat: 0, ...patch };
}

export function recallFlowUpdate(node: Body = recallNode()): Body {
  return { keyId: 299, recallType: 0, recallInterval: 30, recallNum: 1, nodeList: [node] };
}

const smsOn = { hangUpSms: 1, smsContent: 'Please call us back.', failedPush: 1 };
const transferOn = { toSeat: 1, sipGroupId: 1000038, outboundControl: 1, calloutRate: 1, toSeatType: 1 };
const keypressTransfer = { ...transferOn, toSeatType: 2, toSeatKey: '0' };

const cases: RuleCase[] = [];

function rule(operation: OperationId, name: string, base: () => Body, breakIt: (b: Body) => void, fixIt: (b: Body) => void, path: string) {
  const invalid = base();
  breakIt(invalid);
  const fixed = base();
  fixIt(fixed);
  cases.push({ name, operation, invalid, fixed, path });
}

const send = (name: string, breakIt: (b: Body) => void, fixIt: (b: Body) => void, path: string) =>
  rule('sendAgentGroupCall', name, sendTask, breakIt, fixIt, path);
const noop = () => {};

/** A node-level rule: `broken` and `fixed` are patches over the smallest valid node. */
const node = (name: string, broken: Body, fixed: Body, path: string, omit: string[] = []) =>
  rule(
    'updateRecallFlow',
    name,
    () => recallFlowUpdate(),
    (b) => {
      b.nodeList[0] = recallNode(broken);
      for (const key of omit) delete b.nodeList[0][key];
    },
    (b) => {
      b.nodeList[0] = recallNode(fixed);
    },
    `/nodeList/0${path}`,
  );
const update = (name: string, breakIt: (b: Body) => void, fixIt: (b: Body) => void, path: string) =>
  rule('updateRecallFlow', name, () => recallFlowUpdate(), breakIt, fixIt, path);

// --- Send: top level ---
send('appId is required', (b) => delete b.appId, noop, '');
send('appId is not empty', (b) => (b.appId = ''), (b) => (b.appId = 'a'), '/appId');
send('appId is at most 64 characters', (b) => (b.appId = 'a'.repeat(65)), (b) => (b.appId = 'a'.repeat(64)), '/appId');
send('displayNum is at most 20 digits', (b) => (b.displayNum = '1'.repeat(21)), (b) => (b.displayNum = '1'.repeat(20)), '/displayNum');
send('displayNum holds digits only', (b) => (b.displayNum = '+1008122211'), (b) => (b.displayNum = '1008122211'), '/displayNum');
send('taskName is required', (b) => delete b.taskName, noop, '');
send('taskName has at least 2 characters', (b) => (b.taskName = 'A'), (b) => (b.taskName = 'AB'), '/taskName');
send('taskName has at most 64 characters', (b) => (b.taskName = 'x'.repeat(65)), (b) => (b.taskName = 'x'.repeat(64)), '/taskName');
send('agentId is required', (b) => delete b.agentId, noop, '');
send('agentId is positive', (b) => (b.agentId = 0), (b) => (b.agentId = 1), '/agentId');
send('agentId fits a 32-bit int', (b) => (b.agentId = 2 ** 31), (b) => (b.agentId = 2 ** 31 - 1), '/agentId');
send('agentId is an integer, not a string', (b) => (b.agentId = '41'), (b) => (b.agentId = 41), '/agentId');
send('numberInfoList is required', (b) => delete b.numberInfoList, noop, '');
send('numberInfoList is not empty', (b) => (b.numberInfoList = []), noop, '/numberInfoList');
send(
  'numberInfoList holds at most 200,000 numbers',
  (b) => (b.numberInfoList = Array.from({ length: 200_001 }, (_, i) => ({ calleeNumber: String(460000000000 + i) }))),
  (b) => (b.numberInfoList = Array.from({ length: 200_000 }, (_, i) => ({ calleeNumber: String(460000000000 + i) }))),
  '/numberInfoList',
);
send('calleeNumber is required', (b) => (b.numberInfoList = [{ text1: 'x' }]), (b) => (b.numberInfoList = [{ calleeNumber: '463200000007', text1: 'x' }]), '/numberInfoList/0');
send('calleeNumber has at least 6 digits', (b) => (b.numberInfoList[0].calleeNumber = '12345'), (b) => (b.numberInfoList[0].calleeNumber = '123456'), '/numberInfoList/0/calleeNumber');
send('calleeNumber has at most 18 digits', (b) => (b.numberInfoList[0].calleeNumber = '1'.repeat(19)), (b) => (b.numberInfoList[0].calleeNumber = '1'.repeat(18)), '/numberInfoList/0/calleeNumber');
send('calleeNumber has no + or separators', (b) => (b.numberInfoList[0].calleeNumber = '+46 3200000007'), (b) => (b.numberInfoList[0].calleeNumber = '463200000007'), '/numberInfoList/0/calleeNumber');
send('calleeNumber holds one number, not a comma-separated list', (b) => (b.numberInfoList[0].calleeNumber = '463200000007,463200000008'), (b) => (b.numberInfoList = [{ calleeNumber: '463200000007' }, { calleeNumber: '463200000008' }]), '/numberInfoList/0/calleeNumber');
send('calleeNumber is a string', (b) => (b.numberInfoList[0].calleeNumber = 463200000007), (b) => (b.numberInfoList[0].calleeNumber = '463200000007'), '/numberInfoList/0/calleeNumber');
send('callInformation values are strings', (b) => (b.numberInfoList[0].callInformation = { borrow_total_money: 5000 }), (b) => (b.numberInfoList[0].callInformation = { borrow_total_money: '5000' }), '/numberInfoList/0/callInformation/borrow_total_money');
send('callInformation is an object', (b) => (b.numberInfoList[0].callInformation = 'name=Name'), (b) => (b.numberInfoList[0].callInformation = { name: 'Name' }), '/numberInfoList/0/callInformation');
send('callInformation holds at most 100 keys', (b) => (b.numberInfoList[0].callInformation = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`key${i}`, 'v']))), (b) => (b.numberInfoList[0].callInformation = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`key${i}`, 'v']))), '/numberInfoList/0/callInformation');
send('text1 is a string', (b) => (b.numberInfoList[0].text1 = 5000), (b) => (b.numberInfoList[0].text1 = '5000'), '/numberInfoList/0/text1');
send('text10 is a string', (b) => (b.numberInfoList[0].text10 = ['a']), (b) => (b.numberInfoList[0].text10 = 'a'), '/numberInfoList/0/text10');
send('sendTime uses yyyy-MM-dd HH:mm:ss, not ISO 8601', (b) => (b.sendTime = '2026-04-01T00:00:00Z'), (b) => (b.sendTime = '2026-04-01 00:00:00'), '/sendTime');
send('sendTime has a real month', (b) => (b.sendTime = '2026-13-01 00:00:00'), (b) => (b.sendTime = '2026-12-01 00:00:00'), '/sendTime');
send('sendTime has seconds', (b) => (b.sendTime = '2026-04-01 00:00'), (b) => (b.sendTime = '2026-04-01 00:00:00'), '/sendTime');
send('maxCalls is at most 999 seconds', (b) => (b.maxCalls = 1000), (b) => (b.maxCalls = 999), '/maxCalls');
send('maxCalls is at least 1 second', (b) => (b.maxCalls = 0), (b) => (b.maxCalls = 1), '/maxCalls');
send('maxCalls is a whole number', (b) => (b.maxCalls = 30.5), (b) => (b.maxCalls = 30), '/maxCalls');
send('maxRingingTime is at least 10 seconds', (b) => (b.maxRingingTime = 9), (b) => (b.maxRingingTime = 10), '/maxRingingTime');
send('maxRingingTime is at most 120 seconds', (b) => (b.maxRingingTime = 121), (b) => (b.maxRingingTime = 120), '/maxRingingTime');
send('enableRecording is 0 or 1', (b) => (b.enableRecording = 2), (b) => (b.enableRecording = 1), '/enableRecording');
send(
  'allowSendTime holds at most 3 windows',
  (b) => (b.allowSendTime = ['08', '10', '12', '14'].map((h) => ({ strTime: `${h}:00`, endTime: `${h}:30` }))),
  (b) => (b.allowSendTime = ['08', '10', '12'].map((h) => ({ strTime: `${h}:00`, endTime: `${h}:30` }))),
  '/allowSendTime',
);
send('allowSendTime strTime is HH:mm', (b) => (b.allowSendTime = [{ strTime: '24:00', endTime: '23:00' }]), (b) => (b.allowSendTime = [{ strTime: '22:00', endTime: '23:00' }]), '/allowSendTime/0/strTime');
send('allowSendTime endTime is HH:mm, not HH:mm:ss', (b) => (b.allowSendTime = [{ strTime: '09:00', endTime: '18:00:00' }]), (b) => (b.allowSendTime = [{ strTime: '09:00', endTime: '18:00' }]), '/allowSendTime/0/endTime');
send('allowSendTime windows have both ends', (b) => (b.allowSendTime = [{ strTime: '09:00' }]), (b) => (b.allowSendTime = [{ strTime: '09:00', endTime: '18:00' }]), '/allowSendTime/0');

// --- Send: recallFlow ---
send('recallFlow is an object or null', (b) => (b.recallFlow = 'none'), (b) => (b.recallFlow = null), '/recallFlow');
send('recallFlow requires recallType', (b) => delete b.recallFlow.recallType, noop, '/recallFlow');
send('recallFlow requires recallInterval', (b) => delete b.recallFlow.recallInterval, noop, '/recallFlow');
send('recallFlow requires recallNum', (b) => delete b.recallFlow.recallNum, noop, '/recallFlow');
send('recallType is 0, 1 or 3', (b) => (b.recallFlow.recallType = 2), (b) => (b.recallFlow.recallType = 0), '/recallFlow/recallType');
send('recallInterval is at least 1 minute', (b) => (b.recallFlow.recallInterval = 0), (b) => (b.recallFlow.recallInterval = 1), '/recallFlow/recallInterval');
send('recallInterval is at most 1440 minutes', (b) => (b.recallFlow.recallInterval = 1441), (b) => (b.recallFlow.recallInterval = 1440), '/recallFlow/recallInterval');
send('recallNum is at least 1', (b) => (b.recallFlow.recallNum = 0), (b) => (b.recallFlow.recallNum = 1), '/recallFlow/recallNum');
send('recallNum is at most 10', (b) => (b.recallFlow.recallNum = 11), (b) => (b.recallFlow.recallNum = 10), '/recallFlow/recallNum');
send('recall by intent requires recallIntent', (b) => (b.recallFlow.recallType = 3), (b) => Object.assign(b.recallFlow, { recallType: 3, recallIntent: ['99999'] }), '/recallFlow');
send('recall by intent requires at least one code', (b) => Object.assign(b.recallFlow, { recallType: 3, recallIntent: [] }), (b) => Object.assign(b.recallFlow, { recallType: 3, recallIntent: ['205'] }), '/recallFlow/recallIntent');
send('recallIntent codes come from the intent tables', (b) => Object.assign(b.recallFlow, { recallType: 3, recallIntent: ['203'] }), (b) => Object.assign(b.recallFlow, { recallType: 3, recallIntent: ['204'] }), '/recallFlow/recallIntent/0');
send('recallIntent codes are strings', (b) => Object.assign(b.recallFlow, { recallType: 3, recallIntent: [205] }), (b) => Object.assign(b.recallFlow, { recallType: 3, recallIntent: ['205'] }), '/recallFlow/recallIntent/0');
send('a recall node requires agentId', (b) => (b.recallFlow.nodeList = [{}]), (b) => (b.recallFlow.nodeList = [{ agentId: 41 }]), '/recallFlow/nodeList/0');
send('a recall node agentId string holds digits', (b) => (b.recallFlow.nodeList = [{ agentId: 'agent-41' }]), (b) => (b.recallFlow.nodeList = [{ agentId: '41' }]), '/recallFlow/nodeList/0/agentId');
send('a recall node agentId is positive', (b) => (b.recallFlow.nodeList = [{ agentId: 0 }]), (b) => (b.recallFlow.nodeList = [{ agentId: 1 }]), '/recallFlow/nodeList/0/agentId');
send('a recall node agentId in digits fits a 32-bit int', (b) => (b.recallFlow.nodeList = [{ agentId: '2147483648' }]), (b) => (b.recallFlow.nodeList = [{ agentId: '2147483647' }]), '/recallFlow/nodeList/0/agentId');
send('recall nodeList holds at most 10 nodes', (b) => (b.recallFlow.nodeList = Array.from({ length: 11 }, () => ({ agentId: 41 }))), (b) => (b.recallFlow.nodeList = Array.from({ length: 10 }, () => ({ agentId: 41 }))), '/recallFlow/nodeList');

// --- Update: top level ---
update('keyId is required', (b) => delete b.keyId, noop, '');
update('keyId is positive', (b) => (b.keyId = 0), (b) => (b.keyId = 1), '/keyId');
update('keyId fits a 32-bit int', (b) => (b.keyId = 2 ** 31), (b) => (b.keyId = 2 ** 31 - 1), '/keyId');
update('keyId is a number, not a string', (b) => (b.keyId = '299'), (b) => (b.keyId = 299), '/keyId');
update('recallType is required', (b) => delete b.recallType, noop, '');
update('recallType is 0 or 1 (no recall by intent here)', (b) => (b.recallType = 3), (b) => (b.recallType = 1), '/recallType');
update('recallInterval is required', (b) => delete b.recallInterval, noop, '');
update('recallInterval is 1-1440 minutes', (b) => (b.recallInterval = 1441), (b) => (b.recallInterval = 1440), '/recallInterval');
update('recallNum is required', (b) => delete b.recallNum, noop, '');
update('recallNum is 1-10', (b) => (b.recallNum = 0), (b) => (b.recallNum = 1), '/recallNum');
update('nodeList holds at most 10 nodes', (b) => (b.nodeList = Array.from({ length: 11 }, () => recallNode())), (b) => (b.nodeList = Array.from({ length: 10 }, () => recallNode())), '/nodeList');

// --- Update: voice source ---
node('source is required', {}, {}, '', ['source']);
node('source is 1, 2 or 3', { source: 4 }, { source: 1 }, '/source');
node('source 1 requires voiceFileId', { voiceFileId: null }, { voiceFileId: 'reminder.wav' }, '/voiceFileId');
node('source 1 requires voiceFileId (absent)', {}, {}, '', ['voiceFileId']);
node('source 2 requires uploadName', { source: 2, voiceFileId: null, baseFile: 'UklGRg==' }, { source: 2, uploadName: 'offer.wav', baseFile: 'UklGRg==' }, '');
node('source 2 requires baseFile', { source: 2, voiceFileId: null, uploadName: 'offer.wav' }, { source: 2, uploadName: 'offer.wav', baseFile: 'UklGRg==' }, '');
node('uploadName has at least 5 characters', { source: 2, uploadName: 'a.wa', baseFile: 'UklGRg==' }, { source: 2, uploadName: 'a.wav', baseFile: 'UklGRg==' }, '/uploadName');
node('uploadName has at most 32 characters', { source: 2, uploadName: 'x'.repeat(29) + '.wav', baseFile: 'UklGRg==' }, { source: 2, uploadName: 'x'.repeat(28) + '.wav', baseFile: 'UklGRg==' }, '/uploadName');
node('baseFile is plain Base64', { source: 2, uploadName: 'offer.wav', baseFile: 'data:audio/wav;base64,UklGRg==' }, { source: 2, uploadName: 'offer.wav', baseFile: 'UklGRg==' }, '/baseFile');
node('baseFile is padded: its length is a multiple of 4', { source: 2, uploadName: 'offer.wav', baseFile: 'UklGRg' }, { source: 2, uploadName: 'offer.wav', baseFile: 'UklGRg==' }, '/baseFile');
node('source 3 requires text', { source: 3, lan: 'EN' }, { source: 3, lan: 'EN', text: 'Hello' }, '');
node('source 3 requires lan', { source: 3, text: 'Hello' }, { source: 3, lan: 'EN', text: 'Hello' }, '');
node('text has at most 1000 characters', { source: 3, lan: 'EN', text: 'x'.repeat(1001) }, { source: 3, lan: 'EN', text: 'x'.repeat(1000) }, '/text');
node('text length counts UTF-16 code units, as Java does', { source: 3, lan: 'EN', text: '😀'.repeat(501) }, { source: 3, lan: 'EN', text: '😀'.repeat(500) }, '/text');
node('lan is one of the vendor language codes', { source: 3, lan: 'FR', text: 'Bonjour' }, { source: 3, lan: 'EN', text: 'Hello' }, '/lan');
node('speakingRate is at least 0.25', { source: 3, lan: 'EN', text: 'Hi', speakingRate: 0.2 }, { source: 3, lan: 'EN', text: 'Hi', speakingRate: 0.25 }, '/speakingRate');
node('speakingRate is at most 4', { source: 3, lan: 'EN', text: 'Hi', speakingRate: 4.5 }, { source: 3, lan: 'EN', text: 'Hi', speakingRate: 4 }, '/speakingRate');
node('ssmlGender is 1 or 2', { ssmlGender: 3 }, { ssmlGender: 2 }, '/ssmlGender');

// --- Update: hang-up SMS ---
node('hangUpSms is required', {}, {}, '', ['hangUpSms']);
node('hangUpSms is 0 or 1', { hangUpSms: 2 }, { hangUpSms: 0 }, '/hangUpSms');
node('hangUpSms 1 requires smsContent', { ...smsOn, smsContent: null }, smsOn, '/smsContent');
node('hangUpSms 1 requires a push trigger set to 1', { hangUpSms: 1, smsContent: 'Hi', feedbackPush: 0, successPush: 0, failedPush: 0, ringPush: 0 }, { hangUpSms: 1, smsContent: 'Hi', feedbackPush: 0, successPush: 0, failedPush: 0, ringPush: 1 }, '');
node('feedbackPush 1 requires feedbackValue', { ...smsOn, feedbackPush: 1 }, { ...smsOn, feedbackPush: 1, feedbackValue: '1' }, '');
node('feedbackValue is one digit', { ...smsOn, feedbackPush: 1, feedbackValue: '10' }, { ...smsOn, feedbackPush: 1, feedbackValue: '0' }, '/feedbackValue');
node('successPush 1 requires successPushTime', { ...smsOn, successPush: 1 }, { ...smsOn, successPush: 1, successPushTime: 10 }, '');
node('successPushTime is at least 1 second', { ...smsOn, successPush: 1, successPushTime: 0 }, { ...smsOn, successPush: 1, successPushTime: 1 }, '/successPushTime');
node('successPushTime is at most 9999 seconds', { ...smsOn, successPush: 1, successPushTime: 10000 }, { ...smsOn, successPush: 1, successPushTime: 9999 }, '/successPushTime');
node('push flags are 0 or 1', { ...smsOn, ringPush: 2 }, { ...smsOn, ringPush: 1 }, '/ringPush');
node('smsContent has at most 1000 characters', { ...smsOn, smsContent: 'x'.repeat(1001) }, { ...smsOn, smsContent: 'x'.repeat(1000) }, '/smsContent');
node('senderId has at most 32 characters', { ...smsOn, senderId: 'S'.repeat(33) }, { ...smsOn, senderId: 'S'.repeat(32) }, '/senderId');

// --- Update: transfer to a human agent ---
node('toSeat is required', {}, {}, '', ['toSeat']);
node('toSeat is 0 or 1', { toSeat: 2 }, { toSeat: 0 }, '/toSeat');
node('toSeat 1 requires sipGroupId', { ...transferOn, sipGroupId: null }, transferOn, '/sipGroupId');
node('sipGroupId fits a 32-bit int', { ...transferOn, sipGroupId: 2 ** 31 }, { ...transferOn, sipGroupId: 2 ** 31 - 1 }, '/sipGroupId');
node('toSeat 1 requires outboundControl', { ...transferOn, outboundControl: undefined }, transferOn, '');
node('toSeat 1 requires calloutRate', { ...transferOn, calloutRate: undefined }, transferOn, '');
node('toSeat 1 requires toSeatType', { ...transferOn, toSeatType: undefined }, transferOn, '');
node('outboundControl is 1 (proportional)', { ...transferOn, outboundControl: 2 }, transferOn, '/outboundControl');
node('calloutRate is at least 1', { ...transferOn, calloutRate: 0 }, { ...transferOn, calloutRate: 1 }, '/calloutRate');
node('calloutRate is at most 100', { ...transferOn, calloutRate: 101 }, { ...transferOn, calloutRate: 100 }, '/calloutRate');
node('toSeatType is 1 or 2', { ...transferOn, toSeatType: 3 }, { ...transferOn, toSeatType: 2, toSeatKey: '#' }, '/toSeatType');
node('toSeatType 2 requires toSeatKey', { ...keypressTransfer, toSeatKey: undefined }, keypressTransfer, '');
node('toSeatKey is one phone key', { ...keypressTransfer, toSeatKey: 'A' }, { ...keypressTransfer, toSeatKey: '*' }, '/toSeatKey');
node('delayTransfer is not negative', { ...keypressTransfer, delayTransfer: -1 }, { ...keypressTransfer, delayTransfer: 0 }, '/delayTransfer');

// JSON drops `undefined`, as the wire does: a patch of `undefined` means "absent".
export const ruleCases: readonly RuleCase[] = cases.map((c) => ({
  ...c,
  invalid: JSON.parse(JSON.stringify(c.invalid)),
  fixed: JSON.parse(JSON.stringify(c.fixed)),
}));

/** Bodies the contract must accept although a stricter reading of the tables might refuse them. */
export const acceptedQuirks: readonly { name: string; operation: OperationId; body: Record<string, unknown> }[] = [
  { name: 'text1 over 30 characters (the vendor truncates it)', operation: 'sendAgentGroupCall', body: { ...sendTask(), numberInfoList: [{ calleeNumber: '463200000007', text1: 'x'.repeat(80) }] } },
  { name: 'null optional fields', operation: 'sendAgentGroupCall', body: { ...sendTask(), displayNum: null, sendTime: null, maxCalls: null, allowSendTime: null, maxRingingTime: null, enableRecording: null, recallFlow: null } },
  { name: 'string agentId in recall nodes', operation: 'sendAgentGroupCall', body: { ...sendTask(), recallFlow: { recallType: 0, recallInterval: 1, recallNum: 2, nodeList: [{ agentId: '41' }, { agentId: 41 }] } } },
  { name: 'code fields the tables do not list', operation: 'sendAgentGroupCall', body: { ...sendTask(), calloutRate: 1, somethingNew: true } },
  { name: 'empty displayNum', operation: 'sendAgentGroupCall', body: { ...sendTask(), displayNum: '' } },
  { name: 'recallIntent with recallType 1 (ignored)', operation: 'sendAgentGroupCall', body: { ...sendTask(), recallFlow: { recallType: 1, recallInterval: 1, recallNum: 1, recallIntent: ['205'] } } },
  { name: 'a node with several push triggers', operation: 'updateRecallFlow', body: recallFlowUpdate(recallNode({ hangUpSms: 1, smsContent: 'Hi', feedbackPush: 1, feedbackValue: '9', successPush: 1, successPushTime: 9999, failedPush: 1, ringPush: 1 })) },
  { name: 'a node without nodeList', operation: 'updateRecallFlow', body: { keyId: 299, recallType: 1, recallInterval: 5, recallNum: 3 } },
];
