// A node:http server with every connection bounded: how long its headers, its whole request and any
// silence may take, and how many may be open at once. The mock and the contract-check proxy both listen
// through it; what they answer is theirs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { limitConnections } from './connections.js';
import { sendJson } from './respond.js';

/** Headers, request line included, must arrive within this many ms of the connection's first byte. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** A whole request, body included, within this many ms: a 25 MB task needs about 3.5 Mbit/s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** A connection silent for this long (no byte read or written) is closed, whatever it is doing. */
export const DEFAULT_IDLE_TIMEOUT_MS = 15_000;
/** An idle keep-alive connection is closed after this long between requests (Node's default). */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/**
 * Open connections at most, far below the usual 1,024 file descriptors; at the cap a newcomer replaces
 * the connection idle longest, or is closed when every one is busy.
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

export async function listen(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>, options: ListenOptions = {}): Promise<Listening> {
  const {
    port = 4010,
    host = '127.0.0.1',
    headersTimeoutMs = DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
    idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
    keepAliveTimeoutMs = DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections = DEFAULT_MAX_CONNECTIONS,
  } = options;
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      // Node checks the two timeouts above on this interval (30 s by default); check every second.
      connectionsCheckingInterval: 1_000,
    },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        // A bug in the mock must not take it down; say what failed so it can be reported.
        if (!response.headersSent) sendJson(response, 500, { error: 'mock_failure', message: String((error as Error)?.message ?? error) });
        else response.destroy();
      });
    },
  );
  const connections = limitConnections(server, maxConnections);
  // Silence between reads or writes, in any phase: the socket is destroyed.
  server.setTimeout(idleTimeoutMs, (socket) => socket.destroy());

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    connections: connections.open,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
