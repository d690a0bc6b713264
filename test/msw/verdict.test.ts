// One engine, two adapters, the same answers: every request goes, byte for byte, to the HTTP mock
// (`startMockServer` on a loopback port) and to the MSW handlers (under msw/node, at the vendor's URL),
// and both must give the same status, the same headers (CORS, Allow, Preference-Applied) and the same JSON
// (code, findings, findingsTotal, keyId, detail), request for request. Bodies are the contract's own, generated and mutated (fast-check, seeded), plus a
// few the generators never make (unsigned, not JSON, not UTF-8, a documented answer on demand, GET).
import fc from 'fast-check';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL } from '../../src/index.js';
import { signRequest } from '../../src/sign.js';
import { startMockServer, DEFAULT_API_KEY, DEFAULT_API_SECRET, type JournalEntry, type MockServer } from '../../mocks/index.js';
import { createVoiceHandlers, type VoiceHandlers } from '../../mocks/msw/index.js';
import { validateRequest, type OperationId } from '../../src/validation.js';
import { guaranteedInvalid, mutationCategories, validBody } from '../support/arbitrary.js';
import { bundledContract, operationPaths } from '../support/contract.js';

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

let http: MockServer;
let msw: VoiceHandlers;
const server = setupServer();
const loopback = (url: URL) => url.hostname === '127.0.0.1';

beforeAll(async () => {
  http = await startMockServer({ port: 0, host: '127.0.0.1', knownKeyIds });
  msw = createVoiceHandlers({ knownKeyIds });
  server.use(...msw);
  // The HTTP mock's loopback requests pass through; anything else unhandled is an error.
  server.listen({ onUnhandledRequest: (request, print) => (loopback(new URL(request.url)) ? undefined : print.error()) });
});
afterAll(async () => {
  server.close();
  await http?.close();
});

interface Seen {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Headers that belong to a connection (HTTP/1.1 framing, the date), not to the answer. */
const TRANSPORT = new Set(['connection', 'keep-alive', 'date', 'content-length', 'transfer-encoding']);

async function seen(response: Response): Promise<Seen> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (TRANSPORT.has(name) ? undefined : (headers[name] = value)));
  return { status: response.status, headers, body: JSON.parse(await response.text()) };
}

/** Sends the same request to both adapters; their answers must be equal. Returns the answer. */
async function both(path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array; query?: string } = {}): Promise<Seen> {
  const { method = 'POST', headers = { 'content-type': 'application/json', ...signRequest(DEFAULT_API_KEY, DEFAULT_API_SECRET, Math.floor(Date.now() / 1000)) }, body, query = '' } = init;
  const request = { method, headers, body: body as BodyInit | undefined };
  const [overHttp, overMsw] = [await seen(await fetch(http.url + path + query, request)), await seen(await fetch(DEFAULT_BASE_URL + path + query, request))];
  expect(overMsw).toEqual(overHttp);
  return overMsw;
}

let sequence = 0;
/** A send gets a taskName of its own, so neither mock meets -41 first; still 2–64 characters. */
function unique(op: OperationId, body: any): any {
  if (op !== 'sendAgentGroupCall' || body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  return { ...body, taskName: `both ${process.pid} ${++sequence}` };
}

describe.each(operations)('%s: the HTTP mock and the MSW handlers answer alike', (op) => {
  it('valid generated bodies: code 0 from both (the same keyIds)', async () => {
    for (const generated of samples[op]) {
      const answer = await both(operationPaths[op], { body: JSON.stringify(unique(op, generated.value)) });
      expect(answer.body, JSON.stringify(answer.body).slice(0, 300)).toMatchObject({ code: expect.anything() });
      expect(Number((answer.body as { code: unknown }).code)).toBe(0);
    }
  });

  it(`mutated bodies (${mutationCategories.join(', ')}): -22 from both, finding for finding`, async () => {
    const kinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(validBody(schemaOf(op)).chain(guaranteedInvalid), async (mutation) => {
        kinds.add(mutation.category);
        expect(validateRequest(op, mutation.body).valid).toBe(false);
        const answer = await both(operationPaths[op], { body: JSON.stringify(mutation.body) });
        expect(answer.body, `${mutation.kind} at ${mutation.pointer}`).toMatchObject({ code: -22, findings: expect.any(Array), findingsTotal: expect.any(Number) });
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect([...kinds].sort()).toEqual([...mutationCategories].sort());
  });
});

describe('requests the generators never make: the same answers too', () => {
  const send = operationPaths.sendAgentGroupCall;
  const task = () => JSON.stringify({ appId: '2Xql9RBI', taskName: `edge ${++sequence}`, agentId: 41, numberInfoList: [{ calleeNumber: '6281234567890' }] });
  const cases: [string, () => Parameters<typeof both>[1], unknown][] = [
    ['unsigned', () => ({ headers: { 'content-type': 'application/json' }, body: task() }), { code: -1 }],
    ['a timestamp in milliseconds', () => ({ headers: { 'content-type': 'application/json', ...signRequest(DEFAULT_API_KEY, DEFAULT_API_SECRET, Date.now()) }, body: task() }), { code: -16 }],
    ['not JSON', () => ({ body: '{"appId":' }), { code: -22 }],
    ['bytes that are not UTF-8', () => ({ body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) }), { code: -22 }],
    ['an empty body', () => ({ body: '' }), { code: -22 }],
    ['text/plain', () => ({ headers: { ...signRequest(DEFAULT_API_KEY, DEFAULT_API_SECRET, Math.floor(Date.now() / 1000)), 'content-type': 'text/plain' }, body: task() }), { code: -22 }],
    ['gzip claimed', () => ({ headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...signRequest(DEFAULT_API_KEY, DEFAULT_API_SECRET, Math.floor(Date.now() / 1000)) }, body: task() }), { code: -22 }],
    ['a 1 MB taskName', () => ({ body: JSON.stringify({ ...JSON.parse(task()), taskName: 'x'.repeat(1_000_000) }) }), { code: -22 }],
    ['Prefer: example=taskNameExists', () => ({ headers: { ...signRequest(DEFAULT_API_KEY, DEFAULT_API_SECRET, Math.floor(Date.now() / 1000)), prefer: 'example=taskNameExists' } }), { code: -41 }],
    ['?__example=concurrentTaskLimit', () => ({ headers: signRequest(DEFAULT_API_KEY, DEFAULT_API_SECRET, Math.floor(Date.now() / 1000)), query: '?__example=concurrentTaskLimit' }), { code: -37 }],
    ['Prefer: example=noSuchName', () => ({ headers: { ...signRequest(DEFAULT_API_KEY, DEFAULT_API_SECRET, Math.floor(Date.now() / 1000)), prefer: 'example=noSuchName' } }), { error: 'unknown_preference' }],
    ['GET', () => ({ method: 'GET' }), { error: 'method_not_allowed' }],
  ];

  it.each(cases)('%s', async (_name, make, expected) => {
    expect((await both(send, make())).body).toMatchObject(expected as object);
  });

  it('the same task name twice: -41 from both', async () => {
    const body = task();
    await both(send, { body });
    expect((await both(send, { body })).body).toMatchObject({ code: -41 });
  });
});

describe('the journals', () => {
  it('hold the same entries (what was decided, and why), request for request', () => {
    const decided = (entry: JournalEntry) => ({ ...entry, at: undefined, headers: undefined });
    const [overHttp, overMsw] = [http.requests(), msw.requests()];
    expect(overMsw.length).toBeGreaterThan(4 * RUNS);
    expect(overMsw.map(decided)).toEqual(overHttp.map(decided));
  });
});
