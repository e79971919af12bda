// End-to-end: the built playground (what `vite build` makes of demo/) in Debian's Chromium, driven
// with playwright-core, with the model served from this machine — and once without it. Also the
// dev server `npm start` runs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFailures, launchChromium } from '../support/chromium.js';
import { startPlayground, type Playground } from '../support/playground.js';
import type { StaticServer } from '../support/static-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONFIG = join(ROOT, 'vite.config.ts');
/** Where the screenshots go; `SCREENSHOT_DIR=$PWD/docs` refreshes the README's (playground.png, playground-phone.png). */
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? join(ROOT, 'test/e2e/output');

interface RowState {
  readonly id: string;
  readonly traditional: string;
  readonly semantic: string;
  readonly semanticCell: string;
}

/** The rows the debugger shows, as a user reads them. */
function rowsOf(page: Page): Promise<RowState[]> {
  return page.locator('semfilter-debugger').evaluate((element) =>
    [...element.shadowRoot!.querySelectorAll<HTMLElement>('[part~="item"]')].map((row) => ({
      id: row.dataset.itemId!,
      traditional: row.dataset.traditional!,
      semantic: row.dataset.semantic!,
      semanticCell: row.querySelector('td[data-label="Semantic filter"]')!.textContent!.replace(/\s+/g, ' '),
    })),
  );
}

/** Opens the playground and waits for the first comparison; collects page errors and failed requests. */
async function open(browser: Browser, url: string, expectedMisses?: RegExp, viewport = { width: 1400, height: 1100 }): Promise<{ page: Page; failures: string[] }> {
  const page = await (await browser.newContext({ viewport })).newPage();
  const failures = collectFailures(page, expectedMisses);
  await page.goto(url);
  await page.locator('semfilter-debugger [part~="summary"]').waitFor({ timeout: 120_000 });
  return { page, failures };
}

const toggleSemantic = async (page: Page) => {
  await page.locator('semfilter-debugger [part~="semantic-toggle"]').click();
  await expect.poll(() => page.locator('semfilter-debugger').getAttribute('semantic')).toBe('');
};
/** Saves a screenshot of the first screen under SCREENSHOTS. */
async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const png = await page.screenshot({ path: join(SCREENSHOTS, name) });
  expect(png.subarray(1, 4).toString()).toBe('PNG');
}

const summaryText = (page: Page) => page.locator('semfilter-debugger [part~="summary"]').innerText();

describe('the playground, built, in Chromium', () => {
  let browser: Browser;
  let withModel: StaticServer;
  let withoutModel: StaticServer;

  let playground: Playground | undefined;

  beforeAll(async () => {
    playground = await startPlayground();
    ({ browser, withModel, withoutModel } = playground);
  });
  afterAll(() => playground?.close());

  it('loads the sample wardrobe and compares both filters', async () => {
    const { page, failures } = await open(browser, `${withModel.url}/`);
    expect(await page.locator('#wardrobe-status').innerText()).toBe('Showing the sample wardrobe: 500 items.');
    expect(await summaryText(page)).toMatch(/Traditional filter [\d.]+%\s+\d+ of 500 pass/);
    expect(await page.locator('semfilter-debugger [part~="semantic-toggle"]').getAttribute('aria-checked')).toBe('false');
    expect(failures).toEqual([]);
  });

  it('lets through, once semantic mode is on, items the traditional filter rejected, and says why', async () => {
    const { page, failures } = await open(browser, `${withModel.url}/`);
    const before = await rowsOf(page);
    await toggleSemantic(page);
    await expect.poll(async () => (await rowsOf(page)).length).toBeGreaterThan(before.length);
    const rescued = (await rowsOf(page)).filter((row) => row.traditional === 'reject' && row.semantic === 'pass');
    expect(rescued.length).toBeGreaterThan(0);
    for (const row of rescued) expect(row.semanticCell).toMatch(/"[^"]+" (probably )?fits "[^"]+" \(\d\.\d\d, (sure|fairly sure|unsure)\)/);
    await expect.poll(() => summaryText(page)).toContain('Semantic mode active'); // a run answered at the deadline (MODEL_LOADING) is made again when the model arrives
    expect(await page.locator('semfilter-debugger').getAttribute('model-state')).toMatch(/^(idle|ready)$/);
    expect(failures).toEqual([]);
  });

  it('shows the disagreements alone, and saves a screenshot of both modes side by side', async () => {
    const { page, failures } = await open(browser, `${withModel.url}/`);
    await toggleSemantic(page);
    await page.locator('semfilter-debugger .toolbar select').selectOption('disagreements');
    await expect.poll(async () => (await rowsOf(page)).length).toBeGreaterThan(0);
    const rows = await rowsOf(page);
    expect(rows.every((row) => row.traditional !== row.semantic)).toBe(true);
    expect(await page.locator('semfilter-debugger').evaluate((e) => e.shadowRoot!.querySelector('.pager [role="status"]')!.textContent)).toMatch(/^\d+ rows where the two filters disagree/);
    await expect.poll(() => page.locator('semfilter-debugger').getAttribute('model-state')).toBe('ready');
    await expect.poll(() => summaryText(page)).toMatch(/Semantic mode active/);
    await saveScreenshot(page, 'playground.png');
    expect(failures).toEqual([]);
  });

  it('on a phone (390 × 844) shows what semantic mode changes on the first screen, with no sideways scroll and the semantic verdicts on screen', async () => {
    const { page, failures } = await open(browser, `${withModel.url}/?preset=weekend-hike&semantic=on`, undefined, { width: 390, height: 844 });
    await expect.poll(() => page.locator('semfilter-debugger').getAttribute('model-state')).toBe('ready');
    await expect.poll(() => page.locator('semfilter-debugger [part~="changes"]').count()).toBe(1);
    // The panel's sentence ("What semantic mode changes: it passes …") lies inside the first screen.
    const changes = await page.locator('semfilter-debugger [part~="changes"]').evaluate((panel) => ({ sentenceBottom: panel.querySelector('p')!.getBoundingClientRect().bottom, text: panel.textContent!.replace(/\s+/g, ' ') }));
    expect(changes.text).toMatch(/What semantic mode changes: it passes \d+ items? the traditional filter rejects/);
    expect(changes.sentenceBottom).toBeLessThanOrEqual(844);
    const widths = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, client: document.scrollingElement!.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    await saveScreenshot(page, 'playground-phone.png');
    // Each row's semantic verdict fits the screen's width once scrolled to.
    await expect.poll(async () => (await rowsOf(page)).length).toBeGreaterThan(0);
    const verdicts = await page.locator('semfilter-debugger').evaluate((element) =>
      [...element.shadowRoot!.querySelectorAll('[part~="item"] td[data-label="Semantic filter"] .verdict')].map((verdict) => {
        verdict.scrollIntoView({ block: 'center' });
        const box = verdict.getBoundingClientRect();
        return box.width > 0 && box.left >= 0 && box.right <= document.scrollingElement!.clientWidth;
      }),
    );
    expect(verdicts.length).toBeGreaterThan(0);
    expect(verdicts.every(Boolean)).toBe(true);
    expect(failures).toEqual([]);
  });

  it('refuses a broken upload with a message naming the file and line, and keeps the wardrobe', async () => {
    const { page } = await open(browser, `${withModel.url}/`);
    const upload = page.locator('#upload');
    await upload.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('[\n {"id": "a", "style": "casual"},\n {"id": "b", "sty') });
    const alert = page.locator('#wardrobe-error');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('broken.json: line 3: the JSON ends early (is the file truncated?)');
    await upload.setInputFiles({ name: 'no-id.json', mimeType: 'application/json', buffer: Buffer.from('[{"id": "a"}, {"name": "<b>no id</b>", "style": 7}]') });
    await expect.poll(() => alert.innerText()).toMatch(/no-id\.json: items\[1\]\.id: .*string/);
    expect(await alert.innerText()).toMatch(/no-id\.json: items\[1\]\.style: /);
    expect(await page.locator('#wardrobe-status').innerText()).toBe('Showing the sample wardrobe: 500 items.');
    await upload.setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from('{"items": [{"id": "x", "style": "Smart_Casual"}]}') });
    await expect.poll(() => page.locator('#wardrobe-status').innerText()).toBe('Showing mine.json: 1 item.');
    expect(await alert.isHidden()).toBe(true);
  });

  it('works without the model: the embedded vocabulary, and exact matching for the rest, saying so', async () => {
    const { page, failures } = await open(browser, `${withoutModel.url}/`, /\/models\//);
    const before = await rowsOf(page);
    await toggleSemantic(page);
    await expect.poll(() => summaryText(page)).toMatch(/Semantic mode (partly active \(MODEL_UNAVAILABLE|not active: MODEL_UNAVAILABLE)/);
    expect((await rowsOf(page)).length).toBeGreaterThan(before.length);
    expect(await page.locator('semfilter-debugger').getAttribute('model-state')).toBe('fallback');
    expect(failures).toEqual([]);
  });
});

describe('npm start (the Vite dev server)', () => {
  let server: ViteDevServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await createServer({ configFile: CONFIG, logLevel: 'error', server: { port: 0, host: '127.0.0.1' } });
    await server.listen();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the playground, with the model at /models/', async () => {
    const { page, failures } = await open(browser, server.resolvedUrls!.local[0]!);
    await toggleSemantic(page);
    await expect.poll(async () => (await rowsOf(page)).some((row) => row.traditional === 'reject' && row.semantic === 'pass')).toBe(true);
    await expect.poll(() => summaryText(page)).toContain('Semantic mode active'); // a run answered at the deadline (MODEL_LOADING) is made again when the model arrives
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true); // COOP/COEP from vite.config.ts: the worker may use threads
    expect(failures).toEqual([]);
  });
});
