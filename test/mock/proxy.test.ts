// The contract-check proxy against a fake vendor on loopback that answers correctly and, for chosen
// requests, with drift: the client sees every answer byte for byte, the upstream receives exactly the
// bytes the client sent, and the report lists exactly the drifting exchanges and invalid requests, naming
// the field, with no Sign anywhere in it.
import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startProxyServer, type ProxyServer } from '../../mocks/proxy/server.js';
import { root } from '../support/contract.js';
import { sendTask } from '../support/rule-cases.js';
import { SEND, signed, UPDATE } from './harness.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What the fake vendor answers: status, headers and body bytes. */
type Answer = { status: number; headers: Record<string, string>; body: Buffer };
const json = (value: unknown, status = 200): Answer => ({ status, headers: { 'content-type': 'application/json;charset=UTF-8' }, body: Buffer.from(JSON.stringify(value)) });

let upstream: Server;
let upstreamUrl: string;
const received: Received[] = [];
let answerNext: (request: Received) => Answer = () => json({ code: '0', msg: 'success', data: 123 });

beforeAll(async () => {
  upstream = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const seen = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) };
      received.push(seen);
      const answer = answerNext(seen);
      response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
      response.end(answer.body);
    });
  });
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => upstream.close(() => done())));
beforeEach(() => {
  received.length = 0;
});

/** The violations reported since the report had `before` of them. */
function since(proxy: ProxyServer, before: number) {
  const { violations, violationsTotal } = proxy.drift();
  return violations.slice(violations.length - (violationsTotal - before));
}

/** Sends bytes through the proxy and returns what came back, raw. */
async function through(proxy: ProxyServer, path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; encoding: string | null; bytes: Buffer; sent: Record<string, string> }> {
  const sent = Object.fromEntries(Object.entries({ 'content-type': 'application/json', ...signed(), ...headers }).map(([name, value]) => [name.toLowerCase(), value]));
  const response = await fetch(proxy.url + path, { method: 'POST', headers: sent, body });
  // fetch would decompress; read what arrived as it arrived through the raw stream where it matters.
  return { status: response.status, type: response.headers.get('content-type'), encoding: response.headers.get('content-encoding'), bytes: Buffer.from(await response.arrayBuffer()), sent };
}

describe('the contract-check proxy', () => {
  let proxy: ProxyServer;
  const task = () => JSON.stringify({ ...sendTask(), taskName: `proxied ${Math.random()}` });
  beforeAll(async () => (proxy = await startProxyServer({ upstream: upstreamUrl, port: 0, maxAnswerBytes: 64 * 1024 })));
  afterAll(() => proxy?.close());

  it('forwards the request unchanged and returns the answer unchanged; a correct exchange reports nothing', async () => {
    const body = task();
    answerNext = () => json({ code: '0', msg: 'success', data: 123 });
    const before = proxy.drift();
    const answer = await through(proxy, `${SEND}?trace=1`, body);
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('application/json;charset=UTF-8');
    expect(answer.bytes.toString()).toBe('{"code":"0","msg":"success","data":123}');
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe('POST');
    expect(received[0]!.url).toBe(`${SEND}?trace=1`);
    expect(received[0]!.body.equals(Buffer.from(body))).toBe(true);
    for (const name of ['api-key', 'timestamp', 'sign', 'content-type']) expect(received[0]!.headers[name]).toBe(answer.sent[name]);
    expect(proxy.drift().checked).toBe(before.checked + 1);
    expect(proxy.drift().violationsTotal).toBe(before.violationsTotal);
  });

  it.each([
    ['code as a boolean', json({ code: true, msg: 'x', data: null }), '/code', 'type'],
    ['a code the contract does not list for the operation', json({ code: -99, msg: 'New error', data: null }), '/code', 'code'],
    ['a success whose data is not a keyId', json({ code: 0, msg: 'success', data: 'abc' }), '/data', 'pattern'],
    ['HTTP 502 from a gateway', { status: 502, headers: { 'content-type': 'text/html' }, body: Buffer.from('<html>Bad gateway</html>') }, '', 'status'],
    ['an HTML page with HTTP 200', { status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.from('<html>Login</html>') }, '', 'contentType'],
    // The byte order mark is reported (json), and the body past it still checked:
    ['a byte order mark, then an undocumented code', { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('\uFEFF{"code":-99,"msg":"New error"}') }, '/code', 'code'],
    ['a charset other than UTF-8', { status: 200, headers: { 'content-type': 'application/json; charset=utf-16le' }, body: Buffer.from('{"code":0,"data":1}', 'utf16le') }, '', 'contentType'],
  ] as const)('%s: returned byte for byte, reported as response drift at %s', async (_name, drifting, path, keyword) => {
    answerNext = () => drifting;
    const before = proxy.drift().violationsTotal;
    const answer = await through(proxy, SEND, task());
    expect(answer.status).toBe(drifting.status);
    expect(answer.bytes.equals(drifting.body)).toBe(true);
    const found = since(proxy, before);
    expect(found.map((v) => [v.direction, v.operation, v.path, v.keyword])).toContainEqual(['response', 'sendAgentGroupCall', path, keyword]);
    expect(found.every((v) => v.direction === 'response')).toBe(true);
  });

  it('a gzip answer goes through compressed and untouched, and is checked decompressed', async () => {
    const bytes = gzipSync(JSON.stringify({ code: -41, msg: 'Task name already exists', data: null }));
    answerNext = () => ({ status: 200, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bytes });
    const before = proxy.drift().violationsTotal;
    const response = await fetch(proxy.url + SEND, { method: 'POST', headers: { 'content-type': 'application/json', ...signed() }, body: task() });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.json()).toEqual({ code: -41, msg: 'Task name already exists', data: null });
    expect(proxy.drift().violationsTotal).toBe(before);
  });

  it('a request the contract refuses is still forwarded, and reported with its fields', async () => {
    answerNext = () => json({ code: -22, msg: 'Parameter exception', data: null });
    const before = proxy.drift().violationsTotal;
    const answer = await through(proxy, UPDATE, JSON.stringify({ keyId: 0, recallType: 7 }));
    expect(received).toHaveLength(1);
    expect(JSON.parse(answer.bytes.toString()).code).toBe(-22);
    const found = since(proxy, before);
    expect(found.every((v) => v.direction === 'request' && v.operation === 'updateRecallFlow')).toBe(true);
    expect(found.map((v) => v.path)).toEqual(expect.arrayContaining(['/keyId', '/recallType']));
  });

  it('bytes pass unchanged however the body is written: whitespace, key order, a byte order mark, \\u escapes', async () => {
    answerNext = () => json({ code: '0', msg: 'success', data: 9 });
    const { numberInfoList, ...rest } = sendTask();
    const fields = Object.entries({ ...rest, taskName: `caf\u00e9 ${Math.random()}` }).reverse();
    const written = `\uFEFF{\r\n  "numberInfoList" :\t${JSON.stringify(numberInfoList)} ,\n${fields.map(([k, v]) => `   "${k}":${JSON.stringify(v).replace(/é/g, '\\u00e9')}`).join(',\n')}\n}\n`;
    const bytes = new Uint8Array(Buffer.from(written));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(written).toContain('caf\\u00e9');
    const before = proxy.drift().violationsTotal;
    const answer = await through(proxy, SEND, bytes);
    expect(answer.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]!.body.equals(bytes)).toBe(true);
    expect(received[0]!.headers['content-length']).toBe(String(bytes.byteLength));
    expect(proxy.drift().violationsTotal).toBe(before); // the contract accepts it (one BOM skipped), so nothing to report
  });

  it('a body over the size limit: 413, not forwarded, reported', async () => {
    const small = await startProxyServer({ upstream: upstreamUrl, port: 0, maxBodyBytes: 1024 });
    try {
      const answer = await through(small, SEND, JSON.stringify({ ...sendTask(), taskName: 'x'.repeat(2000) }));
      expect(answer.status).toBe(413);
      expect(received).toHaveLength(0);
      expect(small.drift().violations).toEqual([expect.objectContaining({ direction: 'request', keyword: 'maxBodySize', message: expect.stringContaining('it was not forwarded') })]);
      // the connection still serves the next exchange
      expect((await through(small, SEND, task())).status).toBe(200);
      expect(received).toHaveLength(1);
    } finally {
      await small.close();
    }
  });

  it('bodies held at once share maxBodyBytesInFlight: one past it gets 503 with Retry-After, is not forwarded, and is no drift', async () => {
    // A vendor that holds its answers until told to answer, so the proxy holds the bodies meanwhile.
    const held: Array<() => void> = [];
    const slow = createServer((request, response) => {
      request.resume();
      request.on('end', () => held.push(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"code":"0","msg":"success","data":1}')));
    });
    await new Promise<void>((done) => slow.listen(0, '127.0.0.1', done));
    const proxy = await startProxyServer({ upstream: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, port: 0, maxBodyBytes: 1024, maxBodyBytesInFlight: 2048 });
    try {
      const body = () => JSON.stringify({ ...sendTask(), notes: 'b'.repeat(800) }); // ~900 bytes each, valid (unknown fields are ignored)
      const first = through(proxy, SEND, body());
      const second = through(proxy, SEND, body());
      await expect.poll(() => held.length).toBe(2);
      const third = await through(proxy, SEND, body());
      expect(third.status).toBe(503);
      expect(JSON.parse(third.bytes.toString())).toMatchObject({ error: 'busy' });
      expect(held).toHaveLength(2); // not forwarded
      expect(proxy.drift().violationsTotal).toBe(0);
      held.splice(0).forEach((answer) => answer());
      expect([(await first).status, (await second).status]).toEqual([200, 200]);
      // Their bytes are given back once answered.
      const fourth = through(proxy, SEND, body());
      await expect.poll(() => held.length).toBe(1);
      held.splice(0).forEach((answer) => answer());
      expect((await fourth).status).toBe(200);
    } finally {
      held.splice(0).forEach((answer) => answer());
      await proxy.close();
      await new Promise<void>((done) => slow.close(() => done()));
    }
  });

  it('the report is bounded: the latest maxViolations are kept, violationsTotal counts them all', async () => {
    const bounded = await startProxyServer({ upstream: upstreamUrl, port: 0, maxViolations: 3 });
    try {
      const codes = [-101, -102, -103, -104, -105, -106, -107];
      for (const code of codes) {
        answerNext = () => json({ code, msg: 'New error', data: null });
        await through(bounded, SEND, task());
      }
      const { checked, violationsTotal, violations } = bounded.drift();
      expect(checked).toBe(codes.length);
      expect(violationsTotal).toBe(codes.length);
      expect(violations).toHaveLength(3);
      expect(violations.map((v) => v.message.split(' ')[0])).toEqual(['-105', '-106', '-107']);
    } finally {
      await bounded.close();
    }
  });

  it('an answer past the size bound and an upstream that does not answer: 502 to the client, reported', async () => {
    answerNext = () => json({ code: 0, msg: 'x'.repeat(100_000), data: 1 });
    const big = await through(proxy, SEND, task());
    expect(big.status).toBe(502);
    const down = await startProxyServer({ upstream: 'http://127.0.0.1:9', port: 0 });
    try {
      expect((await through(down, SEND, task())).status).toBe(502);
      expect(down.drift().violations.map((v) => v.keyword)).toEqual(['upstream']);
    } finally {
      await down.close();
    }
    expect(proxy.drift().violations.at(-1)).toMatchObject({ keyword: 'upstream', message: expect.stringContaining('larger than 65536 bytes') });
  });

  it('no Sign and no whole body anywhere in the report; GET /__mock/drift serves it', async () => {
    const report = await (await fetch(proxy.url + '/__mock/drift')).json();
    expect(report).toEqual(proxy.drift());
    expect(report.checked).toBeGreaterThan(5);
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/[0-9a-f]{32}/i);
    expect(text).not.toContain('<html>');
    expect(text).not.toContain('x'.repeat(100));
  });
});

describe('itnio-voice-mock --proxy', () => {
  function run(args: string[]): { exited: Promise<number | null>; output: () => string; kill: (signal: NodeJS.Signals) => void } {
    const child = spawn(process.execPath, ['--import', 'tsx', 'mocks/cli.ts', '--port', '0', '--proxy', upstreamUrl, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c));
    child.stderr!.on('data', (c: Buffer) => (output += c));
    return { exited: new Promise((done) => child.on('exit', (code) => done(code))), output: () => output, kill: (signal) => child.kill(signal) };
  }
  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 600 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  }

  it.each([
    // The drifting upstream echoes the Sign back as `code`, which a violation then has to show.
    ['drift', 1, (seen: Received) => json({ code: String(seen.headers.sign) }), { appId: '' }],
    ['no drift', 0, () => json({ code: '0', msg: 'success', data: 5 }), {}],
  ] as const)('--fail-on-drift after %s exits %i, and logs each violation as a JSON line', async (_name, exitCode, upstreamAnswer, change) => {
    answerNext = upstreamAnswer;
    const proxy = run(['--fail-on-drift']);
    await until(() => /listening on (http:\/\/\S+),/.test(proxy.output()));
    const url = /listening on (http:\/\/\S+),/.exec(proxy.output())![1]!;
    await fetch(url + SEND, { method: 'POST', headers: { 'content-type': 'application/json', ...signed() }, body: JSON.stringify({ ...sendTask(), ...change }) });
    proxy.kill('SIGTERM');
    expect(await proxy.exited).toBe(exitCode);
    const lines = proxy.output().split('\n').filter((line) => line.startsWith('{"drift":'));
    const logged = lines.map((line) => JSON.parse(line).drift);
    expect(logged.map((v) => [v.direction, v.path])).toEqual(exitCode === 1 ? [['request', '/appId'], ['response', '/code'], ['response', '/code']] : []);
    for (const violation of logged) expect(violation).toMatchObject({ operation: 'sendAgentGroupCall' });
    expect(proxy.output()).toMatch(/drift: 1 exchange\(s\) checked/);
    // No Sign in anything logged: not the one sent (and echoed), nor anything shaped like one.
    const sign = String(received.at(-1)!.headers.sign);
    expect(sign).toMatch(/^[0-9a-f]{32}$/);
    expect(proxy.output()).not.toContain(sign.slice(0, 8));
    expect(proxy.output()).not.toMatch(/[0-9a-f]{32}/i);
  });
});
