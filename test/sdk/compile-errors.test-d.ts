// Two typical mistakes and what `tsc` says about them: the contract's types by name, not their structure.
// Each `@ts-expect-error compile-error: <name>` is held to its exact wording by compile-errors.test.ts,
// which compiles this file without the directive.
import { describe, it } from 'vitest';
import { createVoiceClient, type RecallNode, type SendAgentGroupCallRequest } from '../../src/index.js';

const voice = createVoiceClient({ apiKey: 'k', apiSecret: 's' });

describe('compile errors name the contract types', () => {
  it('a task without numberInfoList', () => {
    // @ts-expect-error compile-error: task without numberInfoList
    void voice.sendAgentGroupCall({ appId: '2Xql9RBI', taskName: 'Payment reminder', agentId: 41 });
  });

  it('a text-to-speech recall node without text', () => {
    // @ts-expect-error compile-error: recall node without text
    const node: RecallNode = { source: 3, lan: 'EN', hangUpSms: 0, toSeat: 0 };
    void node;
  });

  it('the same node inside an update', () => {
    const flow = { keyId: 299, recallType: 0, recallInterval: 30, recallNum: 1 } as const;
    // @ts-expect-error compile-error: update with a node without text
    void voice.updateRecallFlow({ ...flow, nodeList: [{ source: 3, lan: 'EN', hangUpSms: 0, toSeat: 0 }] });
  });

  it('a typed task variable', () => {
    // @ts-expect-error compile-error: task variable without numberInfoList
    const task: SendAgentGroupCallRequest = { appId: '2Xql9RBI', taskName: 'Payment reminder', agentId: 41 };
    void task;
  });
});
