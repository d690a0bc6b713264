// The mock's HTTP surface fed malformed requests byte for byte over raw TCP (node:net), so nothing in a
// client library tidies them up first. Every answer must be a clean vendor envelope (HTTP 200 with an
// integer `code`) or a clean HTTP error (4xx, JSON or empty), never a 5xx, a crash or a hang; and the
// mock still answers a valid signed request afterwards. Every exchange is bounded by a timer.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSign } from '../../src/sign.js';
import type { MockServer } from '../../mocks/index.js';
import { sendTask } from '../support/rule-cases.js';
import { API_KEY, API_SECRET, post, SEND, signed, startMock, UPDATE } from './harness.js';

const EXCHANGE_LIMIT_MS = 10_000; // a hang fails the test instead of stalling the suite
let mock: MockServer;
let sequence = 0;
const taskJson = () => JSON.stringify({ ...sendTask(), taskName: `fuzz-http ${process.pid} ${++sequence}` });

beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock?.close());

interface RawAnswer {
  /** 0 when the mock closed the connection without answering. */
  status: number;
  headers: Record<string, string>;
  body: string;
  raw: string;
}

/**
 * Writes `chunks` to a fresh connection (waiting `gapMs` between them), optionally half-closes, and
 * collects everything the mock sends until it closes the connection.
 */
function exchange(chunks: (string | Buffer)[], { gapMs = 0, end = false, to = mock }: { gapMs?: number; end?: boolean; to?: MockServer } = {}): Promise<RawAnswer> {
  const { port } = new URL(to.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer and no close within ${EXCHANGE_LIMIT_MS} ms: ${Buffer.concat(received).toString('latin1').slice(0, 200)}`));
    }, EXCHANGE_LIMIT_MS);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    // The mock may reset a connection it refused; what it wrote before that is still the answer.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(received).toString('utf8')));
    });
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
      if (end && !socket.destroyed) socket.end();
    });
  });
}

function parse(raw: string): RawAnswer {
  if (raw === '') return { status: 0, headers: {}, body: '', raw };
  const split = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, split).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const status = Number(/^HTTP\/1\.[01] (\d{3}) /.exec(statusLine ?? '')?.[1] ?? NaN);
  return { status, headers, body: raw.slice(split + 4), raw };
}

/** An HTTP/1.1 request as text; headers are [name, value] pairs so they can repeat (Host: 127.0.0.1 unless given). */
function request(method: string, path: string, headers: [string, string][], body = '', { length = true } = {}): string {
  const host: [string, string][] = headers.some(([n]) => n.toLowerCase() === 'host') ? [] : [['Host', '127.0.0.1']];
  const all: [string, string][] = [...host, ['Connection', 'close'], ...headers];
  if (length && body !== '' && !all.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n))) all.push(['Content-Length', String(Buffer.byteLength(body))]);
  return `${method} ${path} HTTP/1.1\r\n${all.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n${body}`;
}

const signing = (): [string, string][] => Object.entries(signed());
const json: [string, string] = ['Content-Type', 'application/json'];

/** The answer is the vendor's envelope or a clean 4xx; returns the envelope's code, if any. */
function expectClean(answer: RawAnswer, { allowNoAnswer = false } = {}): number | undefined {
  if (answer.status === 0) {
    expect(allowNoAnswer, 'the mock closed the connection without answering').toBe(true);
    return undefined;
  }
  expect(answer.raw).toMatch(/^HTTP\/1\.[01] \d{3} /);
  expect(answer.status, answer.raw.slice(0, 300)).toBeGreaterThanOrEqual(200);
  expect(answer.status, answer.raw.slice(0, 300)).toBeLessThan(500);
  if (answer.status === 200) {
    const envelope = JSON.parse(answer.body);
    expect(Number.isInteger(Number(envelope.code)), answer.body).toBe(true);
    expect(typeof (envelope.msg ?? envelope.reason)).toBe('string');
    return Number(envelope.code);
  }
  expect(answer.status).toBeGreaterThanOrEqual(400);
  if (answer.body !== '' && /json/.test(answer.headers['content-type'] ?? '')) {
    const problem = JSON.parse(answer.body);
    expect(typeof problem.error).toBe('string');
    expect(typeof problem.message).toBe('string');
  }
  return undefined;
}

async function stillAnswers(): Promise<void> {
  const answer = await exchange([request('POST', SEND, [json, ...signing()], taskJson())]);
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body).code).toBe('0');
}

describe('bodies', () => {
  it.each([
    ['truncated JSON', '{"appId": "2Xql9RBI",'],
    ['a trailing comma', '{"appId":"2Xql9RBI",}'],
    ['single quotes', "{'appId':'2Xql9RBI'}"],
    ['two JSON documents', '{}{}'],
    ['NaN', '{"agentId":NaN}'],
    ['binary garbage', '\u0000\u0001\u00ff\ufffd'],
    ['whitespace only', ' \r\n\t '],
  ])('%s → -22 (json)', async (_name, body) => {
    const answer = await exchange([request('POST', SEND, [json, ...signing()], body)]);
    expect(expectClean(answer)).toBe(-22);
    expect(JSON.parse(answer.body).findings[0].keyword).toBe('json');
  });

  it('one UTF-8 byte order mark before the JSON is skipped, as Java readers do; a second one is not JSON', async () => {
    expect(expectClean(await exchange([request('POST', SEND, [json, ...signing()], `\uFEFF${taskJson()}`)]))).toBe(0);
    const twice = await exchange([request('POST', SEND, [json, ...signing()], `\uFEFF\uFEFF${taskJson()}`)]);
    expect(expectClean(twice)).toBe(-22);
    expect(JSON.parse(twice.body).findings[0].keyword).toBe('json');
  });

  it('arbitrary bytes as the body never get more than a -22', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (bytes) => {
        const head = request('POST', UPDATE, [json, ...signing(), ['Content-Length', String(bytes.length)]], '');
        const answer = await exchange([head, Buffer.from(bytes)]);
        expect(expectClean(answer)).toBe(-22);
      }),
      { seed: 20261125, numRuns: 40 },
    );
    await stillAnswers();
  });

  it('a truncated body (Content-Length larger than sent, then the client closes) is answered cleanly or dropped', async () => {
    const body = taskJson();
    const head = request('POST', SEND, [json, ...signing(), ['Content-Length', String(body.length + 100)]], '');
    expectClean(await exchange([head, body], { end: true }), { allowNoAnswer: true });
    // The task it never finished sending was not created: its name is still free.
    expect(mock.state().taskNames.length).toBeLessThan(sequence);
    await stillAnswers();
  });

  it('a 64-bit keyId as raw JSON text is -22 with a finding at /keyId', async () => {
    const body = '{"keyId":9223372036854775807,"recallType":0,"recallInterval":30,"recallNum":1,"nodeList":[{"nodeType":1,"agentId":41}]}';
    const answer = await exchange([request('POST', UPDATE, [json, ...signing()], body)]);
    expect(expectClean(answer)).toBe(-22);
    expect(JSON.parse(answer.body).findings.map((f: { path: string }) => f.path)).toContain('/keyId');
  });

  it('Content-Length and Transfer-Encoding together (request smuggling shape) is a clean 400', async () => {
    const body = taskJson();
    const answer = await exchange([request('POST', SEND, [json, ...signing(), ['Content-Length', '5'], ['Transfer-Encoding', 'chunked']], `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`)]);
    expect(answer.status).toBe(400);
    await stillAnswers();
  });

  it('a broken chunked encoding is a clean 400 or -22', async () => {
    const answer = await exchange([request('POST', SEND, [json, ...signing(), ['Transfer-Encoding', 'chunked']], 'zz\r\n{}\r\n0\r\n\r\n')], { end: true });
    expectClean(answer, { allowNoAnswer: true });
    await stillAnswers();
  });
});

describe('methods, paths and content types', () => {
  it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'PROPFIND'])('%s on an operation → 4xx, never 5xx', async (method) => {
    const answer = await exchange([request(method, SEND, [json, ...signing()], method === 'GET' || method === 'HEAD' ? '' : taskJson())]);
    expectClean(answer);
    expect(answer.status).toBeGreaterThanOrEqual(400);
  });

  it('CONNECT (a proxy tunnel request) is closed without an answer, as Node does with no tunnel handler', async () => {
    const answer = await exchange([request('CONNECT', '127.0.0.1:1', [])]);
    expect(answer.status).toBe(0);
    await stillAnswers();
  });

  it('a method HTTP does not know, and bytes that are not HTTP, get a clean 400', async () => {
    expect((await exchange([request('FROB', SEND, [json], '{}')])).status).toBe(400);
    expect((await exchange(['\u0016\u0003\u0001\u0000\u00a5\u0001\u0000'], { end: true })).status).toBe(400); // a TLS hello
    expect((await exchange(['GET / HTTP/9.9\r\n\r\n'])).status).toBe(400);
    await stillAnswers();
  });

  it.each([
    ['absent', undefined],
    ['text/plain', 'text/plain'],
    ['application/jsonx', 'application/jsonx'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['empty', ''],
    ['a parameter only', '; charset=utf-8'],
  ])('Content-Type %s → -22 (contentType)', async (_name, type) => {
    const headers: [string, string][] = [...signing(), ...(type === undefined ? [] : [['Content-Type', type] as [string, string]])];
    const answer = await exchange([request('POST', SEND, headers, taskJson())]);
    expect(expectClean(answer)).toBe(-22);
    expect(JSON.parse(answer.body).findings[0].keyword).toBe('contentType');
  });

  // The request target as a hostile client would write it: separators, escapes, dot segments and
  // brackets in any order, and the long runs that make regular expressions backtrack, on the docs
  // pages (whose paths are parsed), the contract, the API (whose query can name an example) and `/`.
  const hostileTarget = fc.oneof(
    fc
      .string({ unit: fc.constantFrom('/', '%', '%2F', '%00', '%ff', '?', '#', '.', '..', '[', ']', ':', '@', '&', '=', 'a', 'é', '\\', '*', ';', '__example=', 'docs'), maxLength: 400 })
      .map((text) => `/${text}`),
    fc
      .tuple(fc.constantFrom('/docs/', '/docs/mock/', `${SEND}?__example=`, `${SEND}?`, '/openapi.json?', 'http://127.0.0.1/docs/', '/'), fc.nat({ max: 15_000 }), fc.constantFrom('/', '%2F', '.', '=', '&'), fc.constantFrom('x', '', '/', '?x', '#x'))
      .map(([head, count, unit, tail]) => `${head}${unit.repeat(Math.floor(count / unit.length))}${tail}`),
  );

  it.each(['GET', 'POST'])('hostile request targets with %s: an answer below 500 every time, and the mock keeps answering', async (method) => {
    await fc.assert(
      fc.asyncProperty(hostileTarget, async (target) => {
        const answer = await exchange([request(method, target, [json, ...signing()], method === 'POST' ? taskJson() : '')]);
        // Pages (200), redirects into them (302), the API's envelope, or a clean 4xx; never none or a 5xx.
        expect(answer.status, `${method} ${target.slice(0, 120)}`).toBeGreaterThanOrEqual(200);
        expect(answer.status, `${method} ${target.slice(0, 120)}`).toBeLessThan(500);
        if (answer.status === 200 && /json/.test(answer.headers['content-type'] ?? '')) expect(() => JSON.parse(answer.body)).not.toThrow();
      }),
      { seed: 20261127, numRuns: 60 },
    );
    await stillAnswers();
  });

  it('a path with traversal, encoding tricks or a huge query string → clean 404 or envelope', async () => {
    for (const path of ['/../voice/group/call/send/agent', '/voice/group/call/send/agent/', '/voice%2Fgroup%2Fcall', `/${'a'.repeat(4000)}`, `${SEND}?${'q=1&'.repeat(500)}`, '*', 'http://elsewhere.example/x']) {
      expectClean(await exchange([request('POST', path, [json, ...signing()], taskJson())]));
    }
    await stillAnswers();
  });
});

describe('signing headers', () => {
  const ts = () => String(Math.floor(Date.now() / 1000));
  const headersWith = (patch: Record<string, string | string[] | undefined>): [string, string][] => {
    const base: Record<string, string | string[] | undefined> = { 'Api-Key': API_KEY, Timestamp: ts(), ...patch };
    if (!('Sign' in patch)) base.Sign = computeSign(API_KEY, API_SECRET, String(base.Timestamp));
    return Object.entries(base).flatMap(([n, v]) => (v === undefined ? [] : [v].flat().map((one) => [n, one] as [string, string])));
  };

  it.each([
    ['Api-Key missing', { 'Api-Key': undefined }, -1],
    ['Timestamp missing', { Timestamp: undefined, Sign: 'x' }, -16],
    ['Sign missing', { Sign: undefined }, -1],
    ['Api-Key sent twice', { 'Api-Key': [API_KEY, API_KEY] }, -1],
    ['Sign sent twice', { Sign: ['a', 'b'] }, -1],
    ['Timestamp sent twice', { Timestamp: ['1700000000', '1700000000'], Sign: 'x' }, -16],
    ['Timestamp not a number', { Timestamp: 'yesterday', Sign: 'x' }, -16],
    ['Timestamp in hex', { Timestamp: '0x6560', Sign: 'x' }, -16],
    ['Timestamp negative', { Timestamp: '-1', Sign: 'x' }, -16],
    ['Timestamp with a fraction', { Timestamp: '1700000000.5', Sign: 'x' }, -16],
    ['Timestamp of 40 digits', { Timestamp: '9'.repeat(40), Sign: 'x' }, -16],
    ['Timestamp in milliseconds', { Timestamp: String(Date.now()), Sign: 'x' }, -16],
    ['Sign of 10 KB', { Sign: 'f'.repeat(10_000) }, -1],
    ['Sign with non-ASCII', { Sign: 'ÿ'.repeat(32) }, -1],
  ])('%s → %i in the vendor envelope', async (_name, patch, code) => {
    const answer = await exchange([request('POST', SEND, [json, ...headersWith(patch)], taskJson())]);
    expect(expectClean(answer)).toBe(code);
  });

  // Every header the mock reads, with values a hostile client would pick: huge, quoted, separators,
  // bytes outside ASCII, the shapes that make regular expressions backtrack. Clean answers only.
  const readHeaders = ['Host', 'Api-Key', 'Timestamp', 'Sign', 'Prefer', 'Content-Type', 'Content-Encoding', 'Content-Length', 'Access-Control-Request-Headers', 'Origin'];
  const hostileValue = fc.oneof(
    fc.string({ unit: fc.constantFrom(' ', '\t', '"', '=', ',', ';', 'a', '0', '-', '+', 'é', '\u00ff'), maxLength: 2_000 }),
    fc.tuple(fc.constantFrom('example=', 'code=', 'dynamic=', 'application/json; charset=', ''), fc.nat({ max: 12_000 }), fc.constantFrom('"x"y', '"', '=', ',;', 'utf-16'))
      .map(([head, spaces, tail]) => `${head}${' '.repeat(spaces)}${tail}`),
    fc.string({ maxLength: 300 }).map((text) => text.replace(/[\r\n\0]/g, ' ')),
  );

  it.each(readHeaders)('hostile values of %s: a clean envelope or 4xx every time, and the mock keeps answering', async (name) => {
    await fc.assert(
      fc.asyncProperty(hostileValue, async (value) => {
        const others = headersWith({}).filter(([n]) => n.toLowerCase() !== name.toLowerCase());
        const headers: [string, string][] = [...others, ...(name === 'Content-Type' ? [] : [json]), [name, value]];
        const body = name === 'Content-Length' ? '' : taskJson();
        const answer = await exchange([request('POST', SEND, headers, body, { length: name !== 'Content-Length' })], { end: name === 'Content-Length' });
        expectClean(answer, { allowNoAnswer: name === 'Content-Length' });
      }),
      { seed: 20261123, numRuns: 25 },
    );
    await stillAnswers();
  });

  it('hostile Host headers on a docs page: a clean answer, and only a host name or address is written into the page', async () => {
    // The docs pages name the address the browser used, from Host; anything else must not reach the page.
    const assets = mkdtempSync(join(tmpdir(), 'fuzz-http-assets-'));
    mkdirSync(join(assets, 'docs'));
    writeFileSync(join(assets, 'docs', 'index.html'), '<p>http://127.0.0.1:4010</p>');
    const pages = await startMock({ assetsDir: assets });
    const ownOrigin = `http://127.0.0.1:${new URL(pages.url).port}`;
    const hostCharacters = /^[A-Za-z0-9.:[\]-]+$/;
    try {
      await fc.assert(
        fc.asyncProperty(fc.oneof(hostileValue, fc.constantFrom('localhost:4010', '[::1]:4010', 'mock.test', 'a"><script>x</script>', 'x/y', 'a b')), async (host) => {
          const answer = await exchange([request('GET', '/docs', [['Host', host]])], { to: pages });
          expect([200, 400]).toContain(answer.status);
          if (answer.status !== 200) return;
          const origin = /^<p>(.*)<\/p>$/.exec(answer.body)?.[1];
          if (origin !== ownOrigin) {
            expect(origin).toBe(`http://${host.toLowerCase()}`);
            expect(host).toMatch(hostCharacters);
          }
        }),
        { seed: 20261126, numRuns: 40 },
      );
    } finally {
      await pages.close();
      rmSync(assets, { recursive: true, force: true });
    }
  });

  it('a valid request with the signing headers in another case is still accepted', async () => {
    const t = ts();
    const answer = await exchange([request('POST', SEND, [json, ['API-KEY', API_KEY], ['timestamp', t], ['SIGN', computeSign(API_KEY, API_SECRET, t)]], taskJson())]);
    expect(expectClean(answer)).toBe(0);
  });
});

describe('the connection itself', () => {
  it('headers past Node\'s limit get 431, and the mock carries on', async () => {
    const answer = await exchange([request('POST', SEND, [json, ...signing(), ['X-Padding', 'p'.repeat(64 * 1024)]], taskJson())]);
    expect(answer.status).toBe(431);
    await stillAnswers();
  });

  it('thousands of small headers are answered cleanly', async () => {
    const many = Array.from({ length: 3000 }, (_, i): [string, string] => [`X-H${i}`, 'v']);
    expectClean(await exchange([request('POST', SEND, [json, ...signing(), ...many], taskJson())]));
    await stillAnswers();
  });

  it('a slow client dribbling its request does not block other clients, and is answered in the end', async () => {
    const text = request('POST', SEND, [json, ...signing()], taskJson());
    const pieces = Array.from({ length: 40 }, (_, i) => text.slice(Math.floor((i * text.length) / 40), Math.floor(((i + 1) * text.length) / 40)));
    let slowDone = false;
    const slow = exchange(pieces, { gapMs: 25 }).then((answer) => ((slowDone = true), answer));
    // While the slow request is still arriving (about a second), 20 others are answered in full.
    for (let i = 0; i < 20; i++) expect((await post(mock, SEND, taskJson())).body.code).toBe('0');
    expect(slowDone).toBe(false);
    const answer = await slow;
    expect(expectClean(answer)).toBe(0);
  });

  it('many connections opened and dropped mid-request leave the mock answering', async () => {
    const text = request('POST', SEND, [json, ...signing()], taskJson());
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        new Promise<void>((resolve) => {
          const socket = connect(Number(new URL(mock.url).port), '127.0.0.1', () => {
            socket.write(text.slice(0, (i * 7) % text.length));
            socket.destroy();
          });
          socket.on('error', () => {});
          socket.on('close', () => resolve());
        }),
      ),
    );
    await stillAnswers();
  });
});
