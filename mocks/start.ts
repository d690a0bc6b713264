// `npm start`: the mock on 127.0.0.1:4010 (PORT, HOST), with the vendor's documented example credentials
// unless ITNIO_MOCK_API_KEY / ITNIO_MOCK_API_SECRET say otherwise. `npm start` bundles the contract (and
// builds the docs) before this runs.
import { isIP } from 'node:net';
import {
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_TASK_NAMES,
  DEFAULT_TIMESTAMP_WINDOW_SECONDS,
  startMockServer,
  type AnswerLog,
} from './server.js';

const env = process.env;

function numberFromEnv(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (name === 'ITNIO_MOCK_TIMESTAMP_WINDOW' && raw === 'off') return Number.POSITIVE_INFINITY;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`${name} must be a non-negative number, not ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

const host = env.HOST || '127.0.0.1';
const port = numberFromEnv('PORT', 4010);
const apiKey = env.ITNIO_MOCK_API_KEY || DEFAULT_API_KEY;
const apiSecret = env.ITNIO_MOCK_API_SECRET || DEFAULT_API_SECRET;
const timestampWindowSeconds = numberFromEnv('ITNIO_MOCK_TIMESTAMP_WINDOW', DEFAULT_TIMESTAMP_WINDOW_SECONDS);
const maxBodyBytes = numberFromEnv('ITNIO_MOCK_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES);
const maxTaskNames = numberFromEnv('ITNIO_MOCK_MAX_TASK_NAMES', DEFAULT_MAX_TASK_NAMES);
if (!Number.isSafeInteger(maxTaskNames) || maxTaskNames < 1) {
  console.error(`ITNIO_MOCK_MAX_TASK_NAMES must be a positive integer, not ${JSON.stringify(env.ITNIO_MOCK_MAX_TASK_NAMES)}`);
  process.exit(2);
}
const quiet = env.ITNIO_MOCK_LOG === 'off';
const spec = env.ITNIO_MOCK_SPEC || undefined; // default: dist/openapi.json
const knownKeyIds = (env.ITNIO_MOCK_KEY_IDS ?? '')
  .split(',')
  .filter((id) => id.trim() !== '')
  .map((id) => {
    const keyId = Number(id);
    if (!Number.isInteger(keyId) || keyId < 1) {
      console.error(`ITNIO_MOCK_KEY_IDS must be comma-separated positive integers, not ${JSON.stringify(id)}`);
      process.exit(2);
    }
    return keyId;
  });

if (!isLoopback(host)) {
  console.warn(
    `warning: binding to ${host}, not loopback: anyone who can reach this machine can call the mock, ` +
      `and the test credentials below are public.`,
  );
}

const log = (answer: AnswerLog) =>
  console.log(
    `${answer.method} ${answer.path} -> ${answer.status}${answer.code !== undefined ? ` code ${answer.code}` : ''} (${answer.reason}, ${answer.ms.toFixed(1)} ms)`,
  );

let mock;
try {
  mock = await startMockServer({ host, port, apiKey, apiSecret, timestampWindowSeconds, maxBodyBytes, knownKeyIds, maxTaskNames, ...(spec ? { spec } : {}), ...(quiet ? {} : { onAnswer: log }) });
} catch (error) {
  console.error(`the mock could not start: ${(error as Error).message}`);
  process.exit(1);
}

const window = Number.isFinite(timestampWindowSeconds) ? `±${timestampWindowSeconds} s` : 'off';
console.log(`itnio-voice mock listening on ${mock.url}`);
console.log(`  POST ${mock.url}/voice/group/call/send/agent`);
console.log(`  POST ${mock.url}/voice/recallFlow/update`);
console.log(`  docs ${mock.url}/docs   contract ${mock.url}/openapi.json, ${mock.url}/openapi.yaml`);
// The vendor's documented example secret is public and worth printing; a secret of your own is not.
const shownSecret = apiSecret === DEFAULT_API_SECRET ? apiSecret : '(from ITNIO_MOCK_API_SECRET, not shown)';
console.log(`  credentials: Api-Key ${apiKey}, secret ${shownSecret} (Sign = md5(apiKey + apiSecret + Timestamp)); timestamp window ${window}`);
console.log(`  any documented answer on demand: Prefer: example=<name> (e.g. taskNameExists). Ctrl-C stops.`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) process.exit(1); // a second Ctrl-C means "now"
  stopping = true;
  console.log(`\n${signal}: stopping the mock`);
  mock.close().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
