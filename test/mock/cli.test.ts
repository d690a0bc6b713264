// `npm start`'s entry as a user runs it: what it prints, that it answers, and that it stops cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../support/contract.js';
import { signed, SEND } from './harness.js';

function run(env: Record<string, string>, args: string[] = []): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mocks/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!condition()) throw new Error(`never saw ${what}`);
}

describe('mocks/cli.ts (the itnio-voice-mock command)', () => {
  it('prints where it listens and the credentials, answers, logs the answer, and stops on SIGTERM', async () => {
    const mock = run({ ITNIO_MOCK_API_KEY: 'cli-key', ITNIO_MOCK_API_SECRET: 'cli-secret' });
    try {
      await until(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(mock.output()), 'the address');
      const url = /listening on (http:\/\/\S+)/.exec(mock.output())![1]!;
      // The banner arrives in several writes; its last line holds the credentials.
      await until(() => mock.output().includes('credentials:'), 'the credentials line');
      expect(mock.output()).toContain('Api-Key cli-key, secret (from ITNIO_MOCK_API_SECRET, not shown)');
      expect(mock.output()).not.toContain('cli-secret');
      const answer = await fetch(url + SEND, { method: 'POST', headers: { 'content-type': 'application/json', ...signed(undefined, 'cli-key', 'cli-secret') }, body: '{}' });
      expect((await answer.json()).code).toBe(-22);
      await until(() => mock.output().includes(`POST ${SEND} -> 200 code -22`), 'the request log line');
      mock.child.kill('SIGTERM');
      expect(await mock.exited).toBe(0);
      expect(mock.output()).toContain('SIGTERM: stopping the mock');
    } finally {
      mock.child.kill('SIGKILL');
    }
  });

  it('warns before binding to a host that is not loopback, and fails cleanly when it cannot', async () => {
    // 192.0.2.1 is TEST-NET-1: never this machine's, so nothing is exposed and binding fails.
    const mock = run({ HOST: '192.0.2.1' });
    expect(await mock.exited).toBe(1);
    expect(mock.output()).toMatch(/warning: binding to 192\.0\.2\.1, not loopback/);
    expect(mock.output()).toContain('the mock could not start');
  });

  it('remembers only ITNIO_MOCK_MAX_TASK_NAMES task names, and refuses a cap that is not a positive integer', async () => {
    const mock = run({ ITNIO_MOCK_MAX_TASK_NAMES: '1', ITNIO_MOCK_LOG: 'off' });
    try {
      await until(() => mock.output().includes('credentials:'), 'the banner');
      const url = /listening on (http:\/\/\S+)/.exec(mock.output())![1]!;
      const send = async (taskName: string) => {
        const body = JSON.stringify({ appId: '2Xql9RBI', taskName, agentId: 41, numberInfoList: [{ calleeNumber: '460000000001' }] });
        const answer = await fetch(url + SEND, { method: 'POST', headers: { 'content-type': 'application/json', ...signed() }, body });
        return (await answer.json()).code;
      };
      expect([await send('first'), await send('first'), await send('second'), await send('first')]).toEqual(['0', -41, '0', '0']);
    } finally {
      mock.child.kill('SIGKILL');
    }
    const refused = run({ ITNIO_MOCK_MAX_TASK_NAMES: '0' });
    expect(await refused.exited).toBe(2);
    expect(refused.output()).toContain('ITNIO_MOCK_MAX_TASK_NAMES must be an integer of at least 1, not "0"');
  });

  it('takes --port and --host over PORT and HOST, and says so when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const port = (taken.address() as { port: number }).port;
    try {
      const mock = run({ PORT: '1', HOST: '192.0.2.1' }, ['--port', String(port), '--host', '127.0.0.1']);
      expect(await mock.exited).toBe(1);
      expect(mock.output()).toContain('the mock could not start');
      expect(mock.output()).toContain('EADDRINUSE');
      expect(mock.output()).not.toContain('192.0.2.1');
    } finally {
      taken.close();
    }
  });

  it('stops cleanly on SIGINT (Ctrl-C) too', async () => {
    const mock = run({ ITNIO_MOCK_LOG: 'off' });
    try {
      await until(() => mock.output().includes('credentials:'), 'the banner');
      mock.child.kill('SIGINT');
      expect(await mock.exited).toBe(0);
      expect(mock.output()).toContain('SIGINT: stopping the mock');
    } finally {
      mock.child.kill('SIGKILL');
    }
  });

  it('--auth off, --world, --first-key-id and --control: unsigned calls against a known world, its keyIds and the banner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-cli-world-'));
    const world = join(dir, 'world.json');
    writeFileSync(world, JSON.stringify({ agents: [{ agentId: 41, scenario: 'marketing' }], taskNames: ['Taken'] }));
    const mock = run({ ITNIO_MOCK_LOG: 'off' }, ['--auth', 'off', '--world', world, '--first-key-id', '500', '--control', 'off']);
    try {
      await until(() => mock.output().includes('credentials:'), 'the banner');
      expect(mock.output()).toContain('credentials: none needed (auth off');
      expect(mock.output()).toContain(`world: 1 agent(s) from ${world}`);
      expect(mock.output()).toContain('control API off');
      const url = /listening on (http:\/\/\S+)/.exec(mock.output())![1]!;
      const send = async (agentId: number, taskName: string) => {
        const body = JSON.stringify({ appId: '2Xql9RBI', taskName, agentId, numberInfoList: [{ calleeNumber: '460000000001' }] });
        return (await fetch(url + SEND, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
      };
      expect(await send(41, 'New')).toMatchObject({ code: '0', data: 500 });
      expect((await send(41, 'Taken')).code).toBe(-41);
      expect((await send(99, 'Other')).code).toBe(-60);
      expect((await fetch(url + '/__mock/health')).status).toBe(404);
    } finally {
      mock.child.kill('SIGKILL');
    }
  });

  it('the same from the environment, and the control API on by default on loopback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-cli-world-'));
    const world = join(dir, 'world.json');
    writeFileSync(world, JSON.stringify({ agents: [{ agentId: 41, scenario: 'marketing' }], keyIds: [77] }));
    const mock = run({ ITNIO_MOCK_LOG: 'off', ITNIO_MOCK_AUTH: 'off', ITNIO_MOCK_MAX_REQUESTS: '1', ITNIO_MOCK_WORLD: world, ITNIO_MOCK_FIRST_KEY_ID: '700' });
    try {
      await until(() => mock.output().includes('credentials:'), 'the banner');
      const url = /listening on (http:\/\/\S+)/.exec(mock.output())![1]!;
      expect(mock.output()).toContain(`control API ${url}/__mock`);
      expect(mock.output()).toContain(`world: 1 agent(s) from ${world}`);
      const send = async (agentId: number, taskName: string) => {
        const body = JSON.stringify({ appId: '2Xql9RBI', taskName, agentId, numberInfoList: [{ calleeNumber: '460000000001' }] });
        return (await fetch(url + SEND, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
      };
      expect(await send(41, 'one')).toMatchObject({ code: '0', data: 700 });
      expect(await send(41, 'two')).toMatchObject({ code: '0', data: 701 });
      expect((await send(99, 'three')).code).toBe(-60);
      const journal = await (await fetch(url + '/__mock/requests')).json();
      expect(journal.requests.map((r: { body: { taskName: string } }) => r.body.taskName)).toEqual(['three']);
      expect((await (await fetch(url + '/__mock/state')).json()).keyIds).toEqual(expect.arrayContaining([77, 700, 701]));
    } finally {
      mock.child.kill('SIGKILL');
    }
  });

  it('--latency delays every API answer but not the control API; --journal bounds the journal', async () => {
    const mock = run({ ITNIO_MOCK_LOG: 'off', ITNIO_MOCK_AUTH: 'off' }, ['--latency', '60000', '--journal', '0']);
    try {
      await until(() => mock.output().includes('credentials:'), 'the banner');
      const url = /listening on (http:\/\/\S+)/.exec(mock.output())![1]!;
      const body = JSON.stringify({ appId: '2Xql9RBI', taskName: 'slow', agentId: 41, numberInfoList: [{ calleeNumber: '460000000001' }] });
      const slow = fetch(url + SEND, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(500) });
      await expect(slow).rejects.toThrow(/timeout|aborted/i);
      expect((await fetch(url + '/__mock/health')).status).toBe(200);
      expect(await (await fetch(url + '/__mock/requests')).json()).toEqual({ requests: [] });
    } finally {
      mock.child.kill('SIGKILL');
    }
  });

  it('bound to every interface, the control API is off unless switched on, and the banner says which', async () => {
    // 0.0.0.0 is every interface of this machine; the test reaches it over loopback only.
    for (const [args, shown] of [
      [[], 'control API off (not on a loopback address; --control on to switch it on)'],
      [['--control', 'on'], 'control API http://0.0.0.0:'],
    ] as const) {
      const mock = run({ ITNIO_MOCK_LOG: 'off', HOST: '0.0.0.0' }, [...args]);
      try {
        await until(() => mock.output().includes('credentials:'), 'the banner');
        expect(mock.output()).toContain(shown);
        expect(mock.output()).toMatch(/warning: binding to 0\.0\.0\.0, not loopback/);
        const port = /listening on http:\/\/0\.0\.0\.0:(\d+)/.exec(mock.output())![1]!;
        expect((await fetch(`http://127.0.0.1:${port}/__mock/health`)).status).toBe(args.length ? 200 : 404);
      } finally {
        mock.child.kill('SIGKILL');
      }
    }
  });

  it('refuses a world file that is not a state, and bad values for the new flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mock-cli-world-'));
    const world = join(dir, 'world.json');
    writeFileSync(world, JSON.stringify({ agents: [{ agentId: 41, scenario: 'sales' }] }));
    const bad = run({}, ['--world', world]);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('the world file does not describe a state');
    expect(bad.output()).toContain('/agents/0/scenario');
    const missing = run({}, ['--world', join(dir, 'none.json')]);
    expect(await missing.exited).toBe(2);
    expect(missing.output()).toContain('cannot read');
    const auth = run({}, ['--auth', 'maybe']);
    expect(await auth.exited).toBe(2);
    expect(auth.output()).toContain('--auth must be "on" or "off", not "maybe"');
    const first = run({ ITNIO_MOCK_FIRST_KEY_ID: '0' });
    expect(await first.exited).toBe(2);
    expect(first.output()).toContain('ITNIO_MOCK_FIRST_KEY_ID must be an integer of at least 1, not "0"');
  });

  it('prints its usage for --help and refuses an unknown flag or a bad port', async () => {
    const help = run({}, ['--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain('Usage: itnio-voice-mock');
    const unknown = run({}, ['--frob']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toContain("Unknown option '--frob'");
    const bad = run({}, ['--port', 'eighty']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('--port must be an integer of at least 0, not "eighty"');
  });
});
