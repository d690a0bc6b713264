// validateResponses: every answer a typed call reads is held to the contract with the proxy's checks, and
// each difference goes to onWarning as `drift`. Drift alone never throws: with the option on, every call
// ends exactly as it does with it off (same value, same error, same message). Off, nothing is reported.
import { describe, expect, it } from 'vitest';
import { answerDrift } from '../../src/drift.js';
import {
  createVoiceClient,
  VoiceApiError,
  VoiceHttpError,
  VoiceResponseError,
  VoiceResponseTooLargeError,
  type VoiceDriftWarning,
  type VoiceWarning,
} from '../../src/index.js';
import { operationIds, operationPaths, type OperationId } from '../../src/operations.js';
import { API_SECRET, credentials } from '../support/credentials.js';
import { callOperation, task } from './fixtures.js';
import { json, useLoopback, type Responder } from './loopback.js';

const server = useLoopback();

/** An answer with any status, content type and body bytes. */
const answerWith = (status: number, contentType: string | null, body: string | Buffer): Responder => (_req, res) => {
  res.writeHead(status, contentType === null ? {} : { 'content-type': contentType });
  res.end(body);
};

function client(extra: Record<string, unknown> = {}) {
  const warnings: VoiceWarning[] = [];
  const voice = createVoiceClient({ ...credentials, baseUrl: server.url, onWarning: (w) => warnings.push(w), ...extra });
  return { voice, warnings };
}

/** How a call ended, comparable across clients: its value, or its error's class and message. */
async function outcome(promise: Promise<unknown>): Promise<{ value: unknown } | { error: string; message: string }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

/** Calls `operation` once with validateResponses off and once on; returns both outcomes and the drift. */
async function bothWays(operation: OperationId) {
  const off = client();
  const on = client({ validateResponses: true });
  const without = await outcome(callOperation(off.voice, operation));
  const withChecks = await outcome(callOperation(on.voice, operation));
  expect(off.warnings).toEqual([]);
  expect(on.warnings.every((w) => w.kind === 'drift')).toBe(true);
  return { without, withChecks, drift: on.warnings as VoiceDriftWarning[] };
}

const drifting = [
  ['code as a boolean', json({ code: true, msg: 'x', data: null }), VoiceResponseError, 200, [['/code', 'type']]],
  ['a code the contract does not list', json({ code: -99, msg: 'New error', data: null }), VoiceApiError, 200, [['/code', 'code']]],
  ['text/plain', answerWith(200, 'text/plain', 'OK'), VoiceResponseError, 200, [['', 'contentType'], ['', 'json']]],
  ['HTTP 502 from a gateway', answerWith(502, 'text/html', '<html>Bad gateway</html>'), VoiceHttpError, 502, [['', 'status'], ['', 'contentType'], ['', 'json']]],
  ['HTTP 999, refused before its body is read', answerWith(999, 'text/html', '<html>?</html>'), VoiceHttpError, 999, [['', 'status'], ['', 'contentType']]],
] as const;

describe.each(operationIds)('%s with validateResponses', (operation) => {
  it.each(drifting)('%s: drift warnings, and the call ends as it does without the option', async (_name, answer, errorClass, status, expected) => {
    server.respond(answer);
    const { without, withChecks, drift } = await bothWays(operation);
    expect(withChecks).toEqual(without);
    expect(withChecks).toMatchObject({ error: errorClass.name });
    expect(drift.map((w) => [w.path, w.keyword])).toEqual(expected);
    for (const warning of drift) {
      expect(warning).toEqual({ operation, kind: 'drift', path: warning.path, message: expect.any(String), keyword: warning.keyword, status });
    }
  });

  it("data of the wrong type: the operation's data rule, as the proxy words it", async () => {
    const envelope = { code: 0, msg: 'success', data: operation === 'sendAgentGroupCall' ? 'abc' : 7 };
    server.respond(json(envelope));
    const { without, withChecks, drift } = await bothWays(operation);
    expect(withChecks).toEqual(without);
    const expected = answerDrift(operation, { status: 200, contentType: 'application/json', body: JSON.stringify(envelope) });
    expect(expected.map((f) => f.path)).toEqual(['/data']);
    expect(drift).toEqual(expected.map((f) => ({ ...f, operation, kind: 'drift', status: 200 })));
  });

  it.each([
    ['a success', { code: '0', msg: 'success', data: operation === 'sendAgentGroupCall' ? 123 : null }],
    ['a refusal the contract lists', { code: -1, msg: 'Authentication error', data: null }],
  ])('%s that conforms: no warning', async (_name, envelope) => {
    server.respond(json(envelope));
    const { without, withChecks, drift } = await bothWays(operation);
    expect(withChecks).toEqual(without);
    expect(drift).toEqual([]);
  });
});

describe('validateResponses', () => {
  it('drift that still resolves: the value is returned, even when onWarning throws', async () => {
    server.respond(answerWith(200, 'text/plain', '{"code":0,"msg":"success","data":42}'));
    let calls = 0;
    const voice = createVoiceClient({
      ...credentials,
      baseUrl: server.url,
      validateResponses: true,
      onWarning: () => {
        calls++;
        throw new Error('a broken hook');
      },
    });
    await expect(voice.sendAgentGroupCall(task)).resolves.toBe(42);
    expect(calls).toBe(1);
  });

  it('a leading byte order mark: reported, and skipped (the answer still resolves)', async () => {
    server.respond(answerWith(200, 'application/json', Buffer.from('\uFEFF{"code":0,"msg":"success","data":42}')));
    const { voice, warnings } = client({ validateResponses: true });
    await expect(voice.sendAgentGroupCall(task)).resolves.toBe(42);
    expect(warnings).toEqual([expect.objectContaining({ kind: 'drift', path: '', keyword: 'json', message: expect.stringContaining('byte order mark') })]);
  });

  it('a charset other than UTF-8: reported, and the body left unjudged', async () => {
    server.respond(answerWith(200, 'application/json; charset=utf-16le', Buffer.from('{"code":0,"data":1}', 'utf16le')));
    const { voice, warnings } = client({ validateResponses: true });
    await expect(voice.sendAgentGroupCall(task)).rejects.toBeInstanceOf(VoiceResponseError);
    expect(warnings).toEqual([expect.objectContaining({ kind: 'drift', keyword: 'contentType', message: expect.stringContaining('"utf-16le"') })]);
  });

  it('the same with caller middleware and with a custom fetch', async () => {
    server.respond(json({ code: -99, msg: 'New error' }));
    const watched = client({ validateResponses: true });
    watched.voice.raw.use({ onResponse: () => undefined });
    const custom = client({ validateResponses: true, fetch: (request: Request) => fetch(request) });
    for (const { voice, warnings } of [watched, custom]) {
      await expect(voice.sendAgentGroupCall(task)).rejects.toBeInstanceOf(VoiceApiError);
      expect(warnings.map((w) => [w.kind, w.path])).toEqual([['drift', '/code']]);
    }
  });

  it('an answer past maxResponseBytes is not read whole, so not judged: only its error', async () => {
    server.respond(json({ code: true, msg: 'x'.repeat(2000) }));
    const { voice, warnings } = client({ validateResponses: true, maxResponseBytes: 1000 });
    await expect(voice.sendAgentGroupCall(task)).rejects.toBeInstanceOf(VoiceResponseTooLargeError);
    expect(warnings).toEqual([]);
  });

  it('raw calls are not judged', async () => {
    server.respond(json({ code: true }));
    const { voice, warnings } = client({ validateResponses: true });
    const { data } = await voice.raw.POST(operationPaths.sendAgentGroupCall, { body: task });
    expect(data).toEqual({ code: true });
    expect(warnings).toEqual([]);
  });

  it('an answer nested deeper than the stack: reported, never a crash of the check', async () => {
    server.respond(answerWith(200, 'application/json', `{"code":${'['.repeat(100_000)}${']'.repeat(100_000)},"msg":"x"}`));
    const { without, withChecks, drift } = await bothWays('sendAgentGroupCall');
    expect(withChecks).toEqual(without);
    expect(drift).toEqual([expect.objectContaining({ path: '/code', keyword: 'type', message: expect.stringContaining('deeply nested') })]);
  });

  it('needs onWarning, which is where it reports', () => {
    expect(() => createVoiceClient({ ...credentials, validateResponses: true })).toThrow(/validateResponses reports drift through onWarning/);
  });

  it('no Sign, no secret and no whole body in a warning, even from a server that echoes them', async () => {
    const signs: string[] = [];
    server.respond((req, res) => {
      const sign = String(req.headers.sign);
      signs.push(sign);
      res.writeHead(200, { 'content-type': `text/x-${sign}` });
      res.end(JSON.stringify({ code: `x${sign}`, msg: `${sign} ${'y'.repeat(5000)}`, data: { [sign]: sign }, echo: sign }));
    });
    const { voice, warnings } = client({ validateResponses: true });
    await expect(voice.sendAgentGroupCall(task)).rejects.toBeInstanceOf(VoiceResponseError);
    const text = JSON.stringify(warnings);
    expect(warnings.map((w) => (w.kind === 'drift' ? w.keyword : w.kind))).toEqual(expect.arrayContaining(['contentType', 'pattern', 'maxLength']));
    expect(signs).toHaveLength(1);
    expect(text).not.toContain(signs[0]!.slice(0, 8));
    expect(text).not.toMatch(/[0-9a-f]{32}/i);
    expect(text).not.toContain(API_SECRET);
    expect(text).not.toContain('y'.repeat(100));
  });
});

