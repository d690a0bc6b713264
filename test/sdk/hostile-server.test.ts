// Property: whatever a server answers — any status, headers, content-encoding, framing and body (huge,
// truncated, not JSON, loose codes, wrong data types, compression bombs) — every SDK call ends in exactly
// one outcome: the correct value, or one typed VoiceError of the kind the answer calls for. Never a wrong
// keyId, never an unhandled error, and exactly one request per call. The server is a raw TCP socket on
// 127.0.0.1, so nothing about the answer is tidied up by an HTTP library on the way out.
import fc from 'fast-check';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVoiceClient,
  VoiceApiError,
  VoiceError,
  VoiceHttpError,
  VoiceNetworkError,
  VoiceResponseError,
  VoiceResponseTooLargeError,
  VoiceTimeoutError,
  type VoiceOperation,
} from '../../src/index.js';
import { operationIds } from '../../src/operations.js';
import { callOperation } from './fixtures.js';
import { credentials } from '../support/credentials.js';

const SEED = 20261125;
const RUNS = 300;
/** A small limit keeps "huge" answers quick to send; the 1 MiB default is tested in limits.test.ts. */
const LIMIT = 64 * 1024;
const INT32_MAX = 2 ** 31 - 1;

// --- The answers ------------------------------------------------------------------------------------

type Encoding = 'identity' | 'gzip' | 'deflate' | 'br' | 'x-unknown' | 'gzip (a lie: the body is plain)';
type Framing = 'content-length' | 'chunked' | 'until close' | 'truncated';

interface Answer {
  status: number;
  reason: string;
  headers: [string, string][];
  encoding: Encoding;
  framing: Framing;
  /** The body as the server means it, before encoding (small bodies) … */
  body?: string;
  /** … or a large one, streamed in chunks (never built whole). */
  stream?: { chunk: Buffer; total: number };
  /** A precomputed compression bomb, sent as it is. */
  bomb?: Buffer;
  label: string;
}

const MiB = 2 ** 20;
const zeros = Buffer.alloc(8 * MiB);
const bombs: Record<'gzip' | 'deflate' | 'br', Buffer> = {
  gzip: gzipSync(zeros, { level: 9 }),
  deflate: deflateSync(zeros, { level: 9 }),
  br: brotliCompressSync(zeros, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
};

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/);
const headerValue = fc.stringMatching(/^[ -~]{0,40}$/).map((v) => v.trim());
const statusArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(200) },
  { weight: 4, arbitrary: fc.constantFrom(201, 202, 204, 205, 206, 299, 301, 302, 304, 307, 400, 401, 403, 404, 409, 429, 500, 502, 503, 599) },
  { weight: 1, arbitrary: fc.constantFrom(600, 799, 999) },
);
const extraHeaders = fc.array(
  fc.oneof(
    fc.tuple(token.map((t) => `x-${t}`), headerValue),
    fc.tuple(fc.constant('content-type'), fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', '', 'application/octet-stream')),
    fc.tuple(fc.constant('set-cookie'), headerValue),
    fc.tuple(fc.constant('cache-control'), fc.constantFrom('no-store', 'max-age=0')),
  ),
  { maxLength: 4 },
);

/** Envelopes a strict reader must judge: good ones, loose codes, wrong data types, arbitrary JSON. */
const keyIdArb = fc.oneof(fc.integer({ min: 1, max: INT32_MAX }), fc.integer({ min: 1, max: INT32_MAX }).map(String));
const looseCode = fc.constantFrom('0x0', '+0', '0e5', '0.0', ' \n0\t', '-0', '00', '', 'OK', '0 ', true, null, [0], { code: 0 }, 0.5, 2 ** 31, -(2 ** 31) - 1, '2147483648', '-041', 1e21);
const wrongData = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53 - 1, '2147483648', '0', '041', '+41', ' 41', '4e1', '', true, false, null, [41], { keyId: 41 }),
  fc.jsonValue({ maxDepth: 2 }).filter((v) => !isKeyId(v)),
);
const vendorCode = fc.oneof(fc.integer({ min: -(2 ** 31), max: -1 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: -68, max: -1 }).map(String));
const message = fc.oneof(fc.string({ maxLength: 30 }), fc.constant(undefined));

const envelope = fc.oneof(
  fc.record({ code: fc.constantFrom(0, '0'), msg: message, data: keyIdArb }).map((e) => ({ value: e as unknown, label: 'success' })),
  fc.record({ code: vendorCode, msg: message, data: fc.constant(null) }).map((e) => ({ value: e as unknown, label: 'vendor refusal' })),
  fc.record({ code: looseCode, msg: message, data: keyIdArb }).map((e) => ({ value: e as unknown, label: 'loose code' })),
  fc.record({ code: fc.constantFrom(0, '0'), msg: message, data: wrongData }).map((e) => ({ value: e as unknown, label: 'wrong data' })),
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ value, label: 'arbitrary JSON' })),
);
const smallBody = fc.oneof(
  { weight: 6, arbitrary: envelope.map(({ value, label }) => ({ body: JSON.stringify(value) ?? 'null', label })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => ({ body: `<html>${s}`, label: 'not JSON' })) },
  { weight: 1, arbitrary: fc.constantFrom({ body: '', label: 'empty' }, { body: '{"code":0,"data":', label: 'cut JSON' }) },
);

const answerArb: fc.Arbitrary<Answer> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({
        status: statusArb,
        reason: token,
        headers: extraHeaders,
        encoding: fc.constantFrom<Encoding>('identity', 'identity', 'gzip', 'deflate', 'br', 'x-unknown', 'gzip (a lie: the body is plain)'),
        framing: fc.constantFrom<Framing>('content-length', 'content-length', 'chunked', 'until close', 'truncated'),
        small: smallBody,
      })
      .map(({ small, ...rest }) => ({ ...rest, body: small.body, label: small.label })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ status: statusArb, reason: token, headers: extraHeaders, framing: fc.constantFrom<Framing>('content-length', 'chunked', 'until close'), total: fc.integer({ min: LIMIT + 1, max: 16 * LIMIT }) })
      .map(({ total, ...rest }) => ({ ...rest, encoding: 'identity' as const, stream: { chunk: Buffer.from(`{"code":0,"msg":"${'x'.repeat(4096)}`), total }, label: 'huge' })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ status: statusArb, reason: token, headers: extraHeaders, encoding: fc.constantFrom('gzip', 'deflate', 'br') as fc.Arbitrary<'gzip' | 'deflate' | 'br'> })
      .map(({ encoding, ...rest }) => ({ ...rest, encoding, framing: 'content-length' as const, bomb: bombs[encoding], label: `${encoding} bomb` })),
  },
);

// --- The oracle: what a strict reader of the contract must make of an answer -------------------------

function isKeyId(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= INT32_MAX;
  return typeof value === 'string' && /^[1-9][0-9]{0,9}$/.test(value) && Number(value) <= INT32_MAX;
}

function isVendorCode(code: unknown): boolean {
  const inRange = (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n <= INT32_MAX;
  if (typeof code === 'number') return inRange(code);
  return typeof code === 'string' && /^(0|-?[1-9][0-9]{0,9})$/.test(code) && inRange(Number(code));
}

type ErrorClass = new (...args: never[]) => VoiceError;
type Expected = { value: number | undefined } | { error: ErrorClass; exactly?: boolean; status?: number; code?: number; or?: ErrorClass };

/** What a success (`code` 0) means, per operation: a send's keyId must be there; an update's data is ignored. */
const successOf: Record<VoiceOperation, (data: unknown) => Expected> = {
  sendAgentGroupCall: (data) => (isKeyId(data) ? { value: Number(data) } : { error: VoiceResponseError, exactly: true }),
  updateRecallFlow: () => ({ value: undefined }),
};

/** What the envelope in a complete, readable 2xx body means. */
function judgeEnvelope(operation: VoiceOperation, body: string): Expected {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { error: VoiceResponseError, exactly: true };
  }
  if (typeof value !== 'object' || value === null || !('code' in value)) return { error: VoiceResponseError, exactly: true };
  const { code, data } = value as { code: unknown; data?: unknown };
  if (code === 0 || code === '0') return successOf[operation](data);
  if (isVendorCode(code)) return { error: VoiceApiError, code: Number(code) };
  return { error: VoiceResponseError, exactly: true };
}

const NULL_BODY = new Set([204, 205, 304]);

/**
 * Node 20's fetch (undici 6) sometimes never settles a close-delimited body that claims gzip but is not
 * gzip, and ignores the abort signal while it hangs. The SDK's timeout still ends the call: such calls
 * get a short one and end in the decoding failure (VoiceNetworkError) or, when fetch hangs, a
 * VoiceTimeoutError.
 */
function fetchHangs(answer: Answer): boolean {
  const readable = answer.status >= 200 && answer.status <= 599 && !NULL_BODY.has(answer.status);
  return readable && answer.encoding === 'gzip (a lie: the body is plain)' && answer.framing === 'until close' && answer.body !== '';
}
const HANG_TIMEOUT_MS = 300;

function expected(operation: VoiceOperation, answer: Answer): Expected {
  const { status } = answer;
  // fetch passes such statuses through; no Response can carry them, and their body is never read.
  if (status < 200 || status > 599) return { error: VoiceHttpError, status };
  const ok = status >= 200 && status <= 299;
  if (NULL_BODY.has(status)) return ok ? { error: VoiceResponseError, exactly: true } : { error: VoiceHttpError, status };
  if (fetchHangs(answer)) return { error: VoiceNetworkError, or: VoiceTimeoutError };
  const small = answer.body !== undefined;
  const broken = small && (answer.framing === 'truncated' || (answer.encoding === 'gzip (a lie: the body is plain)' && answer.body !== ''));
  if (broken) return { error: VoiceNetworkError };
  if (!ok) return { error: VoiceHttpError, status };
  if (!small) return { error: VoiceResponseTooLargeError };
  if (Buffer.byteLength(answer.body!) > LIMIT) return { error: VoiceResponseTooLargeError };
  return judgeEnvelope(operation, answer.body!);
}

// --- A raw HTTP/1.1 server that sends exactly the scripted bytes -------------------------------------

function encode(body: string, encoding: Encoding): Buffer {
  const raw = Buffer.from(body);
  if (encoding === 'gzip') return gzipSync(raw);
  if (encoding === 'deflate') return deflateSync(raw);
  if (encoding === 'br') return brotliCompressSync(raw);
  return raw;
}

async function write(socket: Socket, data: Buffer | string): Promise<boolean> {
  if (socket.destroyed) return false;
  if (!socket.write(data)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }
  return !socket.destroyed;
}

async function answerOn(socket: Socket, answer: Answer): Promise<void> {
  const head = [`HTTP/1.1 ${answer.status} ${answer.reason}`, 'connection: close', ...answer.headers.map(([k, v]) => `${k}: ${v}`)];
  const encodingName = answer.encoding === 'gzip (a lie: the body is plain)' ? 'gzip' : answer.encoding;
  if (encodingName !== 'identity') head.push(`content-encoding: ${encodingName}`);
  const payload = answer.bomb ?? (answer.body !== undefined ? encode(answer.body, answer.encoding) : undefined);
  const total = payload ? payload.length : answer.stream!.total;
  if (answer.framing === 'content-length') head.push(`content-length: ${total}`);
  if (answer.framing === 'truncated') head.push(`content-length: ${total + 100}`);
  if (answer.framing === 'chunked') head.push('transfer-encoding: chunked');
  if (!(await write(socket, `${head.join('\r\n')}\r\n\r\n`))) return;

  const chunks = function* (): Generator<Buffer> {
    if (payload) {
      for (let at = 0; at < payload.length; at += 16 * 1024) yield payload.subarray(at, at + 16 * 1024);
      return;
    }
    const { chunk, total: size } = answer.stream!;
    for (let sent = 0; sent < size; sent += chunk.length) yield size - sent >= chunk.length ? chunk : chunk.subarray(0, size - sent);
  };
  for (const chunk of chunks()) {
    const framed = answer.framing === 'chunked' ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk;
    if (!(await write(socket, framed))) return;
  }
  if (answer.framing === 'chunked') await write(socket, '0\r\n\r\n');
  socket.end();
}

let server: Server;
const sockets = new Set<Socket>();
let baseUrl: string;
let script: Answer | undefined;
let requests = 0;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = Buffer.alloc(0);
    let answered = false;
    socket.on('data', (chunk: Buffer) => {
      if (answered) return;
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(buffer.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      if (buffer.length < end + 4 + length) return;
      answered = true;
      requests++;
      void answerOn(socket, script!).catch(() => socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

// --- The property ---------------------------------------------------------------------------------------

describe('answers from a hostile server', () => {
  const operations = operationIds;

  it('every call of either operation ends in the correct value or exactly one typed VoiceError', async () => {
    const seen = new Map<string, number>();
    const voice = createVoiceClient({ ...credentials, baseUrl, maxResponseBytes: LIMIT, timeoutMs: 20_000 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), answerArb, async (operation, answer) => {
        script = answer;
        const before = requests;
        let settled = 0;
        const options = fetchHangs(answer) ? { timeoutMs: HANG_TIMEOUT_MS } : {};
        const pending = callOperation(voice, operation, undefined, options);
        const outcome = await pending.then(
          (value) => (settled++, { value }),
          (error: unknown) => (settled++, { error }),
        );
        const want = expected(operation, answer);
        const where = `${operation}, ${answer.label}, HTTP ${answer.status}, ${answer.encoding}, ${answer.framing}: ${JSON.stringify(outcome)}`;
        seen.set(answer.label, (seen.get(answer.label) ?? 0) + 1);

        expect(settled, where).toBe(1);
        expect(requests - before, where).toBe(1); // one request, never retried
        if ('value' in want) {
          expect(outcome, where).toEqual({ value: want.value });
          return;
        }
        expect('error' in outcome, where).toBe(true);
        const error = (outcome as { error: unknown }).error;
        expect(error, where).toBeInstanceOf(VoiceError);
        if (want.or && error instanceof want.or) return;
        expect(error, where).toBeInstanceOf(want.error);
        if (want.exactly) expect((error as Error).constructor, where).toBe(want.error);
        if (want.status !== undefined) expect((error as VoiceHttpError).status, where).toBe(want.status);
        if (want.code !== undefined) expect((error as VoiceApiError).code, where).toBe(want.code);
        expect((error as VoiceError).operation, where).toBe(operation);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(unhandled).toEqual([]);
    // The run really tried every kind of answer.
    expect([...seen.keys()].sort()).toEqual(
      ['arbitrary JSON', 'br bomb', 'cut JSON', 'deflate bomb', 'empty', 'gzip bomb', 'huge', 'loose code', 'not JSON', 'success', 'vendor refusal', 'wrong data'].sort(),
    );
  });
});
