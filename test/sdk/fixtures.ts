// Small valid bodies, typed by the generated request types so the fixtures themselves follow the contract.
import type { SendAgentGroupCallRequest, UpdateRecallFlowRequest } from '../../src/index.js';

export const task: SendAgentGroupCallRequest = {
  appId: '2Xql9RBI',
  taskName: 'Wire test',
  agentId: 41,
  maxCalls: null,
  maxRingingTime: 60,
  enableRecording: 1,
  numberInfoList: [{ calleeNumber: '463200000007', text1: 'Name' }],
};

export const flow: UpdateRecallFlowRequest = {
  keyId: 299,
  recallType: 0,
  recallInterval: 30,
  recallNum: 1,
  nodeList: [{ source: 1, voiceFileId: 'reminder.wav', hangUpSms: 0, toSeat: 0 }],
};
