// A node:http server with every connection bounded: how long its headers, its whole request and any
// silence may take, and how many may be open at once. The mock and the contract-check proxy both listen
// through it; what they answer is theirs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { limitConnections } from './connections.js';
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type Listening,
  type ListenOptions,
} from './limits.js';
import { sendJson } from './respond.js';

export type { Listening, ListenOptions };

export async function listen(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>, options: ListenOptions = {}): Promise<Listening> {
  const {
    port = 4010,
    host = '127.0.0.1',
    requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
    // Within the request's own time, which Node requires: a request timeout of 5 s alone must not fail.
    headersTimeoutMs = Math.min(DEFAULT_HEADERS_TIMEOUT_MS, requestTimeoutMs),
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
