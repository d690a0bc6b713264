// A cap on open connections that keeps the mock reachable: at the cap, a newcomer takes the place of the
// connection that has gone longest without sending a byte, an idle keep-alive one (between requests)
// first. So neither sockets that do nothing nor ones that trickle a byte now and then (and so count as
// busy) can lock a client with a request out; a connection that is sending is the last to go. Node's own
// `server.maxConnections` would refuse newcomers instead, whatever the others are doing.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How often each connection's byte count is looked at, so "last heard from" is this precise. */
const SAMPLE_MS = 1_000;

interface Tracked {
  /** Requests received on it and not yet answered (pipelined ones included). */
  inFlight: number;
  /** It has been answered before: with nothing in flight, it is a keep-alive connection between requests. */
  served: boolean;
  /** `socket.bytesRead` when last looked at. */
  bytesRead: number;
  /** When it was last seen to have sent a byte (or was opened, or had an answer finished). */
  heardAt: number;
}

export function limitConnections(server: Server, max: number): { open(): number } {
  const open = new Map<Socket, Tracked>();

  /** Notes who has sent bytes since the last look (the HTTP parser reads sockets natively: no 'data' event tells). */
  function sample(now: number): void {
    for (const [socket, tracked] of open) {
      if (socket.bytesRead !== tracked.bytesRead) {
        tracked.bytesRead = socket.bytesRead;
        tracked.heardAt = now;
      }
    }
  }

  /** The connection to close for a newcomer: idle keep-alive ones first, then the one silent longest (fewest bytes on a tie). */
  function quietest(): Socket | undefined {
    let chosen: [Socket, Tracked] | undefined;
    const rank = (t: Tracked) => (t.inFlight === 0 && t.served ? 0 : 1);
    for (const entry of open) {
      const [, t] = entry;
      if (!chosen) chosen = entry;
      else {
        const [, c] = chosen;
        const better = rank(t) - rank(c) || t.heardAt - c.heardAt || t.bytesRead - c.bytesRead;
        if (better < 0) chosen = entry;
      }
    }
    return chosen?.[0];
  }

  const sampler = setInterval(() => sample(performance.now()), SAMPLE_MS);
  sampler.unref();
  server.once('close', () => clearInterval(sampler));

  server.on('connection', (socket: Socket) => {
    if (open.size >= max) {
      sample(performance.now());
      const leaving = quietest();
      if (leaving) {
        open.delete(leaving);
        leaving.destroy();
      }
    }
    open.set(socket, { inFlight: 0, served: false, bytesRead: socket.bytesRead, heardAt: performance.now() });
    socket.once('close', () => open.delete(socket));
  });

  server.on('request', (request, response) => {
    const tracked = open.get(request.socket);
    if (!tracked) return;
    tracked.inFlight++;
    response.once('close', () => {
      tracked.inFlight--;
      tracked.served = true;
      tracked.heardAt = performance.now();
    });
  });

  return { open: () => open.size };
}
