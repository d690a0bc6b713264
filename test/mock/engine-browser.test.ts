// The engine is transport-free: bundled for the browser (where any node:* import fails the build) and run
// in Chromium, it answers like the HTTP mock — a task created, the same name refused, a body refused with
// findings, a documented answer on demand, a wrong signature refused. Browsers have no MD5, so the page
// hands the engine one: here a table of the few digests this test needs, computed in Node.
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInput } from '../../src/signature.js';
import { operationPaths } from '../support/contract.js';
import { CHROMIUM, openChromium, type Session } from '../docs/browser.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { root } from '../support/contract.js';

const API_KEY = 'browser-key';
const API_SECRET = 'browser-secret';
const NOW = 1_767_225_600; // a fixed clock, so the digests can be computed ahead
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

let bundle: string;
let session: Session;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`bash scripts/ensure-chromium.sh\` (npm test does it in pretest).`);
  const result = await build({
    entryPoints: [resolve(root, 'mocks/engine/index.ts')],
    bundle: true,
    platform: 'browser',
    // A classic script exposing the module as a global: the page runs it as it stands.
    format: 'iife',
    globalName: 'itnioVoiceMock',
    write: false,
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0]!.text;
  session = await openChromium();
}, 60_000);

afterAll(() => session?.close());

describe('the engine, bundled for the browser', () => {
  it('imports nothing from Node (esbuild would have refused node:* for the browser platform)', () => {
    expect(bundle).not.toMatch(/["']node:/);
    expect(bundle).toContain('createVoiceMock');
  });

  it('answers in Chromium as the HTTP mock does', async () => {
    const digests = { [signInput(API_KEY, API_SECRET, NOW)]: md5(signInput(API_KEY, API_SECRET, NOW)) };
    const page = await session.context.newPage();
    await page.addScriptTag({ content: bundle });
    const answers = await page.evaluate(
      async ({ digests, paths, key, secret, now }) => {
        const { createVoiceMock } = (globalThis as any).itnioVoiceMock;
        const mock = createVoiceMock({
          apiKey: key,
          apiSecret: secret,
          now: () => now * 1000,
          // The hash is the page's to give; a browser app would use a library.
          md5: (text: string) => digests[text] ?? '0'.repeat(32),
        });
        const signedHeaders: Record<string, string> = { 'api-key': key, timestamp: String(now), sign: digests[`${key}${secret}${now}`]!, 'content-type': 'application/json' };
        const ask = async (path: string, body: unknown, headers: Record<string, string> = signedHeaders) => {
          const bytes = new TextEncoder().encode(JSON.stringify(body));
          const answer = await mock.answer({
            method: 'POST',
            path,
            query: new URLSearchParams(),
            header: (name: string) => headers[name],
            readBody: async () => ({ kind: 'ok', bytes }),
          });
          return answer && { status: answer.status, reason: answer.reason, body: answer.body };
        };
        const task = { appId: '2Xql9RBI', taskName: 'In a browser', agentId: 41, numberInfoList: [{ calleeNumber: '6281234567890' }] };
        return {
          created: await ask(paths.send, task),
          again: await ask(paths.send, task),
          invalid: await ask(paths.send, { ...task, taskName: 'Other', numberInfoList: [{ calleeNumber: '+62 812' }] }),
          example: await ask(paths.update, {}, { ...signedHeaders, prefer: 'example=dataNotFound' }),
          unsigned: await ask(paths.update, {}, { ...signedHeaders, sign: 'f'.repeat(32) }),
          elsewhere: await ask('/not/an/operation', {}),
        };
      },
      { digests, paths: { send: operationPaths.sendAgentGroupCall, update: operationPaths.updateRecallFlow }, key: API_KEY, secret: API_SECRET, now: NOW },
    );
    expect(answers.created).toMatchObject({ status: 200, reason: 'ok', body: { code: '0', msg: 'success', data: expect.any(Number) } });
    expect(answers.again).toMatchObject({ reason: 'state', body: { code: -41 } });
    expect(answers.invalid).toMatchObject({ reason: 'contract', body: { code: -22, findings: [expect.objectContaining({ path: '/numberInfoList/0/calleeNumber' })] } });
    expect(answers.example).toMatchObject({ reason: 'prefer', body: { code: -24 } });
    expect(answers.unsigned).toMatchObject({ reason: 'auth', body: { code: -1 } });
    expect(answers.elsewhere).toBeUndefined();
    expect(session.consoleErrors).toEqual([]);
    await page.close();
  });
});
