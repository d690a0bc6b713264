// What the engine reads and what it answers: plain data, so any transport (node:http, MSW, a proxy, a
// test) can translate to and from it without the engine knowing which one it is.
import type { AnswerReason } from '../../generated/mock-control.js';
import type { OperationId } from '../../generated/operations.js';

export type { AnswerReason };

/** Reads one request header by its lowercase name (repeated headers joined with ", "). */
export type HeaderReader = (name: string) => string | undefined;

/** The request body as the adapter read it, never more than the limit the engine asked for. */
export type BodyRead =
  | { kind: 'ok'; bytes: Uint8Array }
  | { kind: 'tooLarge' }
  /** The transport holds too many request bytes at once to take this body now; `message` says so. */
  | { kind: 'busy'; message: string; retryAfterSeconds: number }
  | { kind: 'aborted' };

export interface MockRequest {
  method: string;
  /** The path without the query, e.g. `/voice/recallFlow/update`. */
  path: string;
  query: URLSearchParams;
  header: HeaderReader;
  /** Every header as sent (name, value), for the request journal; without it the journal shows none. */
  headerEntries?(): Iterable<[string, string]>;
  /**
   * Reads the body, stopping as soon as it passes `limitBytes`. The engine calls it at most once, and
   * only when the answer depends on the body (not after a failed signature or with `Prefer`).
   */
  readBody(limitBytes: number): Promise<BodyRead>;
}

export interface MockAnswer {
  status: number;
  /** Response headers besides Content-Type (e.g. `Preference-Applied`, `Allow`). */
  headers: Record<string, string>;
  /** The JSON answer: the vendor's envelope, or the mock's own error object for a non-API status. */
  body: Record<string, unknown>;
  operation: OperationId;
  reason: AnswerReason;
  /** The vendor's `code`, when the answer is the vendor's envelope. */
  code?: number | string;
  /**
   * The body was refused without being read (or read to the end): a transport with a connection should
   * let the client finish sending, and drop what it sends, so the client can read this answer.
   */
  unreadBody?: boolean;
  /** A queued fault says: close the connection without answering (`status` is then 0). */
  drop?: boolean;
}
