// SDK overhead, measured side by side in one run (run: node --import tsx bench/sdk.ts):
//  1. an SDK call vs a raw fetch with hand-computed signing headers, against a loopback server, beside
//     what a user would write without the SDK (openapi-fetch with a hand-written signing middleware: no
//     validation, no timeout), with each part of the SDK's cost (validation, timeout, openapi-fetch)
//     measured alone beside them; at steady state: every line first runs WARMUP calls (5,000), so the
//     validators and the HTTP path are compiled and warm before anything is measured;
//  2. contract validation of a 200,000-number task vs JSON.stringify of the same body;
//  3. one call carrying that task, SDK vs raw fetch.
// Tiny calls run first, before the 200,000-number task exists, so its ~200 MB heap does not slow their GC.
// Sides alternate (round by round, or call by call for tiny calls) so machine noise hits all alike;
// figures are medians.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { operationPaths, type OperationId } from '../generated/operations.js';
import { collectWarnings, computeSign, createVoiceClient, validateRequest } from '../src/index.js';
import { plainTransport } from '../src/plain-request.js';
import { credentials } from '../test/support/credentials.js';

const ROUNDS = Number(process.env.ROUNDS ?? 15);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function sideBySide(label: string, a: [string, () => unknown], b: [string, () => unknown], rounds = ROUNDS) {
  const times: [number[], number[]] = [[], []];
  await a[1]();
  await b[1](); // warm-up
  for (let i = 0; i < rounds; i++) {
    for (const [side, [, run]] of [a, b].entries()) {
      const start = performance.now();
      await run();
      times[side as 0 | 1].push(performance.now() - start);
    }
  }
  const [ma, mb] = [median(times[0]), median(times[1])];
  console.log(`${label}\n  ${a[0].padEnd(52)} ${ma.toFixed(2).padStart(9)} ms\n  ${b[0].padEnd(52)} ${mb.toFixed(2).padStart(9)} ms\n  ratio ${(ma / mb).toFixed(2)}\n`);
  return ma / mb;
}

function bigTask(numbers: number) {
  return {
    appId: '2Xql9RBI',
    taskName: 'Benchmark task',
    agentId: 41,
    maxCalls: 300,
    maxRingingTime: 60,
    enableRecording: 1,
    numberInfoList: Array.from({ length: numbers }, (_, i) => ({
      calleeNumber: String(460000000000 + i),
      callInformation: { name: `Customer ${i}`, borrow_total_money: '5000', due_date: '2026-02-02' },
      text1: `Customer ${i}`,
    })),
  };
}

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"code":0,"msg":"success","data":4242}');
  });
});
// Idle connections stay open across the long validation rounds, so the big call does not race the
// server closing a pooled connection (Node's default keep-alive is 5 s).
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const { apiKey, apiSecret } = credentials;
const voice = createVoiceClient({ apiKey, apiSecret, baseUrl }); // the defaults: validates, 60 s timeout
const traced = createVoiceClient({ apiKey, apiSecret, baseUrl });
traced.raw.use({ onRequest() {} }); // any caller middleware: typed calls then build a real Request for it
const operation: OperationId = 'sendAgentGroupCall';
const sendPath = operationPaths[operation];

function signedHeaders() {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return { 'Content-Type': 'application/json', 'Api-Key': apiKey, Timestamp: timestamp, Sign: computeSign(apiKey, apiSecret, timestamp) };
}

async function rawFetch(body: unknown, signal?: AbortSignal): Promise<number> {
  const response = await fetch(`${baseUrl}${sendPath}`, { method: 'POST', headers: signedHeaders(), body: JSON.stringify(body), signal });
  const envelope = (await response.json()) as { code: number | string; data: number };
  if (Number(envelope.code) !== 0) throw new Error('refused');
  return envelope.data;
}

// What a user would write without the SDK: openapi-fetch, typed from the same contract, with a signing
// middleware of their own; no validation, no timeout, no bound on the answer, default options.
const handWritten = createClient<paths>({ baseUrl });
handWritten.use({
  onRequest({ request }) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    request.headers.set('Api-Key', apiKey);
    request.headers.set('Timestamp', timestamp);
    request.headers.set('Sign', computeSign(apiKey, apiSecret, timestamp));
    return request;
  },
});
async function handWrittenCall(body: unknown): Promise<number> {
  const { data } = await handWritten.POST(sendPath, { body: body as never });
  if (!data || Number(data.code) !== 0) throw new Error('refused');
  return Number(data.data);
}

// The SDK's parts, each added alone to the baseline, to show what its overhead is made of.
const signedOpenapiFetch = createClient<paths>({ baseUrl, redirect: 'manual' });
signedOpenapiFetch.use({
  onRequest({ request }) {
    for (const [name, value] of Object.entries(signedHeaders())) request.headers.set(name, value);
  },
});

const small = bigTask(1);
const CALLS = Number(process.env.CALLS ?? 3000);
const WARMUP = Number(process.env.WARMUP ?? 5000);
const perCall: [string, () => Promise<unknown>][] = [
  ['raw fetch + computeSign (baseline)', () => rawFetch(small)],
  ['openapi-fetch + own signing middleware (no SDK)', () => handWrittenCall(small)],
  ['voice.sendAgentGroupCall', () => voice.sendAgentGroupCall(small as never)],
  ['  the same with caller middleware on voice.raw', () => traced.sendAgentGroupCall(small as never)],
  ['  part: baseline + validateRequest', async () => (validateRequest(operation, small), rawFetch(small))],
  ['  part: baseline + 60 s timeout (AbortController)', async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    try {
      return await rawFetch(small, controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }],
  ['  part: openapi-fetch as the SDK calls it (PlainRequest)', async () => {
    const { data } = await signedOpenapiFetch.POST(sendPath, { body: small as never, parseAs: 'text', ...plainTransport });
    return JSON.parse(data as unknown as string).data;
  }],
];
// Call by call, in a fresh random order each round: a loopback call takes ~0.15 ms, so batches would
// let machine noise land on one side, and a fixed order would hand each line the garbage of the line
// before it. Figures are per-call medians.
const samples = perCall.map(() => [] as number[]);
const order = [...perCall.keys()];
// Steady state: every line runs WARMUP calls first, so the validators, signing and the HTTP path are
// compiled (by V8's optimising tier) before anything is measured.
for (let i = 0; i < WARMUP; i++) for (const [, run] of perCall) await run();
for (let i = 0; i < CALLS; i++) {
  for (let j = order.length - 1; j > 0; j--) {
    const k = Math.floor(Math.random() * (j + 1));
    [order[j], order[k]] = [order[k]!, order[j]!];
  }
  for (const side of order) {
    const start = performance.now();
    await perCall[side]![1]();
    samples[side]!.push(performance.now() - start);
  }
}
const baseline = median(samples[0]!);
console.log(`1. One-number task, ${CALLS} sequential calls per line after ${WARMUP} warm-up calls each, interleaved call by call (loopback), median per call`);
for (const [side, [label]] of perCall.entries()) {
  const ms = median(samples[side]!);
  console.log(`  ${label.padEnd(58)} ${(ms * 1000).toFixed(1).padStart(7)} µs  ${(ms / baseline).toFixed(2)}×`);
}
const [handWrittenMs, sdkMs] = [median(samples[1]!), median(samples[2]!)];
console.log(`  SDK vs openapi-fetch + own signing middleware: ${(sdkMs / handWrittenMs).toFixed(2)}× (target: below 1)`);
console.log(`  SDK vs raw fetch: ${(sdkMs / baseline).toFixed(2)}× (target: no more than 1.22–1.29×)`);
console.log();

const task = bigTask(200_000);
console.log(`200,000-number task: ${(JSON.stringify(task).length / 1e6).toFixed(1)} MB of JSON, ${ROUNDS} rounds per side\n`);
await sideBySide(
  '2. Validation vs JSON.stringify (200,000 numbers)',
  ['validateRequest (contract, Ajv standalone)', () => validateRequest(operation, task)],
  ['JSON.stringify', () => JSON.stringify(task)],
);
await sideBySide(
  '2b. All pre-send checks (validation + onWarning walk) vs JSON.stringify',
  ['validateRequest + collectWarnings', () => (validateRequest(operation, task), collectWarnings(operation, task))],
  ['JSON.stringify', () => JSON.stringify(task)],
);

await sideBySide(
  '3. One call with the 200,000-number task (loopback)',
  ['voice.sendAgentGroupCall (validates, sends)', () => voice.sendAgentGroupCall(task as never)],
  ['raw fetch + computeSign', () => rawFetch(task)],
  Math.min(ROUNDS, 7),
);
server.close();
