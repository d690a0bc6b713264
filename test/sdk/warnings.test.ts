// Advice through onWarning: sent anyway, reported to the hook, never to the console.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectWarnings, createVoiceClient, MAX_WARNINGS, type VoiceWarning } from '../../src/index.js';
import { operationIds, type OperationId } from '../../src/operations.js';
import { recallFlowUpdate, recallNode, sendTask } from '../support/rule-cases.js';
import { callOperation } from './fixtures.js';
import { json, startLoopback, type Loopback } from './loopback.js';
import { credentials } from '../support/credentials.js';

let server: Loopback;
beforeAll(async () => {
  server = await startLoopback();
  server.respond(json({ code: 0, msg: 'success', data: 1 }));
});
afterAll(() => server.close());

const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method));
afterEach(() => {
  for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
});

function clientWithHook() {
  const warnings: VoiceWarning[] = [];
  const voice = createVoiceClient({
    ...credentials,
    baseUrl: server.url,
    onWarning: (w) => warnings.push(w),
  });
  return { voice, warnings };
}

describe('onWarning', () => {
  it('warns that text1 over 30 characters will be truncated, and still sends it', async () => {
    const { voice, warnings } = clientWithHook();
    const body = { ...sendTask(), numberInfoList: [{ calleeNumber: '463200000007', text1: 'x'.repeat(30) }, { calleeNumber: '463200000008', text10: 'y'.repeat(31) }] };
    const before = server.requests.length;
    await voice.sendAgentGroupCall(body as never);
    expect(warnings).toEqual([
      { operation: 'sendAgentGroupCall' satisfies OperationId, kind: 'truncated', path: '/numberInfoList/1/text10', message: 'is 31 characters long; the vendor keeps only the first 30' },
    ]);
    expect(server.requests.length).toBe(before + 1);
  });

  it('warns about fields the contract does not know, at any depth, but not inside free-form callInformation', async () => {
    const { voice, warnings } = clientWithHook();
    const body = {
      ...sendTask(),
      somethingNew: true,
      numberInfoList: [{ calleeNumber: '463200000007', txt1: 'typo', callInformation: { anyKey: 'fine' } }],
    };
    await voice.sendAgentGroupCall(body as never);
    expect(warnings.map((w) => [w.kind, w.path])).toEqual([
      ['unknownField', '/numberInfoList/0/txt1'],
      ['unknownField', '/somethingNew'],
    ]);
  });

  it('warns on updateRecallFlow about unknown node fields', async () => {
    const { voice, warnings } = clientWithHook();
    await voice.updateRecallFlow(recallFlowUpdate(recallNode({ voiceFileID: 'typo.wav' })) as never);
    expect(warnings.map((w) => [w.kind, w.path])).toEqual([['unknownField', '/nodeList/0/voiceFileID']]);
  });

  // Where each operation's recall flow is, and a body whose nodeList is one node short of recallNum.
  const uneven: Record<OperationId, [body: object, path: string, message: string]> = {
    sendAgentGroupCall: [{ ...sendTask(), recallFlow: { recallType: 1, recallInterval: 30, recallNum: 3, nodeList: [{ agentId: 41 }] } }, '/recallFlow/nodeList', 'has 1 nodes but recallNum is 3'],
    updateRecallFlow: [{ ...recallFlowUpdate(), recallNum: 2 }, '/nodeList', 'has 1 nodes but recallNum is 2'],
  };
  it.each(operationIds)('%s: warns when nodeList length differs from recallNum', async (operation) => {
    const [body, path, message] = uneven[operation];
    const { voice, warnings } = clientWithHook();
    await callOperation(voice, operation, body);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ operation, kind: 'recallNodeCount', path });
    expect(warnings[0]!.message).toContain(message);
  });

  it('says nothing about a clean body, or a flow without nodeList', async () => {
    const { voice, warnings } = clientWithHook();
    await voice.sendAgentGroupCall(sendTask() as never);
    await voice.updateRecallFlow({ keyId: 299, recallType: 1, recallInterval: 5, recallNum: 3 });
    expect(warnings).toEqual([]);
  });

  it('reports at most MAX_WARNINGS one by one, then one summary', () => {
    const body = { ...sendTask(), numberInfoList: Array.from({ length: 250 }, (_, i) => ({ calleeNumber: String(460000000000 + i), text1: 'z'.repeat(40) })) };
    const operation: OperationId = 'sendAgentGroupCall';
    const warnings = collectWarnings(operation, body);
    expect(warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(warnings.at(-1)).toEqual({ operation, kind: 'moreWarnings', path: '', message: '150 more warnings were not itemised' });
  });

  it('does not warn about a body the contract refuses: the refusal says it all', async () => {
    const { voice, warnings } = clientWithHook();
    await expect(voice.sendAgentGroupCall({ ...sendTask(), agentId: 0, extra: 1 } as never)).rejects.toThrow(/agentId/);
    expect(warnings).toEqual([]);
  });

  it('a hook that throws stops the call before anything is sent', async () => {
    const voice = createVoiceClient({
      ...credentials,
      baseUrl: server.url,
      onWarning: () => {
        throw new Error('warnings are fatal here');
      },
    });
    const before = server.requests.length;
    await expect(voice.sendAgentGroupCall({ ...sendTask(), extra: 1 } as never)).rejects.toThrow('warnings are fatal here');
    expect(server.requests.length).toBe(before);
  });

  it('without a hook, a body with warnings is sent silently', async () => {
    const voice = createVoiceClient({ ...credentials, baseUrl: server.url });
    await expect(voice.sendAgentGroupCall({ ...sendTask(), extra: 1 } as never)).resolves.toBe(1);
  });
});
