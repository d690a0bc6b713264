// `npm run bench:start` (not a test): how fast the mock a user installs is ready, and how much memory it
// holds idle, beside the Prism CLI on the same contract, measured in this run, alternating runs.
// - cold start: from spawning the installed package's `itnio-voice-mock` to its first answered signed
//   request (a new process each run), and the same for `prism mock` answering its first request;
// - idle RSS of each, one second after that first answer;
// - `npm start` in this (built) repository to its first answer.
// The package is packed from this checkout and installed into a temp project first, as a user gets it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signRequest } from '../src/sign.js';
import { API_KEY, API_SECRET } from '../test/support/credentials.js';
import { freePort } from '../test/support/net.js';
import { operationPaths } from '../generated/operations.js';

const root = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.START_RUNS ?? 7);
const env = { ...process.env, npm_config_update_notifier: 'false', SCARF_ANALYTICS: 'false', NO_COLOR: '1' };
const task = JSON.stringify({ appId: '2Xql9RBI', taskName: 'Cold start', agentId: 41, numberInfoList: [{ calleeNumber: '6281234567890' }] });

/** Sends the signed task until something answers it with HTTP 200; the time since `started`, in ms. */
async function firstAnswer(port: number, started: number, child: ChildProcess, headers: Record<string, string> = {}): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}${operationPaths.sendAgentGroupCall}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signRequest(API_KEY, API_SECRET, Math.floor(Date.now() / 1000)), ...headers },
        body: task,
      });
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

interface Run { ms: number; rss: number }

async function measure(command: string, args: (port: number) => string[], options: { cwd: string; headers?: Record<string, string>; rss?: boolean; envExtra?: (port: number) => Record<string, string> }): Promise<Run> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args(port), { cwd: options.cwd, env: { ...env, ...options.envExtra?.(port) }, stdio: ['ignore', 'ignore', 'ignore'] });
  try {
    const ms = await firstAnswer(port, started, child, options.headers);
    let rss = Number.NaN;
    if (options.rss !== false) {
      await new Promise((r) => setTimeout(r, 1_000));
      rss = rssMiB(child.pid!);
    }
    return { ms, rss };
  } finally {
    await stop(child);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const work = mkdtempSync(join(tmpdir(), 'itnio-bench-start-'));
try {
  console.log(`Installing the packed package into ${work} …`);
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, env, stdio: 'ignore' });
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'bench-app', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename)], { cwd: app, env, stdio: 'ignore' });
  const mockBin = join(app, 'node_modules', '.bin', 'itnio-voice-mock');
  const prismBin = join(root, 'node_modules', '.bin', 'prism');
  const contract = join(app, 'node_modules', 'itnio-voice', 'dist', 'openapi.json');

  const mock: Run[] = [];
  const prism: Run[] = [];
  const npmStart: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    mock.push(await measure(mockBin, (port) => ['--port', String(port)], { cwd: app, envExtra: () => ({ ITNIO_MOCK_LOG: 'off' }) }));
    // Prism validates the body and checks that the signing headers are present; it answers the example.
    prism.push(await measure(prismBin, (port) => ['mock', '-v', 'error', '-h', '127.0.0.1', '-p', String(port), contract], { cwd: app }));
    npmStart.push(await measure('npm', () => ['start'], { cwd: root, rss: false, envExtra: (port) => ({ PORT: String(port), ITNIO_MOCK_LOG: 'off' }) }));
  }

  const row = (name: string, runs: Run[]) =>
    `  ${name.padEnd(44)} first answer ${median(runs.map((r) => r.ms)).toFixed(0).padStart(5)} ms (median of ${runs.length}; ${Math.min(...runs.map((r) => r.ms)).toFixed(0)}–${Math.max(...runs.map((r) => r.ms)).toFixed(0)})` +
    (Number.isNaN(runs[0]!.rss) ? '' : `, idle RSS ${median(runs.map((r) => r.rss)).toFixed(0)} MiB`);
  console.log(`\nCold start on Node ${process.version}, loopback, ${RUNS} alternating runs each:`);
  console.log(row('itnio-voice-mock (installed package)', mock));
  console.log(row('Prism CLI 5.14 (prism mock -v error)', prism));
  console.log(row('npm start (this repository, built)', npmStart));
  const m = median(mock.map((r) => r.ms));
  const p = median(prism.map((r) => r.ms));
  const rss = median(mock.map((r) => r.rss));
  const s = median(npmStart.map((r) => r.ms));
  console.log(`\nitnio-voice-mock vs Prism CLI: ${(m / p).toFixed(2)}× the time to a first answer, ${(rss / median(prism.map((r) => r.rss))).toFixed(2)}× the idle RSS`);
  console.log(`Targets: cold start < 300 ms (${m < 300 ? 'met' : 'NOT met'}), idle RSS < 80 MiB (${rss < 80 ? 'met' : 'NOT met'}), npm start < 1 s (${s < 1000 ? 'met' : 'NOT met'})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
