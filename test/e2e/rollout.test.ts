// End-to-end: the playground's rollout section, built, in Debian's Chromium: a fault button and a
// burst of traffic make a guardrail fail twice in a row, and the panel shows the rollback.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFailures } from '../support/chromium.js';
import { startPlayground, type Playground } from '../support/playground.js';
import type { StaticServer } from '../support/static-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the panel's screenshot goes; `ROLLOUT_SCREENSHOT_PATH=$PWD/docs/rollout-panel.png` refreshes the README's. */
const SCREENSHOT = process.env.ROLLOUT_SCREENSHOT_PATH ?? join(ROOT, 'test/e2e/output/rollout-panel.png');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** The "Model unavailable" fault sends semantic runs to a filter pointed at /no-model/: its 404s are the point. */
const EXPECTED_MISSES = /\/no-model\/|\/favicon\.ico$/;

/** A demo id whose bucket (0.0517) is inside demo/rollout.json's 25% stage and on no list. */
const IN_ROLLOUT_ID = 'demo-user-6';

/**
 * Opens the playground with a fresh storage (a new context) and, unless told otherwise, types a user
 * id in the rollout once demo/rollout.json has arrived (the field starts empty: NO_USER_ID).
 */
async function open(browser: Browser, url: string, { expectedMisses = EXPECTED_MISSES, userId = IN_ROLLOUT_ID } = {}): Promise<{ page: Page; failures: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1100 } })).newPage();
  const failures = collectFailures(page, expectedMisses);
  await page.goto(url);
  await expect.poll(() => panelText(page, '[data-reason]'), { timeout: 60_000 }).toBe('NO_USER_ID');
  if (userId !== '') {
    await page.getByLabel('User id').fill(userId);
    await expect.poll(() => panelText(page, '[data-reason]')).toBe('IN_ROLLOUT');
  }
  return { page, failures };
}

/** Text of the first element matching `selector` in the panel's shadow root ('' when there is none). */
function panelText(page: Page, selector: string): Promise<string> {
  return page.locator('semfilter-rollout-panel').evaluate((panel, s) => panel.shadowRoot!.querySelector(s)?.textContent?.replace(/\s+/g, ' ').trim() ?? '', selector);
}

const debuggerSemantic = (page: Page) => page.locator('semfilter-debugger [part~="semantic-toggle"]').getAttribute('aria-checked');

/** Clicks "Send 60 requests" and waits until the page says what the traffic got. */
async function sendTraffic(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Send 60 requests' }).click();
  await expect.poll(() => page.locator('#traffic-status').innerText(), { timeout: 90_000 }).toMatch(/^Sent 60 requests/);
  return page.locator('#traffic-status').innerText();
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: Element): Promise<{ violations: { id: string; help: string }[] }> } }).axe;
    const results = await axe.run(document.querySelector('semfilter-rollout-panel')!);
    return results.violations.map((v) => `${v.id}: ${v.help}`);
  });
}

describe('the playground rollout, built, in Chromium', () => {
  let browser: Browser;
  let withModel: StaticServer;
  let withoutModel: StaticServer;

  let playground: Playground | undefined;

  beforeAll(async () => {
    playground = await startPlayground();
    ({ browser, withModel, withoutModel } = playground);
  });
  afterAll(() => playground?.close());

  it('decides per user id as it is typed, and the semantic switch follows the decision', async () => {
    const { page, failures } = await open(browser, `${withModel.url}/`, { userId: '' });
    expect(await debuggerSemantic(page)).toBe('false'); // no user yet: the page opens on the traditional filter
    await page.getByLabel('User id').fill(IN_ROLLOUT_ID);
    await expect.poll(() => panelText(page, '[data-reason]')).toBe('IN_ROLLOUT');
    expect(await panelText(page, '[data-bucket]')).toBe('0.0517');
    expect(await debuggerSemantic(page)).toBe('true');
    await page.getByLabel('User id').fill('demo-user-1'); // bucket 0.9202: above the 25% stage
    await expect.poll(() => panelText(page, '[data-reason]')).toBe('OUT_OF_ROLLOUT');
    expect(await debuggerSemantic(page)).toBe('false');
    await page.getByLabel('User id').fill('<img src=x onerror=alert(1)>');
    await expect.poll(() => panelText(page, '.user-id')).toBe('<img src=x onerror=alert(1)>');
    expect(await page.locator('semfilter-rollout-panel').evaluate((panel) => panel.shadowRoot!.querySelector('img'))).toBeNull();
    await page.getByLabel('User id').fill('');
    await expect.poll(() => panelText(page, '[data-reason]')).toBe('NO_USER_ID');
    expect(await page.locator('#model-missing').isHidden()).toBe(true); // the model is served here
    expect(failures).toEqual([]);
  });

  it('"Model unavailable" and traffic: the fallback guardrail fails twice, the panel shows the rollback, re-arm undoes it', async () => {
    const { page, failures } = await open(browser, `${withModel.url}/`);
    await page.getByRole('button', { name: 'Model unavailable' }).click();
    expect(await page.getByRole('button', { name: 'Model unavailable' }).getAttribute('aria-pressed')).toBe('true');
    expect(await sendTraffic(page)).toMatch(/fell back \(MODEL_UNAVAILABLE\)/);
    await expect.poll(() => panelText(page, '[data-reason]')).toBe('GUARDRAIL_ROLLBACK');
    const notice = page.locator('semfilter-rollout-panel [part~="rollback-notice"]');
    expect(await notice.getAttribute('role')).toBe('alert');
    expect(await notice.innerText()).toMatch(/Semantic mode was rolled back[\s\S]*was \d[\d.]*% against a threshold of \d/);
    expect(await panelText(page, '[data-window-result]')).toMatch(/Last window .*FAIL/);
    expect(await page.locator('semfilter-rollout-panel tr[data-metric="fallback_or_error_rate"] [data-status]').innerText()).toBe('FAIL');
    expect(await debuggerSemantic(page)).toBe('false'); // the switch follows the rollback
    expect(await axeViolations(page)).toEqual([]);

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    const png = await page.locator('semfilter-rollout-panel').screenshot({ path: SCREENSHOT });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    console.log(`rollout panel after a rollback: ${SCREENSHOT}`);

    await page.reload(); // the rollback is sticky: stored, not in memory (the user id is not: the field starts empty)
    await page.getByLabel('User id').fill(IN_ROLLOUT_ID);
    await expect.poll(() => panelText(page, '[data-reason]'), { timeout: 60_000 }).toBe('GUARDRAIL_ROLLBACK');
    expect(await debuggerSemantic(page)).toBe('false');
    await page.locator('semfilter-rollout-panel [part~="rearm"]').click();
    await expect.poll(() => panelText(page, '[data-reason]')).toBe('IN_ROLLOUT');
    expect(await debuggerSemantic(page)).toBe('true');
    expect(failures).toEqual([]);
  });

  it('"Slow model" and traffic: the p95 latency guardrail rolls semantic mode back', async () => {
    const { page, failures } = await open(browser, `${withModel.url}/`);
    // The sample wardrobe's long-tail tags need the model; a run made while it loads answers
    // MODEL_LOADING, which the guardrails leave out of their windows (a warm-up, not a fault), so
    // the traffic goes once the model is there.
    await expect.poll(() => page.locator('semfilter-debugger').getAttribute('model-state'), { timeout: 60_000 }).toBe('ready');
    await page.getByRole('button', { name: 'Slow model' }).click();
    await sendTraffic(page);
    await expect.poll(() => panelText(page, '[data-reason]')).toBe('GUARDRAIL_ROLLBACK');
    expect(await page.locator('semfilter-rollout-panel [data-rollback-metric]').getAttribute('data-rollback-metric')).toMatch(/latency/);
    expect(await page.locator('semfilter-rollout-panel tr[data-metric="p95_latency_ms"] [data-status]').innerText()).toBe('FAIL');
    await page.getByRole('button', { name: 'Clear faults' }).click();
    expect(await page.getByRole('button', { name: 'Slow model' }).getAttribute('aria-pressed')).toBe('false');
    expect(failures).toEqual([]);
  });

  it('says plainly when the model is not served, and names the command that fixes it', async () => {
    const { page, failures } = await open(browser, `${withoutModel.url}/`, { expectedMisses: /\/models\/|\/no-model\//, userId: '' });
    const message = page.locator('#model-missing');
    await message.waitFor();
    expect(await message.innerText()).toMatch(/The model is not served here\.[\s\S]*run npm run fetch-model[\s\S]*then reload this page/);
    expect(failures).toEqual([]);
  });
});
