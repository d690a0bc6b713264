// What the SDK says and does per operation, in one table keyed by the contract's operationIds
// (generated/operations.ts). The compiler holds it to the contract: an operation added there is a missing
// key here, one removed is an excess key, and nothing else in src/ names an operation or a path.
import type { operations } from '../generated/openapi.js';
import { operationAt, operationIds, operationPaths, type OperationId } from '../generated/operations.js';

export { operationAt, operationIds, operationPaths, type OperationId };

/** The request body an operation takes, as the contract types it (`SendAgentGroupCallRequest`…). */
export type RequestBody<Op extends OperationId> = operations[Op]['requestBody']['content']['application/json'];

/** A success's `data` is not what the contract says it carries (a send without its keyId). */
export class MalformedData extends Error {
  constructor(readonly problem: string) {
    super(problem);
  }
}

export interface OperationRule<Result> {
  /** What may have happened when no answer came back (timeout, abort, connection lost mid-request). */
  outcomeUnknown: string;
  /** What did not happen when nothing reached the server (the connection never opened). */
  nothingDone: string;
  /** Where the body's recall flow is, as object keys from the root (for the nodeList/recallNum warning). */
  recallFlowAt: readonly string[];
  /**
   * What the call resolves with, from the success envelope's `data`; `fits` is the contract's check of
   * that `data` (generated/response-checks.ts). Throws MalformedData when `data` is not what it must be.
   */
  resolve(data: unknown, fits: (data: unknown) => boolean): Result;
}

/** A value as an error message shows it: JSON, cut short (a hostile answer may hold a megabyte there). */
export function shown(value: unknown): string {
  let json: string;
  try {
    json = value === undefined ? 'nothing' : JSON.stringify(value);
  } catch {
    // Nested deeper than the stack (JSON.parse reads that, JSON.stringify cannot write it back).
    json = 'a value nested too deeply to show';
  }
  return json.length > 100 ? `${json.slice(0, 100)}…` : json;
}

/** Each operation, keyed by operationId. Each key's description is its `VoiceClient` method's. */
export const operationRules = {
  /**
   * Creates an AI-agent group-call task and resolves with its `keyId`. Never retried automatically: a
   * duplicate task costs money. After a timeout or network error, resend only the same body (same
   * `taskName`); the vendor refuses a duplicate with -41.
   */
  sendAgentGroupCall: {
    outcomeUnknown:
      'the task may have been created; resend only the same request (same taskName), which the vendor then refuses with -41 if it went through',
    nothingDone: 'no task was created and sending again is safe',
    recallFlowAt: ['recallFlow'],
    // The keyId is the answer's `data`: a positive int32, as a number or in plain digits (a judgement call
    // of the contract, whose bounds are checked there, not here). On success it must be there.
    resolve(data: unknown, fits: (data: unknown) => boolean): number {
      if (data === null || data === undefined || !fits(data)) throw new MalformedData(`no task keyId in data (got ${shown(data)})`);
      return Number(data);
    },
  },
  /** Replaces a task's recall flow (the task's `keyId` is in the body). Not retried automatically, though repeating it is safe. */
  updateRecallFlow: {
    outcomeUnknown: 'the flow may have been replaced; resending the same update is safe',
    nothingDone: 'the flow was not changed',
    recallFlowAt: [],
    // `code` alone decides; the answer's `data` carries nothing (a judgement call of the contract).
    resolve(): void {},
  },
} satisfies { [Op in OperationId]: OperationRule<unknown> };

/** What each operation's call resolves with. */
export type OperationResult<Op extends OperationId> = ReturnType<(typeof operationRules)[Op]['resolve']>;
