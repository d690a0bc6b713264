// A cap on open connections that keeps the mock reachable: at the cap, a new connection takes the place
// of the one that has been idle longest (no request in progress), so clients that open sockets and do
// nothing cannot lock everyone else out; only when every connection is busy is the newcomer refused.
// Node's own `server.maxConnections` would refuse newcomers instead, whatever the others are doing.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

interface Tracked {
  /** Requests received on it and not yet answered (pipelined ones included). */
  inFlight: number;
  /** When it last finished an answer, or was opened. */
  idleSince: number;
}

export function limitConnections(server: Server, max: number): { open(): number } {
  const open = new Map<Socket, Tracked>();

  server.on('connection', (socket: Socket) => {
    if (open.size >= max) {
      let oldest: Socket | undefined;
      let since = Number.POSITIVE_INFINITY;
      for (const [candidate, tracked] of open) {
        if (tracked.inFlight === 0 && tracked.idleSince < since) {
          oldest = candidate;
          since = tracked.idleSince;
        }
      }
      if (!oldest) return void socket.destroy();
      open.delete(oldest);
      oldest.destroy();
    }
    open.set(socket, { inFlight: 0, idleSince: performance.now() });
    socket.once('close', () => open.delete(socket));
  });

  server.on('request', (request, response) => {
    const tracked = open.get(request.socket);
    if (!tracked) return;
    tracked.inFlight++;
    response.once('close', () => {
      tracked.inFlight--;
      tracked.idleSince = performance.now();
    });
  });

  return { open: () => open.size };
}
