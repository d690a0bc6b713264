// Reads a request body up to a limit without ever holding more than the limit: a body announced as too
// large is refused before a byte is read, and one that grows past it stops being collected (Node
// discards the rest once the answer is sent).
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { kind: 'ok'; text: string }
  | { kind: 'tooLarge' }
  | { kind: 'aborted' };

export function readBody(request: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const announced = Number(request.headers['content-length']);
  if (Number.isFinite(announced) && announced > limitBytes) return Promise.resolve({ kind: 'tooLarge' });

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      chunks.length = 0;
      resolve(result);
    };
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limitBytes) return settle({ kind: 'tooLarge' });
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ kind: 'ok', text: Buffer.concat(chunks, size).toString('utf8') });
    });
    request.on('error', () => settle({ kind: 'aborted' }));
    request.on('close', () => settle({ kind: 'aborted' }));
  });
}

/** True for `application/json` and `application/*+json`, with or without parameters. */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const type = value.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}
