// The mock against the contract and the vendor's behaviour, over real HTTP on loopback.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { operationCodes } from '../../generated/codes.js';
import { operationIds, type OperationId } from '../../generated/operations.js';
import { computeSign } from '../../src/sign.js';
import type { MockServer } from '../../mocks/index.js';
import { bundledContract, root } from '../support/contract.js';
import { recallFlowUpdate, recallNode, ruleCases, sendTask } from '../support/rule-cases.js';
import { MAX_COUNTED_FINDINGS } from '../../src/validation.js';
import { bigTask } from './big-task.js';
import { API_KEY, API_SECRET, contractExamples, operationPaths, post, postPartial, read, SEND, signed, startMock, UPDATE } from './harness.js';

const contract = bundledContract().bundled;

const responseExamples = (operationId: OperationId) => contractExamples(operationId, 'response');
const requestExamples = (operationId: OperationId) => contractExamples(operationId, 'request');

let mock: MockServer;
let taskCounter = 0;
/** A valid send with a name no other test uses. */
const freshTask = (patch: Record<string, unknown> = {}) => ({ ...sendTask(), taskName: `Mock test task ${++taskCounter}`, ...patch });

// The update rules' fixes name keyIds such as 1 and 2147483647; the mock is told they exist, as a
// frontend can with ITNIO_MOCK_KEY_IDS, so the fixes reach 0 rather than -24.
const ruleKeyIds = ruleCases.flatMap((c) => (c.operation === 'updateRecallFlow' && Number.isInteger(c.fixed.keyId) ? [c.fixed.keyId as number] : []));

beforeAll(async () => {
  mock = await startMock({ knownKeyIds: ruleKeyIds });
});
afterAll(() => mock?.close());

describe('the contract\'s request examples, sent as they stand', () => {
  // A fresh mock, so nothing another test sent can make an example's taskName a duplicate.
  let fresh: MockServer;
  beforeAll(async () => (fresh = await startMock()));
  afterAll(() => fresh?.close());

  /** What a success carries in `data`, per operation: a new keyId, or the success example's. */
  const expectData: Record<OperationId, (data: unknown, example: unknown) => void> = {
    sendAgentGroupCall: (data) => expect(Number.isInteger(data)).toBe(true),
    updateRecallFlow: (data, example) => expect(data).toBe(example),
  };
  for (const operationId of operationIds) {
    const examples = requestExamples(operationId);
    it(`${operationId} has request examples`, () => expect(Object.keys(examples).length).toBeGreaterThan(0));
    for (const [name, body] of Object.entries(examples)) {
      it(`${operationId} ${name} → 0, typed as the success example types it`, async () => {
        const answer = await post(fresh, operationPaths[operationId], body);
        expect(answer.status).toBe(200);
        const success = responseExamples(operationId).success;
        expect(answer.body.code).toBe(success.code);
        expect(answer.body.msg).toBe(success.msg);
        expectData[operationId](answer.body.data, success.data);
      });
    }
  }
});

describe('every rule of the contract, through the mock', () => {
  expect(ruleCases.length).toBeGreaterThan(0);
  ruleCases.forEach((rule, index) => {
    it(`${rule.operation}: ${rule.name} — refused with -22 and a finding at ${rule.path || '(body)'}`, async () => {
      const answer = await post(mock, operationPaths[rule.operation], rule.invalid);
      expect(answer.body).toMatchObject({ code: -22, msg: 'Parameter exception', data: null });
      expect(answer.body.findingsTotal).toBeGreaterThanOrEqual(1);
      const paths = answer.body.findings.map((f: { path: string }) => f.path);
      if (answer.body.findingsTotal === answer.body.findings.length) expect(paths).toContain(rule.path);
    });
    it(`${rule.operation}: ${rule.name} — the fix is accepted with 0`, async () => {
      // Each accepted send must carry its own taskName (the mock refuses reuse with -41), unless the
      // rule is about the name itself.
      const fixed = 'taskName' in rule.fixed && !rule.path.startsWith('/taskName') ? { ...rule.fixed, taskName: `Rule fix ${index}` } : rule.fixed;
      const answer = await post(mock, operationPaths[rule.operation], fixed);
      expect(answer.body.code, JSON.stringify(answer.body.findings)).toEqual(responseExamples(rule.operation).success.code);
    });
  });
});

describe('signature and timestamp', () => {
  const at = 1_767_225_600; // a fixed clock, so the window's edges are exact
  let clocked: MockServer;
  beforeAll(async () => (clocked = await startMock({ now: () => at * 1000, timestampWindowSeconds: 1800 })));
  afterAll(() => clocked?.close());
  const flow = recallFlowUpdate();

  it('accepts the vendor\'s signature, in lower or upper case', async () => {
    expect((await post(clocked, UPDATE, flow, signed(at), { sign: false })).body.code).toBe(0);
    const upper = { ...signed(at), Sign: computeSign(API_KEY, API_SECRET, at).toUpperCase() };
    expect((await post(clocked, UPDATE, flow, upper, { sign: false })).body.code).toBe(0);
  });

  it.each([
    ['no Api-Key', () => { const { 'Api-Key': _, ...rest } = signed(at); return rest; }],
    ['another Api-Key', () => ({ ...signed(at), 'Api-Key': 'someone-else' })],
    ['a key signed with another secret', () => signed(at, API_KEY, 'wrong-secret')],
    ['no Sign', () => { const { Sign: _, ...rest } = signed(at); return rest; }],
    ['a Sign for another timestamp', () => ({ ...signed(at), Sign: computeSign(API_KEY, API_SECRET, at - 1) })],
  ])('%s → -1', async (_label, headers) => {
    const answer = await post(clocked, UPDATE, flow, headers(), { sign: false });
    expect(answer.body).toMatchObject({ code: -1, msg: 'Authentication error', data: null });
    expect(answer.body.detail).toEqual(expect.any(String));
  });

  it.each([
    ['no Timestamp', () => { const { Timestamp: _, ...rest } = signed(at); return rest; }],
    ['a non-numeric Timestamp', () => ({ ...signed(at), Timestamp: '2026-01-01T00:00:00Z' })],
    ['a Timestamp 1801 s behind', () => signed(at - 1801)],
    ['a Timestamp 1801 s ahead', () => signed(at + 1801)],
    ['a Timestamp in milliseconds', () => signed(at * 1000)],
    ['the docs\' old test vector', () => ({ 'Api-Key': API_KEY, Timestamp: '1630468800', Sign: '05d7a50893e22a5c4bb3216ae3396c7c' })],
  ])('%s → -16', async (_label, headers) => {
    const answer = await post(clocked, UPDATE, flow, headers(), { sign: false });
    expect(answer.body).toMatchObject({ code: -16, msg: 'Timestamp expires', data: null });
  });

  it('accepts timestamps at the window\'s edges', async () => {
    expect((await post(clocked, UPDATE, flow, signed(at - 1800), { sign: false })).body.code).toBe(0);
    expect((await post(clocked, UPDATE, flow, signed(at + 1800), { sign: false })).body.code).toBe(0);
  });

  it('checks the signature before the body: an invalid body with a bad signature is -1, not -22', async () => {
    const answer = await post(clocked, UPDATE, { keyId: 'nope' }, signed(at, API_KEY, 'wrong'), { sign: false });
    expect(answer.body.code).toBe(-1);
  });

  it('takes other credentials and another window when configured', async () => {
    const custom = await startMock({ apiKey: 'my-key', apiSecret: 'my-secret', timestampWindowSeconds: 10, now: () => at * 1000 });
    try {
      expect((await post(custom, UPDATE, flow, signed(at), { sign: false })).body.code).toBe(-1);
      expect((await post(custom, UPDATE, flow, signed(at, 'my-key', 'my-secret'), { sign: false })).body.code).toBe(0);
      expect((await post(custom, UPDATE, flow, signed(at - 11, 'my-key', 'my-secret'), { sign: false })).body.code).toBe(-16);
    } finally {
      await custom.close();
    }
  });
});

describe('state kept for the server\'s life, bounded', () => {
  it('refuses a taskName used before with -41', async () => {
    const task = freshTask();
    expect((await post(mock, SEND, task)).body.code).toBe('0');
    expect((await post(mock, SEND, task)).body).toMatchObject({ code: -41, msg: 'Task name already exists', data: null });
  });

  it('does not reserve the name of a refused task', async () => {
    const task = freshTask();
    expect((await post(mock, SEND, { ...task, agentId: 'x' })).body.code).toBe(-22);
    expect((await post(mock, SEND, task)).body.code).toBe('0');
  });

  it('issues a new keyId per task, never one of the contract\'s examples', async () => {
    const keyIds: number[] = [];
    for (let i = 0; i < 20; i++) keyIds.push((await post(mock, SEND, freshTask())).body.data);
    expect(new Set(keyIds).size).toBe(20);
    expect(keyIds).not.toContain(299);
    expect(keyIds).not.toContain(123123);
  });

  it('updates the recall flow of an issued keyId, and of the keyIds the contract shows', async () => {
    const keyId = (await post(mock, SEND, freshTask())).body.data;
    for (const id of [keyId, 299, 123123]) {
      expect((await post(mock, UPDATE, { ...recallFlowUpdate(), keyId: id })).body).toEqual({ code: 0, msg: 'success', data: null });
    }
  });

  it('refuses a keyId it never issued with -24', async () => {
    expect(ruleKeyIds).not.toContain(2_000_000_000);
    const answer = await post(mock, UPDATE, { ...recallFlowUpdate(), keyId: 2_000_000_000 });
    expect(answer.body).toMatchObject({ code: -24, msg: 'Data unexisting', data: null });
  });

  it('remembers the latest maxTaskNames names: an older one may be reused, its keyId stays updatable', async () => {
    const small = await startMock({ maxTaskNames: 2 });
    try {
      const [a, b, c] = [freshTask(), freshTask(), freshTask()];
      const keyIdOfA = (await post(small, SEND, a)).body.data;
      expect((await post(small, SEND, a)).body.code).toBe(-41);
      expect((await post(small, SEND, b)).body.code).toBe('0');
      expect((await post(small, SEND, c)).body.code).toBe('0'); // a, the oldest, is forgotten here
      expect(small.state().taskNames.length).toBe(2);
      expect((await post(small, SEND, b)).body.code).toBe(-41);
      expect((await post(small, SEND, a)).body.code).toBe('0');
      expect((await post(small, UPDATE, { ...recallFlowUpdate(), keyId: keyIdOfA })).body.code).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('treats the keyIds it is told about as issued, and still issues new ones after the documented ones', async () => {
    const told = await startMock({ knownKeyIds: [7, 2_147_483_647] });
    try {
      expect((await post(told, UPDATE, { ...recallFlowUpdate(), keyId: 7 })).body.code).toBe(0);
      expect((await post(told, UPDATE, { ...recallFlowUpdate(), keyId: 8 })).body.code).toBe(-24);
      const documented = [
        ...Object.values(requestExamples('updateRecallFlow')).map((body) => body.keyId),
        responseExamples('sendAgentGroupCall').success.data,
      ];
      expect((await post(told, SEND, freshTask())).body.data).toBe(Math.max(...documented) + 1);
    } finally {
      await told.close();
    }
  });
});

describe('Prefer: example=<name>', () => {
  for (const operationId of operationIds) {
    const examples = responseExamples(operationId);

    it(`${operationId}: every named response example is answered as the contract states it`, async () => {
      for (const [name, value] of Object.entries(examples)) {
        const answer = await post(mock, operationPaths[operationId], {}, { Prefer: `example=${name}` });
        expect(answer.body, name).toEqual(value);
        expect(answer.headers.get('preference-applied')).toBe(`example=${name}`);
      }
    });

    it(`${operationId}: every code the operation documents is reachable`, async () => {
      const reached = new Set<number>();
      for (const name of Object.keys(examples)) {
        reached.add(Number((await post(mock, operationPaths[operationId], {}, { Prefer: `example=${name}` })).body.code));
      }
      expect([...reached].sort()).toEqual([...operationCodes[operationId]].sort());
    });
  }

  it('applies only after the signature is checked', async () => {
    const answer = await post(mock, SEND, {}, { Prefer: 'example=success' }, { sign: false });
    expect(answer.body.code).toBe(-1);
  });

  it('takes Prism\'s query form too', async () => {
    expect((await post(mock, `${SEND}?__example=taskNameExists`, {})).body.code).toBe(-41);
  });

  it('names the available examples when asked for one the operation does not have', async () => {
    const answer = await post(mock, UPDATE, {}, { Prefer: 'example=taskNameExists' });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('unknown_preference');
    expect(answer.body.examples).toEqual(Object.keys(responseExamples('updateRecallFlow')));
  });
});

describe('bad input never crashes it', () => {
  const stillAnswers = async () => expect((await post(mock, SEND, freshTask())).body.code).toBe('0');

  it.each([
    ['malformed JSON', '{"appId": "2Xql9RBI",', {}, 'json'],
    ['an empty body', '', {}, 'json'],
    ['a text/plain body', JSON.stringify(sendTask()), { 'content-type': 'text/plain' }, 'contentType'],
    ['a form body', 'appId=2Xql9RBI', { 'content-type': 'application/x-www-form-urlencoded' }, 'contentType'],
  ])('%s → -22 with a finding that says why', async (_label, body, headers, keyword) => {
    const answer = await post(mock, SEND, body, headers as Record<string, string>);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ code: -22, msg: 'Parameter exception', data: null, findingsTotal: 1 });
    expect(answer.body.findings[0].keyword).toBe(keyword);
    await stillAnswers();
  });

  it.each([['null', null], ['an array', [sendTask()]], ['a number', 42]])('a JSON %s → -22', async (_label, body) => {
    expect((await post(mock, SEND, body)).body.code).toBe(-22);
  });

  it('refuses a body announced over the limit before reading it', async () => {
    const answer = await postPartial(mock, SEND, { bytes: 64 * 1024 * 1024 + 1 }, 1024);
    expect(answer.body).toMatchObject({ code: -22, findings: [{ keyword: 'maxBodySize' }] });
    // Answered while the upload is still announced as unfinished; the rest is read and dropped (drainMs).
    expect(answer.connectionHeader).not.toBe('close');
    await stillAnswers();
  });

  it('stops collecting a chunked body once it passes the limit', async () => {
    const small = await startMock({ maxBodyBytes: 64 * 1024 });
    try {
      // The upload never ends: only a mock that stops at the limit can answer it.
      const answer = await postPartial(small, SEND, { chunked: true }, 128 * 1024);
      expect(answer.body).toMatchObject({ code: -22, findings: [{ keyword: 'maxBodySize' }] });
      expect((await post(small, SEND, freshTask())).body.code).toBe('0');
    } finally {
      await small.close();
    }
  });

  it('answers an unknown path with a 404 that lists the operations', async () => {
    const answer = await post(mock, '/voice/group/call/send', sendTask());
    expect(answer.status).toBe(404);
    expect(answer.body.operations).toEqual([`POST ${SEND}`, `POST ${UPDATE}`]);
    await stillAnswers();
  });

  it('answers the wrong method with 405 and Allow', async () => {
    const answer = await read(await fetch(mock.url + SEND));
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe('the largest task', () => {
  it('accepts 200,000 numbers (about 25 MB, above Prism\'s own 10 MB limit)', async () => {
    const body = JSON.stringify(bigTask(`Big task ${Date.now()}`));
    expect(body.length).toBeGreaterThan(20 * 1024 * 1024);
    const answer = await post(mock, SEND, body);
    expect(answer.body.code).toBe('0');
    expect(Number.isInteger(answer.body.data)).toBe(true);
  });

  it('keeps the answer small when all 200,000 numbers are wrong', async () => {
    const answer = await post(mock, SEND, bigTask(`Bad big task ${Date.now()}`, 200_000, (i) => `+${i}`));
    expect(answer.body.code).toBe(-22);
    expect(answer.body.findings).toHaveLength(50);
    // Counting stops at MAX_COUNTED_FINDINGS: a total of that many means that many or more.
    expect(answer.body.findingsTotal).toBe(MAX_COUNTED_FINDINGS);
    expect(answer.text.length).toBeLessThan(20_000);
  });

  it('takes a voice file of 6 MB (8 MB of Base64) in a recall node, and refuses it one character short', async () => {
    const baseFile = 'QUJD'.repeat(2 * 1024 * 1024);
    const node = recallNode({ source: 2, voiceFileId: undefined, uploadName: 'reminder.wav', baseFile });
    expect((await post(mock, UPDATE, recallFlowUpdate(node))).body.code).toBe(0);
    const short = await post(mock, UPDATE, recallFlowUpdate({ ...node, baseFile: baseFile.slice(1) }));
    expect(short.status).toBe(200);
    expect(short.body.code).toBe(-22);
    expect(short.body.findings.map((f: { path: string }) => f.path)).toEqual(['/nodeList/0/baseFile']);
  });
});

describe('CORS, docs and the contract', () => {
  it('answers a browser\'s preflight for the signing headers', async () => {
    const response = await fetch(mock.url + SEND, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'api-key,timestamp,sign,content-type,prefer' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('api-key,timestamp,sign,content-type,prefer');
  });

  it('lets a browser read answers and the Preference-Applied header', async () => {
    const answer = await post(mock, SEND, {}, { Origin: 'http://localhost:5173', Prefer: 'example=success' });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-expose-headers')).toContain('Preference-Applied');
  });

  it('serves the contract and the docs from its assets folder, re-read when a file changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-assets-'));
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(contract));
    writeFileSync(join(dir, 'openapi.yaml'), stringifyYaml(contract));
    const served = await startMock({ assetsDir: dir });
    try {
      expect(await (await fetch(served.url + '/openapi.json')).json()).toEqual(contract);
      const yaml = await fetch(served.url + '/openapi.yaml');
      expect(yaml.headers.get('content-type')).toContain('yaml');
      expect(parseYaml(await yaml.text())).toEqual(contract);

      const missing = await fetch(served.url + '/docs');
      expect(missing.headers.get('content-type')).toContain('text/html');
      expect(await missing.text()).toContain('npm run docs');
      mkdirSync(join(dir, 'docs'));
      writeFileSync(join(dir, 'docs', 'index.html'), '<!doctype html><title>Redoc page</title>');
      expect(await (await fetch(served.url + '/docs')).text()).toBe('<!doctype html><title>Redoc page</title>');
      // Rebuilt while the mock runs: the next request sees the new page (size and mtime change).
      writeFileSync(join(dir, 'docs', 'index.html'), '<!doctype html><title>Redoc page, rebuilt</title>');
      expect(await (await fetch(served.url + '/docs/')).text()).toBe('<!doctype html><title>Redoc page, rebuilt</title>');
      const root = await fetch(served.url + '/', { redirect: 'manual' });
      expect(root.headers.get('location')).toBe('/docs');

      rmSync(join(dir, 'openapi.yaml'));
      const gone = await fetch(served.url + '/openapi.yaml');
      expect(gone.status).toBe(404);
      expect((await gone.json()).error).toBe('not_built');
    } finally {
      await served.close();
    }
  });

  it('by default serves the package\'s own dist/ (built by `npm test` before the suites)', async () => {
    const answer = await fetch(mock.url + '/openapi.json');
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Buffer.from(await answer.arrayBuffer())).toEqual(readFileSync(join(root, 'dist', 'openapi.json')));
  });
});
