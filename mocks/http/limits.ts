// The bounds every connection of the mock and of the proxy lives within, and where they listen: plain
// values and types (no node:http in them), so the package's public declarations need no Node types.
import { isIP } from 'node:net';

/** Headers, request line included, must arrive within this many ms of the connection's first byte (at most the request timeout). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** A whole request, body included, within this many ms: a 25 MB task needs about 3.5 Mbit/s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** A connection silent for this long (no byte read or written) is closed, whatever it is doing. */
export const DEFAULT_IDLE_TIMEOUT_MS = 15_000;
/** An idle keep-alive connection is closed after this long between requests (Node's default). */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/**
 * Open connections at most, far below the usual 1,024 file descriptors; at the cap a newcomer replaces
 * the connection that has gone longest without sending a byte, an idle keep-alive one first.
 */
export const DEFAULT_MAX_CONNECTIONS = 256;
export interface ListenOptions {
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  maxConnections?: number;
}

export interface Listening {
  url: string;
  host: string;
  port: number;
  /** Connections open now (at most `maxConnections`). */
  connections(): number;
  close(): Promise<void>;
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can reach the mock there. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}
