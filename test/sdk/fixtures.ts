// Small valid bodies, typed by the generated request types so the fixtures themselves follow the contract.
import type { CallOptions, SendAgentGroupCallRequest, UpdateRecallFlowRequest, VoiceClient } from '../../src/index.js';
import type { OperationId, RequestBody } from '../../src/operations.js';

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

/** A valid body per operation: keyed by the contract's operation table, so a new operation needs one. */
export const bodies: { [Op in OperationId]: RequestBody<Op> } = {
  sendAgentGroupCall: task,
  updateRecallFlow: flow,
};

/** Calls `operation` on `voice` with `body` (by default the operation's valid body). */
export function callOperation(voice: VoiceClient, operation: OperationId, body: unknown = bodies[operation], options?: CallOptions): Promise<unknown> {
  return (voice[operation] as (body: unknown, options?: CallOptions) => Promise<unknown>)(body, options);
}
