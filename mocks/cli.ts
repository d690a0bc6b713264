#!/usr/bin/env node
// `itnio-voice-mock` (and `npm start`): the mock on 127.0.0.1:4010 with the docs at /docs, with the
// vendor's documented example credentials unless the environment says otherwise. Flags win over the
// environment; every setting has a default.
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import {
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_TASK_NAMES,
  DEFAULT_TIMESTAMP_WINDOW_SECONDS,
} from './engine/index.js';
import { startMockServer, type AnswerLog } from './http/server.js';
import { operationPaths } from '../generated/operations.js';
import { SDK_VERSION } from '../src/version.js';

const USAGE = `Usage: itnio-voice-mock [--port <n>] [--host <address>]

A local mock of the ITNIO TECH voice API, with its docs at /docs.

Options:
  -p, --port <n>        port to listen on (default 4010, or PORT; 0 picks a free one)
  -H, --host <address>  address to bind (default 127.0.0.1, or HOST)
  -v, --version         print the version
  -h, --help            print this help

Environment: ITNIO_MOCK_API_KEY, ITNIO_MOCK_API_SECRET, ITNIO_MOCK_TIMESTAMP_WINDOW (seconds or "off"),
ITNIO_MOCK_KEY_IDS (comma-separated), ITNIO_MOCK_MAX_BODY_BYTES, ITNIO_MOCK_MAX_TASK_NAMES,
ITNIO_MOCK_LOG ("off" silences the request log).`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let flags: { port?: string; host?: string; help?: boolean; version?: boolean };
try {
  flags = parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string', short: 'H' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`);
}
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}
if (flags.version) {
  console.log(SDK_VERSION);
  process.exit(0);
}

const env = process.env;

function count(name: string, raw: string | undefined, fallback: number, { min = 0 } = {}): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) fail(`${name} must be an integer of at least ${min}, not ${JSON.stringify(raw)}`);
  return value;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

const host = flags.host || env.HOST || '127.0.0.1';
const port = count(flags.port !== undefined ? '--port' : 'PORT', flags.port ?? env.PORT, 4010);
if (port > 65535) fail(`the port must be at most 65535, not ${port}`);
const apiKey = env.ITNIO_MOCK_API_KEY || DEFAULT_API_KEY;
const apiSecret = env.ITNIO_MOCK_API_SECRET || DEFAULT_API_SECRET;
const timestampWindowSeconds =
  env.ITNIO_MOCK_TIMESTAMP_WINDOW === 'off'
    ? Number.POSITIVE_INFINITY
    : count('ITNIO_MOCK_TIMESTAMP_WINDOW', env.ITNIO_MOCK_TIMESTAMP_WINDOW, DEFAULT_TIMESTAMP_WINDOW_SECONDS);
const maxBodyBytes = count('ITNIO_MOCK_MAX_BODY_BYTES', env.ITNIO_MOCK_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES);
const maxTaskNames = count('ITNIO_MOCK_MAX_TASK_NAMES', env.ITNIO_MOCK_MAX_TASK_NAMES, DEFAULT_MAX_TASK_NAMES, { min: 1 });
const quiet = env.ITNIO_MOCK_LOG === 'off';
const knownKeyIds = (env.ITNIO_MOCK_KEY_IDS ?? '')
  .split(',')
  .filter((id) => id.trim() !== '')
  .map((id) => count('ITNIO_MOCK_KEY_IDS', id.trim(), 0, { min: 1 }));

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
  mock = await startMockServer({ host, port, apiKey, apiSecret, timestampWindowSeconds, maxBodyBytes, knownKeyIds, maxTaskNames, ...(quiet ? {} : { onAnswer: log }) });
} catch (error) {
  console.error(`the mock could not start: ${(error as Error).message}`);
  process.exit(1);
}

const window = Number.isFinite(timestampWindowSeconds) ? `±${timestampWindowSeconds} s` : 'off';
// The vendor's documented example secret is public and worth printing; a secret of your own is not.
const shownSecret = apiSecret === DEFAULT_API_SECRET ? apiSecret : '(from ITNIO_MOCK_API_SECRET, not shown)';
console.log(
  [
    `itnio-voice mock listening on ${mock.url}`,
    ...Object.values(operationPaths).map((path) => `  POST ${mock.url}${path}`),
    `  docs ${mock.url}/docs   contract ${mock.url}/openapi.json, ${mock.url}/openapi.yaml`,
    `  any documented answer on demand: Prefer: example=<name> (e.g. taskNameExists). Ctrl-C stops.`,
    `  credentials: Api-Key ${apiKey}, secret ${shownSecret} (Sign = md5(apiKey + apiSecret + Timestamp)); timestamp window ${window}`,
  ].join('\n'),
);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) process.exit(1); // a second Ctrl-C means "now"
  stopping = true;
  console.log(`\n${signal}: stopping the mock`);
  mock.close().then(() => process.exit(0));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
