// The API secret signs requests and appears nowhere else: not in any SDK error on any failure path (in its
// message, fields, cause, stack, util.inspect or JSON), not on the wire, not in anything the mock answers,
// and not in what the mock prints while it serves. A canary secret makes any leak unmistakable.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVoiceClient, signRequest, VoiceError, type VoiceClient } from '../../src/index.js';
import { startMockServer, type MockServer } from '../../mocks/index.js';
import { operationPaths, root } from '../support/contract.js';
import { sendTask } from '../support/rule-cases.js';

const API_KEY = 'canary-key';
const SECRET = 'LEAK-CANARY-7f3e9a51-do-not-print';
const { sendAgentGroupCall: SEND, updateRecallFlow: UPDATE } = operationPaths;
const consoleSpies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) => vi.spyOn(console, m));

/** Every view of a value a caller or a logger could take. */
function views(value: unknown): string[] {
  const out = [String(value), inspect(value, { showHidden: true, depth: Infinity, getters: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) out.push(value.message, value.stack ?? '', inspect(value.cause, { showHidden: true, depth: Infinity }));
  return out;
}
const expectNoSecret = (value: unknown) => {
  for (const view of views(value)) expect(view).not.toContain(SECRET);
};

// --- a scriptable loopback server that records raw bytes, for the failures the mock never produces ---

type Fault = 'html' | '502' | 'stall' | 'reset';
let fault: Fault = 'html';
let faultServer: Server;
let faultUrl: string;
const wire: string[] = [];
const sockets = new Set<Socket>();

let mock: MockServer;
let voice: VoiceClient;

beforeAll(async () => {
  faultServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      wire.push(JSON.stringify(req.headers) + Buffer.concat(chunks).toString('utf8'));
      if (fault === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
      if (fault === '502') return void res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>');
      if (fault === 'reset') return void req.socket.resetAndDestroy();
      // stall: never answer; the socket is closed in afterAll
    });
  });
  faultServer.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => faultServer.listen(0, '127.0.0.1', r));
  faultUrl = `http://127.0.0.1:${(faultServer.address() as AddressInfo).port}`;
  mock = await startMockServer({ port: 0, host: '127.0.0.1', apiKey: API_KEY, apiSecret: SECRET });
  voice = createVoiceClient({ apiKey: API_KEY, apiSecret: SECRET, baseUrl: mock.url, timeoutMs: 2_000 });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => faultServer.close(() => r()));
  await mock?.close();
});

async function refused(run: () => Promise<unknown>): Promise<VoiceError> {
  const outcome = await run().then((value) => ({ value }), (error: unknown) => ({ error }));
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(VoiceError);
  return outcome.error as VoiceError;
}

const atFault = (kind: Fault, timeoutMs = 2_000) => {
  fault = kind;
  return createVoiceClient({ apiKey: API_KEY, apiSecret: SECRET, baseUrl: faultUrl, timeoutMs });
};

describe('the SDK, on every failure path', () => {
  let n = 0;
  const fresh = () => ({ ...sendTask(), taskName: `secret test ${++n}` });
  const paths: [string, string, () => Promise<unknown>][] = [
    ['validation error (refused before sending)', 'VoiceValidationError', () => voice.sendAgentGroupCall({ ...fresh(), agentId: 'x' } as never)],
    ['API error -41 from the mock', 'VoiceApiError', async () => { const body = fresh(); await voice.sendAgentGroupCall(body as never); return voice.sendAgentGroupCall(body as never); }],
    ['API error -24 from the mock', 'VoiceApiError', () => voice.updateRecallFlow({ keyId: 2_000_000_000, recallType: 0, recallInterval: 30, recallNum: 1, nodeList: [{ source: 1, voiceFileId: 'a.wav', hangUpSms: 0, toSeat: 0 }] } as never)],
    ['API error -1 (the mock holds another secret)', 'VoiceApiError', () => createVoiceClient({ apiKey: API_KEY, apiSecret: `${SECRET}-wrong`, baseUrl: mock.url }).sendAgentGroupCall(fresh() as never)],
    ['API error -16 (clock an hour off)', 'VoiceApiError', () => createVoiceClient({ apiKey: API_KEY, apiSecret: SECRET, baseUrl: mock.url, clockOffsetSeconds: 3_600 }).sendAgentGroupCall(fresh() as never)],
    ['HTML page with HTTP 200', 'VoiceResponseError', () => atFault('html').sendAgentGroupCall(fresh() as never)],
    ['HTTP 502', 'VoiceHttpError', () => atFault('502').updateRecallFlow({ keyId: 1, recallType: 0, recallInterval: 30, recallNum: 1, nodeList: [{ source: 1, voiceFileId: 'a.wav', hangUpSms: 0, toSeat: 0 }] } as never)],
    ['timeout', 'VoiceTimeoutError', () => atFault('stall', 150).sendAgentGroupCall(fresh() as never)],
    ['connection reset', 'VoiceNetworkError', () => atFault('reset').sendAgentGroupCall(fresh() as never)],
    ['connection refused', 'VoiceNetworkError', async () => {
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const { port } = closed.address() as AddressInfo;
      await new Promise<void>((r) => closed.close(() => r()));
      return createVoiceClient({ apiKey: API_KEY, apiSecret: SECRET, baseUrl: `http://127.0.0.1:${port}` }).sendAgentGroupCall(fresh() as never);
    }],
    ['aborted by the caller', 'VoiceAbortError', () => voice.sendAgentGroupCall(fresh() as never, { signal: AbortSignal.abort() })],
  ];

  it.each(paths)('%s: a %s without the secret anywhere in it', async (_name, type, run) => {
    const error = await refused(run);
    expect(error.name).toBe(type);
    expectNoSecret(error);
  });

  it('the secret never went over the wire, only its md5 signature', () => {
    expect(wire.length).toBeGreaterThanOrEqual(4); // html, 502, stall, reset each reached the fault server
    for (const request of wire) expect(request).not.toContain(SECRET);
    for (const request of wire) expect(request).toMatch(/"sign":"[0-9a-f]{32}"/);
  });

  it('the client object and its raw client do not show it', () => {
    expectNoSecret(voice);
    expectNoSecret(voice.raw);
  });

  it('nothing was written to the console on any of these paths', () => {
    for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
  });
});

// --- the mock, run as users run it (mocks/cli.ts in its own process) -----------------------------

describe('the mock, as a child process with a custom secret', () => {
  let child: ChildProcess;
  let output = '';
  let url = '';
  const answers: string[] = [];

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'mocks/cli.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ITNIO_MOCK_API_KEY: API_KEY, ITNIO_MOCK_API_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => (output += c));
    child.stderr!.on('data', (c: Buffer) => (output += c));
    for (let i = 0; i < 600 && !output.includes('credentials:'); i++) await new Promise((r) => setTimeout(r, 50));
    url = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
    expect(url).not.toBe('');

    const now = Math.floor(Date.now() / 1000);
    const good = { 'content-type': 'application/json', ...signRequest(API_KEY, SECRET, now) };
    const task = (name: string) => JSON.stringify({ ...sendTask(), taskName: name });
    const requests: [string, RequestInit][] = [
      [SEND, { method: 'POST', headers: good, body: task('child ok') }],
      [SEND, { method: 'POST', headers: good, body: task('child ok') }], // -41
      [SEND, { method: 'POST', headers: { ...good, sign: '0'.repeat(32) }, body: task('bad sign') }],
      [SEND, { method: 'POST', headers: { ...good, 'api-key': 'other' }, body: task('bad key') }],
      [SEND, { method: 'POST', headers: { 'content-type': 'application/json', ...signRequest(API_KEY, SECRET, now - 7200) }, body: task('old') }],
      [SEND, { method: 'POST', headers: good, body: '{"appId":' }],
      [SEND, { method: 'POST', headers: { ...good, 'content-type': 'text/plain' }, body: task('plain') }],
      [SEND, { method: 'POST', headers: good, body: JSON.stringify({ ...sendTask(), taskName: SECRET.slice(0, 8) + 'x'.repeat(80) }) }],
      [UPDATE, { method: 'POST', headers: good, body: '{"keyId":9223372036854775807}' }],
      [UPDATE, { method: 'POST', headers: { ...good, prefer: 'example=authenticationError' }, body: '{}' }],
      [UPDATE, { method: 'POST', headers: { ...good, prefer: 'example=nope' }, body: '{}' }],
      [SEND, { method: 'GET' }],
      ['/nowhere', { method: 'POST', headers: good, body: '{}' }],
      ['/openapi.json', { method: 'GET' }],
      ['/openapi.yaml', { method: 'GET' }],
      ['/docs', { method: 'GET' }],
      [SEND, { method: 'OPTIONS', headers: { 'access-control-request-headers': 'sign' } }],
    ];
    for (const [path, init] of requests) {
      const response = await fetch(url + path, init);
      answers.push(`${response.status} ${JSON.stringify(Object.fromEntries(response.headers as unknown as Iterable<[string, string]>))} ${await response.text()}`);
    }
    // Wait for the request log to catch up (one line per API request: 12 of the 17), then stop the mock.
    for (let i = 0; i < 200 && (output.match(/ -> \d{3}/g) ?? []).length < 12; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  });
  afterAll(() => child?.kill('SIGKILL'));

  it('none of its answers (status, headers or body) holds the secret', () => {
    expect(answers).toHaveLength(17);
    for (const answer of answers) expect(answer).not.toContain(SECRET);
  });

  it('its request log holds no secret', () => {
    const log = output.split('\n').filter((line) => / -> \d{3}/.test(line));
    expect(log.length).toBe(12); // one line per request to an API path (the 405 too); 404, static and OPTIONS are not logged
    for (const line of log) expect(line).not.toContain(SECRET);
  });

  // The banner prints the vendor's public example secret, but never a secret of your own.
  it('nothing it prints, start banner included, holds the secret', () => {
    expect(output).not.toContain(SECRET);
  });
});
