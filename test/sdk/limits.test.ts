// What the SDK reads back is bounded: every answer is counted after decompression and cut at
// maxResponseBytes (default 1 MiB), on success bodies and on error pages alike, so a 500 MB answer or a
// gzip bomb rejects with a typed error and the process's memory stays flat. Memory is asserted as growth
// of the peak RSS and of the heap, never as time.
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  createVoiceClient,
  DEFAULT_MAX_RESPONSE_BYTES,
  VoiceError,
  VoiceHttpError,
  VoiceResponseError,
  VoiceResponseTooLargeError,
  type VoiceClient,
  type VoiceOperation,
} from '../../src/index.js';
import { operationPaths } from '../../src/operations.js';
import { flow, task } from './fixtures.js';
import { json, useLoopback, type Responder } from './loopback.js';
import { credentials } from '../support/credentials.js';

const MiB = 2 ** 20;
const server = useLoopback();
const client = (extra: Record<string, unknown> = {}) => createVoiceClient({ ...credentials, baseUrl: server.url, ...extra });
const calls: Record<VoiceOperation, (voice: VoiceClient) => Promise<unknown>> = {
  sendAgentGroupCall: (voice) => voice.sendAgentGroupCall(task),
  updateRecallFlow: (voice) => voice.updateRecallFlow(flow),
};
const operations = Object.keys(calls) as VoiceOperation[];
/** What an error without an answer says may have happened, per operation. */
const MAYBE_DONE: Record<VoiceOperation, string> = {
  sendAgentGroupCall: 'the task may have been created',
  updateRecallFlow: 'the flow may have been replaced',
};

async function failure(promise: Promise<unknown>): Promise<VoiceError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VoiceError);
  return error as VoiceError;
}

/** Streams `total` bytes of `chunk` (never built in memory), honouring backpressure; counts what it wrote. */
function streamed(total: number, chunk: Buffer, headers: Record<string, string>, status = 200): Responder & { written: () => number } {
  let written = 0;
  const responder: Responder = (_req, res: ServerResponse) => {
    res.on('error', () => {});
    res.writeHead(status, { 'content-length': String(total), ...headers });
    let closed = false;
    res.on('close', () => (closed = true));
    const pump = () => {
      while (!closed && written < total) {
        const part = total - written >= chunk.length ? chunk : chunk.subarray(0, total - written);
        written += part.length;
        if (!res.write(part)) return void res.once('drain', pump);
      }
      if (!closed) res.end();
    };
    pump();
  };
  return Object.assign(responder, { written: () => written });
}

/** A gzip stream that inflates to `gib` GiB of zeros: one 1 MiB member (about 1 KB) repeated. */
function gzipBomb(gib: number): Buffer {
  const member = gzipSync(Buffer.alloc(MiB), { level: 9 });
  return Buffer.concat(new Array(gib * 1024).fill(member));
}

/** Runs `work` and reports how much the peak RSS and the heap grew meanwhile, in bytes. */
async function memoryDuring<T>(work: () => Promise<T>): Promise<{ result: T; peakGrowth: number; heapGrowth: number }> {
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  const result = await work();
  // maxRSS is the peak since the process started: growth past max(peak, current) is what the work added.
  const peakGrowth = process.resourceUsage().maxRSS * 1024 - Math.max(peakBefore, rssBefore);
  return { result, peakGrowth, heapGrowth: process.memoryUsage().heapUsed - heapBefore };
}

const jsonChunk = Buffer.from(`{"code":0,"msg":"${'x'.repeat(64 * 1024)}`);

describe.each(operations)('%s: a 2xx answer past the limit', (operation) => {
  it('500 MB streamed: VoiceResponseTooLargeError, the server stopped early, memory flat', async () => {
    const answer = streamed(500_000_000, jsonChunk, { 'content-type': 'application/json' });
    server.respond(answer);
    const { result: error, peakGrowth, heapGrowth } = await memoryDuring(() => failure(calls[operation](client())));
    expect(error).toBeInstanceOf(VoiceResponseTooLargeError);
    expect(error).toBeInstanceOf(VoiceResponseError); // existing handlers of malformed answers catch it too
    const tooLarge = error as VoiceResponseTooLargeError;
    expect(tooLarge.maxResponseBytes).toBe(DEFAULT_MAX_RESPONSE_BYTES);
    expect(tooLarge.status).toBe(200);
    expect(tooLarge.body.startsWith('{"code":0,"msg":"xxx')).toBe(true);
    expect(tooLarge.body.length).toBeLessThanOrEqual(501);
    expect(tooLarge.message).toContain('larger than maxResponseBytes (1048576 bytes, counted after decompression)');
    expect(tooLarge.message).toContain(MAYBE_DONE[operation]);
    expect(answer.written()).toBeLessThan(100 * MiB); // the SDK stopped reading; the rest was never sent
    expect(peakGrowth).toBeLessThan(200 * MiB);
    expect(heapGrowth).toBeLessThan(100 * MiB);
  });

  it('the same with caller middleware, which is handed the limited answer', async () => {
    const answer = streamed(500_000_000, jsonChunk, { 'content-type': 'application/json' });
    server.respond(answer);
    const voice = client();
    const seen: number[] = [];
    voice.raw.use({
      onResponse({ response }) {
        seen.push(response.status);
      },
    });
    const { result: error, peakGrowth } = await memoryDuring(() => failure(calls[operation](voice)));
    expect(error).toBeInstanceOf(VoiceResponseTooLargeError);
    expect(seen).toEqual([200]);
    expect(answer.written()).toBeLessThan(100 * MiB);
    expect(peakGrowth).toBeLessThan(200 * MiB);
  });

  it('a 3 MB gzip bomb (3 GiB inflated): VoiceResponseTooLargeError, never inflated past the limit', async () => {
    const bomb = gzipBomb(3);
    expect(bomb.length).toBeLessThan(4_000_000);
    server.respond((_req, res) => {
      res.on('error', () => {});
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    const { result: error, peakGrowth, heapGrowth } = await memoryDuring(() => failure(calls[operation](client())));
    expect(error).toBeInstanceOf(VoiceResponseTooLargeError);
    expect(peakGrowth).toBeLessThan(200 * MiB);
    expect(heapGrowth).toBeLessThan(100 * MiB);
  });
});

describe.each(operations)('%s: an error page past the limit', (operation) => {
  it('500 MB with HTTP 502: a VoiceHttpError with the start of the page, memory flat', async () => {
    const answer = streamed(500_000_000, Buffer.from('<html>' + 'y'.repeat(64 * 1024)), { 'content-type': 'text/html' }, 502);
    server.respond(answer);
    const { result: error, peakGrowth } = await memoryDuring(() => failure(calls[operation](client())));
    expect(error).toBeInstanceOf(VoiceHttpError);
    expect((error as VoiceHttpError).status).toBe(502);
    expect((error as VoiceHttpError).body.startsWith('<html>yyy')).toBe(true);
    expect(answer.written()).toBeLessThan(100 * MiB);
    expect(peakGrowth).toBeLessThan(200 * MiB);
  });

  it('a gzip bomb with HTTP 500: a VoiceHttpError, never inflated past the limit', async () => {
    const bomb = gzipBomb(1);
    server.respond((_req, res) => {
      res.on('error', () => {});
      res.writeHead(500, { 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const { result: error, peakGrowth } = await memoryDuring(() => failure(calls[operation](client())));
    expect(error).toBeInstanceOf(VoiceHttpError);
    expect((error as VoiceHttpError).status).toBe(500);
    expect(peakGrowth).toBeLessThan(200 * MiB);
  });
});

describe('maxResponseBytes', () => {
  const envelope = JSON.stringify({ code: 0, msg: 'success', data: 42 });

  it('an answer of exactly the limit is read; one byte more is refused', async () => {
    server.respond(json(envelope));
    await expect(client({ maxResponseBytes: envelope.length }).sendAgentGroupCall(task)).resolves.toBe(42);
    const error = await failure(client({ maxResponseBytes: envelope.length - 1 }).sendAgentGroupCall(task));
    expect(error).toBeInstanceOf(VoiceResponseTooLargeError);
  });

  it('counts bytes after decompression, not on the wire', async () => {
    const padded = JSON.stringify({ code: 0, msg: ' '.repeat(5000), data: 42 });
    server.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(padded));
    });
    expect(gzipSync(padded).length).toBeLessThan(1000);
    expect(await failure(client({ maxResponseBytes: 1000 }).sendAgentGroupCall(task))).toBeInstanceOf(VoiceResponseTooLargeError);
    await expect(client({ maxResponseBytes: padded.length }).sendAgentGroupCall(task)).resolves.toBe(42);
  });

  it('Infinity lifts it', async () => {
    server.respond(json({ code: 0, msg: 'x'.repeat(2 * MiB), data: 9 }));
    await expect(client({ maxResponseBytes: Infinity }).sendAgentGroupCall(task)).resolves.toBe(9);
  });

  it.each([0, -1, 1.5, NaN, '1024', null])('refuses %j when the client is created', (maxResponseBytes) => {
    expect(() => client({ maxResponseBytes })).toThrow(/maxResponseBytes must be a positive whole number of bytes or Infinity/);
  });

  it('applies to raw calls too', async () => {
    server.respond(streamed(50 * MiB, jsonChunk, { 'content-type': 'application/json' }));
    const operation: VoiceOperation = 'updateRecallFlow';
    const error = await client().raw.POST(operationPaths[operation], { body: flow }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoiceResponseTooLargeError);
    expect((error as VoiceResponseTooLargeError).operation).toBe(operation);
  });

  it('caller middleware sees the limited answer, with its URL', async () => {
    const seen: string[] = [];
    const voice = client();
    voice.raw.use({
      onResponse({ response }) {
        seen.push(response.url);
      },
    });
    server.respond(json({ code: 0, msg: 'success', data: 5 }));
    await expect(voice.sendAgentGroupCall(task)).resolves.toBe(5);
    expect(seen).toEqual([`${server.url}${operationPaths.sendAgentGroupCall}`]);
  });
});
