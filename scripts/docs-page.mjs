// The docs pages: `redocly build-docs --inlineBundle` (options in redocly.yaml, page in
// scripts/docs-template.hbs), then two fixes to the page Redoc writes, each checked so that a Redoc
// upgrade that moves what they rely on fails the build instead of shipping a broken page:
//
// 1. No server-rendered markup. build-docs pre-renders the page with plain paths in every link
//    (`href="/error-codes"`) and the browser then hydrates it with Redoc's hash router. React keeps the
//    pre-rendered attributes when it hydrates, so the links a reader can open in a new tab, copy or
//    share stayed plain paths, which exist nowhere (not on the mock, not in the standalone file). With
//    an empty container, Redoc's `hydrate` renders from scratch and every link is a hash route
//    (`#/error-codes`), which works wherever the one file is: `/docs` on the mock or opened from disk.
// 2. No outside images. Redoc always mounts a "Redocly" attribution logo from cdn.redoc.ly; the page's
//    Content-Security-Policy blocked it, at the price of a console error on every load and an empty
//    badge. The two logo URLs become `data:,` (an empty image: Redoc drops it without a request or an
//    error) and the template's stylesheet hides the badge.
//
//   node scripts/docs-page.mjs <contract> <output.html>
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The second API document (the mock's control API) and where its page goes, beside the main one. */
export const MOCK_CONTROL_CONTRACT = 'spec/mock-control/openapi.yaml';
export const MOCK_CONTROL_PAGE = 'docs/mock/index.html';

/** What Redoc's inlined bundle would load from outside, and what replaces it. */
const OUTSIDE_IMAGES = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];

const CONTAINER_OPEN = '<div id="redoc">';
const SCRIPT_OPEN = '<script type="module">';

function fail(message) {
  throw new Error(`docs page: ${message} (Redoc's output changed; see scripts/docs-page.mjs)`);
}

/** The page Redoc wrote, finished as described at the top of this file. */
export function finishPage(html) {
  // 1. Empty the pre-rendered container. It holds one element that must survive: a tiny inline script
  //    that sets the light or dark class before anything renders. It moves just before the container.
  const open = html.indexOf(CONTAINER_OPEN);
  const script = html.indexOf(SCRIPT_OPEN, open);
  if (open === -1 || script === -1 || html.indexOf(CONTAINER_OPEN, open + 1) !== -1) fail('expected one <div id="redoc"> followed by the module script');
  const close = html.lastIndexOf('</div>', script);
  if (close < open) fail('the pre-rendered container does not end before the module script');
  const rendered = html.slice(open + CONTAINER_OPEN.length, close);
  const colorMode = /^<div hidden="">(<script>[^<]*<\/script>)<\/div>/.exec(rendered)?.[1] ?? '';
  let page = `${html.slice(0, open)}${colorMode}${CONTAINER_OPEN}</div>${html.slice(close + '</div>'.length)}`;
  if (!/hydrate\(__redoc_definition, __redoc_options, document\.getElementById\('redoc'\)\)/.test(page)) fail('the page no longer calls hydrate() on #redoc');

  // 2. No image from outside.
  for (const url of OUTSIDE_IMAGES) {
    const count = page.split(url).length - 1;
    if (count !== 1) fail(`expected ${url} once in the bundle, found it ${count} times`);
    page = page.replace(url, 'data:,');
  }
  return page;
}

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, SCARF_ANALYTICS: 'false', REDOCLY_TELEMETRY: 'off', NO_UPDATE_NOTIFIER: '1' },
  });
  if (result.status !== 0) {
    throw new Error(`${relative(root, command)} ${args.join(' ')} failed:\n${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`);
  }
}

/** One contract (a bundled file or spec/…/openapi.yaml) into one finished page at `output`. */
export function buildDocsPage(contract, output) {
  const scratch = mkdtempSync(join(tmpdir(), 'itnio-docs-'));
  try {
    const raw = join(scratch, 'index.html');
    run(join(root, 'node_modules', '.bin', 'redocly'), ['build-docs', contract, '--inlineBundle', '-o', raw]);
    const page = finishPage(readFileSync(raw, 'utf8'));
    const target = resolve(root, output);
    mkdirSync(dirname(target), { recursive: true });
    // Written beside it and renamed, so a running mock (which re-reads the page when it changes) serves
    // the old page or the new one, never half of one.
    writeFileSync(`${target}.tmp`, page);
    renameSync(`${target}.tmp`, target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Both docs pages into `outDir` (dist/docs): the API's page from `contract`, and the mock control API's
 * page (spec/mock-control/) at mock/index.html. Returns what was built.
 */
export function buildDocs(contract, outDir) {
  const pages = [
    [contract, join(outDir, 'index.html')],
    [MOCK_CONTROL_CONTRACT, join(outDir, MOCK_CONTROL_PAGE.replace(/^docs\//, ''))],
  ];
  for (const [from, page] of pages) buildDocsPage(from, page);
  return pages.map(([, page]) => page);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [contract, output] = process.argv.slice(2);
  if (!contract || !output) {
    console.error('usage: node scripts/docs-page.mjs <contract> <output.html>');
    process.exitCode = 2;
  } else {
    buildDocsPage(contract, output);
  }
}
