// Every answer the SDK reads is read through a running count of its bytes, counted after decompression
// (fetch inflates gzip, deflate and br itself). A 2xx body past the limit errors with a typed error and
// its source is cancelled, so a 500 MB answer or a gzip bomb costs at most the limit in memory, never what
// the server claims or what the bomb would inflate to. A non-2xx body is only ever shown as a snippet,
// so past the limit it simply ends: the status is the error.
import { VoiceHttpError, VoiceResponseTooLargeError, type VoiceOperation } from './errors.js';

/** The vendor's envelope is a few hundred bytes; 1 MiB leaves room for any answer it documents. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;

/** How much of an oversize answer is kept for the error (its `body` shows 500 characters of it). */
const HEAD_BYTES = 2048;

/**
 * One decoder for every answer: decoding whole buffers (never streaming) keeps no state between calls.
 * It keeps a leading byte order mark, so the caller decides about it (the SDK skips one, the drift
 * checks report it); bytes that are not UTF-8 become U+FFFD.
 */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The same response with a body that stops at `maxBytes`. Statuses `Response` cannot carry (fetch passes
 * through e.g. 999) become a VoiceHttpError here, their body unread.
 *
 * `framed`: the response comes from Node's own fetch, whose HTTP parser never delivers more body than a
 * Content-Length states. An unencoded answer that declares at most `maxBytes` is then returned as it is
 * (the vendor's small answers: no stream to wrap, about 20 µs a call saved); anything else is counted.
 */
export function limitResponse(response: Response, operation: VoiceOperation, maxBytes: number, framed = false): Response {
  if (response.status < 200 || response.status > 599) {
    response.body?.cancel().catch(() => {});
    throw new VoiceHttpError({ operation, status: response.status, statusText: response.statusText, body: '' });
  }
  if (response.body === null || maxBytes === Number.POSITIVE_INFINITY) return response;
  if (framed) {
    const encoding = response.headers.get('content-encoding');
    const length = response.headers.get('content-length');
    const plain = encoding === null || encoding.trim().toLowerCase() === 'identity';
    if (plain && length !== null && /^[0-9]{1,15}$/.test(length) && Number(length) <= maxBytes) return response;
  }

  const source = response.body.getReader();
  const { ok, status } = response;
  const head = new Uint8Array(HEAD_BYTES);
  let headLength = 0;
  let seen = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await source.read();
        if (done) {
          controller.close();
          return;
        }
        const before = seen;
        seen += value.byteLength;
        if (headLength < HEAD_BYTES) {
          const part = value.subarray(0, HEAD_BYTES - headLength);
          head.set(part, headLength);
          headLength += part.byteLength;
        }
        if (seen <= maxBytes) {
          controller.enqueue(value);
          return;
        }
        if (!ok) {
          // An error page: what fits is enough for its snippet; the rest is never read.
          if (maxBytes > before) controller.enqueue(value.subarray(0, maxBytes - before));
          controller.close();
          await source.cancel().catch(() => {});
          return;
        }
        const text = utf8.decode(head.subarray(0, headLength));
        const error = new VoiceResponseTooLargeError({ operation, maxResponseBytes: maxBytes, status, contentType: response.headers.get('content-type'), body: text });
        controller.error(error);
        await source.cancel(error).catch(() => {});
      },
      cancel(reason) {
        return source.cancel(reason);
      },
    },
    // Pull one chunk at a time, only when the reader asks: nothing is read ahead of the count.
    { highWaterMark: 0 },
  );
  const limited = new Response(body, { status, statusText: response.statusText, headers: response.headers });
  // Keep what middleware may log; a constructed Response has no URL of its own.
  Object.defineProperties(limited, { url: { value: response.url }, redirected: { value: response.redirected } });
  return limited;
}

/**
 * Reads a body to text with a running count of its bytes: what a typed call does with a 2xx answer that
 * no caller middleware sees, without wrapping the stream (about 20 µs a call less than limitResponse).
 * Past `maxBytes` it cancels the source and rejects with a VoiceResponseTooLargeError.
 */
export async function readLimited(body: ReadableStream<Uint8Array> | null | undefined, response: Response, operation: VoiceOperation, maxBytes: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > maxBytes) {
      const head = chunks.length > 0 ? chunks[0]! : value;
      const body = utf8.decode(head.subarray(0, HEAD_BYTES));
      const error = new VoiceResponseTooLargeError({ operation, maxResponseBytes: maxBytes, status: response.status, contentType: response.headers.get('content-type'), body });
      await reader.cancel(error).catch(() => {});
      throw error;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return utf8.decode(chunks[0]);
  const all = new Uint8Array(seen);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return utf8.decode(all);
}
