// Reads a request body up to a limit without ever holding more than the limit: a body announced as too
// large is refused before a byte is read, and one that grows past it stops being collected and the
// stream is paused, so nothing more is taken in until the connection is dealt with.
import type { IncomingMessage } from 'node:http';
import type { BodyRead } from '../engine/request.js';

export function readBody(request: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  // Gone before the engine asked (a client that gave up during a delay): no event would come any more.
  if (request.destroyed && !request.readableEnded) return Promise.resolve({ kind: 'aborted' });
  const announced = Number(request.headers['content-length']);
  if (Number.isFinite(announced) && announced > limitBytes) {
    request.pause();
    return Promise.resolve({ kind: 'tooLarge' });
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
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        request.pause();
        return settle({ kind: 'tooLarge' });
      }
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
