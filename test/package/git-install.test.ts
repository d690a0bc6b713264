// The README's other way to install before the package is on the registry: straight from git. npm clones
// the repository, installs its devDependencies, runs `prepare` and packs the result, so what lands in
// node_modules must be the same complete package as the tarball. Run against a git repository made from
// this working tree, with npm --offline: everything comes from the cache `npm ci` filled, nothing from
// the network.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanCopy } from '../support/copy.js';

const env = { ...process.env, npm_config_update_notifier: 'false', SCARF_ANALYTICS: 'false', REDOCLY_TELEMETRY: 'off', GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.invalid', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.invalid' };
let work: string;
let installed: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'itnio-git-install-'));
  const repo = cleanCopy(join(work, 'itnio-voice'), { linkNodeModules: false });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'snapshot of the working tree');

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', `git+file://${repo}`], { cwd: app, env, stdio: 'pipe' });
  installed = join(app, 'node_modules', 'itnio-voice');
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm install git+<repository>', () => {
  it('installs the built package: SDK, mock, contract and docs, no sources', () => {
    for (const file of ['dist/src/index.js', 'dist/mocks/index.js', 'dist/mocks/cli.js', 'dist/openapi.json', 'dist/openapi.yaml', 'dist/docs/index.html', 'LICENSE']) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    for (const folder of ['src', 'mocks', 'spec', 'test', 'node_modules']) expect(existsSync(join(installed, folder)), folder).toBe(false);
  });

  it('runs: the SDK imports, and the mock command answers --version', () => {
    const version = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', "const sdk = await import('itnio-voice'); const mock = await import('itnio-voice/mock'); console.log(typeof sdk.createVoiceClient, typeof mock.startMockServer)"], { cwd: join(work, 'app'), encoding: 'utf8' });
    expect(out.trim()).toBe('function function');
    expect(execFileSync(join(work, 'app', 'node_modules', '.bin', 'itnio-voice-mock'), ['--version'], { encoding: 'utf8' }).trim()).toBe(version);
  });
});
