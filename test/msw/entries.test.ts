// `itnio-voice/msw` has two entries behind one set of types: Node's (index.ts, the `default` export
// condition) and the browser's (browser.ts, the `browser` condition). They must export the same names and
// declare the same API, and differ only in the signature check's default: on with node:crypto's MD5 in
// Node, off in a browser unless an md5 is given. The browser entry must bundle for the browser with
// nothing from Node in it (the default base URL comes from src/base-url.ts, which has nothing either), and
// the Node entry must use the one msw the suite imports.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ts from 'typescript';
import * as nodeEntry from '../../mocks/msw/index.js';
import * as browserEntry from '../../mocks/msw/browser.js';
import { DEFAULT_BASE_URL } from '../../src/base-url.js';
import { signRequest } from '../../src/sign.js';
import { operationPaths } from '../../generated/operations.js';

const root = resolve(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

/** An entry's exported declarations, as the compiler sees them (types included, comments not). */
function declarations(file: string): string[] {
  const program = ts.createProgram([join(root, file)], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, types: [] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(join(root, file))!)!;
  return checker
    .getExportsOfModule(module)
    .map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = target.declarations![0]!;
      const isType = target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias);
      const type = isType ? checker.getDeclaredTypeOfSymbol(target) : checker.getTypeOfSymbolAtLocation(target, declaration);
      return `${symbol.name}: ${checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias)}`;
    })
    .sort();
}

const send = (baseUrl: string, headers: Record<string, string> = {}) =>
  fetch(baseUrl + operationPaths.sendAgentGroupCall, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ appId: '2Xql9RBI', taskName: 'Entries', agentId: 41, numberInfoList: [{ calleeNumber: '6281234567890' }] }),
  }).then((r) => r.json());

describe('the two entries of itnio-voice/msw', () => {
  it('are what package.json exports: the browser condition first, one set of types', () => {
    expect(manifest.exports['./msw']).toEqual({ types: './dist/mocks/msw/index.d.ts', browser: './dist/mocks/msw/browser.js', default: './dist/mocks/msw/index.js' });
    expect(manifest.peerDependencies).toEqual({ msw: '^2.10' });
    expect(manifest.peerDependenciesMeta).toEqual({ msw: { optional: true } });
    expect(manifest.dependencies).not.toHaveProperty('msw');
    expect(manifest.devDependencies.msw).toMatch(/^2\.\d+\.\d+$/);
  });

  it('export the same names, declared alike, so one types file serves both', () => {
    expect(Object.keys(browserEntry).sort()).toEqual(Object.keys(nodeEntry).sort());
    expect(declarations('mocks/msw/browser.ts')).toEqual(declarations('mocks/msw/index.ts'));
  });

  it('Node: the signature is checked by default, with node:crypto', async () => {
    server.use(...nodeEntry.createVoiceHandlers({ baseUrl: 'https://node.example' }));
    expect(await send('https://node.example')).toMatchObject({ code: -1 });
    expect(await send('https://node.example', signRequest(nodeEntry.DEFAULT_API_KEY, nodeEntry.DEFAULT_API_SECRET, Math.floor(Date.now() / 1000)))).toMatchObject({ code: '0' });
  });

  it('browser: auth is off unless an md5 is given; auth "on" without one says why it cannot', async () => {
    server.use(...browserEntry.createVoiceHandlers({ baseUrl: 'https://open.example' }));
    expect(await send('https://open.example')).toMatchObject({ code: '0' });
    const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex'); // any library's, in a page
    server.use(...browserEntry.createVoiceHandlers({ baseUrl: 'https://checked.example', md5 }));
    expect(await send('https://checked.example')).toMatchObject({ code: -1 });
    expect(await send('https://checked.example', signRequest(nodeEntry.DEFAULT_API_KEY, nodeEntry.DEFAULT_API_SECRET, Math.floor(Date.now() / 1000)))).toMatchObject({ code: '0' });
    expect(() => browserEntry.createVoiceHandlers({ auth: 'on' })).toThrow(/auth "on" needs an md5 function/);
  });

  it("the browser entry bundles with nothing from Node in it, the SDK's default base URL included", async () => {
    const result = await build({
      entryPoints: [join(root, 'mocks/msw/browser.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.startsWith('node:') || /^src\/(sign|client)\.ts$/.test(input))).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/["']node:/);
    // The one definition of the default base URL, the SDK's, not a copy.
    expect(inputs).toEqual(expect.arrayContaining(['mocks/engine/index.ts', 'mocks/msw/handlers.ts', 'src/base-url.ts']));
    expect(browserEntry.createVoiceHandlers().baseUrl).toBe(DEFAULT_BASE_URL);
  });

  it("Node: the handlers are the suite's own msw's (one msw in the process, its ES module build)", async () => {
    const handlers = nodeEntry.createVoiceHandlers();
    expect(handlers.every((handler) => handler instanceof HttpHandler)).toBe(true);
    // msw's CommonJS build has a class of its own: a handler made with it would not be one of these.
    const commonJs = createRequire(import.meta.url)(join(root, 'node_modules/msw/lib/core/index.js'));
    expect(commonJs.HttpHandler).not.toBe(HttpHandler);
    expect(handlers.some((handler) => handler instanceof commonJs.HttpHandler)).toBe(false);
  });
});
