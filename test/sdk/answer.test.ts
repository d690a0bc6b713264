// Errors keep what the answer said: the whole envelope on every VoiceApiError, the mock's `detail` and
// `findings` in fields and (bounded) in the message; and every error is built from one raw object.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../mocks/index.js';
import {
  createVoiceClient,
  VoiceAbortError,
  VoiceApiError,
  VoiceError,
  VoiceHttpError,
  VoiceNetworkError,
  VoiceResponseError,
  VoiceResponseTooLargeError,
  VoiceSigningError,
  VoiceTimeoutError,
  VoiceValidationError,
  type VoiceOperation,
} from '../../src/index.js';
import { operationIds } from '../../src/operations.js';
import { validateRequest } from '../../src/validation.js';
import { API_KEY, credentials } from '../support/credentials.js';
import { sendTask } from '../support/rule-cases.js';
import { callOperation, flow, task } from './fixtures.js';
import { json, useLoopback } from './loopback.js';

async function apiError(promise: Promise<unknown>): Promise<VoiceApiError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VoiceApiError);
  return error as VoiceApiError;
}

describe('against the mock: the answer is kept whole', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => mock.close());
  // validate: false, so the mock is the one that judges the body.
  const unchecked = () => createVoiceClient({ ...credentials, baseUrl: mock.url, validate: false });

  it("-22: the mock's findings, in the contract's words, on the error and in its message", async () => {
    const body = { ...sendTask(), numberInfoList: [{ calleeNumber: '+46 3200000007' }] };
    const error = await apiError(unchecked().sendAgentGroupCall(body as never));
    const expected = validateRequest('sendAgentGroupCall', body).findings; // the same validators, the same words
    expect(error.code).toBe(-22);
    expect(error.codeName).toBe('parameterException');
    expect(error.findings).toEqual(expected);
    expect(error.findingsTotal).toBe(1);
    expect(error.envelope).toMatchObject({ code: error.envelope.code, msg: error.msg, data: null, findings: expected, findingsTotal: 1 });
    expect(error.data).toBeNull();
    expect(error.message.split('\n')).toEqual([
      `sendAgentGroupCall: the vendor refused the request with code -22 (parameterException): ${error.msg}`,
      '  /numberInfoList/0/calleeNumber: must be 6–18 digits: country code + mobile number, no + or spaces',
    ]);
  });

  it('-24: the detail says why (a keyId the mock never issued)', async () => {
    const error = await apiError(unchecked().updateRecallFlow({ ...flow, keyId: 987654 }));
    expect(error.code).toBe(-24);
    expect(error.detail).toBe('this mock never issued keyId 987654');
    expect(error.envelope.detail).toBe(error.detail);
    expect(error.message).toBe(`updateRecallFlow: the vendor refused the request with code -24 (dataNotFound): ${error.msg} (this mock never issued keyId 987654)`);
  });

  it('-1: the detail says which part of the signature is wrong', async () => {
    const wrong = createVoiceClient({ apiKey: API_KEY, apiSecret: 'not-the-secret', baseUrl: mock.url });
    const error = await apiError(wrong.sendAgentGroupCall(task));
    expect(error.code).toBe(-1);
    expect(error.detail).toMatch(/^Sign is not md5\(apiKey \+ apiSecret \+ Timestamp\)/);
    expect(error.message).toContain(`(${error.detail})`);
  });

  it('-41: the detail names the task name already taken', async () => {
    const voice = createVoiceClient({ ...credentials, baseUrl: mock.url });
    const body = { ...task, taskName: 'Answer test: taken once' };
    await voice.sendAgentGroupCall(body);
    const error = await apiError(voice.sendAgentGroupCall(body));
    expect(error.codeName).toBe('taskNameExists');
    expect(error.detail).toContain(JSON.stringify(body.taskName));
  });
});

describe('against a loopback server: any envelope, kept whole, the message bounded', () => {
  const server = useLoopback();
  const voice = (extra: Record<string, unknown> = {}) => createVoiceClient({ ...credentials, baseUrl: server.url, ...extra });

  it.each(operationIds)('%s: data and every extra field stay on the error', async (operation) => {
    const envelope = { code: '-41', msg: 'Task name already exists', data: { taskId: 7, hint: ['a'] }, traceId: 'abc-123' };
    server.respond(json(envelope));
    const error = await apiError(callOperation(voice(), operation));
    expect(error.envelope).toEqual(envelope);
    expect(error.data).toEqual({ taskId: 7, hint: ['a'] });
    expect(error.detail).toBeUndefined();
    expect(error.findings).toBeUndefined();
    expect(error.message).toBe(`${operation}: the vendor refused the request with code -41 (taskNameExists): Task name already exists`);
  });

  it('a huge findings list and detail: all kept, the message lists 50 lines of at most ~300 characters', async () => {
    const findings = Array.from({ length: 5000 }, (_, i) => ({ path: `/numberInfoList/${i}/calleeNumber`, message: `must be digits ${'x'.repeat(1000)}`, keyword: 'pattern' }));
    server.respond(json({ code: -22, msg: 'Parameter exception', data: null, detail: 'y'.repeat(100_000), findings, findingsTotal: 200_000 }));
    const error = await apiError(voice({ maxResponseBytes: 16 * 2 ** 20 }).sendAgentGroupCall(task));
    expect(error.findings).toHaveLength(5000);
    expect(error.findingsTotal).toBe(200_000);
    expect(error.detail).toHaveLength(100_000);
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(1 + 50 + 1);
    expect(lines.at(-1)).toBe('  … and 199950 more (see .findings)');
    for (const line of lines) expect(line.length).toBeLessThan(500);
    expect(error.message.length).toBeLessThan(20_000);
  });

  it('findings that are not findings are left in the envelope, never thrown on', async () => {
    for (const findings of ['all wrong', [1, null, { path: 3 }], { path: '/x', message: 'y' }]) {
      server.respond(json({ code: -22, msg: 'Parameter exception', findings }));
      const error = await apiError(voice().sendAgentGroupCall(task));
      expect(error.findings).toBeUndefined();
      expect(error.envelope.findings).toEqual(findings);
      expect(error.message).toBe('sendAgentGroupCall: the vendor refused the request with code -22 (parameterException): Parameter exception');
    }
    server.respond(json({ code: -22, msg: 'Parameter exception', findings: [{ path: '/appId', message: 'must be 1–64 characters' }, 'noise'] }));
    const error = await apiError(voice().sendAgentGroupCall(task));
    expect(error.findings).toEqual([{ path: '/appId', message: 'must be 1–64 characters', keyword: '' }]);
  });

  it('a detail that is not text is left in the envelope', async () => {
    server.respond(json({ code: -1, msg: 'Authentication error', detail: { why: 'x' } }));
    const error = await apiError(voice().sendAgentGroupCall(task));
    expect(error.detail).toBeUndefined();
    expect(error.envelope.detail).toEqual({ why: 'x' });
  });
});

describe('an answer nested deeper than the stack', () => {
  const server = useLoopback();
  it.each([
    ['code', `{"code":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ['data', `{"code":0,"data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
  ])('in %s: a VoiceResponseError, not a network failure', async (_where, body) => {
    server.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const error = await createVoiceClient({ ...credentials, baseUrl: server.url }).sendAgentGroupCall(task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoiceResponseError);
    expect((error as VoiceResponseError).message).toContain('a value nested too deeply to show');
  });
});

describe("the answer's encoding: UTF-8, as JSON on the wire is", () => {
  const server = useLoopback();
  const voice = () => createVoiceClient({ ...credentials, baseUrl: server.url });
  const answer = (contentType: string | string[], body: Buffer) => server.respond((_req, res) => {
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
  });
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
  /** The same call with no caller middleware, with some, and through a custom fetch: three read paths. */
  const clients = () => {
    const watched = voice();
    watched.raw.use({ onResponse: () => undefined });
    return [voice(), watched, createVoiceClient({ ...credentials, baseUrl: server.url, fetch: (request: Request) => fetch(request) })];
  };

  it.each(['application/json', 'application/json;charset=UTF-8', 'application/json; charset="utf-8"', 'application/json; charset=utf8'])('%s: read as UTF-8', async (contentType) => {
    answer(contentType, Buffer.from(JSON.stringify({ code: -41, msg: 'Nom de tâche déjà pris ✓' })));
    for (const client of clients()) expect((await apiError(client.sendAgentGroupCall(task))).msg).toBe('Nom de tâche déjà pris ✓');
  });

  it('a repeated Content-Type, which fetch joins with commas, is read as the Fetch standard reads it', async () => {
    answer(['application/json; charset=utf-8', 'application/json'], Buffer.from('{"code":0,"msg":"success","data":77}'));
    for (const client of clients()) await expect(client.sendAgentGroupCall(task)).resolves.toBe(77);
    answer(['application/json; charset=utf-16le', 'application/json'], Buffer.from('{"code":0,"msg":"success","data":77}', 'utf16le'));
    for (const client of clients()) await expect(client.sendAgentGroupCall(task)).rejects.toThrow('the answer declares charset="utf-16le"');
  });

  it('one leading byte order mark is skipped, on a success and on a refusal', async () => {
    answer('application/json', Buffer.concat([BOM, Buffer.from('{"code":"0","msg":"success","data":77}')]));
    for (const client of clients()) await expect(client.sendAgentGroupCall(task)).resolves.toBe(77);
    answer('application/json', Buffer.concat([BOM, Buffer.from('{"code":-41,"msg":"Task name already exists"}')]));
    for (const client of clients()) expect((await apiError(client.sendAgentGroupCall(task))).code).toBe(-41);
  });

  it('only one: a second byte order mark is not JSON', async () => {
    answer('application/json', Buffer.concat([BOM, BOM, Buffer.from('{"code":0,"data":77}')]));
    for (const client of clients()) {
      const error = await client.sendAgentGroupCall(task).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VoiceResponseError);
      expect((error as VoiceResponseError).message).toContain('response body is not JSON');
    }
  });

  it.each([
    ['utf-16le', Buffer.from('{"code":0,"msg":"success","data":77}', 'utf16le')],
    ['iso-8859-1', Buffer.from('{"code":0,"msg":"success","data":77}', 'latin1')],
    ['"UTF-16"', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"code":0}', 'utf16le').swap16()])],
  ])('charset=%s: a VoiceResponseError that names it, never a guess', async (charset, body) => {
    answer(`application/json; charset=${charset}`, body);
    for (const client of clients()) {
      const error = await client.sendAgentGroupCall(task).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VoiceResponseError);
      const { message, contentType } = error as VoiceResponseError;
      expect(contentType).toBe(`application/json; charset=${charset}`);
      expect(message).toContain(`the answer declares charset=${JSON.stringify(charset.replaceAll('"', '').toLowerCase())}, but JSON answers are UTF-8 (RFC 8259), so it was not read`);
      expect(message).toContain('the task may have been created');
    }
  });
});

describe('every error is built from one raw object', () => {
  const operation: VoiceOperation = 'sendAgentGroupCall';
  const cause = new Error('connect ECONNREFUSED');

  it('VoiceApiError({ operation, status, envelope })', () => {
    const error = new VoiceApiError({ operation, status: 200, envelope: { code: '-41', msg: 'Task name already exists', data: null, detail: 'taken' } });
    expect(error).toMatchObject({ operation, code: -41, codeName: 'taskNameExists', msg: 'Task name already exists', status: 200, data: null, detail: 'taken' });
    expect(error.message).toBe('sendAgentGroupCall: the vendor refused the request with code -41 (taskNameExists): Task name already exists (taken)');
  });

  it.each([
    [new VoiceHttpError({ operation, status: 502, statusText: 'Bad Gateway', body: '<html>' }), VoiceHttpError, { status: 502, statusText: 'Bad Gateway', body: '<html>' }, "HTTP 502 Bad Gateway instead of the vendor's JSON answer"],
    [new VoiceResponseError({ operation, problem: 'response body is not JSON', status: 200, contentType: 'text/html', body: '<p>' }), VoiceResponseError, { status: 200, contentType: 'text/html', body: '<p>' }, 'response body is not JSON (HTTP 200, content-type text/html)'],
    [new VoiceResponseTooLargeError({ operation, maxResponseBytes: 10, status: 200, contentType: null, body: '{"code"' }), VoiceResponseError, { maxResponseBytes: 10, contentType: null }, 'the answer is larger than maxResponseBytes (10 bytes'],
    [new VoiceTimeoutError({ operation, timeoutMs: 150 }), VoiceTimeoutError, { timeoutMs: 150 }, 'no answer within 150 ms; the task may have been created'],
    [new VoiceAbortError({ operation, cause: 'shutting down' }), VoiceAbortError, { cause: 'shutting down' }, 'aborted by the caller; the task may have been created'],
    [new VoiceNetworkError({ operation, cause, nothingSent: true }), VoiceNetworkError, { nothingSent: true, cause }, 'network failure (connect ECONNREFUSED); nothing reached the server, so no task was created'],
    [new VoiceNetworkError({ operation, cause }), VoiceNetworkError, { nothingSent: false }, 'network failure (connect ECONNREFUSED); the task may have been created'],
    [new VoiceSigningError({ operation, problem: 'the sign callback threw', cause }), VoiceSigningError, { cause }, 'could not sign the request: the sign callback threw; nothing was sent'],
    [new VoiceValidationError({ operation, findings: [{ path: '/appId', message: 'must be 1–64 characters', keyword: 'minLength' }] }), VoiceValidationError, { total: 1 }, 'the contract refuses this request (1 problem); nothing was sent:\n  /appId: must be 1–64 characters'],
  ] as const)('%o', (error, kind, fields, message) => {
    expect(error).toBeInstanceOf(kind);
    expect(error).toBeInstanceOf(VoiceError);
    expect(error.operation).toBe(operation);
    expect(error).toMatchObject(fields);
    expect(error.message.startsWith(`${operation}: ${message}`)).toBe(true);
  });

  it('a base VoiceError from { operation, message }', () => {
    const error = new VoiceError({ operation, message: 'something else' });
    expect(error.message).toBe('sendAgentGroupCall: something else');
    expect('cause' in error).toBe(false);
  });
});
