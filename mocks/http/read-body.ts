// Reads a request body up to a limit without ever holding more than the limit: a body announced as too
// large is refused before a byte is read, and one that grows past it stops being collected and the
// stream is paused, so nothing more is taken in until the connection is dealt with. With a claim on the
// mock's body budget (body-budget.ts), the same holds for the bytes of all requests together.
import type { IncomingMessage } from 'node:http';
import type { BodyRead } from '../engine/request.js';
import type { BodyClaim } from './body-budget.js';

/** What reading can end in without a budget: never `busy`. */
export type UnbudgetedRead = Exclude<BodyRead, { kind: 'busy' }>;

export function readBody(request: IncomingMessage, limitBytes: number): Promise<UnbudgetedRead>;
export function readBody(request: IncomingMessage, limitBytes: number, claim: BodyClaim): Promise<BodyRead>;
export function readBody(request: IncomingMessage, limitBytes: number, claim?: BodyClaim): Promise<BodyRead> {
  // Gone before the engine asked (a client that gave up during a delay): no event would come any more.
  if (request.destroyed && !request.readableEnded) return Promise.resolve({ kind: 'aborted' });
  const busy = (): BodyRead => ({ kind: 'busy', message: claim!.refusal(), retryAfterSeconds: 1 });
  const announced = Number(request.headers['content-length']);
  if (Number.isFinite(announced) && announced > limitBytes) {
    request.pause();
    return Promise.resolve({ kind: 'tooLarge' });
  }
  if (claim && Number.isFinite(announced) && !claim.fits(announced)) {
    request.pause();
    return Promise.resolve(busy());
  }

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      request.off('data', onData);
      // The bytes of a body that was read stay claimed until its answer is done; any other end gives them back.
      if (result.kind !== 'ok') claim?.release();
      resolve(result);
    };
    const refuse = (result: BodyRead) => {
      request.pause();
      settle(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) return refuse({ kind: 'tooLarge' });
      if (claim && !claim.take(chunk.length)) return refuse(busy());
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => {
      if (settled) return;
      settle({ kind: 'ok', bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    });
    request.on('error', () => settle({ kind: 'aborted' }));
    request.on('close', () => settle({ kind: 'aborted' }));
  });
}

/**
 * Reads and drops the rest of a body refused without reading (too large, wrong type, over the budget), so
 * the client can finish sending and then read the answer. Closing instead would reset the connection
 * under a client still uploading, which then often loses the answer (EPIPE instead of -22). A client that
 * keeps sending past `drainMs` is cut off.
 */
export function dropRest(request: IncomingMessage, drainMs: number): void {
  if (request.complete) return;
  const timer = setTimeout(() => request.socket.destroy(), drainMs);
  timer.unref();
  request.once('end', () => clearTimeout(timer));
  request.once('close', () => clearTimeout(timer));
  request.resume();
}
