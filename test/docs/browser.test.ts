// The Redoc page as a reader sees it: real Chromium, real DOM text, and proof that nothing leaves loopback.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  KNOWN_CSP_BLOCKED,
  blockedByCsp,
  docsDir,
  ensureDocsBuilt,
  leftLoopback,
  openChromium,
  serveDocs,
  unexpectedConsoleErrors,
  type Session,
} from './browser.js';

const SEND = '#/group-calls/sendagentgroupcall';
const UPDATE = '#/recall-flows/updaterecallflow';

let site: Awaited<ReturnType<typeof serveDocs>>;
let browser: Session;
let page: Page;

/** Follows an in-page link the way a reader's click does (Redoc routes on the hash) and waits for it. */
async function open(hash: string): Promise<void> {
  await page.goto(site.url + hash);
  await page.waitForLoadState('networkidle');
}

/** The visible text of the page, as a reader could select and copy it. */
const text = () => page.locator('body').innerText();

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`bash scripts/ensure-chromium.sh\` (npm test does it in pretest).`);
  }
  ensureDocsBuilt();
  site = await serveDocs();
  browser = await openChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  // The whole suite shares two cores with this browser; waits are generous, no assertion is about time.
  page.setDefaultTimeout(120_000);
  await page.goto(site.url, { waitUntil: 'networkidle' });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the docs page in Chromium', { timeout: 300_000 }, () => {
  it('loads from the one HTML file: Redoc is inlined, nothing else is fetched from our server', async () => {
    expect(site.served).toEqual(['/']);
    expect(await page.title()).toContain('ITNIO TECH Voice API');
    // Hydrated, not just the server-rendered HTML: only the running app turns sidebar links into hash routes.
    await page.locator('a[href="/recall-flows"]').first().click();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/recall-flows');
  });

  it('explains signing with the vendor test vector', async () => {
    const body = await text();
    expect(body).toContain('Sign = md5(apiKey + apiSecret + timestamp)');
    for (const part of ['bDqJFiq9', '7bz1lzh9', '1630468800', '05d7a50893e22a5c4bb3216ae3396c7c']) expect(body).toContain(part);
  });

  it('renders the send operation: fields with constraints, examples, every error answer by name, code samples', async () => {
    await open(SEND);
    const operation = page.locator('[id="group-calls/sendagentgroupcall"]');
    await expect.poll(() => operation.count()).toBe(1);
    const body = await text();
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

    // One sample per request example, the SDK ones first (the first example's), then curl signing in shell.
    await expect.poll(text).toContain("} from 'itnio-voice';");
    await page.locator('button', { hasText: /^SDK · vendor's example$/ }).first().click();
    await page.getByRole('menuitem', { name: 'curl · minimal task' }).click();
    await expect.poll(text).toContain(`SIGN=$(printf '%s' "$API_KEY$API_SECRET$TS" |`);
  });

  it('renders the recall-flow operation and its variants, and switching source variants shows each rule', async () => {
    await open(UPDATE);
    await expect.poll(() => page.locator('[id="recall-flows/updaterecallflow"]').count()).toBe(1);
    const body = await text();
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
      // The chooser now names the variant picked, and the page shows that variant's fields.
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
    const fields = await text();
    expect(fields).toContain('requires voiceFileId');
    expect(fields).toContain('requires uploadName and baseFile');
    expect(fields).toContain('requires text and lan');
    expect(fields).toMatch(/requires at least one trigger \(feedbackPush, successPush, failedPush, ringPush\)/);
    expect(fields).toContain('requires sipGroupId, outboundControl, calloutRate and toSeatType');
    await chooser.scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(docsDir, 'screenshot.png') });
  });

  it('shows the error-code table and the intent labels as text, not only in the contract', async () => {
    await open('#/error-codes');
    // Sections render after the route changes; wait for the table rather than for a fixed time.
    await expect
      .poll(text)
      .toContain('Task name already exists')
      .finally(() => page.screenshot({ path: resolve(docsDir, 'screenshot-error-codes.png'), fullPage: true }));
    const codes = await text();
    expect(codes).toMatch(/-68\s+The AI agent's industry intents do not match/);

    await open('#/recall-intents');
    await expect.poll(text).toContain('Promise to pay: On time');
    const intents = await text();
    expect(intents).toContain('Promise to pay: Deferred');
  });

  it('sent nothing off loopback and logged no console errors, through all of the above', async () => {
    await page.waitForLoadState('networkidle');
    expect(browser.requests.length).toBeGreaterThan(0);
    expect(leftLoopback(browser.requests)).toEqual([]);
    for (const url of blockedByCsp(browser.requests)) expect(KNOWN_CSP_BLOCKED).toContain(url);
    expect(unexpectedConsoleErrors(browser.consoleErrors)).toEqual([]);
  });
});
