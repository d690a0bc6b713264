// `npm run bench:build` (not a test): seconds of `npm run build` (bundle, compile, docs) from a clean
// tree: the repository copied without node_modules, dist or git history into a temp dir, node_modules
// symlinked (installing is not building). The whole build, then a second run with nothing to do (what
// `npm start` pays when dist/ is up to date), then each step alone, and `npm run generate`.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', 'dist', '.git', 'coverage', '.vitest-report.json']);
const dir = mkdtempSync(join(tmpdir(), 'itnio-build-'));
let failed = false;
try {
  cpSync(root, dir, { recursive: true, filter: (source) => source === root || !SKIP.has(basename(source)) });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const time = (script: string, ...args: string[]): number => {
    const started = performance.now();
    const run = spawnSync(npm, ['run', '-s', script, ...(args.length ? ['--', ...args] : [])], { cwd: dir, env: { ...process.env, SCARF_ANALYTICS: 'false' }, encoding: 'utf8' });
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 0) {
      failed = true;
      console.log(`  ${script} FAILED (${run.status}):\n${(run.stdout + run.stderr).slice(-2000)}`);
    }
    return seconds;
  };
  console.log(`npm run build from a clean copy (${dir}), Node ${process.version}`);
  const whole = time('build');
  const again = time('build');
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const steps = ['bundle', 'compile', 'docs'].map((step) => [step, time('build', step)] as const);
  const generate = time('generate');
  console.log(`  npm run build: ${whole.toFixed(1)} s; again with nothing changed: ${again.toFixed(2)} s`);
  console.log(`  then step by step: ${steps.map(([s, t]) => `${s} ${t.toFixed(1)} s`).join(', ')} (sum ${steps.reduce((a, [, t]) => a + t, 0).toFixed(1)} s); npm run generate: ${generate.toFixed(1)} s`);
  const size = execFileSync('du', ['-sh', join(dir, 'dist')], { encoding: 'utf8' }).split('\t')[0];
  console.log(`  dist/: ${size}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
