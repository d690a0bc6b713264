#!/usr/bin/env node
// `itnio-voice-mock` (and `npm start`): the mock on 127.0.0.1:4010 with the docs at /docs, with the
// vendor's documented example credentials unless the environment says otherwise. Flags win over the
// environment; every setting has a default.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DEFAULT_API_KEY,
  DEFAULT_API_SECRET,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_REQUESTS,
  DEFAULT_MAX_TASK_NAMES,
  DEFAULT_TIMESTAMP_WINDOW_SECONDS,
  MockControlError,
  type MockStateBody,
} from './engine/index.js';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  isLoopback,
  type ListenOptions,
} from './http/limits.js';
import { startMockServer } from './http/server.js';
import { requestLog } from './request-log.js';
import { DEFAULT_MAX_VIOLATIONS, startProxyServer } from './proxy/server.js';
import { operationPaths } from '../generated/operations.js';
import { SDK_VERSION } from '../src/version.js';

const USAGE = `Usage: itnio-voice-mock [options]

A local mock of the ITNIO TECH voice API, with its docs at /docs and a control API at /__mock.

Options (each also an environment variable):
  -p, --port <n>          port to listen on (PORT; default 4010; 0 picks a free one)
  -H, --host <address>    address to bind (HOST; default 127.0.0.1)
      --auth on|off       check the signature, or accept unsigned requests (ITNIO_MOCK_AUTH; default on)
      --world <file>      start from this state: {"agents":[{"agentId":41,"scenario":"debtCollection"}],
                          "keyIds":[…],"taskNames":[…]} (ITNIO_MOCK_WORLD)
      --latency <ms>      delay every API answer (ITNIO_MOCK_LATENCY_MS; default 0)
      --first-key-id <n>  the first keyId a new task gets (ITNIO_MOCK_FIRST_KEY_ID; default 123124)
      --journal <n>       requests the journal keeps (ITNIO_MOCK_MAX_REQUESTS; default 1000)
      --control on|off    the control API under /__mock (ITNIO_MOCK_CONTROL; default on for a loopback host only)
      --proxy <upstream>  be a contract-check proxy instead: forward every API request to <upstream> (e.g.
                          https://api.itniotech.com) and report where it and the contract disagree at
                          /__mock/drift and as JSON lines on stdout (ITNIO_MOCK_PROXY)
      --fail-on-drift     with --proxy: exit 1 at shutdown if anything drifted (for CI)
      --max-violations <n> with --proxy: violations the report keeps (default 1000)
  -v, --version           print the version
  -h, --help              print this help

Environment only: ITNIO_MOCK_API_KEY, ITNIO_MOCK_API_SECRET, ITNIO_MOCK_TIMESTAMP_WINDOW (seconds or "off"),
ITNIO_MOCK_KEY_IDS (comma-separated), ITNIO_MOCK_MAX_BODY_BYTES, ITNIO_MOCK_MAX_TASK_NAMES,
ITNIO_MOCK_LOG ("off" silences the request log).
Connection limits, environment only: ITNIO_MOCK_REQUEST_TIMEOUT_MS (a whole request; default ${DEFAULT_REQUEST_TIMEOUT_MS}),
ITNIO_MOCK_IDLE_TIMEOUT_MS (silence in either direction; ${DEFAULT_IDLE_TIMEOUT_MS}), ITNIO_MOCK_KEEP_ALIVE_TIMEOUT_MS
(between requests; ${DEFAULT_KEEP_ALIVE_TIMEOUT_MS}), ITNIO_MOCK_MAX_CONNECTIONS (${DEFAULT_MAX_CONNECTIONS}),
ITNIO_MOCK_MAX_BODY_BYTES_IN_FLIGHT (request bodies held at once; default 4 × the larger of the body limit
and 16 MiB, 256 MiB; not in proxy mode).`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let flags: Partial<Record<'port' | 'host' | 'auth' | 'world' | 'latency' | 'first-key-id' | 'journal' | 'control' | 'proxy' | 'max-violations', string>> & {
  help?: boolean;
  version?: boolean;
  'fail-on-drift'?: boolean;
};
try {
  flags = parseArgs({
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string', short: 'H' },
      auth: { type: 'string' },
      world: { type: 'string' },
      latency: { type: 'string' },
      'first-key-id': { type: 'string' },
      journal: { type: 'string' },
      control: { type: 'string' },
      proxy: { type: 'string' },
      'fail-on-drift': { type: 'boolean' },
      'max-violations': { type: 'string' },
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

/** A flag, else its environment variable: [the name to show in an error, the value]. */
function setting(flag: keyof typeof flags, variable: string): [string, string | undefined] {
  const value = flags[flag];
  return value !== undefined ? [`--${flag}`, String(value)] : [variable, env[variable]];
}

function onOff(name: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'on' || raw === 'off') return raw === 'on';
  fail(`${name} must be "on" or "off", not ${JSON.stringify(raw)}`);
}

/** The starting state of --world: a MockState document (agents, and optionally keyIds and taskNames). */
function readWorld(name: string, file: string | undefined): MockStateBody {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`${name}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text) as MockStateBody;
  } catch (error) {
    fail(`${name}: ${file} is not JSON (${(error as Error).message})`);
  }
}

const host = flags.host || env.HOST || '127.0.0.1';
const port = count(...setting('port', 'PORT'), 4010);
if (port > 65535) fail(`the port must be at most 65535, not ${port}`);
const apiKey = env.ITNIO_MOCK_API_KEY || DEFAULT_API_KEY;
const apiSecret = env.ITNIO_MOCK_API_SECRET || DEFAULT_API_SECRET;
const timestampWindowSeconds =
  env.ITNIO_MOCK_TIMESTAMP_WINDOW === 'off'
    ? Number.POSITIVE_INFINITY
    : count('ITNIO_MOCK_TIMESTAMP_WINDOW', env.ITNIO_MOCK_TIMESTAMP_WINDOW, DEFAULT_TIMESTAMP_WINDOW_SECONDS);
const maxBodyBytes = count('ITNIO_MOCK_MAX_BODY_BYTES', env.ITNIO_MOCK_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES);
const maxTaskNames = count('ITNIO_MOCK_MAX_TASK_NAMES', env.ITNIO_MOCK_MAX_TASK_NAMES, DEFAULT_MAX_TASK_NAMES, { min: 1 });
// The connection limits (see http/limits.ts): for a slow link, a client paused in a debugger, a load test.
const limits: ListenOptions = {
  requestTimeoutMs: count('ITNIO_MOCK_REQUEST_TIMEOUT_MS', env.ITNIO_MOCK_REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, { min: 1 }),
  idleTimeoutMs: count('ITNIO_MOCK_IDLE_TIMEOUT_MS', env.ITNIO_MOCK_IDLE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, { min: 1 }),
  keepAliveTimeoutMs: count('ITNIO_MOCK_KEEP_ALIVE_TIMEOUT_MS', env.ITNIO_MOCK_KEEP_ALIVE_TIMEOUT_MS, DEFAULT_KEEP_ALIVE_TIMEOUT_MS, { min: 1 }),
  maxConnections: count('ITNIO_MOCK_MAX_CONNECTIONS', env.ITNIO_MOCK_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS, { min: 1 }),
};
const maxBodyBytesInFlight = env.ITNIO_MOCK_MAX_BODY_BYTES_IN_FLIGHT ? count('ITNIO_MOCK_MAX_BODY_BYTES_IN_FLIGHT', env.ITNIO_MOCK_MAX_BODY_BYTES_IN_FLIGHT, 0, { min: 1 }) : undefined;
if (maxBodyBytesInFlight !== undefined && maxBodyBytesInFlight < maxBodyBytes) {
  fail(`ITNIO_MOCK_MAX_BODY_BYTES_IN_FLIGHT (${maxBodyBytesInFlight}) must be at least the body limit, ITNIO_MOCK_MAX_BODY_BYTES (${maxBodyBytes}): no body at the limit could ever be read`);
}
const quiet = env.ITNIO_MOCK_LOG === 'off';
const auth = onOff(...setting('auth', 'ITNIO_MOCK_AUTH')) === false ? 'off' : 'on';
const control = onOff(...setting('control', 'ITNIO_MOCK_CONTROL')) ?? isLoopback(host);
const latencyMs = count(...setting('latency', 'ITNIO_MOCK_LATENCY_MS'), 0);
const maxRequests = count(...setting('journal', 'ITNIO_MOCK_MAX_REQUESTS'), DEFAULT_MAX_REQUESTS);
const [firstKeyIdName, firstKeyIdRaw] = setting('first-key-id', 'ITNIO_MOCK_FIRST_KEY_ID');
const firstKeyId = firstKeyIdRaw ? count(firstKeyIdName, firstKeyIdRaw, 1, { min: 1 }) : undefined;
const world = readWorld(...setting('world', 'ITNIO_MOCK_WORLD'));
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

let stopping = false;
/** Stops on the first SIGINT or SIGTERM (a second one means "now"), with the exit code `finish` gives. */
function stopOn(close: () => Promise<void>, finish: () => number = () => 0, before: () => void = () => {}): void {
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    before();
    console.log(`\n${signal}: stopping the mock`);
    close().then(() => process.exit(finish()));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const [, proxyUpstream] = setting('proxy', 'ITNIO_MOCK_PROXY');
if (proxyUpstream) {
  const maxViolations = count(...setting('max-violations', 'ITNIO_MOCK_MAX_VIOLATIONS'), DEFAULT_MAX_VIOLATIONS);
  let proxy;
  try {
    proxy = await startProxyServer({
      upstream: proxyUpstream,
      host,
      port,
      ...limits,
      control,
      maxBodyBytes,
      ...(maxBodyBytesInFlight === undefined ? {} : { maxBodyBytesInFlight }),
      maxViolations,
      onViolation: (violation) => console.log(JSON.stringify({ drift: violation })),
    });
  } catch (error) {
    console.error(`the proxy could not start: ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(
    [
      `itnio-voice contract-check proxy listening on ${proxy.url}, forwarding to ${proxy.upstream}`,
      ...Object.values(operationPaths).map((path) => `  POST ${proxy.url}${path} -> ${proxy.upstream}${path}`),
      proxy.control ? `  drift report ${proxy.url}/__mock/drift (and one JSON line per violation here)` : '  drift report off (not on a loopback address); violations are logged here',
      `  requests and answers pass unchanged; your own credentials sign them. Ctrl-C stops${flags['fail-on-drift'] ? ', with exit code 1 if anything drifted' : ''}.`,
    ].join('\n'),
  );
  stopOn(proxy.close, () => {
    const { checked, violationsTotal } = proxy.drift();
    console.log(`drift: ${checked} exchange(s) checked, ${violationsTotal} violation(s)`);
    return flags['fail-on-drift'] && violationsTotal > 0 ? 1 : 0;
  });
} else {
  await startMock();
}

/** The mock itself: the engine over HTTP, with the banner and the request log. */
async function startMock(): Promise<void> {
  const log = requestLog((text) => process.stdout.write(text));

  let mock;
  try {
    mock = await startMockServer({
      host,
      port,
      ...limits,
      ...(maxBodyBytesInFlight === undefined ? {} : { maxBodyBytesInFlight }),
      auth,
      apiKey,
      apiSecret,
      timestampWindowSeconds,
      maxBodyBytes,
      knownKeyIds: [...knownKeyIds, ...(world.keyIds ?? [])],
      taskNames: world.taskNames ?? [],
      agents: world.agents ?? [],
      maxTaskNames,
      latencyMs,
      maxRequests,
      control,
      ...(firstKeyId === undefined ? {} : { firstKeyId }),
      ...(quiet ? {} : { onAnswer: log.answer }),
    });
  } catch (error) {
    if (error instanceof MockControlError) fail(`the world file does not describe a state: ${error.message}`);
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
      mock.control ? `  control API ${mock.url}/__mock (journal, reset, state, faults)` : `  control API off (not on a loopback address; --control on to switch it on)`,
      world.agents?.length ? `  world: ${world.agents.length} agent(s) from ${setting('world', 'ITNIO_MOCK_WORLD')[1]}` : `  world: open (every agentId accepted)`,
      auth === 'off'
        ? `  credentials: none needed (auth off: unsigned requests are accepted)`
        : `  credentials: Api-Key ${apiKey}, secret ${shownSecret} (Sign = md5(apiKey + apiSecret + Timestamp)); timestamp window ${window}`,
    ].join('\n'),
  );

  stopOn(mock.close, undefined, log.flush);
}
