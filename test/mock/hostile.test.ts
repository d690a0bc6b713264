// The mock against hostile clients, one regression test per finding of the "Hostile input" issue, with
// the numbers measured then as the attack and bounds as the assertion: memory (the mock runs in its own
// process and its RSS is read from /proc) and "still answers others", never wall-clock times. Every
// exchange is bounded by a timer, so a frozen mock fails a test instead of stalling the suite.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoiceClient, VoiceApiError } from '../../src/index.js';
import type { MockServer, MockServerOptions } from '../../mocks/index.js';
import { root } from '../support/contract.js';
import { sendTask } from '../support/rule-cases.js';
import { API_KEY, API_SECRET, SEND, signed, startMock } from './harness.js';

const LIMIT_MS = 10_000;
let sequence = 0;
const taskJson = (patch: Record<string, unknown> = {}) => JSON.stringify({ ...sendTask(), taskName: `hostile ${process.pid} ${++sequence}`, ...patch });

// --- a mock in its own process --------------------------------------------------------------------

interface Child {
  url: string;
  port: number;
  pid: number;
  process: ChildProcess;
}

function startChild(options: MockServerOptions & Record<string, unknown> = {}): Promise<Child> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/mock/child-mock.ts'], {
      cwd: root,
      env: { ...process.env, ITNIO_TEST_MOCK_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the mock did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        done({ url, port: Number(new URL(url).port), pid: child.pid!, process: child });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk));
    child.on('exit', (code) => fail(new Error(`the mock exited (${code}):\n${out}`)));
  });
}

function stopChild(child: Child | undefined): void {
  child?.process.kill('SIGKILL');
}

function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
  return { rss: mib('VmRSS'), peak: mib('VmHWM') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A valid signed send to `url`, answered within the limit: the mock still serves others. */
async function stillAnswers(url: string): Promise<void> {
  const response = await fetch(url + SEND, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed() },
    body: taskJson(),
    signal: AbortSignal.timeout(LIMIT_MS),
  });
  expect((await response.json()).code).toBe('0');
}

/** Opens a connection, writes `text`, never reads: the client an attacker would be. */
function neverReading(port: number, text: string | Buffer): Promise<Socket> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.pause();
      socket.write(text);
      done(socket);
    });
    socket.on('error', () => {});
    socket.once('error', fail);
  });
}

/** Writes chunks with gaps, then collects what comes back until the mock closes the connection. */
function exchange(port: number, chunks: (string | Buffer)[], { gapMs = 0 } = {}): Promise<{ text: string; closedBy: 'mock' }> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      fail(new Error(`the mock neither answered nor closed within ${LIMIT_MS} ms`));
    }, LIMIT_MS);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      done({ text: Buffer.concat(received).toString('utf8'), closedBy: 'mock' });
    });
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        if (gapMs) await sleep(gapMs);
      }
    });
  });
}

const rawPost = (path: string, headers: [string, string][], body: Buffer | string) => {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const all: [string, string][] = [['Host', '127.0.0.1'], ['Connection', 'close'], ...headers, ['Content-Length', String(bytes.length)]];
  return Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\n${all.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n`, 'latin1'), bytes]);
};
const envelopeOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);

// --- 1. the docs page ------------------------------------------------------------------------------

describe('1. clients that ask for the docs page and never read it', () => {
  let child: Child;
  beforeAll(async () => {
    // A page the size of the real one (2.6 MB), so queued answers would add up if each held a copy.
    const assets = mkdtempSync(join(tmpdir(), 'hostile-assets-'));
    mkdirSync(join(assets, 'docs'));
    writeFileSync(join(assets, 'docs', 'index.html'), `<!doctype html><title>docs</title>${'<p>Redoc page body</p>'.repeat(130_000)}`);
    child = await startChild({ assetsDir: assets, maxConnections: 512 });
  });
  afterAll(() => stopChild(child));

  it('1,000 GET /docs pipelined on one connection that never reads (31 KB sent): memory stays bounded, others are answered', async () => {
    const before = memory(child.pid).rss;
    const request = 'GET /docs HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    const attacker = await neverReading(child.port, request.repeat(1_000));
    let highest = before;
    for (let i = 0; i < 6; i++) {
      await sleep(500);
      await stillAnswers(child.url);
      highest = Math.max(highest, memory(child.pid).rss);
    }
    attacker.destroy();
    // Before: 200 such requests took RSS from 120 to 2,232 MiB, and 1,000 killed the process.
    expect(highest - before).toBeLessThan(150);
  });

  it('300 connections each sending one GET /docs and never reading: memory stays bounded, others are answered', async () => {
    const before = memory(child.pid).rss;
    const attackers = await Promise.all(Array.from({ length: 300 }, () => neverReading(child.port, 'GET /docs HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')));
    let highest = before;
    for (let i = 0; i < 6; i++) {
      await sleep(500);
      await stillAnswers(child.url);
      highest = Math.max(highest, memory(child.pid).rss);
    }
    for (const socket of attackers) socket.destroy();
    // Before: 2,185 MiB.
    expect(highest - before).toBeLessThan(200);
  });
});

// --- 2. bodies far past maxItems -------------------------------------------------------------------

describe('2. a body far past maxItems, well under the body limit', () => {
  let child: Child;
  beforeAll(async () => (child = await startChild()));
  afterAll(() => stopChild(child));

  it.each([8, 32])('numberInfoList of {} items, %i MiB: a -22 with a bounded answer, memory bounded by the body', async (mib) => {
    const head = `{"appId":"2Xql9RBI","taskName":"far past ${mib}","agentId":41,"numberInfoList":[`;
    const items = Math.floor((mib * 1024 * 1024 - head.length - 2) / 3);
    const body = `${head}${'{},'.repeat(items - 1)}{}]}`;
    const response = await fetch(child.url + SEND, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed() },
      body,
      signal: AbortSignal.timeout(60_000),
    });
    const answer = await response.json();
    expect(answer.code).toBe(-22);
    expect(answer.findings.length).toBeGreaterThanOrEqual(1);
    expect(answer.findings.length).toBeLessThanOrEqual(50);
    // Millions of objects: refused before JSON.parse would build them (the validator's maxItems finding
    // comes for bodies under that bound, see the next test).
    expect(answer.findings).toEqual([expect.objectContaining({ path: '', keyword: 'maxContainers' })]);
    expect(JSON.stringify(answer).length).toBeLessThan(20_000);
    // Before: 8 MiB peaked at 1.7 GB and 32 MiB ran the heap out of memory.
    expect(memory(child.pid).peak).toBeLessThan(256);
    await stillAnswers(child.url);
  }, 120_000);

  it('300,000 {} items (under the objects bound, past maxItems): the validator finding at /numberInfoList, without looking at the items', async () => {
    const body = `{"appId":"2Xql9RBI","taskName":"past maxItems","agentId":41,"numberInfoList":[${'{},'.repeat(299_999)}{}]}`;
    const response = await fetch(child.url + SEND, { method: 'POST', headers: { 'content-type': 'application/json', ...signed() }, body, signal: AbortSignal.timeout(60_000) });
    const answer = await response.json();
    expect(answer.code).toBe(-22);
    expect(answer.findings.map((f: { path: string; keyword: string }) => [f.path, f.keyword])).toContainEqual(['/numberInfoList', 'maxItems']);
    expect(answer.findings.length).toBeLessThanOrEqual(50);
    expect(memory(child.pid).peak).toBeLessThan(256);
  }, 120_000);
});

// --- 3. Prefer -------------------------------------------------------------------------------------

describe('3. a Prefer header built to make a regular expression backtrack', () => {
  let child: Child;
  beforeAll(async () => (child = await startChild()));
  afterAll(() => stopChild(child));

  it.each([
    ['15,900 spaces then "x"y', `example=${' '.repeat(15_900)}"x"y`],
    ['16,000 separators', ','.repeat(8_000) + ';'.repeat(8_000)],
    ['16,000 equals signs', `example${'='.repeat(16_000)}`],
    ['8,000 quotes', `example=${'"'.repeat(8_000)}`],
  ])('%s: answered, and every other client meanwhile', async (_name, prefer) => {
    const answer = await exchange(child.port, [rawPost(SEND, [['Content-Type', 'application/json'], ...Object.entries(signed()), ['Prefer', prefer]], '{}')]);
    // A preference that names no known example is a clean 400; one that names none at all is ignored.
    expect([200, 400]).toContain(statusOf(answer.text));
    await stillAnswers(child.url);
  });
});

// --- 7. refused uploads ----------------------------------------------------------------------------

describe('7. an upload over the body limit still reads its -22', () => {
  let mock: MockServer;
  beforeAll(async () => (mock = await startMock({ maxBodyBytes: 1024 * 1024 })));
  afterAll(() => mock?.close());

  it.each([
    ['announced', false],
    ['chunked', true],
  ])("Node's http client, 32 MiB %s: the answer every time, and no EPIPE", async (_name, chunked) => {
    const url = new URL(mock.url);
    const big = Buffer.alloc(32 * 1024 * 1024, 0x20);
    for (let i = 0; i < 10; i++) {
      const outcome = await new Promise<{ code?: number; errors: string[] }>((done) => {
        const errors: string[] = [];
        let code: number | undefined;
        const request = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: SEND,
            method: 'POST',
            headers: { 'content-type': 'application/json', ...signed(), ...(chunked ? {} : { 'content-length': String(big.length) }) },
          },
          (response) => {
            let text = '';
            response.on('data', (c) => (text += c));
            response.on('end', () => (code = JSON.parse(text).code));
          },
        );
        request.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message));
        request.on('close', () => setTimeout(() => done({ code, errors }), 50));
        request.end(big);
      });
      // Before: EPIPE every time, the answer often lost.
      expect(outcome).toEqual({ code: -22, errors: [] });
    }
  }, 120_000);

  it('a client that keeps uploading after its answer is cut off once the drain time is over', async () => {
    const short = await startMock({ maxBodyBytes: 1024, drainMs: 500 });
    try {
      const url = new URL(short.url);
      const outcome = await new Promise<{ code?: number; cut: boolean }>((done, fail) => {
        const timer = setTimeout(() => fail(new Error('the endless upload was never cut off')), LIMIT_MS);
        let code: number | undefined;
        const request = httpRequest({ host: url.hostname, port: url.port, path: SEND, method: 'POST', headers: { 'content-type': 'application/json', ...signed() } }, (response) => {
          let text = '';
          response.on('data', (c) => (text += c));
          response.on('end', () => (code = JSON.parse(text).code));
        });
        request.on('error', () => {});
        request.on('close', () => {
          clearTimeout(timer);
          done({ code, cut: !request.writableFinished });
        });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (!request.destroyed && request.write(chunk));
          if (!request.destroyed) request.once('drain', pump);
        };
        pump();
      });
      expect(outcome).toEqual({ code: -22, cut: true });
    } finally {
      await short.close();
    }
  });

  it('the SDK (validation off, so the body is sent): VoiceApiError -22, 20 times out of 20', async () => {
    const voice = createVoiceClient({ apiKey: API_KEY, apiSecret: API_SECRET, baseUrl: mock.url, validate: false });
    const numberInfoList = Array.from({ length: 40_000 }, (_, i) => ({ calleeNumber: String(6281000000000 + i), text1: 'Name' }));
    for (let i = 0; i < 20; i++) {
      const task = { appId: '2Xql9RBI', agentId: 41, taskName: `too big ${i}`, numberInfoList };
      const error = await voice.sendAgentGroupCall(task).catch((e: unknown) => e);
      // Before: 3 times in 20 a VoiceNetworkError saying the task may have been created.
      expect(error).toBeInstanceOf(VoiceApiError);
      expect((error as VoiceApiError).code).toBe(-22);
    }
  }, 120_000);
});

// --- 8. idle sockets and the connection cap ----------------------------------------------------------

describe('8. slow and idle connections', () => {
  let mock: MockServer;
  const port = () => Number(new URL(mock.url).port);
  beforeAll(async () => (mock = await startMock({ headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, idleTimeoutMs: 1_500, maxConnections: 20 })));
  afterAll(() => mock?.close());

  it('headers sent one byte at a time, never idle long: cut by the headers timeout (before: ~90 s)', async () => {
    const text = rawPost(SEND, [['Content-Type', 'application/json'], ...Object.entries(signed())], taskJson()).toString('latin1');
    const head = text.slice(0, text.indexOf('\r\n\r\n'));
    const answer = await exchange(port(), [...head], { gapMs: 200 });
    expect(answer.text === '' || statusOf(answer.text) === 408).toBe(true);
  });

  it('a body sent one byte at a time, never idle long: cut by the request timeout (before: held 330 s)', async () => {
    const text = rawPost(SEND, [['Content-Type', 'application/json'], ...Object.entries(signed())], taskJson()).toString('latin1');
    const split = text.indexOf('\r\n\r\n') + 4;
    const answer = await exchange(port(), [text.slice(0, split), ...text.slice(split)], { gapMs: 200 });
    expect(answer.text === '' || statusOf(answer.text) === 408).toBe(true);
  });

  it('a connection that sends nothing is closed after the idle timeout', async () => {
    const answer = await exchange(port(), []);
    expect(answer.text).toBe('');
  });

  it('50 idle connections against a cap of 20: never more than 20 open, and a real client is still answered', async () => {
    const idle = await Promise.all(Array.from({ length: 50 }, () => neverReading(port(), '')));
    await sleep(100);
    expect(mock.connections()).toBeLessThanOrEqual(20);
    // An idle connection makes room for a client with a request (before: 999 idle sockets locked everyone out).
    await stillAnswers(mock.url);
    expect(mock.connections()).toBeLessThanOrEqual(20);
    expect(idle.filter((s) => !s.destroyed && s.readyState === 'open').length).toBeLessThanOrEqual(50);
    for (const socket of idle) socket.destroy();
  });
});

// --- 9. smaller wrong answers ----------------------------------------------------------------------

describe('9. unparseable targets, encodings and charsets', () => {
  let mock: MockServer;
  const port = () => Number(new URL(mock.url).port);
  const signing = () => Object.entries(signed());
  beforeAll(async () => (mock = await startMock()));
  afterAll(() => mock?.close());

  it('a request target that is not a URL (GET http://[zz/) is a 400, not a 500', async () => {
    const answer = await exchange(port(), ['GET http://[zz/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n']);
    expect(statusOf(answer.text)).toBe(400);
    expect(envelopeOf(answer.text).error).toBe('bad_request');
  });

  it('invalid UTF-8 is refused, never replaced: two names that differ only in invalid bytes do not collide on -41', async () => {
    const name = (byte: number) => Buffer.concat([Buffer.from(`{"appId":"2Xql9RBI","agentId":41,"numberInfoList":[{"calleeNumber":"6281234567890"}],"taskName":"name `), Buffer.from([byte]), Buffer.from(` ${++sequence}"}`)]);
    for (const byte of [0xff, 0xfe]) {
      const answer = envelopeOf((await exchange(port(), [rawPost(SEND, [['Content-Type', 'application/json'], ...signing()], name(byte))])).text);
      expect(answer.code).toBe(-22);
      expect(answer.findings).toEqual([{ path: '', keyword: 'encoding', message: 'the body is not valid UTF-8' }]);
    }
  });

  it('a UTF-8 byte order mark before the JSON is skipped (before: refused as not JSON)', async () => {
    const answer = envelopeOf((await exchange(port(), [rawPost(SEND, [['Content-Type', 'application/json'], ...signing()], `\uFEFF${taskJson()}`)])).text);
    expect(answer.code).toBe('0');
  });

  it.each([
    ['utf-16le, with a UTF-16LE body', 'application/json; charset=utf-16le', () => Buffer.from(taskJson(), 'utf16le'), -22, 'charset'],
    ['iso-8859-1', 'application/json; charset=iso-8859-1', () => Buffer.from(taskJson(), 'latin1'), -22, 'charset'],
    ['"UTF-8" quoted, any case', 'application/json; charset="UTF-8"', () => Buffer.from(taskJson()), '0', undefined],
    ['utf8', 'application/json;charset=utf8', () => Buffer.from(taskJson()), '0', undefined],
  ])('charset %s', async (_name, type, body, code, keyword) => {
    const answer = envelopeOf((await exchange(port(), [rawPost(SEND, [['Content-Type', type], ...signing()], body())])).text);
    expect(answer.code).toBe(code);
    if (keyword) expect(answer.findings[0].keyword).toBe(keyword);
  });

  it.each([
    ['gzip, with a gzip body (before: ignored, then "not JSON")', 'gzip', () => gzipSync(taskJson()), -22],
    ['br', 'br', () => Buffer.from(taskJson()), -22],
    ['identity', 'identity', () => Buffer.from(taskJson()), '0'],
  ])('Content-Encoding %s', async (_name, encoding, body, code) => {
    const answer = envelopeOf((await exchange(port(), [rawPost(SEND, [['Content-Type', 'application/json'], ['Content-Encoding', encoding], ...signing()], body())])).text);
    expect(answer.code).toBe(code);
    if (code === -22) expect(answer.findings[0].keyword).toBe('contentEncoding');
  });
});
