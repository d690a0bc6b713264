// The mock's one decision path: given a request as plain data, the answer the vendor would give. It knows
// nothing of sockets, files or Prism, so the HTTP server, the in-process server and MSW handlers are thin
// adapters that translate to and from it, and cannot disagree. It also holds what a test suite drives: the
// request journal, queued faults, the scenario world and the state, reachable through `VoiceMockControl`.
//
// The order of the checks: a queued fault or the configured latency, the signature (-1, -16; unless auth
// is off), a `Prefer` for a documented answer, the body (unreadable → -22), the contract (-22 with
// findings), the scenario world (-60, -68, -22) and the state (-41, -24).
import { documentedKeyIds } from '../../generated/examples.js';
import type { Agent, Fault, JournalEntry, MockState as MockStateBody, QueuedFault } from '../../generated/mock-control.js';
import type { SendAgentGroupCallRequest } from '../../generated/openapi.js';
import { operationPaths, type OperationId } from '../../generated/operations.js';
import { requestPlans } from '../../generated/request-plan.js';
import { requestShapes } from '../../generated/request-shape.js';
import { validateRequest, type ValidationFinding } from '../../src/validation.js';
import { answerNames, explained, namedAnswer, parameterException, success, type Envelope } from './answers.js';
import { checkAuth, type Md5 } from './auth.js';
import { checkBodyHeaders, containerBound, parseBody, type BodyProblem } from './body.js';
import { controlBody, MockControlError } from './control.js';
import { FaultQueue } from './faults.js';
import { DEFAULT_MAX_REQUESTS, journalHeaders, Ring, summarise } from './journal.js';
import { negotiate, readPreferences } from './preferences.js';
import type { MockAnswer, MockRequest } from './request.js';
import { DEFAULT_MAX_TASK_NAMES, MockState } from './state.js';
import { World } from './world.js';

export type { AnswerReason, BodyRead, HeaderReader, MockAnswer, MockRequest } from './request.js';
export type { Envelope } from './answers.js';
export type { Md5 } from './auth.js';
export type { Agent, Fault, JournalEntry, QueuedFault, Scenario } from '../../generated/mock-control.js';
export type { MockStateBody };
export { MockState, MockControlError, DEFAULT_MAX_TASK_NAMES, DEFAULT_MAX_REQUESTS };
export type { MockControlErrorRaw } from './control.js';

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
  /** `off` accepts unsigned requests (for UI work against the mock from a browser); default `on`. */
  auth?: 'on' | 'off';
  apiKey?: string;
  apiSecret?: string;
  /** Default 1800 (±30 minutes); Infinity accepts any timestamp. */
  timestampWindowSeconds?: number;
  /** The clock in milliseconds (default `Date.now`). */
  now?: () => number;
  /** Lowercase hex MD5 of a UTF-8 text, for the signature check (Node's crypto, or a library in a browser); not needed with auth off. */
  md5?: Md5;
  /** Default 64 MiB. */
  maxBodyBytes?: number;
  /** Findings listed in a -22 answer (default 50); `findingsTotal` counts them all. */
  maxFindings?: number;
  /** keyIds to treat as issued besides the contract's own (e.g. ones a frontend kept across restarts). */
  knownKeyIds?: Iterable<number>;
  /**
   * The first keyId a new task gets (default: one past the contract's example keyIds, 123124); keyIds count
   * up from it, skipping known ones, so the same requests in the same order get the same keyIds.
   */
  firstKeyId?: number;
  /** How many of the latest task names are remembered for -41 (default 100,000); older ones may be reused. */
  maxTaskNames?: number;
  /** Task names taken from the start (-41 for them). */
  taskNames?: readonly string[];
  /** The scenario world's agents (default none: every agentId is accepted). */
  agents?: readonly Agent[];
  /** Milliseconds every API answer waits before it is decided (default 0). */
  latencyMs?: number;
  /** How many requests the journal keeps, the latest (default 1,000; 0 keeps none). */
  maxRequests?: number;
}

export interface VoiceMockOperation {
  operationId: OperationId;
  method: 'POST';
  path: string;
}

/** What a test suite drives: the same operations as the control API (`/__mock`). */
export interface VoiceMockControl {
  /** The journal, oldest first. */
  requests(): JournalEntry[];
  clearRequests(): void;
  /** State, journal and queued faults back to how the mock started. */
  reset(): void;
  /** What the mock knows: keyIds, task names, agents. */
  state(): Required<MockStateBody>;
  /** Knows exactly this from now on (a field left out is emptied); throws MockControlError when invalid. */
  setState(state: MockStateBody): Required<MockStateBody>;
  /** Queues a forced answer; the queue afterwards. Throws MockControlError when invalid. */
  addFault(fault: Fault): QueuedFault[];
  faults(): QueuedFault[];
  clearFaults(): void;
}

export interface VoiceMock extends VoiceMockControl {
  /** The API operations, from the contract. */
  readonly operations: readonly VoiceMockOperation[];
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

/**
 * The contract's verdict on a request as a client sent it (its Content-Type and Content-Encoding, its body
 * bytes), in the words the mock's -22 would use: every finding, at most `maxFindings` kept, and how many in
 * all. For a transport that does not answer for the vendor (the contract-check proxy).
 */
export function requestVerdict(
  operation: OperationId,
  request: { contentType: string | undefined; contentEncoding: string | undefined; body: Uint8Array },
  maxFindings = DEFAULT_MAX_FINDINGS,
): { findings: ValidationFinding[]; total: number } {
  const one = (problem: BodyProblem) => ({ findings: [{ path: '', message: problem.message, keyword: problem.keyword }], total: 1 });
  const headerProblem = checkBodyHeaders(request.contentType, request.contentEncoding);
  if (headerProblem) return one(headerProblem);
  const parsed = parseBody(request.body, maxContainers[operation]);
  if (!parsed.ok) return one(parsed.problem);
  const { findings, total } = validateRequest(operation, parsed.value, { maxFindings });
  return { findings, total };
}

/** The documented answer names every operation has, for faults that name no operation. */
const sharedAnswerNames = answerNames(operations[0]!.operationId).filter((name) => operations.every((o) => answerNames(o.operationId).includes(name)));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An answer decided, with the body it was decided on (for the journal) when one was read. */
interface Decided {
  answer: MockAnswer;
  body?: unknown;
}

export function createVoiceMock(options: VoiceMockOptions = {}): VoiceMock {
  const {
    auth: authMode = 'on',
    apiKey = DEFAULT_API_KEY,
    apiSecret = DEFAULT_API_SECRET,
    timestampWindowSeconds = DEFAULT_TIMESTAMP_WINDOW_SECONDS,
    now = Date.now,
    md5,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    maxFindings = DEFAULT_MAX_FINDINGS,
    knownKeyIds = [],
    firstKeyId,
    maxTaskNames = DEFAULT_MAX_TASK_NAMES,
    taskNames = [],
    agents = [],
    latencyMs = 0,
    maxRequests = DEFAULT_MAX_REQUESTS,
  } = options;
  if (authMode !== 'on' && authMode !== 'off') throw new TypeError(`createVoiceMock: auth must be "on" or "off", not ${JSON.stringify(authMode)}`);
  if (authMode === 'on' && typeof md5 !== 'function') throw new TypeError('createVoiceMock: md5 must be a function (the signature check needs it), or auth "off"');
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError(`latencyMs must be a non-negative number, not ${latencyMs}`);

  const startKeyIds = [...documentedKeyIds, ...knownKeyIds];
  const state = new MockState({ knownKeyIds: startKeyIds, firstKeyId: firstKeyId ?? Math.max(0, ...documentedKeyIds) + 1, maxTaskNames });
  // The starting world is checked as PUT /__mock/state would check it.
  const start = controlBody<Required<MockStateBody>>('putState', { taskNames: [...taskNames], agents: [...agents] });
  state.replace({ keyIds: startKeyIds, taskNames: start.taskNames });
  const world = new World(start.agents);
  const journal = new Ring<JournalEntry>(maxRequests);
  const faults = new FaultQueue();
  const authOptions = { apiKey, apiSecret, timestampWindowSeconds, now, md5: md5! };

  const envelope = (operation: OperationId, reason: MockAnswer['reason'], body: Envelope, extra: Partial<MockAnswer> = {}): MockAnswer => ({
    status: 200,
    headers: {},
    body,
    operation,
    reason,
    code: body.code,
    ...extra,
  });
  const notApi = (operation: OperationId, status: number, reason: MockAnswer['reason'], body: Record<string, unknown>, headers: Record<string, string> = {}): MockAnswer => ({
    status,
    headers,
    body,
    operation,
    reason,
  });
  const bodyProblem = (operation: OperationId, problem: BodyProblem, extra?: Partial<MockAnswer>) =>
    envelope(operation, 'body', parameterException(operation, [{ path: '', message: problem.message, keyword: problem.keyword }]), extra);

  /** A queued fault's answer, or undefined when it only delays (the request is then answered as usual). */
  async function applyFault(operation: OperationId, fault: QueuedFault): Promise<MockAnswer | undefined> {
    const detail = 'injected by a queued fault (POST /__mock/faults)';
    if ('delayMs' in fault) return void (await sleep(fault.delayMs));
    if ('example' in fault) return envelope(operation, 'fault', explained(operation, fault.example, detail));
    if ('status' in fault) return notApi(operation, fault.status, 'fault', { error: 'injected_fault', message: `HTTP ${fault.status} ${detail}` });
    return { ...notApi(operation, 0, 'fault', {}), drop: true };
  }

  /** What the world and the state say of a body the contract accepts. */
  const acceptance: Record<OperationId, (body: unknown) => MockAnswer> = {
    sendAgentGroupCall(body) {
      const task = body as SendAgentGroupCallRequest;
      const verdict = world.checkTask(task, maxFindings);
      if (!verdict.ok) {
        if (verdict.refusal === 'parameterException') return envelope('sendAgentGroupCall', 'world', parameterException('sendAgentGroupCall', verdict.findings, verdict.total));
        return envelope('sendAgentGroupCall', 'world', explained('sendAgentGroupCall', verdict.refusal, verdict.detail));
      }
      if (!state.claimTaskName(task.taskName)) {
        return envelope('sendAgentGroupCall', 'state', explained('sendAgentGroupCall', 'taskNameExists', `this mock already has a task named ${JSON.stringify(task.taskName)}`));
      }
      let keyId: number;
      try {
        keyId = state.issueKeyId();
      } catch (error) {
        return envelope('sendAgentGroupCall', 'state', explained('sendAgentGroupCall', 'systemException', (error as Error).message));
      }
      return envelope('sendAgentGroupCall', 'ok', success('sendAgentGroupCall', keyId));
    },
    updateRecallFlow(body) {
      const keyId = (body as { keyId?: unknown }).keyId;
      if (!state.isIssued(keyId)) return envelope('updateRecallFlow', 'state', explained('updateRecallFlow', 'dataNotFound', `this mock never issued keyId ${JSON.stringify(keyId)}`));
      return envelope('updateRecallFlow', 'ok', success('updateRecallFlow'));
    },
  };

  async function decide(operation: OperationId, request: MockRequest): Promise<Decided> {
    if (request.method !== 'POST') {
      return { answer: notApi(operation, 405, 'method', { error: 'method_not_allowed', message: `${request.path} takes POST, not ${request.method}` }, { Allow: 'POST, OPTIONS' }) };
    }
    if (latencyMs > 0) await sleep(latencyMs);
    const fault = faults.take(operation);
    if (fault) {
      const forced = await applyFault(operation, fault);
      if (forced) return { answer: forced };
    }

    if (authMode === 'on') {
      const verdict = checkAuth(request.header, authOptions);
      if (!verdict.ok) return { answer: envelope(operation, 'auth', explained(operation, verdict.name, verdict.detail)) };
    }

    const preferences = readPreferences(request.header('prefer'), request.query);
    if (preferences) {
      const names = answerNames(operation);
      const chosen = negotiate(preferences, names);
      if (!chosen.ok) return { answer: notApi(operation, 400, 'prefer', { error: 'unknown_preference', message: chosen.message, examples: names }) };
      return { answer: envelope(operation, 'prefer', namedAnswer(operation, chosen.name), { headers: { 'Preference-Applied': `example=${chosen.name}` } }) };
    }

    const headerProblem = checkBodyHeaders(request.header('content-type'), request.header('content-encoding'));
    if (headerProblem) return { answer: bodyProblem(operation, headerProblem, { unreadBody: true }) };
    const read = await request.readBody(maxBodyBytes);
    if (read.kind === 'aborted') return { answer: notApi(operation, 400, 'body', { error: 'aborted', message: 'the request body ended early' }) };
    // Not the vendor's -22: nothing is wrong with the request, so the client is told to send it again.
    if (read.kind === 'busy') return { answer: { ...notApi(operation, 503, 'body', { error: 'busy', message: read.message }, { 'Retry-After': String(read.retryAfterSeconds) }), unreadBody: true } };
    if (read.kind === 'tooLarge') {
      return { answer: bodyProblem(operation, { keyword: 'maxBodySize', message: `the body is larger than the mock's limit of ${maxBodyBytes} bytes` }, { unreadBody: true }) };
    }
    const parsed = parseBody(read.bytes, maxContainers[operation]);
    if (!parsed.ok) return { answer: bodyProblem(operation, parsed.problem) };

    const result = validateRequest(operation, parsed.value, { maxFindings });
    if (!result.valid) return { answer: envelope(operation, 'contract', parameterException(operation, result.findings, result.total)), body: parsed.value };
    return { answer: acceptance[operation](parsed.value), body: parsed.value };
  }

  function record(request: MockRequest, operation: OperationId, { answer, body }: Decided): void {
    const sent = answer.body as Partial<Envelope> & { findings?: JournalEntry['findings']; findingsTotal?: number; detail?: string };
    const entry: JournalEntry = {
      at: new Date(now()).toISOString(),
      method: request.method,
      path: request.path,
      operation,
      status: answer.status,
      reason: answer.reason,
      headers: request.headerEntries ? journalHeaders(request.headerEntries()) : {},
    };
    if (answer.code !== undefined) entry.code = answer.code;
    if (typeof sent.detail === 'string') entry.detail = sent.detail;
    else if (answer.reason === 'fault' && typeof sent.message === 'string') entry.detail = sent.message;
    if (sent.findings) {
      entry.findings = sent.findings;
      entry.findingsTotal = sent.findingsTotal ?? sent.findings.length;
    }
    if (body !== undefined) entry.body = summarise(body);
    journal.add(entry);
  }

  async function answer(request: MockRequest): Promise<MockAnswer | undefined> {
    const operation = byPath.get(request.path);
    if (!operation) return undefined;
    const decided = await decide(operation, request);
    record(request, operation, decided);
    return decided.answer;
  }

  const control: VoiceMockControl = {
    requests: () => journal.list(),
    clearRequests: () => journal.clear(),
    reset() {
      state.replace({ keyIds: startKeyIds, taskNames: start.taskNames });
      world.replace(start.agents);
      journal.clear();
      faults.clear();
    },
    state: () => ({ ...state.snapshot(), agents: world.list() }),
    setState(body) {
      const next = controlBody<MockStateBody>('putState', body);
      try {
        state.replace({ keyIds: next.keyIds ?? [], taskNames: next.taskNames ?? [] });
      } catch (error) {
        throw new MockControlError({ message: 'PUT /__mock/state takes no such state', findings: [{ path: '/taskNames', keyword: 'maxItems', message: (error as Error).message }] });
      }
      world.replace(next.agents ?? []);
      return control.state();
    },
    addFault(body) {
      const fault = controlBody<Fault>('addFault', body);
      if ('example' in fault) {
        const names = fault.operation ? answerNames(fault.operation) : sharedAnswerNames;
        if (!names.includes(fault.example)) {
          const which = fault.operation ?? 'both operations';
          throw new MockControlError({
            message: `no documented answer ${JSON.stringify(fault.example)} for ${which}`,
            findings: [{ path: '/example', keyword: 'enum', message: `must be one of ${names.map((n) => JSON.stringify(n)).join(', ')}` }],
          });
        }
      }
      return faults.add(fault);
    },
    faults: () => faults.list(),
    clearFaults: () => faults.clear(),
  };

  return { operations, operationAt: (path) => byPath.get(path), answer, ...control };
}
