// No silent retries: whatever goes wrong, each call reaches the server exactly once. A retried
// sendAgentGroupCall whose first attempt did arrive creates a second call task, which costs money; the
// SDK leaves the decision (and the -41 check on a reused taskName) to the caller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVoiceClient, VoiceError, VoiceHttpError, VoiceNetworkError, VoiceResponseError, VoiceTimeoutError } from '../../src/index.js';
import { flow, task } from './fixtures.js';
import { startLoopback, type Loopback, type Responder } from './loopback.js';

let server: Loopback;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(async () => {
  server = await startLoopback();
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server.close();
});

const faults: [string, Responder, new (...args: never[]) => VoiceError][] = [
  ['connection reset', (req) => req.socket.resetAndDestroy(), VoiceNetworkError],
  ['stall past the timeout', () => {}, VoiceTimeoutError],
  ['HTML with HTTP 200', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>portal</html>'), VoiceResponseError],
  ['HTTP 502', (_req, res) => void res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>'), VoiceHttpError],
  ['HTTP 503 with Retry-After', (_req, res) => void res.writeHead(503, { 'retry-after': '0' }).end(), VoiceHttpError],
];
const operations = {
  sendAgentGroupCall: (voice: ReturnType<typeof createVoiceClient>) => voice.sendAgentGroupCall(task),
  updateRecallFlow: (voice: ReturnType<typeof createVoiceClient>) => voice.updateRecallFlow(flow),
};

describe.each(Object.entries(operations))('%s', (_operation, call) => {
  it.each(faults)('%s: one typed error, exactly one request, no unhandled rejection', async (_name, responder, type) => {
    server.respond(responder);
    // Requests, not connections: after an aborted call undici's pool may open a fresh idle connection that
    // sends nothing (seen with the stall case), which costs nothing and is not a retry.
    const before = { requests: server.requests.length };
    // A short timeout only where the stall is the point; a busy machine may take longer over the others.
    const voice = createVoiceClient({ apiKey: 'k', apiSecret: 's', baseUrl: server.url, timeoutMs: type === VoiceTimeoutError ? 200 : 30_000 });
    const error = await call(voice).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    // Give a retry, had there been one, the chance to arrive before counting (a pause, not a time assertion).
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requests.length - before.requests).toBe(1);
    expect(unhandled).toEqual([]);
  });
});
