// `npm run bench`: every benchmark in sequence, each in its own process so none inherits another's heap
// or event loop: sdk, mock, start, proxy, load (LOAD_SECONDS, default 10 here), faults, build. Prints each one's
// figures as it runs and a one-line verdict per benchmark at the end; exits non-zero if any failed.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const env = { ...process.env, LOAD_SECONDS: process.env.LOAD_SECONDS ?? '10' };
const steps: [string, string[]][] = [
  ['sdk', ['--import', 'tsx', 'bench/sdk.ts']],
  ['mock', ['--import', 'tsx', 'bench/mock.ts']],
  ['start', ['--import', 'tsx', 'bench/start.ts']],
  ['proxy', ['--import', 'tsx', 'bench/proxy.ts']],
  ['load', ['--experimental-websocket', '--import', 'tsx', 'bench/load.ts']], // WebSocket: the mock's inspector
  ['faults', ['--import', 'tsx', 'bench/faults.ts']],
  ['build', ['--import', 'tsx', 'bench/build.ts']],
];
const verdicts: string[] = [];
for (const [name, args] of steps) {
  console.log(`\n=== bench:${name} ${'='.repeat(60)}\n`);
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  verdicts.push(`${name.padEnd(7)} ${run.status === 0 ? 'ok' : `FAILED (${run.status ?? run.signal})`} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
console.log(`\n=== summary ${'='.repeat(60)}\n${verdicts.join('\n')}`);
if (verdicts.some((v) => v.includes('FAILED'))) process.exitCode = 1;
