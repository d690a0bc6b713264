// The docs as a reader meets them: real Chromium, pages served by a real mock on a port that is not the
// default, every sidebar entry opened by its own URL in a fresh tab, and the standalone file opened from
// disk. Proves: links that work wherever the page is, nothing fetched or named from outside, no console
// error, the mock's real address on the page, samples that send the example they name, code readable at
// laptop widths, reference pages without stray boxes or duplicates. Screenshots of every page at
// 1366×768 go to dist/docs/screenshots/.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationId } from '../../generated/operations.js';
import { startMockServer, type MockServer } from '../../mocks/index.js';
import { LANGUAGES, labelOf, operations, type SampleOperation } from '../../scripts/code-samples.mjs';
import {
  CHROMIUM,
  distDir,
  docsFile,
  ensureDocsBuilt,
  leftLoopback,
  mockDocsFile,
  openChromium,
  screenshotsDir,
  type Session,
} from './browser.js';
import { claimedExample, curlBody, typescriptBody, withoutTaskNameSuffix } from './sample-body.js';

const VIEWPORT = { width: 1366, height: 768 };
const DEFAULT_MOCK = '127.0.0.1:4010';

let mock: MockServer;
let browser: Session;

/** The docs pages: the API's and the mock control API's. */
const pages = () => [
  { name: 'api', base: '/docs', file: docsFile },
  { name: 'mock', base: '/docs/mock', file: mockDocsFile },
];

/** A fresh tab at `url`, settled: Redoc has rendered and the route's section is in place. */
async function open(url: string, viewport = VIEWPORT): Promise<Page> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(120_000);
  await page.setViewportSize(viewport);
  // 'load' is enough: the page is one self-contained file (nothing else to wait for), and settled() waits for Redoc.
  await page.goto(url, { waitUntil: 'load' });
  await page.locator('[data-component-name="Menu/MenuItem"] a').first().waitFor();
  await settled(page);
  return page;
}

/**
 * Until Redoc is done: its search index built, and the page's height and scroll position unchanged for
 * three looks in a row (it renders the sections around the route first, then the rest, and scrolls).
 */
async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('[data-testid="search-trigger"]').innerText()).not.toContain('Loading');
  let last = '';
  let same = 0;
  while (same < 3) {
    await page.waitForTimeout(250);
    const now = await page.evaluate('`${document.documentElement.scrollHeight}:${scrollY}`');
    same = now === last ? same + 1 : 0;
    last = String(now);
  }
}

/** What the page's errors and requests were while `action` ran: none off loopback, no console error. */
async function cleanly<T>(action: () => Promise<T>): Promise<T> {
  const [requestsBefore, errorsBefore] = [browser.requests.length, browser.consoleErrors.length];
  const result = await action();
  expect(leftLoopback(browser.requests.slice(requestsBefore))).toEqual([]);
  expect(browser.consoleErrors.slice(errorsBefore)).toEqual([]);
  return result;
}

/** Every sidebar entry, groups opened one by one (opening one may close another), as [href, label]. */
async function sidebarEntries(page: Page): Promise<Array<[string, string]>> {
  const links = page.locator('[data-component-name="Menu/MenuItem"] > a[href^="#/"]');
  const entries = new Map<string, string>();
  const read = async () => {
    const seen = await links.evaluateAll((as) => as.map((a) => [a.getAttribute('href') ?? '', a.querySelector('[data-text]')?.getAttribute('data-text') ?? ''] as const));
    for (const [href, label] of seen) entries.set(href, label);
  };
  await read();
  const groups = [...entries.keys()].filter((href) => href.split('/').length === 2 && href !== '#/');
  for (const group of groups) {
    // A group shows its operations once opened (clicking it also routes to it).
    await page.locator(`[data-component-name="Menu/MenuItem"] > a[href="${group}"]`).click();
    await expect.poll(() => links.count()).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    await read();
  }
  return [...entries];
}

/** Elements that load or link anything outside this machine: every loader, and the links a reader can see. */
const OUTSIDE_REFERENCES = `(() => {
  const local = (value) => /^(#|data:|blob:|about:|\\/(?!\\/)|https?:\\/\\/(127\\.0\\.0\\.1|localhost|\\[::1\\])[:/])/.test(value) || !/^[a-z]+:|^\\/\\//i.test(value);
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const name of ['src', 'srcset', 'href', 'xlink:href', 'poster', 'data', 'action']) {
      const value = el.getAttribute(name);
      if (value === null || local(value.trim())) continue;
      if (el.tagName === 'A' && !el.checkVisibility()) continue;
      found.push(el.tagName + ' ' + name + '=' + value);
    }
  }
  return found;
})()`;

/** The section a route shows is the one on screen: its heading (the sidebar label) in the viewport, its menu item active. */
async function expectSectionShown(page: Page, href: string, label: string): Promise<void> {
  await expect.poll(() => page.locator(`[data-component-name="Menu/MenuItem"] > a[href="${href}"] [data-active]`).first().getAttribute('data-active')).toBe('true');
  await expect
    .poll(() =>
      page.evaluate(
        ([wanted, height]) =>
          Array.from(document.querySelectorAll('h1, h2')).some((h) => {
            const box = h.getBoundingClientRect();
            return (h.textContent ?? '').trim().startsWith(wanted!) && box.top >= -1 && box.top < Number(height) && box.height > 0;
          }),
        [label, String(VIEWPORT.height)],
      ),
    )
    .toBe(true);
  expect(await page.locator('body').innerText()).not.toContain('No page at this address');
}

/** Each page's sidebar entries, read once from the page at `base` (a fresh tab) and shared by the tests. */
const sidebars = new Map<string, Promise<Array<[string, string]>>>();
function entriesOf(base: string): Promise<Array<[string, string]>> {
  if (!sidebars.has(base)) {
    sidebars.set(
      base,
      open(mock.url + base).then(async (page) => {
        const entries = await sidebarEntries(page);
        await page.close();
        return entries;
      }),
    );
  }
  return sidebars.get(base)!;
}

const slug = (href: string) => href.replace(/^#\//, '').replace(/[^\w-]+/g, '-') || 'overview';

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`bash scripts/ensure-chromium.sh\` (npm test does it in pretest).`);
  }
  ensureDocsBuilt();
  rmSync(screenshotsDir, { recursive: true, force: true });
  mkdirSync(screenshotsDir, { recursive: true });
  mock = await startMockServer({ port: 0, assetsDir: distDir });
  browser = await openChromium({ viewport: VIEWPORT });
});

afterAll(async () => {
  await browser?.close();
  await mock?.close();
});

describe('every link a reader can open, copy or share', { timeout: 600_000 }, () => {
  it('serves from a mock on a port other than the default', () => expect(mock.url).not.toContain(DEFAULT_MOCK));

  for (const { name, base, file } of pages()) {
    it(`${name} page: each sidebar entry, opened by its own URL (${base}#/…) in a fresh tab, shows its section cleanly`, async () => {
      const entries = await cleanly(() => entriesOf(base));
      expect(entries.length).toBeGreaterThanOrEqual(name === 'api' ? 10 : 3);
      expect(new Set(entries.map(([href]) => href)).size).toBe(entries.length);

      for (const [href, label] of entries) {
        await cleanly(async () => {
          const page = await open(`${mock.url}${base}${href}`);
          await expectSectionShown(page, href, label);
          expect(await page.evaluate(OUTSIDE_REFERENCES)).toEqual([]);
          await page.screenshot({ path: join(screenshotsDir, `${name}--${slug(href)}.png`) });
          await page.close();
        });
      }
    });

    it(`${name} page: the same entries as paths (${base}/<route>) land on their section`, async () => {
      const entries = (await entriesOf(base)).filter(([href]) => href !== '#/');
      // Each path is sent to its hash route (the hash routes were each opened in a browser above)…
      for (const [href] of entries) {
        const answer = await fetch(`${mock.url}${base}/${href.slice(2)}`, { redirect: 'manual' });
        expect([answer.status, answer.headers.get('location')], href).toEqual([302, `${base}${href}`]);
      }
      // …and a browser that follows one lands on its section.
      const [href, label] = entries.at(-1)!;
      await cleanly(async () => {
        const page = await open(`${mock.url}${base}/${href.slice(2)}`);
        expect(page.url()).toBe(`${mock.url}${base}${href}`);
        await expectSectionShown(page, href, label);
        await page.close();
      });
    });

    it(`${name} page: ${base}/ and ${base}/index.html are the page, and the standalone file works from disk`, async () => {
      const [href, label] = (await entriesOf(base)).at(-1)!;
      for (const url of [`${mock.url}${base}/${href}`, `${mock.url}${base}/index.html${href}`, `${pathToFileURL(file).href}${href}`]) {
        await cleanly(async () => {
          const page = await open(url);
          await expectSectionShown(page, href, label);
          expect(await page.evaluate(OUTSIDE_REFERENCES)).toEqual([]);
          await page.close();
        });
      }
    });
  }

  it('a click on a sidebar entry routes on the hash, and the page fetched nothing but itself', async () => {
    const before = browser.requests.length;
    const page = await cleanly(() => open(`${mock.url}/docs`));
    await page.locator('[data-component-name="Menu/MenuItem"] > a[href="#/recall-flows"]').click();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/recall-flows');
    const fetched = browser.requests.slice(before).filter((r) => !/^(data|blob|about):/.test(r.url));
    expect(fetched.map((r) => r.url)).toEqual([`${mock.url}/docs`]);
    await page.close();
  });
});

describe('the page names the mock that serves it', { timeout: 300_000 }, () => {
  it('Servers: the mock at its real address, described in plain text; the standalone file keeps the default', async () => {
    const served = await cleanly(() => open(`${mock.url}/docs#/`));
    const servers = await served.locator('[data-testid="right-panel"]').first().innerText();
    expect(servers).toContain(mock.url);
    expect(servers).toContain('https://api.itniotech.com');
    expect(servers).toContain('The itnio-voice local mock (npm start).');
    expect(servers).not.toContain('`');
    expect(await served.locator('body').innerText()).not.toContain(DEFAULT_MOCK);
    await served.close();

    const standalone = await cleanly(() => open(`${pathToFileURL(docsFile).href}#/`));
    expect(await standalone.locator('[data-testid="right-panel"]').first().innerText()).toContain(`http://${DEFAULT_MOCK}`);
    await standalone.close();
  });
});

/** The request samples panel of the operation on screen. */
const samplesPanel = (page: Page) => page.locator('.panel-request-samples').first();

/** The button that opens the samples list (the panel header's last one). */
const samplesTrigger = (page: Page) => samplesPanel(page).locator('[data-component-name="Panel/PanelHeader"] button').last();

/** The samples list, opened. */
async function openSamplesList(page: Page): Promise<void> {
  if ((await samplesTrigger(page).getAttribute('aria-expanded')) !== 'true') await samplesTrigger(page).click();
  await expect.poll(() => samplesTrigger(page).getAttribute('aria-expanded')).toBe('true');
}

/** Opens the samples list and picks `label`. */
async function pickSample(page: Page, label: string): Promise<void> {
  await openSamplesList(page);
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.getByRole('menuitem').filter({ hasText: new RegExp(`^\\s*${escaped}\\s*$`) }).click();
  await expect.poll(() => samplesTrigger(page).innerText()).toBe(label);
}

const sampleText = (page: Page) => samplesPanel(page).locator('[data-testid="source-code"]').first().innerText();

/** Where Redoc puts each operation: `#/<tag>/<operationId in lower case>`. */
const operationRoutes: Record<OperationId, string> = {
  sendAgentGroupCall: '#/group-calls/sendagentgroupcall',
  updateRecallFlow: '#/recall-flows/updaterecallflow',
};
const operationRoute = (operation: SampleOperation) => operationRoutes[operation.operationId as OperationId];

describe('samples that send the example they name', { timeout: 300_000 }, () => {
  for (const operation of operations()) {
    it(`${operation.operationId}: one SDK and one curl sample per request example, each sending it to this mock`, async () => {
      const page = await cleanly(() => open(`${mock.url}/docs${operationRoute(operation)}`));
      await openSamplesList(page);
      const listed = await page.getByRole('menuitem').allInnerTexts();
      await samplesTrigger(page).click();
      const expected = LANGUAGES.flatMap((language) => operation.examples.map((example) => labelOf(language, example.key)));
      expect(listed.map((text) => text.trim())).toEqual([...expected, 'Payload']);

      for (const language of LANGUAGES) {
        for (const example of operation.examples) {
          const label = labelOf(language, example.key);
          await pickSample(page, label);
          const code = await sampleText(page);
          expect(claimedExample(code), label).toBe(example.key);
          const body = language.ext === 'sh' ? curlBody(code, '1767225600') : typescriptBody(code);
          expect(withoutTaskNameSuffix(body, example.value), label).toEqual(example.value);
          expect(code).toContain(mock.url);
          expect(code).not.toContain(DEFAULT_MOCK);
        }
      }
      await page.close();
    });
  }
});

/** Code and JSON on the page that is wider than its box (scrolled or cut), and copy buttons over text. */
const UNREADABLE = `(() => {
  const problems = [];
  for (const box of document.querySelectorAll('[data-testid="right-panel"] [data-testid="source-code"], [data-testid="right-panel"] [data-testid="json-viewer"]')) {
    if (!box.checkVisibility()) continue;
    for (const el of [box, ...box.querySelectorAll('*')]) {
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') problems.push('clipped: ' + (el.textContent || '').slice(0, 60));
    }
    const block = box.closest('[data-component-name="CodeBlock/CodeBlock"]') || box.parentElement;
    const button = block && block.querySelector('[data-testid="copy-button"]');
    if (button && button.checkVisibility()) {
      const b = button.getBoundingClientRect();
      const texts = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = texts.nextNode(); node; node = texts.nextNode()) {
        if (!node.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) {
          if (r.width > 0 && r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top) problems.push('under the copy button: ' + node.textContent.slice(0, 40));
        }
      }
    }
  }
  return [...new Set(problems)];
})()`;

describe('code readable at laptop widths', { timeout: 600_000 }, () => {
  for (const width of [1280, 1366, 1440, 1536]) {
    it(`${width} px: every sample and payload fits its column, clear of the copy button`, async () => {
      for (const operation of operations()) {
        const page = await cleanly(() => open(`${mock.url}/docs${operationRoute(operation)}`, { width, height: 900 }));
        for (const label of [...LANGUAGES.flatMap((language) => operation.examples.map((example) => labelOf(language, example.key))), 'Payload']) {
          await pickSample(page, label);
          await samplesPanel(page).scrollIntoViewIfNeeded();
          expect(await page.evaluate(UNREADABLE), `${operation.operationId} ${label}`).toEqual([]);
        }
        await page.close();
      }
    });
  }
});

describe('reference pages and what a reader reads', { timeout: 300_000 }, () => {
  it('explains signing with the vendor test vector', async () => {
    const page = await cleanly(() => open(`${mock.url}/docs#/section/signing`));
    const body = await page.locator('body').innerText();
    expect(body).toContain('Sign = md5(apiKey + apiSecret + timestamp)');
    for (const part of ['bDqJFiq9', '7bz1lzh9', '1630468800', '05d7a50893e22a5c4bb3216ae3396c7c']) expect(body).toContain(part);
    await page.close();
  });

  it('Error codes: the table, and no box beside it', async () => {
    const page = await cleanly(() => open(`${mock.url}/docs#/error-codes`));
    await expect.poll(() => page.locator('body').innerText()).toContain('Task name already exists');
    expect(await page.locator('body').innerText()).toMatch(/-68\s+The AI agent's industry intents do not match/);
    const section = page.locator('[data-section-id="/error-codes"]');
    const boxes = await section.locator('[data-testid="right-panel"]').evaluateAll((els) => els.filter((el) => el.checkVisibility()).length);
    expect(boxes).toBe(0);
    await page.close();
  });

  it('Recall intents: each table once, none behind an "Any of" chooser, and no box beside them', async () => {
    const page = await cleanly(() => open(`${mock.url}/docs#/recall-intents`));
    const section = page.locator('[data-section-id="/recall-intents"]');
    await expect.poll(() => section.innerText()).toContain('Promise to pay: On time');
    const text = await section.innerText();
    expect(text).toContain('Promise to pay: Deferred');
    expect(text.match(/Called but not connected/g)).toHaveLength(1);
    expect(text).not.toMatch(/Any of/i);
    expect(await section.locator('[data-testid="schema-definition"]').count()).toBe(5);
    expect(await section.locator('[data-testid="right-panel"]').evaluateAll((els) => els.filter((el) => el.checkVisibility()).length)).toBe(0);
    await page.close();
  });

  it('renders the send operation: fields with constraints, every error answer by name', async () => {
    const page = await cleanly(() => open(`${mock.url}/docs#/group-calls/sendagentgroupcall`));
    const body = await page.locator('body').innerText();
    expect(body).toContain('Create an AI-agent group-call task');
    expect(body).toContain('/voice/group/call/send/agent');
    for (const field of ['appId', 'taskName', 'agentId', 'numberInfoList', 'sendTime', 'recallFlow']) expect(body).toContain(field);
    expect(body).toMatch(/required/);
    expect(body).toMatch(/\[ \d+ \.\. \d+ \]|<= \d+ (characters|items)/); // ranges and lengths are shown

    // Response examples: one per code, chosen from a list that names them.
    await page.locator('button', { hasText: /^Success \(0\)/ }).first().click();
    const examples = await page.getByRole('menuitem').allInnerTexts();
    expect(examples.join('\n')).toMatch(/-41/);
    expect(examples.length).toBeGreaterThanOrEqual(19);
    await page.keyboard.press('Escape');

    // The SDK samples use the package; the curl ones sign in shell.
    await pickSample(page, 'SDK · minimal task');
    await expect.poll(() => sampleText(page)).toContain("} from 'itnio-voice';");
    await pickSample(page, 'curl · minimal task');
    await expect.poll(() => sampleText(page)).toContain(`SIGN=$(printf '%s' "$API_KEY$API_SECRET$TS" |`);
    await page.close();
  });

  it('renders the recall-flow operation and its variants, and switching source variants shows each rule', async () => {
    const page = await cleanly(() => open(`${mock.url}/docs#/recall-flows/updaterecallflow`, { width: 1400, height: 1000 }));
    const body = await page.locator('body').innerText();
    expect(body).toContain("Replace a task's automatic recall flow");
    expect(body).toContain('/voice/recallFlow/update');
    expect(body).toContain('[ 1 .. 1440 ]'); // recallInterval

    // Expand the node schema, then walk every variant of its "One of" chooser.
    await page.locator('button', { hasText: /Show \d+ array properties/ }).first().click();
    const chooser = page.locator('button', { hasText: /\(source [123]\)/ }).first();
    const variants = page.getByRole('menuitem').filter({ hasText: /\(source [123]\)/ });
    await chooser.click();
    const count = await variants.count();
    const names = await variants.allTextContents();
    expect(count).toBeGreaterThanOrEqual(3);

    const seen = new Set<string>();
    for (let index = 0; index < count; index += 1) {
      if (index > 0) await chooser.click(); // choosing closes the menu
      await variants.nth(index).click();
      const picked = (await chooser.textContent()) ?? '';
      expect(picked).toBe(names[index]);
      seen.add(picked.match(/\(source ([123])\)/)?.[1] ?? '?');
    }
    expect([...seen].sort()).toEqual(['1', '2', '3']);
    // Each choice's rules in words, from the fields' enum descriptions (shown in full in the first variant,
    // which has no nested anyOf).
    await chooser.click();
    await variants.nth(0).click();
    await page.locator('button', { hasText: /Show \d+ properties/ }).first().click();
    const fields = await page.locator('body').innerText();
    expect(fields).toContain('requires voiceFileId');
    expect(fields).toContain('requires uploadName and baseFile');
    expect(fields).toContain('requires text and lan');
    expect(fields).toMatch(/requires at least one trigger \(feedbackPush, successPush, failedPush, ringPush\)/);
    expect(fields).toContain('requires sipGroupId, outboundControl, calloutRate and toSeatType');
    await chooser.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotsDir, 'api--recall-flow-variants.png') });
    await page.close();
  });
});
