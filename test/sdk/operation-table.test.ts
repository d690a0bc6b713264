// One operation table, from the contract (generated/operations.ts), drives the client: a method per
// operationId posting to its path, the signing middleware's lookup (no fallback for a path the contract
// does not have), and everything per operation in src/operations.ts. Nowhere else in src/ is an
// operation named or a path written.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVoiceClient, VoiceResponseTooLargeError } from '../../src/index.js';
import { operationAt, operationIds, operationPaths, operationRules } from '../../src/operations.js';
import { root } from '../support/contract.js';
import { credentials } from '../support/credentials.js';
import { callOperation } from './fixtures.js';
import { json, useLoopback } from './loopback.js';

const server = useLoopback();
const voice = () => createVoiceClient({ ...credentials, baseUrl: server.url });

/** Every TypeScript file under a folder of the repository, with its text. */
const sourcesIn = (dir: string) =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({ file: join(dir, file), text: readFileSync(join(root, dir, file), 'utf8') }));
const sources = sourcesIn('src').map(({ file, text }) => ({ file: file.slice('src/'.length), text }));

describe('src/ names no operation and writes no path', () => {
  it('reads every source file', () => {
    expect(sources.map((s) => s.file)).toContain('client.ts');
  });

  it.each(operationIds)('%s appears only as a key of the table in src/operations.ts', (operation) => {
    for (const { file, text } of sources) {
      const lines = text.split('\n').filter((line) => new RegExp(`\\b${operation}\\b`).test(line));
      if (file === 'operations.ts') expect(lines, file).toEqual([`  ${operation}: {`]);
      else expect(lines, file).toEqual([]);
    }
  });

  it.each(Object.values(operationPaths))('the path %s is written nowhere in src/, mocks/ or bench/ (comments aside)', (path) => {
    const code = (text: string) => text.split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line)).join('\n');
    for (const { file, text } of [...sources, ...sourcesIn('mocks'), ...sourcesIn('bench')]) expect(code(text).includes(path), file).toBe(false);
  });

  it('the table holds exactly the contract operations', () => {
    expect(Object.keys(operationRules).sort()).toEqual([...operationIds].sort());
  });
});

describe('the table drives the client', () => {
  it('one method per operation, each posting to its own path', async () => {
    const client = voice();
    expect(Object.keys(client).sort()).toEqual([...operationIds, 'raw'].sort());
    for (const operation of operationIds) {
      server.respond(json({ code: 0, msg: 'success', data: 1 }));
      await callOperation(client, operation);
    }
    expect(server.requests.map((r) => r.url)).toEqual(operationIds.map((operation) => operationPaths[operation]));
  });

  it('looks operations up by path, and nothing else', () => {
    for (const operation of operationIds) expect(operationAt(operationPaths[operation])).toBe(operation);
    for (const path of ['/voice/group/call/cancel', '', '/', 'constructor', '__proto__', `${operationPaths[operationIds[0]!]}/`]) {
      expect(operationAt(path)).toBeUndefined();
    }
  });

  it('raw calls name their operation by path in their errors', async () => {
    for (const operation of operationIds) {
      server.respond(json({ code: 0, msg: 'x'.repeat(2000) }));
      const client = createVoiceClient({ ...credentials, baseUrl: server.url, maxResponseBytes: 100 });
      const error = await client.raw.POST(operationPaths[operation], { body: {} } as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VoiceResponseTooLargeError);
      expect((error as VoiceResponseTooLargeError).operation).toBe(operation);
    }
  });

  it.each([
    ['without caller middleware', false],
    ['with caller middleware', true],
  ])('a raw call to a path the contract does not have is refused: not signed, not sent (%s)', async (_name, middleware) => {
    const client = voice();
    if (middleware) client.raw.use({ onRequest() {} });
    const error = await client.raw.POST('/voice/group/call/cancel' as never, { body: {} } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/"\/voice\/group\/call\/cancel" is not a path of the contract .*; nothing was signed or sent/);
    expect(server.requests).toHaveLength(0);
  });
});
