// One engine, two adapters, the same answers: every request goes, byte for byte, to the HTTP mock
// (`startMockServer` on a loopback port) and to the MSW handlers (under msw/node), and both must give the
// same status, the same headers (CORS, Allow, Preference-Applied) and the same JSON (code, findings,
// findingsTotal, keyId, detail), or both drop the connection, request for request; then the same journal.
// Two pairs of adapters, each pair given the same options: one in the open world (every agentId accepted),
// and one with a scenario world (an agent of each scenario) and, per run, the same queued faults. Bodies are
// the contract's own, generated and mutated (fast-check, seeded), placed in the world, plus a few the
// generators never make (unsigned, not JSON, not UTF-8, a documented answer on demand, GET).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_BASE_URL } from '../../src/index.js';
import { signRequest } from '../../src/sign.js';
import { startMockServer, DEFAULT_API_KEY, DEFAULT_API_SECRET, type Agent, type Fault, type JournalEntry, type MockServer } from '../../mocks/index.js';
import { createVoiceHandlers, type VoiceHandlers } from '../../mocks/msw/index.js';
import { validateRequest, type OperationId } from '../../src/validation.js';
import { operationAnswers } from '../../generated/examples.js';
import { scenarioIntents, scenarioKeys, scenarios } from '../../generated/world.js';
import { guaranteedInvalid, mutationCategories, validBody } from '../support/arbitrary.js';
import { bundledContract, operationPaths, root } from '../support/contract.js';

const SEED = 20261124;
const RUNS = 60;
const { dereferenced } = bundledContract();
const operations = Object.keys(operationPaths) as OperationId[];
const schemaOf = (op: OperationId) => dereferenced.paths[operationPaths[op]].post.requestBody.content['application/json'].schema;

const samples = Object.fromEntries(operations.map((op) => [op, fc.sample(validBody(schemaOf(op)), { seed: SEED, numRuns: RUNS })])) as unknown as Record<
  OperationId,
  { value: any }[]
>;
// Generated updates name random keyIds; both mocks are told of them, so the contract decides, not -24.
const knownKeyIds = samples.updateRecallFlow.map((g) => g.value.keyId).filter((k): k is number => Number.isInteger(k) && k > 0);

/** The scenario world both adapters of the second pair are given: an agent of each scenario. */
const agents: Agent[] = scenarios.map((scenario, i) => ({ agentId: 41 + i, scenario }));
const UNKNOWN_AGENT = 40;

/** A pair of adapters given the same options: the HTTP mock on loopback, the MSW handlers at `baseUrl`. */
interface Pair {
  http: MockServer;
  msw: VoiceHandlers;
}
let open: Pair;
let world: Pair;
const server = setupServer();
const loopback = (url: URL) => url.hostname === '127.0.0.1';

async function pair(baseUrl: string, options: Parameters<typeof createVoiceHandlers>[0] = {}): Promise<Pair> {
  const msw = createVoiceHandlers({ ...options, baseUrl });
  server.use(...msw);
  return { http: await startMockServer({ ...options, port: 0, host: '127.0.0.1' }), msw };
}

beforeAll(async () => {
  // The HTTP mocks' loopback requests pass through; anything else unhandled is an error.
  server.listen({ onUnhandledRequest: (request, print) => (loopback(new URL(request.url)) ? undefined : print.error()) });
  open = await pair(DEFAULT_BASE_URL, { knownKeyIds });
  world = await pair('https://world.itniotech.test', { agents });
});
afterAll(async () => {
  server.close();
  await open?.http.close();
  await world?.http.close();
});

type Seen = { status: number; headers: Record<string, string>; body: unknown } | { failed: string };

/** Headers that belong to a connection (HTTP/1.1 framing, the date), not to the answer. */
const TRANSPORT = new Set(['connection', 'keep-alive', 'date', 'content-length', 'transfer-encoding']);

/** What came back: the answer, or that the connection failed (a dropped one), by the error's kind. */
async function seen(sent: Promise<Response>): Promise<Seen> {
  let response: Response;
  try {
    response = await sent;
  } catch (error) {
    return { failed: (error as Error).name };
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (TRANSPORT.has(name) ? undefined : (headers[name] = value)));
  return { status: response.status, headers, body: JSON.parse(await response.text()) };
}

const signed = () => signRequest(DEFAULT_API_KEY, DEFAULT_API_SECRET, Math.floor(Date.now() / 1000));

type Init = { method?: string; headers?: Record<string, string>; body?: string | Uint8Array; query?: string };

/** Sends the same request to both adapters of a pair; their answers must be equal. Returns the answer. */
async function both(path: string, init: Init = {}, to: Pair = open): Promise<Seen> {
  const { method = 'POST', headers = { 'content-type': 'application/json', ...signed() }, body, query = '' } = init;
  const request = { method, headers, body: body as BodyInit | undefined };
  const overHttp = await seen(fetch(to.http.url + path + query, request));
  const overMsw = await seen(fetch(to.msw.baseUrl + path + query, request));
  expect(overMsw).toEqual(overHttp);
  return overMsw;
}

/** The answer's body, for an answer that came (not a dropped connection). */
function bodyOf(answer: Seen): any {
  if ('failed' in answer) throw new Error(`the connection failed (${answer.failed}) where an answer was expected`);
  return answer.body;
}

/** The journal entries as decided (what and why), without the moment and the headers. */
const decided = (entry: JournalEntry) => ({ ...entry, at: undefined, headers: undefined });

let sequence = 0;
/** A send gets a taskName of its own, so neither mock meets -41 first; still 2–64 characters. */
function unique(op: OperationId, body: any): any {
  if (op !== 'sendAgentGroupCall' || body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return { ...body, taskName: `both ${process.pid} ${++sequence}` };
}

describe.each(operations)('%s: the HTTP mock and the MSW handlers answer alike', (op) => {
  it('valid generated bodies: code 0 from both (the same keyIds)', async () => {
    for (const generated of samples[op]) {
      const body = bodyOf(await both(operationPaths[op], { body: JSON.stringify(unique(op, generated.value)) }));
      expect(body, JSON.stringify(body).slice(0, 300)).toMatchObject({ code: expect.anything() });
      expect(Number(body.code)).toBe(0);
    }
  });

  it(`mutated bodies (${mutationCategories.join(', ')}): -22 from both, finding for finding`, async () => {
    const kinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(validBody(schemaOf(op)).chain(guaranteedInvalid), async (mutation) => {
        kinds.add(mutation.category);
        expect(validateRequest(op, mutation.body).valid).toBe(false);
        const body = bodyOf(await both(operationPaths[op], { body: JSON.stringify(mutation.body) }));
        expect(body, `${mutation.kind} at ${mutation.pointer}`).toMatchObject({ code: -22, findings: expect.any(Array), findingsTotal: expect.any(Number) });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect([...kinds].sort()).toEqual([...mutationCategories].sort());
  });
});

const send = operationPaths.sendAgentGroupCall;
/** A task the contract accepts, for an agent of the world: every number with the keys any scenario requires. */
const task = (agentId = 41) =>
  JSON.stringify({
    appId: '2Xql9RBI',
    taskName: `edge ${++sequence}`,
    agentId,
    numberInfoList: [{ calleeNumber: '6281234567890', callInformation: { name: 'Budi', borrow_total_money: '1500000', due_date: '2026-12-01', emergency_contact_name: 'Sari' } }],
  });

describe('requests the generators never make: the same answers too', () => {
  const cases: [string, () => Init, unknown][] = [
    ['unsigned', () => ({ headers: { 'content-type': 'application/json' }, body: task() }), { code: -1 }],
    ['a timestamp in milliseconds', () => ({ headers: { 'content-type': 'application/json', ...signRequest(DEFAULT_API_KEY, DEFAULT_API_SECRET, Date.now()) }, body: task() }), { code: -16 }],
    ['not JSON', () => ({ body: '{"appId":' }), { code: -22 }],
    ['bytes that are not UTF-8', () => ({ body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) }), { code: -22 }],
    ['an empty body', () => ({ body: '' }), { code: -22 }],
    ['text/plain', () => ({ headers: { ...signed(), 'content-type': 'text/plain' }, body: task() }), { code: -22 }],
    ['gzip claimed', () => ({ headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...signed() }, body: task() }), { code: -22 }],
    ['a 1 MB taskName', () => ({ body: JSON.stringify({ ...JSON.parse(task()), taskName: 'x'.repeat(1_000_000) }) }), { code: -22 }],
    ['Prefer: example=taskNameExists', () => ({ headers: { ...signed(), prefer: 'example=taskNameExists' } }), { code: -41 }],
    ['?__example=concurrentTaskLimit', () => ({ headers: signed(), query: '?__example=concurrentTaskLimit' }), { code: -37 }],
    ['Prefer: example=noSuchName', () => ({ headers: { ...signed(), prefer: 'example=noSuchName' } }), { error: 'unknown_preference' }],
    ['GET', () => ({ method: 'GET' }), { error: 'method_not_allowed' }],
  ];

  it.each(cases)('%s', async (_name, make, expected) => {
    expect(bodyOf(await both(send, make()))).toMatchObject(expected as object);
  });

  it('the same task name twice: -41 from both', async () => {
    const body = task();
    await both(send, { body });
    expect(bodyOf(await both(send, { body }))).toMatchObject({ code: -41 });
  });
});

describe('the journals of the open world', () => {
  it('hold the same entries (what was decided, and why), request for request', () => {
    const [overHttp, overMsw] = [open.http.requests(), open.msw.requests()];
    expect(overMsw.length).toBeGreaterThan(4 * RUNS);
    expect(overMsw.map(decided)).toEqual(overHttp.map(decided));
  });
});

// Every intent code of any scenario's table, and every key any scenario requires (with its variable).
const anyIntent = [...new Set(Object.values(scenarioIntents).flat())];
const anyRequiredKey = [...new Map(Object.values(scenarioKeys).flat().map((k) => [k.key, k])).values()];

/** An agent of the world mostly, sometimes one it does not know (so the rules after -60 are met too). */
const anAgentId = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...agents.map((a) => a.agentId)) }, { weight: 1, arbitrary: fc.constant(UNKNOWN_AGENT) });

/**
 * A generated valid task placed in the world: its agent (and each recall node's) one of the world's or
 * one it does not know, intents by recall drawn from every scenario's tables, and each number given the
 * keys the scenarios require, less some of them. The contract still accepts it; the world decides.
 */
const placedTask = fc
  .record({
    generated: validBody(schemaOf('sendAgentGroupCall')),
    agentId: anAgentId,
    nodeAgentIds: fc.array(anAgentId, { maxLength: 4 }),
    intents: fc.subarray(anyIntent, { minLength: 1, maxLength: 3 }),
    missing: fc.array(fc.subarray(anyRequiredKey), { maxLength: 4 }),
  })
  .map(({ generated, agentId, nodeAgentIds, intents, missing }) => {
    const task = structuredClone(generated.value) as any;
    task.agentId = agentId;
    for (const [i, node] of (task.recallFlow?.nodeList ?? []).entries()) {
      // Kept as the contract lets it come (a number or a string of digits), only another agent's.
      if (node?.agentId !== undefined && node.agentId !== null) node.agentId = typeof node.agentId === 'string' ? String(nodeAgentIds[i] ?? agentId) : (nodeAgentIds[i] ?? agentId);
    }
    if (task.recallFlow?.recallType === 3) task.recallFlow.recallIntent = intents;
    for (const [i, number] of task.numberInfoList.entries()) {
      const info = (number.callInformation ??= {});
      for (const { key, variable } of anyRequiredKey) {
        info[key] = 'given';
        delete number[variable];
      }
      for (const { key } of missing[i] ?? []) delete info[key];
    }
    return task;
  });

describe('a scenario world (an agent of each scenario): the same refusals from both', () => {
  it('generated tasks placed in the world: -60, -68, -22 with findings, or 0, alike', async () => {
    world.http.reset();
    world.msw.reset();
    await fc.assert(
      fc.asyncProperty(placedTask, async (placed) => {
        expect(validateRequest('sendAgentGroupCall', placed).valid).toBe(true);
        await both(send, { body: JSON.stringify(unique('sendAgentGroupCall', placed)) }, world);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    const journal = world.msw.requests();
    expect(journal.map(decided)).toEqual(world.http.requests().map(decided));
    // The property met every world rule, not just one: each refusal and an accepted task.
    const outcomes = new Set(journal.map((entry) => `${entry.reason} ${entry.code}`));
    expect([...outcomes].sort()).toEqual(['ok 0', 'world -22', 'world -60', 'world -68']);
    const callInformation = journal.find((entry) => entry.code === -22)!;
    expect(callInformation.findings![0]).toMatchObject({ path: expect.stringMatching(/^\/numberInfoList\/\d+\/callInformation$/), keyword: 'required' });
  });

  it.each(agents)('agent $agentId ($scenario): a task without the keys its scenario requires, alike', async ({ agentId, scenario }) => {
    const bare = JSON.stringify({ ...JSON.parse(task(agentId)), numberInfoList: [{ calleeNumber: '6281234567890' }] });
    const body = bodyOf(await both(send, { body: bare }, world));
    expect(body.code).toBe(scenarioKeys[scenario].length === 0 ? '0' : -22);
  });

  it('an unknown agent in a recall node (-60) and a foreign intent (-68), alike; a recall flow update is not held to the world', async () => {
    const base = JSON.parse(task(43));
    const flow = { recallType: 3, recallInterval: 30, recallNum: 1, recallIntent: ['99999'] };
    expect(bodyOf(await both(send, { body: JSON.stringify({ ...base, recallFlow: { ...flow, nodeList: [{ agentId: UNKNOWN_AGENT }] } }) }, world))).toMatchObject({ code: -60 });
    const foreign = scenarioIntents.debtCollection.find((code) => !scenarioIntents.marketing.includes(code))!;
    expect(bodyOf(await both(send, { body: JSON.stringify({ ...base, taskName: `${base.taskName}b`, recallFlow: { ...flow, recallIntent: [foreign] } }) }, world))).toMatchObject({ code: -68 });
    const keyId = bodyOf(await both(send, { body: task(41) }, world)).data;
    const update = bodyOf(await both(operationPaths.updateRecallFlow, { body: JSON.stringify({ keyId, recallType: 0, recallInterval: 30, recallNum: 1, nodeList: [{ agentId: UNKNOWN_AGENT, source: 3, text: 'A reminder.', lan: 'EN', hangUpSms: 0, toSeat: 0 }] }) }, world));
    expect(update, JSON.stringify(update)).toMatchObject({ code: 0 });
  });
});

// Faults, drawn within the control contract's bounds (delays kept short: waits, not what is compared).
const controlSchemas = parseYaml(readFileSync(join(root, 'spec', 'mock-control', 'openapi.yaml'), 'utf8')).components.schemas;
const statusBounds = controlSchemas.StatusFault.properties.status as { minimum: number; maximum: number };
const answerNames = (op: OperationId) => Object.keys(operationAnswers[op]);
const sharedNames = answerNames(operations[0]!).filter((name) => operations.every((op) => answerNames(op).includes(name)));

const fault: fc.Arbitrary<Fault> = fc.option(fc.constantFrom(...operations), { nil: undefined }).chain((operation) =>
  fc
    .record({
      times: fc.integer({ min: 1, max: 3 }),
      kind: fc.oneof(
        fc.constantFrom(...(operation ? answerNames(operation) : sharedNames)).map((example) => ({ example })),
        fc.integer({ min: statusBounds.minimum, max: statusBounds.maximum }).map((status) => ({ status })),
        fc.integer({ min: 0, max: 10 }).map((delayMs) => ({ delayMs })),
        fc.constant({ drop: true as const }),
      ),
    })
    .map(({ times, kind }) => ({ ...(operation ? { operation } : {}), times, ...kind }) as Fault),
);

/** Requests a suite sends while faults wait: to each operation, accepted or refused for their own reasons. */
const requests: Record<string, () => [string, Init]> = {
  'a task': () => [send, { body: task(41) }],
  'a task for an unknown agent': () => [send, { body: task(UNKNOWN_AGENT) }],
  'an unsigned task': () => [send, { headers: { 'content-type': 'application/json' }, body: task(41) }],
  'a recall flow update': () => [operationPaths.updateRecallFlow, { body: JSON.stringify({ keyId: 123124, recallType: 0, recallInterval: 30, recallNum: 1 }) }],
  'an invalid recall flow update': () => [operationPaths.updateRecallFlow, { body: JSON.stringify({ keyId: 'one' }) }],
};

/** The kind of the fault a request used up: the first whose count went down (the queue is in order). */
function usedUp(before: Fault[], after: Fault[]): string | undefined {
  const at = before.findIndex((fault, i) => JSON.stringify(fault) !== JSON.stringify(after[i]));
  return at === -1 ? undefined : ['example', 'status', 'delayMs', 'drop'].find((kind) => kind in before[at]!);
}

describe('queued faults, with the world: the same answers from both', () => {
  it('the same faults queued on both, then the same requests: example, status, delay and drop alike, in order', async () => {
    const used = new Set<string>();
    const answered = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(fault, { minLength: 1, maxLength: 6 }), fc.array(fc.constantFrom(...Object.keys(requests)), { minLength: 1, maxLength: 10 }), async (faults, sent) => {
        for (const adapter of [world.http, world.msw]) {
          adapter.reset();
          for (const queued of faults) adapter.addFault(queued);
        }
        for (const name of sent) {
          const before = world.http.faults();
          expect(world.msw.faults()).toEqual(before);
          const [path, init] = requests[name]!();
          const answer = await both(path, init, world);
          const kind = usedUp(before, world.http.faults());
          if (kind) used.add(kind);
          answered.add('failed' in answer ? `dropped (${answer.failed})` : answer.status === 200 ? `code ${(answer.body as { code: unknown }).code}` : `HTTP ${answer.status}`);
        }
        expect(world.msw.faults()).toEqual(world.http.faults());
        expect(world.msw.requests().map(decided)).toEqual(world.http.requests().map(decided));
      }),
      { seed: SEED, numRuns: 40 },
    );
    // The runs used every kind of fault, and met the engine's own answers between them.
    expect([...used].sort()).toEqual(['delayMs', 'drop', 'example', 'status']);
    expect([...answered].filter((kind) => /^HTTP [45]\d\d$/.test(kind))).not.toEqual([]);
    expect(answered).toContain('dropped (TypeError)');
    for (const kind of ['code 0', 'code -60', 'code -1', 'code -22']) expect(answered).toContain(kind);
  });
});
