// `npm run bench:mock` (not a test): the mock's throughput and latency for a valid signed send, as a ratio
// to a bare node:http server answering the same JSON and to the Prism CLI on the same contract, all
// measured in this run; then the time and peak memory of a 200,000-number task. Every server runs in its
// own process so autocannon does not share its event loop. Two calibration rows, bare node:http with 10 and
// 20 µs of busy CPU per request, show how steeply the ratio to bare falls on this machine once a server is
// the bottleneck rather than autocannon: read the mock's ratio beside them and beside its CPU per request.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { operationPaths } from '../generated/operations.js';
import { md5, signRequest } from '../src/sign.js';
import { createVoiceMock } from '../mocks/engine/index.js';
import { API_KEY, API_SECRET } from '../test/support/credentials.js';
import { freePort } from '../test/support/net.js';
import { bigTask } from '../test/mock/big-task.js';

const root = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
/** Rounds over every server in turn; each row is the median round, so a burst of noise on this shared machine moves one round, not the row. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SEND = operationPaths.sendAgentGroupCall;

interface Histogram { average: number; p50: number; p99: number }
interface Result { requests: Histogram & { total: number }; latency: Histogram; non2xx: number; errors: number; timeouts: number }
interface Options {
  url: string;
  connections: number;
  duration: number;
  requests: { method: string; path: string; headers: Record<string, string>; setupRequest?: (r: any) => any }[];
}
const autocannon: (options: Options) => Promise<Result> = createRequire(import.meta.url)('autocannon');

// --- servers ------------------------------------------------------------------------------------

interface Server { name: string; url: string; child: ChildProcess }

/** Starts a child process and resolves once `ready(stdout so far)` yields its URL. */
function launch(name: string, command: string, args: string[], env: Record<string, string>, ready: (out: string) => string | undefined): Promise<Server> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${name} did not start in 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      if (out.length < 100_000) out += chunk.toString();
      const url = ready(out);
      if (url) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // keep draining, or a full pipe would stall the server
        done({ name, url, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => fail(new Error(`${name} exited (${code}) before it was ready:\n${out}`)));
  });
}

const urlIn = (pattern: RegExp) => (out: string) => pattern.exec(out)?.[1];

const startMock = (log: boolean) =>
  launch(log ? 'mock (request log on)' : 'mock', process.execPath, ['dist/mocks/cli.js'], { PORT: '0', ITNIO_MOCK_LOG: log ? 'on' : 'off' }, urlIn(/listening on (http:\/\/\S+)/));
const startBare = (workUs = 0) =>
  launch(workUs ? `bare + ${workUs} µs work` : 'bare node:http', process.execPath, ['--import', 'tsx', 'bench/mock-bare.ts'], { BENCH_WORK_US: String(workUs) }, urlIn(/listening on (http:\/\/\S+)/));
async function startPrism(): Promise<Server> {
  const port = await freePort();
  const prism = resolve(root, 'node_modules', '.bin', 'prism');
  // -v error silences the per-request log, Prism's fastest setting; wait until the port answers.
  const server = await launch('Prism CLI (-v error)', prism, ['mock', '-v', 'error', '-h', '127.0.0.1', '-p', String(port), 'dist/openapi.json'], {}, () => 'pending');
  server.url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (await fetch(server.url + '/openapi-probe').then(() => true, () => false)) return server;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Prism CLI did not open its port in 30 s');
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  await new Promise<void>((done) => {
    server.child.once('exit', () => done());
    server.child.kill('SIGTERM');
  });
}

// --- load -----------------------------------------------------------------------------------------

const timestamp = Math.floor(Date.now() / 1000); // valid for the mock's ±30 minutes, far longer than the run
const headers = { 'content-type': 'application/json', ...signRequest(API_KEY, API_SECRET, timestamp) };
const task = { appId: '2Xql9RBI', taskName: '@@', agentId: 41, maxRingingTime: 60, numberInfoList: [{ calleeNumber: '463200000007', text1: 'Name' }] };
const [before, after] = JSON.stringify(task).split('@@') as [string, string];
let sequence = 0;

/** A valid signed send with its own taskName each time, so the mock answers 0 rather than -41. */
const request = {
  method: 'POST',
  path: SEND,
  headers,
  setupRequest: (r: any) => ({ ...r, body: `${before}bench ${process.pid} ${++sequence}${after}` }),
};

async function check(server: Server): Promise<string> {
  const response = await fetch(server.url + SEND, { method: 'POST', headers, body: `${before}check ${server.name}${after}` });
  const body = await response.json().catch(() => undefined);
  return `HTTP ${response.status} code ${JSON.stringify((body as { code?: unknown })?.code)}`;
}

interface Row { target: string; c: number; rps: number; p50: number; p99: number; bad: number; cpuUs: number }

/**
 * CPU seconds (user + system) a process has used, from /proc: what a server spends per request does not
 * depend on whether the load generator, sharing the same cores, is the bottleneck.
 */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ, 100 on Linux)
}

async function load(server: Server, connections: number): Promise<Row> {
  const cpuBefore = cpuSeconds(server.child.pid!);
  const result = await autocannon({ url: server.url, connections, duration: SECONDS, requests: [request] });
  const cpu = cpuSeconds(server.child.pid!) - cpuBefore;
  return {
    target: server.name,
    c: connections,
    cpuUs: (cpu * 1e6) / Math.max(1, result.requests.total),
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

// --- the engine alone ------------------------------------------------------------------------------

/** CPU time of the engine's decision for the same valid send, in this process, without HTTP: µs per answer. */
async function engineAlone(): Promise<number> {
  const engine = createVoiceMock({ md5, apiKey: API_KEY, apiSecret: API_SECRET });
  const named = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const query = new URLSearchParams();
  const answerOne = async (n: number) => {
    const bytes = new TextEncoder().encode(`${before}engine ${n}${after}`);
    const answer = await engine.answer({ method: 'POST', path: SEND, query, header: (name) => named.get(name), headerEntries: () => named, readBody: async () => ({ kind: 'ok', bytes }) });
    if (answer?.reason !== 'ok') throw new Error(`the engine answered ${JSON.stringify(answer?.body)}`);
  };
  for (let n = 0; n < 20_000; n++) await answerOne(n); // warm-up: V8 optimises the validators
  const count = 100_000;
  const started = process.cpuUsage();
  for (let n = 0; n < count; n++) await answerOne(20_000 + n);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / count;
}

// --- the 200,000-number task ---------------------------------------------------------------------

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

async function bigTaskRun(): Promise<string[]> {
  const mock = await startMock(false);
  try {
    const idle = memoryOf(mock.child.pid!);
    const lines: string[] = [];
    for (let run = 1; run <= 3; run++) {
      const body = JSON.stringify(bigTask(`bench big task ${process.pid} ${run}`));
      const started = performance.now();
      const response = await fetch(mock.url + SEND, { method: 'POST', headers: { ...headers, ...signRequest(API_KEY, API_SECRET, Math.floor(Date.now() / 1000)) }, body });
      const answer = (await response.json()) as { code: unknown };
      const ms = performance.now() - started;
      const memory = memoryOf(mock.child.pid!);
      lines.push(
        `run ${run}: ${(body.length / 1048576).toFixed(1)} MiB, 200,000 numbers → code ${JSON.stringify(answer.code)} in ${ms.toFixed(0)} ms; ` +
          `mock RSS ${memory.rss.toFixed(0)} MiB, peak ${memory.peak.toFixed(0)} MiB (idle ${idle.rss.toFixed(0)} MiB)`,
      );
    }
    return lines;
  } finally {
    await stop(mock);
  }
}

// --- main -----------------------------------------------------------------------------------------

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

/** Per server and concurrency, the round with the median throughput, with the median CPU per request of all rounds. */
function medianRows(samples: Row[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const row of samples) groups.set(`${row.target} ${row.c}`, [...(groups.get(`${row.target} ${row.c}`) ?? []), row]);
  return [...groups.values()].map((group) => {
    const rps = median(group.map((row) => row.rps));
    const middle = group.find((row) => row.rps === rps)!;
    return { ...middle, cpuUs: median(group.map((row) => row.cpuUs)), bad: group.reduce((sum, row) => sum + row.bad, 0) };
  });
}

const checks: string[] = [];
const samples: Row[] = [];
const servers: Server[] = [];
try {
  // All running at once (idle but for the one under load), so every round measures each of them in turn.
  for (const start of [() => startBare(), () => startBare(10), () => startBare(20), () => startMock(false), () => startMock(true), startPrism]) servers.push(await start());
  for (const server of servers) {
    checks.push(`${server.name}: ${await check(server)}`);
    await autocannon({ url: server.url, connections: 10, duration: 1, requests: [request] }); // warm-up
  }
  for (let round = 0; round < ROUNDS; round++) for (const server of servers) for (const c of [10, 50]) samples.push(await load(server, c));
} finally {
  await Promise.all(servers.map(stop));
}
const rows = medianRows(samples);

const find = (target: string, c: number) => rows.find((r) => r.target === target && r.c === c)!;
const pad = (text: string, width: number) => text.padEnd(width);
console.log(`\nValid signed send, median of ${ROUNDS} rounds of ${SECONDS} s per server after 1 s warm-up, ${process.platform} Node ${process.version}\n`);
console.log(`${pad('target', 24)} ${pad('c', 3)} ${pad('req/s', 9)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('bad', 5)} ${pad('vs bare', 8)} ${pad('vs Prism', 9)} server CPU per request`);
for (const row of rows) {
  const bare = find('bare node:http', row.c);
  const prism = find('Prism CLI (-v error)', row.c);
  console.log(
    `${pad(row.target, 24)} ${pad(String(row.c), 3)} ${pad(row.rps.toFixed(0), 9)} ${pad(String(row.p50), 7)} ${pad(String(row.p99), 7)} ${pad(String(row.bad), 5)} ` +
      `${pad((row.rps / bare.rps).toFixed(2) + '×', 8)} ${pad((row.rps / prism.rps).toFixed(2) + '×', 9)} ${row.cpuUs.toFixed(0)} µs (${(row.cpuUs / bare.cpuUs).toFixed(1)}× bare)`,
  );
}
console.log(`\nAnswers before load: ${checks.join('; ')}`);
const mock10 = find('mock', 10);
const prism10 = find('Prism CLI (-v error)', 10);
const bare10 = find('bare node:http', 10);
console.log(
  `Targets at c=10: ≥3× Prism CLI (${(mock10.rps / prism10.rps).toFixed(2)}× ${mock10.rps / prism10.rps >= 3 ? 'met' : 'NOT met'}), ` +
    `≥0.85× bare node:http, aim 0.9× (${(mock10.rps / bare10.rps).toFixed(2)}× ${mock10.rps / bare10.rps >= 0.85 ? 'met' : 'NOT met'}), ` +
    `p99 ≤ 10 ms (${mock10.p99} ms ${mock10.p99 <= 10 ? 'met' : 'NOT met'})`,
);
console.log(`The engine alone (no HTTP, in this process): ${(await engineAlone()).toFixed(1)} µs of CPU per valid send.`);
console.log('\n200,000-number task (fresh mock process):');
for (const line of await bigTaskRun()) console.log(`  ${line}`);
