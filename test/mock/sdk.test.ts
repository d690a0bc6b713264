// The SDK against the mock, end to end over loopback: what a frontend team's backend would see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoiceClient, VoiceApiError, VoiceValidationError, type VoiceClient, type VoiceClientOptions } from '../../src/index.js';
import type { MockServer } from '../../mocks/index.js';
import { recallFlowUpdate, sendTask } from '../support/rule-cases.js';
import { bigTask } from './big-task.js';
import { operationIds, type OperationId } from '../../generated/operations.js';
import { API_KEY, API_SECRET, contractExamples, startMock } from './harness.js';

let mock: MockServer;
let counter = 0;
const task = () => ({ ...sendTask(), taskName: `SDK end-to-end ${++counter}` }) as any;

function client(options: Partial<VoiceClientOptions> = {}): VoiceClient {
  return createVoiceClient({ apiKey: API_KEY, apiSecret: API_SECRET, baseUrl: mock.url, ...options } as VoiceClientOptions);
}

/** A client whose every request asks the mock for one named example. */
function preferring(example: string): VoiceClient {
  return client({
    fetch: (request: Request) => {
      request.headers.set('Prefer', `example=${example}`);
      return fetch(request);
    },
  });
}

async function refusal(promise: Promise<unknown>): Promise<VoiceApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VoiceApiError);
  return error as VoiceApiError;
}

beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock?.close());

describe('the SDK against the mock', () => {
  it('creates a task and replaces its recall flow', async () => {
    const sdk = client();
    const keyId = await sdk.sendAgentGroupCall(task());
    expect(Number.isInteger(keyId)).toBe(true);
    await expect(sdk.updateRecallFlow({ ...recallFlowUpdate(), keyId } as any)).resolves.toBeUndefined();
  });

  it('sends a 200,000-number task', async () => {
    const keyId = await client().sendAgentGroupCall(bigTask(`SDK big task ${Date.now()}`) as any);
    expect(Number.isInteger(keyId)).toBe(true);
  });

  it('gets -41 for a reused taskName and -24 for an unknown keyId', async () => {
    const sdk = client();
    const body = task();
    await sdk.sendAgentGroupCall(body);
    expect((await refusal(sdk.sendAgentGroupCall(body))).code).toBe(-41);
    expect((await refusal(sdk.updateRecallFlow({ ...recallFlowUpdate(), keyId: 2_000_000_000 } as any))).code).toBe(-24);
  });

  it('gets -1 for a wrong secret and -16 for a clock an hour off', async () => {
    expect((await refusal(client({ apiSecret: 'not-the-secret' }).sendAgentGroupCall(task()))).code).toBe(-1);
    const late = client({ now: () => Date.now() - 3_600_000 });
    expect((await refusal(late.updateRecallFlow(recallFlowUpdate() as any))).code).toBe(-16);
  });

  it('refuses what the contract refuses: before sending by default, and by the mock with -22 when validation is off', async () => {
    const invalid = { ...task(), agentId: 0 };
    await expect(client().sendAgentGroupCall(invalid)).rejects.toBeInstanceOf(VoiceValidationError);
    expect((await refusal(client({ validate: false }).sendAgentGroupCall(invalid))).code).toBe(-22);
  });

  /** Each operation's call through the SDK, and what it resolves with on a documented success. */
  const calls: { [Op in OperationId]: { call: (sdk: VoiceClient) => Promise<unknown>; resolvesWith: (example: { data: unknown }) => unknown } } = {
    sendAgentGroupCall: { call: (sdk) => sdk.sendAgentGroupCall(task()), resolvesWith: (example) => example.data },
    updateRecallFlow: { call: (sdk) => sdk.updateRecallFlow(recallFlowUpdate() as any), resolvesWith: () => undefined },
  };

  for (const operationId of operationIds) {
    it(`${operationId}: every documented answer reaches the SDK as the contract states it`, async () => {
      const examples = contractExamples(operationId, 'response');
      expect(Object.keys(examples).length).toBeGreaterThan(1);
      for (const [name, example] of Object.entries(examples)) {
        const call = calls[operationId].call(preferring(name));
        if (Number(example.code) === 0) {
          await expect(call, name).resolves.toBe(calls[operationId].resolvesWith(example));
        } else {
          const error = await refusal(call);
          expect(error.code, name).toBe(Number(example.code));
          expect(error.codeName, name).toBe(name);
          expect(error.msg, name).toBe(example.msg);
        }
      }
    });
  }
});
