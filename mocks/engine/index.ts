// The mock's one decision path: given a request as plain data, the answer the vendor would give. It knows
// nothing of sockets, files or Prism, so the HTTP server, the in-process server and MSW handlers are thin
// adapters that translate to and from it, and cannot disagree.
//
// The order of the vendor's checks: the signature (-1, -16), then a `Prefer` for a documented answer,
// then the body (unreadable → -22), the contract (-22 with findings), and the state (-41, -24).
import { documentedKeyIds } from '../../generated/examples.js';
import { operationPaths, type OperationId } from '../../generated/operations.js';
import { requestPlans } from '../../generated/request-plan.js';
import { requestShapes } from '../../generated/request-shape.js';
import { validateRequest } from '../../src/validation.js';
import { answerNames, explained, namedAnswer, parameterException, success, type Envelope } from './answers.js';
import { checkAuth, type Md5 } from './auth.js';
import { checkBodyHeaders, containerBound, parseBody, type BodyProblem } from './body.js';
import { negotiate, readPreferences } from './preferences.js';
import type { AnswerReason, MockAnswer, MockRequest } from './request.js';
import { DEFAULT_MAX_TASK_NAMES, MockState } from './state.js';

export type { AnswerReason, BodyRead, HeaderReader, MockAnswer, MockRequest } from './request.js';
export type { Envelope } from './answers.js';
export type { Md5 } from './auth.js';
export { MockState, DEFAULT_MAX_TASK_NAMES };

/** The vendor's documented example credentials, so the docs' examples work as they stand. */
export const DEFAULT_API_KEY = 'bDqJFiq9';
export const DEFAULT_API_SECRET = '7bz1lzh9';
/** About 30 minutes, as the vendor's sibling pages state. */
export const DEFAULT_TIMESTAMP_WINDOW_SECONDS = 1800;
/** Well above the ~25 MB of a 200,000-number task, far below what could hurt the machine. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Enough to fix a body by; a 200,000-number body with every number wrong stays a small answer. */
export const DEFAULT_MAX_FINDINGS = 50;

export interface VoiceMockOptions {
  apiKey?: string;
  apiSecret?: string;
  /** Default 1800 (±30 minutes); Infinity accepts any timestamp. */
  timestampWindowSeconds?: number;
  /** The clock in milliseconds (default `Date.now`). */
  now?: () => number;
  /** Lowercase hex MD5 of a UTF-8 text, for the signature check (Node's crypto, or a library in a browser). */
  md5: Md5;
  /** Default 64 MiB. */
  maxBodyBytes?: number;
  /** Findings listed in a -22 answer (default 50); `findingsTotal` counts them all. */
  maxFindings?: number;
  /** keyIds to treat as issued besides the contract's own (e.g. ones a frontend kept across restarts). */
  knownKeyIds?: Iterable<number>;
  /** How many of the latest task names are remembered for -41 (default 100,000); older ones may be reused. */
  maxTaskNames?: number;
}

export interface VoiceMockOperation {
  operationId: OperationId;
  method: 'POST';
  path: string;
}

export interface VoiceMock {
  /** The API operations, from the contract. */
  readonly operations: readonly VoiceMockOperation[];
  /** What the mock remembers: task names and issued keyIds. */
  readonly state: MockState;
  /** The operation at `path`, or undefined when the path is not one of the API's. */
  operationAt(path: string): OperationId | undefined;
  /** The answer to an API request, or undefined when its path is not one of the API's. */
  answer(request: MockRequest): Promise<MockAnswer | undefined>;
}

const operations: readonly VoiceMockOperation[] = Object.freeze(
  (Object.entries(operationPaths) as [OperationId, string][]).map(([operationId, path]) => Object.freeze({ operationId, method: 'POST' as const, path })),
);
const byPath = new Map(operations.map((o) => [o.path, o.operationId]));
/**
 * How many JSON objects and arrays a body may hold before it is refused unparsed (see body.ts): what a
 * body the contract accepts can hold, and as many again (at least 10,000, about a megabyte of heap) for
 * unknown fields, which the vendor ignores.
 */
const maxContainers = Object.fromEntries(
  operations.map(({ operationId }) => {
    const bound = containerBound(requestShapes[operationId], requestPlans[operationId].bounds);
    return [operationId, bound + Math.max(bound, 10_000)];
  }),
) as Record<OperationId, number>;

export function createVoiceMock(options: VoiceMockOptions): VoiceMock {
  const {
    apiKey = DEFAULT_API_KEY,
    apiSecret = DEFAULT_API_SECRET,
    timestampWindowSeconds = DEFAULT_TIMESTAMP_WINDOW_SECONDS,
    now = Date.now,
    md5,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    maxFindings = DEFAULT_MAX_FINDINGS,
    knownKeyIds = [],
    maxTaskNames = DEFAULT_MAX_TASK_NAMES,
  } = options;
  if (typeof md5 !== 'function') throw new TypeError('createVoiceMock: md5 must be a function (the signature check needs it)');
  const state = new MockState(documentedKeyIds, knownKeyIds, maxTaskNames);
  const auth = { apiKey, apiSecret, timestampWindowSeconds, now, md5 };

  const envelope = (operation: OperationId, reason: AnswerReason, body: Envelope, extra: Partial<MockAnswer> = {}): MockAnswer => ({
    status: 200,
    headers: {},
    body,
    operation,
    reason,
    code: body.code,
    ...extra,
  });
  const notApi = (operation: OperationId, status: number, reason: AnswerReason, body: Record<string, unknown>, headers: Record<string, string> = {}): MockAnswer => ({
    status,
    headers,
    body,
    operation,
    reason,
  });
  const bodyProblem = (operation: OperationId, problem: BodyProblem, extra?: Partial<MockAnswer>) =>
    envelope(operation, 'body', parameterException(operation, [{ path: '', message: problem.message, keyword: problem.keyword }]), extra);

  async function answer(request: MockRequest): Promise<MockAnswer | undefined> {
    const operation = byPath.get(request.path);
    if (!operation) return undefined;
    if (request.method !== 'POST') {
      return notApi(operation, 405, 'method', { error: 'method_not_allowed', message: `${request.path} takes POST, not ${request.method}` }, { Allow: 'POST, OPTIONS' });
    }

    const verdict = checkAuth(request.header, auth);
    if (!verdict.ok) return envelope(operation, 'auth', explained(operation, verdict.name, verdict.detail));

    const preferences = readPreferences(request.header('prefer'), request.query);
    if (preferences) {
      const names = answerNames(operation);
      const chosen = negotiate(preferences, names);
      if (!chosen.ok) return notApi(operation, 400, 'prefer', { error: 'unknown_preference', message: chosen.message, examples: names });
      return envelope(operation, 'prefer', namedAnswer(operation, chosen.name), { headers: { 'Preference-Applied': `example=${chosen.name}` } });
    }

    const headerProblem = checkBodyHeaders(request.header('content-type'), request.header('content-encoding'));
    if (headerProblem) return bodyProblem(operation, headerProblem, { unreadBody: true });
    const read = await request.readBody(maxBodyBytes);
    if (read.kind === 'aborted') return notApi(operation, 400, 'body', { error: 'aborted', message: 'the request body ended early' });
    if (read.kind === 'tooLarge') {
      return bodyProblem(operation, { keyword: 'maxBodySize', message: `the body is larger than the mock's limit of ${maxBodyBytes} bytes` }, { unreadBody: true });
    }
    const parsed = parseBody(read.bytes, maxContainers[operation]);
    if (!parsed.ok) return bodyProblem(operation, parsed.problem);

    const result = validateRequest(operation, parsed.value, { maxFindings });
    if (!result.valid) return envelope(operation, 'contract', parameterException(operation, result.findings, result.total));

    const fields = parsed.value as { taskName?: string; keyId?: unknown };
    if (operation === 'sendAgentGroupCall') {
      if (!state.claimTaskName(String(fields.taskName))) {
        return envelope(operation, 'state', explained(operation, 'taskNameExists', `this mock already has a task named ${JSON.stringify(fields.taskName)}`));
      }
      return envelope(operation, 'ok', success(operation, state.issueKeyId()));
    }
    if (!state.isIssued(fields.keyId)) {
      return envelope(operation, 'state', explained(operation, 'dataNotFound', `this mock never issued keyId ${JSON.stringify(fields.keyId)}`));
    }
    return envelope(operation, 'ok', success(operation));
  }

  return { operations, state, operationAt: (path) => byPath.get(path), answer };
}
