// `npm run bench:faults` (not a test; a short demonstration): the SDK against loopback servers that reset
// the connection, stall past the timeout, answer HTML or answer HTTP 502. Each call ends in one typed
// error, nothing is left unhandled, and the server saw exactly one request per call: the SDK never
// retries. test/sdk/errors.test.ts and test/sdk/no-retry.test.ts prove the same in `npm test`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVoiceClient } from '../src/index.js';
import { flow, task } from '../test/sdk/fixtures.js';

const TIMEOUT_MS = 300;
const faults: [string, (req: IncomingMessage, res: ServerResponse) => void][] = [
  ['connection reset', (req) => req.socket.resetAndDestroy()],
  [`stall past the ${TIMEOUT_MS} ms timeout`, () => {}],
  ['HTML page with HTTP 200', (_q, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>')],
  ['HTTP 502 from a proxy', (_q, res) => void res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>')],
];

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

let allOk = true;
for (const [name, respond] of faults) {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => (requests++, respond(req, res)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const voice = createVoiceClient({ apiKey: 'k', apiSecret: 's', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: TIMEOUT_MS });
  for (const [operation, call] of [['sendAgentGroupCall', () => voice.sendAgentGroupCall(task)], ['updateRecallFlow', () => voice.updateRecallFlow(flow)]] as const) {
    const before = requests;
    const started = performance.now();
    const error = (await call().then(() => undefined, (e: unknown) => e)) as Error | undefined;
    const ms = performance.now() - started;
    await new Promise((r) => setTimeout(r, 200)); // room for a retry to show up, had there been one
    const sent = requests - before;
    const ok = error !== undefined && error.name.startsWith('Voice') && sent === 1;
    allOk &&= ok;
    console.log(`${name.padEnd(30)} ${operation.padEnd(19)} → ${error?.name ?? 'no error!'} in ${ms.toFixed(0)} ms, ${sent} request(s) reached the server ${ok ? '' : '  UNEXPECTED'}`);
    console.log(`${''.padEnd(52)}${error?.message}`);
  }
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
}
console.log(`unhandled rejections: ${unhandled.length}`);
console.log('retry policy: the SDK retries nothing, for either operation (a retried send can create a second, billed call task).');
if (!allOk || unhandled.length) process.exitCode = 1;
