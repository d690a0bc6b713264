// The README's commands, run as a newcomer runs them, in a copy of the repository so they can rebuild
// dist/ without disturbing the suites that read it.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../support/contract.js';
import { cleanCopy } from '../support/copy.js';

const run = promisify(execFile);
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const shellBlocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
const env = { ...process.env, SCARF_ANALYTICS: 'false', REDOCLY_TELEMETRY: 'off', NO_COLOR: '1', npm_config_update_notifier: 'false' };

let copy: string;
beforeAll(() => {
  copy = cleanCopy(mkdtempSync(join(tmpdir(), 'itnio-readme-')));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('every npm command in the README exists', () => {
  const scripts = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts);
  const named = [...readme.matchAll(/npm (?:run (?:-s )?([\w:]+)|(start|test))/g)].map((m) => m[1] ?? m[2]!);

  it('the README names npm scripts', () => expect(named.length).toBeGreaterThan(5));
  it.each([...new Set(named)])('npm %s', (name) => expect(scripts).toContain(name));
  it('the two set-up commands come first', () => {
    expect(shellBlocks[0]).toMatch(/^npm ci && npm start .*\nnpm ci && npm test /);
  });
});

describe('the README commands work', () => {
  it('npm run lint reports nothing', async () => {
    const { stdout } = await run('npm', ['run', 'lint'], { cwd: copy, env, maxBuffer: 1 << 24 });
    expect(stdout).toContain('No results with a severity');
  });

  it('npm run generate writes what is committed', async () => {
    await run('npm', ['run', '-s', 'generate'], { cwd: copy, env });
    const status = execFileSync('git', ['diff', '--no-index', '--stat', join(root, 'generated'), join(copy, 'generated')], { encoding: 'utf8' }).trim();
    expect(status).toBe('');
  });

  // Benchmarks print figures and are never judged on time here; these two also check behaviour.
  it('npm run bench:faults: one typed error and one request per fault, no unhandled rejection', async () => {
    const { stdout } = await run('npm', ['run', '-s', 'bench:faults'], { cwd: copy, env, maxBuffer: 1 << 24 });
    expect(stdout).toContain('unhandled rejections: 0');
    expect(stdout.match(/1 request\(s\) reached the server/g)).toHaveLength(8);
  });

  it('npm run bench:load (2 s): no failed request, the live heap is read, and the 200k task figures print', async () => {
    const { stdout } = await run('npm', ['run', '-s', 'bench:load'], { cwd: copy, env: { ...env, LOAD_SECONDS: '2' }, maxBuffer: 1 << 24 });
    expect(stdout).toMatch(/failures: .* → none/);
    expect(stdout).toMatch(/mock live heap after a full GC: start \d+\.\d, half way \d+\.\d, end \d+\.\d MiB/);
    expect(stdout).toMatch(/every number invalid .* 50 findings of 10000/); // counting stops at 10,000 (MAX_COUNTED_FINDINGS)
  });

  describe('PORT=0 npm start, then the README curl against it', () => {
    type Started = { child: ChildProcess; url: string; output: () => string };
    let running: Started;
    let url: string;
    let output = '';

    /** `npm start` in the copy; resolves with its URL once the whole banner is out. */
    function start(): Promise<Started> {
      let text = '';
      // Its own process group, as a terminal gives it: Ctrl-C signals the group.
      const child = spawn('npm', ['start'], { cwd: copy, env: { ...env, PORT: '0' }, detached: true });
      child.stdout!.on('data', (chunk) => (text += chunk));
      child.stderr!.on('data', (chunk) => (text += chunk));
      return new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`npm start did not listen:\n${text}`)), 110_000);
        child.stdout!.on('data', () => {
          const found = text.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
          // The banner ends with the credentials line; wait for all of it.
          if (found && text.includes('credentials:')) {
            clearTimeout(timer);
            done({ child, url: found[1]!, output: () => text });
          }
        });
        child.on('exit', (code) => fail(new Error(`npm start exited with ${code}:\n${text}`)));
      });
    }

    beforeAll(async () => {
      // As on a fresh clone: nothing built yet (the commands above built dist/ in the copy).
      rmSync(join(copy, 'dist'), { recursive: true, force: true });
      running = await start();
      url = running.url;
      output = running.output();
    }, 120_000);

    afterAll(() => {
      // npm runs the server as its child: end the whole group, whatever the tests left running.
      if (running?.child.pid) {
        try {
          process.kill(-running.child.pid, 'SIGKILL');
        } catch {}
      }
    });

    it('builds what it serves once, quietly: before the banner only npm\'s header and its own step lines', () => {
      const before = output.slice(0, output.indexOf('itnio-voice mock listening on')).split('\n');
      // npm's `> itnio-voice@… start` / `> exec node …` header, `build: <step> (N ms)`, blank lines; nothing else.
      expect(before.filter((line) => !/^(?:> .*|build: [a-z]+ \(\d+ ms\)|)$/.test(line))).toEqual([]);
      expect(before.filter((line) => line.startsWith('> '))).toHaveLength(2);
      expect(before.filter((line) => line.startsWith('build: ')).map((line) => line.split(' ')[1])).toEqual(['bundle', 'compile', 'docs']);
    });

    it('prints where it listens and the credentials it accepts', () => {
      expect(output).toContain('credentials: Api-Key bDqJFiq9, secret 7bz1lzh9');
    });

    it('serves the docs page it built', async () => {
      const page = await fetch(`${url}/docs`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('ITNIO TECH Voice API');
    });

    it('answers the README curl example with code 0, and its Prefer variant with -41', async () => {
      const block = shellBlocks.find((b) => b.includes('curl -s http://127.0.0.1:4010/voice/group/call/send/agent'))!;
      const script = block.replaceAll('http://127.0.0.1:4010', url);
      const { stdout } = await run('bash', ['-c', script], { env });
      expect(JSON.parse(stdout)).toMatchObject({ code: '0', msg: 'success' });
      const prefer = script.replace("-H 'Content-Type", "-H 'Prefer: example=taskNameExists' -H 'Content-Type");
      const { stdout: refused } = await run('bash', ['-c', prefer], { env });
      expect(JSON.parse(refused)).toMatchObject({ code: -41, msg: 'Task name already exists' });
    });

    /**
     * Sends `signal` to npm start (npm alone, or its whole process group as a terminal's Ctrl-C does) and
     * resolves with npm's exit code once it has exited, after checking nothing of it outlived it.
     */
    async function stop({ child, url }: Started, signal: NodeJS.Signals, group: boolean): Promise<number | null> {
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      process.kill(group ? -child.pid! : child.pid!, signal);
      const code = await exited;
      // The mock ran as npm's child in npm's process group: no process of that group is left, and its port is closed.
      expect(() => process.kill(-child.pid!, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
      await expect(fetch(`${url}/openapi.json`)).rejects.toThrow();
      return code;
    }

    it('stops the mock when npm start itself gets SIGTERM, and starts again without rebuilding', async () => {
      const stopped = running;
      expect(await stop(stopped, 'SIGTERM', false)).toBe(0); // npm only, as a process manager would
      expect(stopped.output()).toContain('SIGTERM: stopping the mock');
      running = await start();
      expect(running.output()).not.toMatch(/^build:/m);
      expect((await fetch(`${running.url}/openapi.json`)).status).toBe(200);
    }, 120_000);

    it.each([
      ['to npm alone', false],
      ['to its process group, as Ctrl-C in a terminal', true],
    ])('stops the mock on SIGINT %s, exiting 0', async (_, group) => {
      const stopped = running;
      // A request first, so the mock holds a kept-alive connection when the signal comes.
      expect((await fetch(`${stopped.url}/openapi.json`)).status).toBe(200);
      expect(await stop(stopped, 'SIGINT', group)).toBe(0);
      expect(stopped.output()).toContain('SIGINT: stopping the mock');
      expect(stopped.output()).not.toMatch(/npm error/);
      running = await start();
    }, 120_000);
  });
});
