// A real HTTP server on 127.0.0.1 that records every request byte for byte; each test scripts its answer.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Responder = (req: IncomingMessage, res: ServerResponse, recorded: Recorded) => void;

export interface Loopback {
  url: string;
  requests: Recorded[];
  /** TCP connections accepted so far: 0 proves not a byte was sent. */
  connections(): number;
  /** Answers every following request this way. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export const json = (payload: unknown, status = 200): Responder => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
};

export async function startLoopback(): Promise<Loopback> {
  let responder: Responder = json({ code: 0, msg: 'success', data: 1 });
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      responder(req, res, recorded);
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    respond(next) {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * A loopback server for the whole test file: started before the first test, fresh request log and the
 * default success answer before each test, closed after the last.
 */
export function useLoopback(initial: Responder = json({ code: 0, msg: 'success', data: 1 })): Loopback {
  const handle = {} as Loopback;
  beforeAll(async () => {
    Object.assign(handle, await startLoopback());
  });
  beforeEach(() => {
    handle.requests.length = 0;
    handle.respond(initial);
  });
  afterAll(() => handle.close());
  return handle;
}
