// `npm run bench:load` (not a test): mixed valid/invalid signed traffic at concurrency 50 against the mock
// in its own process on loopback, for LOAD_SECONDS (default 60). Reports req/s, latency, the vendor codes
// answered, every 5xx/error/timeout/reset (each should be 0), the mock's RSS sampled from /proc over
// the run, and its live heap after a full GC (through its inspector on loopback) at start, half way and
// end. Then the 200,000-number task, valid and with every number invalid, against a fresh mock
// (time, peak RSS, answer size). Exits non-zero when a bound is missed, so bench:run can say so.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { operationPaths } from '../generated/operations.js';
import { DEFAULT_MAX_TASK_NAMES } from '../mocks/engine/state.js';
import { signRequest } from '../src/sign.js';
import { API_KEY, API_SECRET } from '../test/support/credentials.js';
import { bigTask } from '../test/mock/big-task.js';

const root = resolve(import.meta.dirname, '..');
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const { sendAgentGroupCall: SEND, updateRecallFlow: UPDATE } = operationPaths;
const autocannon: (options: Record<string, unknown>) => Promise<any> = createRequire(import.meta.url)('autocannon');

interface Mock {
  url: string;
  child: ChildProcess;
  /** The mock's V8 inspector (loopback), when started with `inspect`. */
  inspector?: string;
}

/**
 * The compiled `itnio-voice-mock` (dist/mocks/cli.js) as users run it, request log off (a terminal log would measure the pipe, not the mock).
 * With `inspect`, its V8 inspector listens on a loopback port, so the bench can read its live heap.
 */
export function startMockProcess({ inspect = false } = {}): Promise<Mock> {
  return new Promise((done, fail) => {
    const flags = inspect ? ['--inspect=127.0.0.1:0'] : [];
    const child = spawn(process.execPath, [...flags, 'dist/mocks/cli.js'], {
      cwd: root,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ITNIO_MOCK_LOG: 'off', ITNIO_MOCK_KEY_IDS: '299' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the mock did not start in 60 s:\n${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(out)?.[1];
      if (url && (inspector || !inspect)) {
        clearTimeout(timer);
        done({ url, child, ...(inspector ? { inspector } : {}) });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk));
    child.on('exit', (code) => fail(new Error(`the mock exited (${code}) before it was ready:\n${out}`)));
  });
}

export function stopMockProcess(mock: Mock): Promise<void> {
  if (mock.child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    mock.child.once('exit', () => done());
    mock.child.kill('SIGTERM');
  });
}

/**
 * The heap a process still holds after a full collection, in MiB, read through its inspector. RSS alone
 * cannot show a leak: V8 lets the old generation fill with garbage before it collects (a sawtooth of
 * 100 MB or more under this load), so only the live heap tells retained memory from uncollected garbage.
 */
async function openHeapProbe(inspector: string): Promise<{ liveHeap(): Promise<number>; close(): Promise<void> }> {
  const socket = new WebSocket(inspector);
  await new Promise((opened, failed) => {
    socket.addEventListener('open', opened, { once: true });
    socket.addEventListener('error', () => failed(new Error(`cannot reach the mock's inspector at ${inspector}`)), { once: true });
  });
  let lastId = 0;
  const call = (method: string) =>
    new Promise<any>((answered, failed) => {
      const id = ++lastId;
      const onMessage = (event: MessageEvent) => {
        const message = JSON.parse(String(event.data));
        if (message.id !== id) return;
        socket.removeEventListener('message', onMessage);
        if (message.error) failed(new Error(`${method}: ${message.error.message}`));
        else answered(message.result);
      };
      socket.addEventListener('message', onMessage);
      socket.send(JSON.stringify({ id, method }));
    });
  return {
    async liveHeap() {
      await call('HeapProfiler.collectGarbage');
      const { usedSize } = await call('Runtime.getHeapUsage');
      return usedSize / 1048576;
    },
    // Closed before the mock is stopped: a process with a debugger attached waits for it to leave.
    close: () =>
      new Promise<void>((closed) => {
        socket.addEventListener('close', () => closed(), { once: true });
        socket.close();
      }),
  };
}

/** Resident and peak resident memory of a process, in MiB, from /proc (Linux). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

// --- the traffic mix ----------------------------------------------------------------------------

const timestamp = Math.floor(Date.now() / 1000); // inside the mock's ±30 minutes for the whole run
const headers = { 'content-type': 'application/json', ...signRequest(API_KEY, API_SECRET, timestamp) };
let sequence = 0;
const send = (calleeNumber: string) =>
  JSON.stringify({ appId: '2Xql9RBI', taskName: `load ${process.pid} ${++sequence}`, agentId: 41, maxRingingTime: 60, numberInfoList: [{ calleeNumber, text1: 'Name' }] });
const update = (recallNum: number) =>
  JSON.stringify({ keyId: 299, recallType: 0, recallInterval: 30, recallNum, nodeList: [{ source: 1, voiceFileId: 'reminder.wav', hangUpSms: 0, toSeat: 0 }] });

/** Each connection cycles through these: 2 valid, 3 refused by the contract, 1 refused by the signature. */
const mix = [
  { method: 'POST', path: SEND, headers, setupRequest: (r: any) => ({ ...r, body: send('463200000007') }) },
  { method: 'POST', path: SEND, headers, setupRequest: (r: any) => ({ ...r, body: send('+46-not-a-number') }) },
  { method: 'POST', path: UPDATE, headers, setupRequest: (r: any) => ({ ...r, body: update(1) }) },
  { method: 'POST', path: UPDATE, headers, setupRequest: (r: any) => ({ ...r, body: update(99) }) },
  { method: 'POST', path: UPDATE, headers, setupRequest: (r: any) => ({ ...r, body: '{"keyId":9223372036854775807,' }) },
  { method: 'POST', path: SEND, headers: { ...headers, sign: '0'.repeat(32) }, setupRequest: (r: any) => ({ ...r, body: send('463200000007') }) },
];

const codes = new Map<string, number>();
/** Tallies the vendor code of every answer: proves the mix really was mixed, and nothing else came back. */
function tally(_status: number, body: string): void {
  let code: string;
  try {
    code = String(JSON.parse(body).code);
  } catch {
    code = 'not JSON';
  }
  codes.set(code, (codes.get(code) ?? 0) + 1);
}

async function loadRun(mock: Mock) {
  const probe = await openHeapProbe(mock.inspector!);
  try {
    const samples: number[] = [];
    const heap = { start: await probe.liveHeap(), middle: Number.NaN, end: Number.NaN };
    const start = memoryOf(mock.child.pid!);
    const sampler = setInterval(() => samples.push(memoryOf(mock.child.pid!).rss), 1000);
    // One full collection half way, under load (a pause of tens of ms), to see whether live memory still grows.
    const middle = new Promise((halfWay) => setTimeout(halfWay, (SECONDS * 1000) / 2)).then(async () => (heap.middle = await probe.liveHeap()));
    const result = await autocannon({
      url: mock.url,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: mix.map((r) => ({ ...r, onResponse: tally })),
    });
    clearInterval(sampler);
    await middle;
    const end = memoryOf(mock.child.pid!);
    heap.end = await probe.liveHeap();
    return { result, start, end, samples, heap };
  } finally {
    await probe.close();
  }
}

// --- the 200,000-number task ----------------------------------------------------------------------

/** Each task in a fresh mock process, so every peak RSS (VmHWM) belongs to that one task. */
async function bigTaskRuns(): Promise<{ lines: string[]; ok: boolean }> {
  const lines: string[] = [];
  let ok = true;
  const cases: [string, (i: number) => string, number][] = [
    ['valid', (i) => String(460000000000 + i), 1000],
    ['every number invalid', (i) => `+${i}`, 3000],
  ];
  for (let run = 1; run <= 2; run++) {
    for (const [label, calleeNumber, limitMs] of cases) {
      const mock = await startMockProcess();
      try {
        const idle = memoryOf(mock.child.pid!);
        const body = JSON.stringify(bigTask(`load big ${process.pid} ${label} ${run}`, 200_000, calleeNumber));
        const started = performance.now();
        const response = await fetch(mock.url + SEND, { method: 'POST', headers: { ...headers, ...signRequest(API_KEY, API_SECRET, Math.floor(Date.now() / 1000)) }, body });
        const text = await response.text();
        const ms = performance.now() - started;
        const answer = JSON.parse(text) as { code: unknown; findings?: unknown[]; findingsTotal?: number };
        const memory = memoryOf(mock.child.pid!);
        const peakMB = (memory.peak * 1048576) / 1e6;
        const met = ms < limitMs && peakMB < 500;
        ok &&= met;
        lines.push(
          `${label.padEnd(21)} run ${run}: ${(body.length / 1e6).toFixed(1)} MB → code ${JSON.stringify(answer.code)}` +
            `${answer.findings ? `, ${answer.findings.length} findings of ${answer.findingsTotal}, answer ${text.length} bytes` : ''}` +
            ` in ${ms.toFixed(0)} ms (target < ${limitMs}); mock peak RSS ${peakMB.toFixed(0)} MB (target < 500; idle ${((idle.rss * 1048576) / 1e6).toFixed(0)} MB) ${met ? 'met' : 'NOT met'}`,
        );
      } finally {
        await stopMockProcess(mock);
      }
    }
  }
  return { lines, ok };
}

// --- main -----------------------------------------------------------------------------------------

const mock = await startMockProcess({ inspect: true });
let load;
try {
  load = await loadRun(mock);
} finally {
  await stopMockProcess(mock);
}
const { result, start, end, samples, heap } = load;
const fivexx = (result['5xx'] ?? 0) as number;
const failures = { '5xx': fivexx, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, resets: result.resets ?? 0, mismatches: result.mismatches ?? 0 };
const clean = Object.values(failures).every((n) => n === 0);
const answered = [...codes.values()].reduce((a, b) => a + b, 0);

console.log(`Mixed signed traffic: ${SECONDS} s at concurrency ${CONNECTIONS}, mock in its own process (log off), ${process.platform} Node ${process.version}`);
console.log(`  mix per connection: valid send, send with a bad number, valid update, update past a bound, truncated JSON, bad signature`);
console.log(`  ${result.requests.average.toFixed(0)} req/s average; latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ${result.requests.total} requests`);
console.log(`  codes answered: ${[...codes].sort().map(([c, n]) => `${c} ×${n}`).join(', ')} (${answered} bodies read)`);
console.log(`  failures: ${Object.entries(failures).map(([k, v]) => `${k} ${v}`).join(', ')} → ${clean ? 'none' : 'SOME'}`);
console.log(
  `  mock RSS: start ${start.rss.toFixed(0)} MiB, end ${end.rss.toFixed(0)} MiB, sampled min ${Math.min(...samples).toFixed(0)} / max ${Math.max(...samples).toFixed(0)} MiB, peak ${end.peak.toFixed(0)} MiB; ` +
    `first third avg ${avg(samples.slice(0, Math.ceil(samples.length / 3))).toFixed(0)} vs last third avg ${avg(samples.slice(-Math.ceil(samples.length / 3))).toFixed(0)} MiB`,
);
const step = Math.max(1, Math.round(samples.length / 12));
console.log(`  mock RSS every ${step} s: ${samples.filter((_, i) => i % step === 0).map((v) => v.toFixed(0)).join(' ')} MiB (V8 collects its old generation in a sawtooth)`);
const taskNameCap = Number(process.env.ITNIO_MOCK_MAX_TASK_NAMES || DEFAULT_MAX_TASK_NAMES);
const accepted = Math.round((codes.get('0') ?? 0) / 2); // half the code-0 answers are sends, half updates
console.log(
  `  mock live heap after a full GC: start ${heap.start.toFixed(1)}, half way ${heap.middle.toFixed(1)}, end ${heap.end.toFixed(1)} MiB ` +
    `(it remembers the latest ${taskNameCap.toLocaleString('en')} task names for -41, and ${accepted.toLocaleString('en')} sends were accepted${accepted > taskNameCap ? ', so it hit that cap' : ''})`,
);

function avg(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
}

console.log('\n200,000-number task, each in a fresh mock process: valid < 1 s with peak RSS < 500 MB; all invalid < 3 s with a bounded answer');
const big = await bigTaskRuns();
for (const line of big.lines) console.log(`  ${line}`);
if (!clean || !big.ok) process.exitCode = 1;
