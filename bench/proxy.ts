// `npm run bench:proxy` (not a test): what checking costs. A valid signed send at concurrency 10, straight
// to a bare node:http upstream answering the vendor's success JSON, and through the contract-check proxy
// (`itnio-voice-mock --proxy`) in front of the same upstream, measured side by side in this run. Every
// server is its own process, so the load generator shares no event loop with them.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { signRequest } from '../src/sign.js';
import { API_KEY, API_SECRET } from '../test/support/credentials.js';
import { operationPaths } from '../generated/operations.js';

const root = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const autocannon: (options: object) => Promise<{ requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number }> =
  createRequire(import.meta.url)('autocannon');

function launch(args: string[], pattern: RegExp): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, PORT: '0', ITNIO_MOCK_LOG: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const url = pattern.exec(out)?.[1];
      if (url) done({ url, child });
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk));
    child.on('exit', (code) => fail(new Error(`exited (${code}) before it was ready:\n${out}`)));
  });
}

const headers = { 'content-type': 'application/json', ...signRequest(API_KEY, API_SECRET, Math.floor(Date.now() / 1000)) };
const body = JSON.stringify({ appId: '2Xql9RBI', taskName: 'bench proxy', agentId: 41, numberInfoList: [{ calleeNumber: '463200000007' }] });

async function load(url: string) {
  const options = { url, connections: 10, duration: SECONDS, requests: [{ method: 'POST', path: operationPaths.sendAgentGroupCall, headers, body }] };
  await autocannon({ ...options, duration: 1 }); // warm-up
  return autocannon(options);
}

const upstream = await launch(['--import', 'tsx', 'bench/mock-bare.ts'], /listening on (http:\/\/\S+)/);
const proxy = await launch(['dist/mocks/cli.js', '--proxy', upstream.url], /listening on (http:\/\/\S+),/);
try {
  const direct = await load(upstream.url);
  const through = await load(proxy.url);
  const drift = (await (await fetch(`${proxy.url}/__mock/drift`)).json()) as { checked: number; violationsTotal: number };
  console.log(`\nValid signed send, c=10, ${SECONDS} s each after 1 s warm-up, Node ${process.version}, loopback`);
  console.log(`  straight to the upstream       ${direct.requests.average.toFixed(0).padStart(7)} req/s  p50 ${direct.latency.p50} ms  p99 ${direct.latency.p99} ms  bad ${direct.non2xx + direct.errors}`);
  console.log(`  through the contract proxy     ${through.requests.average.toFixed(0).padStart(7)} req/s  p50 ${through.latency.p50} ms  p99 ${through.latency.p99} ms  bad ${through.non2xx + through.errors}`);
  console.log(`  ratio ${(through.requests.average / direct.requests.average).toFixed(2)}× (a second hop over kept-alive connections, and both sides checked)`);
  console.log(`  the proxy checked ${drift.checked} exchanges and found ${drift.violationsTotal} violations`);
} finally {
  for (const server of [proxy, upstream]) server.child.kill('SIGTERM');
}
