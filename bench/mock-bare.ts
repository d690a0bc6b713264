// The baseline of bench/mock.ts: a bare node:http server that reads the body and answers the same
// success JSON the mock would, with nothing else. Prints its URL on the first line. BENCH_WORK_US adds
// that many microseconds of busy CPU to each request: the calibration rows, which show how fast the
// ratio to bare falls on this machine as a server's own work per request grows.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const answer = JSON.stringify({ code: '0', msg: 'success', data: 123124 });
const workMs = Number(process.env.BENCH_WORK_US ?? 0) / 1000;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    for (const until = performance.now() + workMs; performance.now() < until; );
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(answer) });
    response.end(answer);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
