// SDK overhead, measured side by side in one run (run: node --import tsx bench/sdk.ts):
//  1. contract validation of a 200,000-number task vs JSON.stringify of the same body;
//  2. an SDK call vs a raw fetch with hand-computed signing headers, against a loopback server.
// Rounds alternate between the two sides so machine noise hits both alike; figures are medians.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectWarnings, computeSign, createVoiceClient, validateRequest } from '../src/index.js';

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

const task = bigTask(200_000);
console.log(`200,000-number task: ${(JSON.stringify(task).length / 1e6).toFixed(1)} MB of JSON, ${ROUNDS} rounds per side\n`);
await sideBySide(
  '1. Validation vs JSON.stringify (200,000 numbers)',
  ['validateRequest (contract, Ajv standalone)', () => validateRequest('sendAgentGroupCall', task)],
  ['JSON.stringify', () => JSON.stringify(task)],
);
await sideBySide(
  '1b. All pre-send checks (validation + onWarning walk) vs JSON.stringify',
  ['validateRequest + collectWarnings', () => (validateRequest('sendAgentGroupCall', task), collectWarnings('sendAgentGroupCall', task))],
  ['JSON.stringify', () => JSON.stringify(task)],
);

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"code":0,"msg":"success","data":4242}');
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const apiKey = 'bDqJFiq9';
const apiSecret = '7bz1lzh9';
const voice = createVoiceClient({ apiKey, apiSecret, baseUrl, onWarning: () => {} });

async function rawFetch(body: unknown): Promise<number> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${baseUrl}/voice/group/call/send/agent`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Api-Key': apiKey, Timestamp: timestamp, Sign: computeSign(apiKey, apiSecret, timestamp) },
    body: JSON.stringify(body),
  });
  const envelope = (await response.json()) as { code: number | string; data: number };
  if (Number(envelope.code) !== 0) throw new Error('refused');
  return envelope.data;
}

const small = bigTask(1);
const BATCH = 200;
await sideBySide(
  `2. ${BATCH} sequential calls, one-number task (loopback)`,
  ['voice.sendAgentGroupCall', async () => { for (let i = 0; i < BATCH; i++) await voice.sendAgentGroupCall(small as never); }],
  ['raw fetch + computeSign', async () => { for (let i = 0; i < BATCH; i++) await rawFetch(small); }],
);
await sideBySide(
  '3. One call with the 200,000-number task (loopback)',
  ['voice.sendAgentGroupCall (validates, warns, sends)', () => voice.sendAgentGroupCall(task as never)],
  ['raw fetch + computeSign', () => rawFetch(task)],
  Math.min(ROUNDS, 7),
);
server.close();
