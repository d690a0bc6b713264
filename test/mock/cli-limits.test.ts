// The connection limits of `itnio-voice-mock` as environment variables: each reaches the mock, and a value
// that cannot work is refused at start with its name. Ordering and "closed at all", never a measured time.
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { root } from '../support/contract.js';

const GUARD_MS = 10_000;

/** The CLI with `env`; resolves with its port once it listens, or with its exit code and output. */
function start(env: Record<string, string>): Promise<{ port?: number; code?: number | null; output: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mocks/cli.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', ITNIO_MOCK_LOG: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () => void child.kill('SIGKILL');
  return new Promise((done) => {
    const seen = (chunk: Buffer) => {
      output += chunk;
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (port) done({ port: Number(port), output, stop });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => done({ code, output, stop }));
  });
}

/** A connection that sends nothing; resolves when the mock closes it, or fails after the guard. */
function silent(port: number): { socket: Socket; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  const closed = new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the mock did not close a silent connection within ${GUARD_MS} ms`)), GUARD_MS);
    socket.once('close', () => (clearTimeout(timer), done()));
  });
  return { socket, closed };
}

describe('itnio-voice-mock: connection limits from the environment', () => {
  it('ITNIO_MOCK_MAX_CONNECTIONS=1: a second connection takes the place of the first', async () => {
    const mock = await start({ ITNIO_MOCK_MAX_CONNECTIONS: '1' });
    try {
      const first = silent(mock.port!);
      await new Promise((r) => first.socket.once('connect', r));
      const second = silent(mock.port!);
      await first.closed;
      expect(second.socket.destroyed).toBe(false);
      second.socket.destroy();
    } finally {
      mock.stop();
    }
  });

  it('ITNIO_MOCK_IDLE_TIMEOUT_MS=300: a silent connection is closed (by default it would be kept 15 s, past the guard)', async () => {
    const mock = await start({ ITNIO_MOCK_IDLE_TIMEOUT_MS: '300' });
    try {
      await silent(mock.port!).closed;
    } finally {
      mock.stop();
    }
  });

  it('a request timeout below the 10 s headers timeout starts (the headers timeout follows it down)', async () => {
    const mock = await start({ ITNIO_MOCK_REQUEST_TIMEOUT_MS: '2000', ITNIO_MOCK_KEEP_ALIVE_TIMEOUT_MS: '1000' });
    mock.stop();
    expect(mock.port, mock.output).toBeGreaterThan(0);
  });

  it.each([
    [{ ITNIO_MOCK_REQUEST_TIMEOUT_MS: 'soon' }, 'ITNIO_MOCK_REQUEST_TIMEOUT_MS must be an integer of at least 1, not "soon"'],
    [{ ITNIO_MOCK_MAX_CONNECTIONS: '0' }, 'ITNIO_MOCK_MAX_CONNECTIONS must be an integer of at least 1, not "0"'],
    [{ ITNIO_MOCK_KEEP_ALIVE_TIMEOUT_MS: '1.5' }, 'ITNIO_MOCK_KEEP_ALIVE_TIMEOUT_MS must be an integer of at least 1, not "1.5"'],
    [
      { ITNIO_MOCK_MAX_BODY_BYTES: '2048', ITNIO_MOCK_MAX_BODY_BYTES_IN_FLIGHT: '1024' },
      'ITNIO_MOCK_MAX_BODY_BYTES_IN_FLIGHT (1024) must be at least the body limit, ITNIO_MOCK_MAX_BODY_BYTES (2048)',
    ],
  ])('%o is refused at start, naming the variable', async (env, message) => {
    const mock = await start(env);
    mock.stop();
    expect(mock.code).toBe(2);
    expect(mock.output).toContain(message);
  });
});
