// End-to-end: issue 19's second pass over the built playground, as a new user meets it, in
// Debian's Chromium driven with playwright-core. With ISSUE19_SHOTS=before|after it also saves
// the screenshots of each point under docs/issue-19/ (<point>-before.png, <point>-after.png).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '@semfilter/core';
import { collectFailures } from '../support/chromium.js';
import { startPlayground, type Playground } from '../support/playground.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = process.env.ISSUE19_SHOTS;
const DESKTOP = { width: 1400, height: 1100 };
const PHONE = { width: 390, height: 844 };

const debuggerPart = (page: Page, selector: string) => page.locator(`semfilter-debugger ${selector}`);
const search = (page: Page) => new URL(page.url()).searchParams;
const sliders = (page: Page) =>
  page.evaluate(() => Object.fromEntries([...document.querySelector('semfilter-debugger')!.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="range"]')].map((input) => [input.id.replace('threshold-', ''), Number(input.value)])));

/** Opens a playground URL in a new context and waits for the first comparison. */
async function open(browser: Browser, url: string, viewport = DESKTOP): Promise<{ page: Page; context: BrowserContext; failures: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const failures = collectFailures(page, /\/favicon\.ico$|\/models\//);
  await page.goto(url);
  await debuggerPart(page, '[part~="summary"]').waitFor({ timeout: 120_000 });
  return { page, context, failures };
}

/** Saves a screenshot of the page (or of one part) as docs/issue-19/<point>-<ISSUE19_SHOTS>.png. */
async function shot(target: Page | Locator, point: string): Promise<void> {
  const folder = join(ROOT, 'docs/issue-19');
  mkdirSync(folder, { recursive: true });
  await target.screenshot({ path: join(folder, `${point}-${SHOTS}.png`) });
}

describe('the playground, second pass (issue 19)', () => {
  let playground: Playground;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    playground = await startPlayground();
    browser = playground.browser;
    url = playground.withModel.url;
  });
  afterAll(() => playground?.close());

  it('3. a preset sets its thresholds: Date night does not inherit mood 0.80', async () => {
    const { page, failures } = await open(browser, `${url}/?preset=classic-at-work-calm&mood_threshold=0.80`);
    expect((await sliders(page)).mood).toBe(0.8);
    await page.locator('#presets button', { hasText: 'Date night' }).click();
    await expect.poll(() => search(page).get('preset')).toBe('date-night');
    expect(await sliders(page)).toEqual(DEFAULT_THRESHOLDS);
    expect(search(page).get('mood_threshold')).toBeNull();
    expect(failures).toEqual([]);
  });

  it('3. "Reset thresholds" brings every slider back to its default, and the URL with them', async () => {
    const { page, failures } = await open(browser, `${url}/?occasion_threshold=0.30&mood_threshold=0.90`);
    await debuggerPart(page, 'button', ).filter({ hasText: /reset thresholds/i }).click();
    await expect.poll(() => sliders(page)).toEqual(DEFAULT_THRESHOLDS);
    await expect.poll(() => [search(page).get('occasion_threshold'), search(page).get('mood_threshold')]).toEqual([null, null]);
    expect(failures).toEqual([]);
  });

  it('8. says on the page which URL parameters it ignored, and why', async () => {
    const { page, failures } = await open(browser, `${url}/?mood_threshold=2&view=sideways`);
    const notice = page.locator('#url-warnings');
    await expect.poll(() => notice.isVisible()).toBe(true);
    const text = await notice.innerText();
    expect(text).toContain('mood_threshold');
    expect(text).toContain('"2" is not a number from 0 to 1');
    expect(text).toContain('view');
    expect(failures).toEqual([]);
  });

  it('2. on a phone, choosing a flip group scrolls its first row into view', async () => {
    const { page, failures } = await open(browser, `${url}/?semantic=on`, PHONE);
    // The model's answer first: a group chosen before it may be gone from the model's runs.
    await expect.poll(() => page.locator('semfilter-debugger').getAttribute('model-state'), { timeout: 120_000 }).toBe('ready');
    const group = debuggerPart(page, '[data-flip-group]').first();
    await group.waitFor({ timeout: 120_000 });
    await group.click();
    const first = debuggerPart(page, '[part~="item"]').first();
    await expect.poll(async () => {
      const box = await first.boundingBox();
      return box !== null && box.y > -1 && box.y < PHONE.height; // -1: a scroll lands on a fraction of a pixel
    }).toBe(true);
    expect(failures).toEqual([]);
  });

  it('5. on a phone, the pager keeps "Previous page" and "Next page" together on one line', async () => {
    const { page, failures } = await open(browser, `${url}/?view=all`, PHONE);
    const previous = await debuggerPart(page, '.pager button').first().boundingBox();
    const next = await debuggerPart(page, '.pager button').last().boundingBox();
    expect(Math.abs(previous!.y - next!.y)).toBeLessThan(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(failures).toEqual([]);
  });

  it.runIf(SHOTS !== undefined)('saves the screenshots of each point', async () => {
    // 1: a typed request that nothing passes
    {
      const { page, context } = await open(browser, `${url}/?style=casual&occasion=work&mood=zorblaxian&semantic=on`);
      await expect.poll(() => page.locator('semfilter-debugger').getAttribute('model-state'), { timeout: 120_000 }).toBe('ready');
      await page.waitForTimeout(500);
      await page.locator('semfilter-debugger').evaluate((e) => e.scrollIntoView());
      await shot(page, '1');
      await context.close();
    }
    // 2: a flip group chosen on a phone
    {
      const { page, context } = await open(browser, `${url}/?semantic=on`, PHONE);
      await expect.poll(() => page.locator('semfilter-debugger').getAttribute('model-state'), { timeout: 120_000 }).toBe('ready');
      const group = debuggerPart(page, '[data-flip-group]').first();
      await group.waitFor({ timeout: 120_000 });
      await group.click();
      await page.waitForTimeout(500);
      await shot(page, '2');
      await context.close();
    }
    // 3: Date night chosen after a link with mood 0.80
    {
      const { page, context } = await open(browser, `${url}/?preset=classic-at-work-calm&mood_threshold=0.80`);
      await page.locator('#presets button', { hasText: 'Date night' }).click();
      await page.waitForTimeout(1000);
      await shot(debuggerPart(page, '.thresholds'), '3');
      await context.close();
    }
    // 6: a repeat visit, every vector in the cache
    {
      const { page, context } = await open(browser, `${url}/?semantic=on`);
      await expect.poll(() => page.locator('semfilter-debugger').getAttribute('model-state'), { timeout: 120_000 }).toMatch(/ready|idle/);
      await page.waitForTimeout(1000);
      await page.reload();
      await debuggerPart(page, '[part~="summary"]').waitFor({ timeout: 120_000 });
      await page.waitForTimeout(1500);
      await page.locator('semfilter-debugger').evaluate((e) => e.scrollIntoView());
      await shot(page, '6');
      await context.close();
    }
    // 7: the charts, with a curve that stays low
    {
      const { page, context } = await open(browser, `${url}/?style=western&occasion=work&mood=calm&semantic=on`);
      await debuggerPart(page, '.plot .curve').first().waitFor({ timeout: 120_000 });
      await page.waitForTimeout(1000);
      await shot(debuggerPart(page, '.thresholds'), '7');
      await context.close();
    }
    // 8: bad URL parameters
    {
      const { page, context } = await open(browser, `${url}/?mood_threshold=2&view=sideways`);
      await page.waitForTimeout(500);
      await shot(page, '8');
      await context.close();
    }
    // 9: no model, no flips
    {
      const context = await browser.newContext({ viewport: DESKTOP });
      const page = await context.newPage();
      await page.goto(`${playground.withoutModel.url}/?style=zorblaxian&occasion=funeral&semantic=on`);
      await debuggerPart(page, '[part~="summary"]').waitFor({ timeout: 120_000 });
      await expect.poll(() => page.locator('semfilter-debugger').getAttribute('model-state'), { timeout: 120_000 }).toBe('fallback');
      await page.waitForTimeout(1000);
      await page.locator('semfilter-debugger').evaluate((e) => e.scrollIntoView());
      await shot(page, '9');
      await context.close();
    }
  });
});
