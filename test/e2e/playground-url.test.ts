// End-to-end: the built playground's state in its URL (a link reproduces a finding) and its
// exports of both modes, in Debian's Chromium driven with playwright-core, the model served locally.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, reportSchema, type ComparisonExport } from '@semfilter/core';
import { collectFailures } from '../support/chromium.js';
import { startPlayground, type Playground } from '../support/playground.js';
import type { StaticServer } from '../support/static-server.js';

/** What the debugger shows, read from its public properties and its shadow root as a user sees it. */
interface Shown {
  readonly request: unknown;
  readonly thresholds: unknown;
  readonly semantic: boolean;
  readonly switchChecked: string | null;
  readonly view: string;
  readonly selectValue: string;
  readonly sliders: Record<string, string>;
  readonly pressed: string[];
}

function shown(page: Page): Promise<Shown> {
  return page.evaluate(() => {
    const element = document.querySelector('semfilter-debugger')!;
    const root = element.shadowRoot!;
    const sliders = Object.fromEntries(
      [...root.querySelectorAll<HTMLElement>('.threshold')].map((box) => [box.querySelector('label')!.textContent!.trim().split(' ')[0]!, box.querySelector<HTMLInputElement>('input[type="range"]')!.value]),
    );
    return {
      request: element.request,
      thresholds: element.thresholds,
      semantic: element.semantic,
      switchChecked: root.querySelector('[part~="semantic-toggle"]')!.getAttribute('aria-checked'),
      view: element.view,
      selectValue: root.querySelector('select')!.value,
      sliders,
      pressed: [...document.querySelectorAll('#presets [aria-pressed="true"]')].map((b) => b.textContent!),
    };
  });
}

/** Opens a playground URL and waits for the first comparison; collects page errors and the playground's console warnings. */
async function open(browser: Browser, url: string): Promise<{ page: Page; failures: string[]; warnings: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1100 } })).newPage();
  const failures = collectFailures(page);
  const warnings: string[] = [];
  page.on('console', (message) => message.type() === 'warning' && message.text().startsWith(IGNORED) && warnings.push(message.text()));
  await page.goto(url);
  await page.locator('semfilter-debugger [part~="summary"]').waitFor({ timeout: 120_000 });
  return { page, failures, warnings };
}

const IGNORED = 'semfilter playground: ignored in the URL: ';
const search = (page: Page) => new URL(page.url()).searchParams;
const DATE_NIGHT = '?preset=date-night&style=romantic&occasion=date+night&mood=flirty&mood_threshold=0.80&view=all&semantic=on';

describe('the playground keeps its state in the URL, and exports both modes', () => {
  let browser: Browser;
  let server: StaticServer;

  let playground: Playground | undefined;

  beforeAll(async () => {
    playground = await startPlayground();
    ({ browser, withModel: server } = playground);
  });
  afterAll(() => playground?.close());

  it('shows the request, thresholds, view, mode and preset a link names; a moved slider goes into the URL and survives a reload', async () => {
    const { page, failures, warnings } = await open(browser, `${server.url}/${DATE_NIGHT}`);
    const expected = { request: { style: 'romantic', occasion: 'date night', mood: 'flirty' }, thresholds: { mood: 0.8 }, semantic: true, switchChecked: 'true', view: 'all', selectValue: 'all', pressed: ['Date night'] };
    expect(await shown(page)).toMatchObject({ ...expected, sliders: { style: String(DEFAULT_THRESHOLDS.style), occasion: String(DEFAULT_THRESHOLDS.occasion), mood: '0.8' } });

    await page.locator('semfilter-debugger .threshold').filter({ hasText: 'occasion threshold' }).locator('input[type="range"]').fill('0.42');
    await expect.poll(() => search(page).get('occasion_threshold')).toBe('0.42');
    expect(search(page).get('mood_threshold')).toBe('0.80');
    expect(search(page).get('semantic')).toBe('on');

    await page.reload();
    await page.locator('semfilter-debugger [part~="summary"]').waitFor({ timeout: 120_000 });
    expect(await shown(page)).toMatchObject({ ...expected, thresholds: { mood: 0.8, occasion: 0.42 }, sliders: { style: '0.45', occasion: '0.42', mood: '0.8' } });
    expect(warnings).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('writes the switch, the view and a request edited by hand (which leaves its preset)', async () => {
    const { page, failures } = await open(browser, `${server.url}/`);
    expect((await shown(page)).pressed).toEqual(['Classic at work, calm']);
    await page.locator('semfilter-debugger [part~="semantic-toggle"]').click();
    await page.locator('semfilter-debugger .toolbar select').selectOption('disagreements');
    await expect.poll(() => [search(page).get('semantic'), search(page).get('view')]).toEqual(['on', 'disagreements']);
    expect(search(page).get('preset')).toBe('classic-at-work-calm');

    const style = page.locator('semfilter-debugger .request input').first();
    await style.fill('bohemian, boho');
    await style.press('Enter');
    await expect.poll(() => search(page).get('style')).toBe('bohemian, boho');
    expect(search(page).get('preset')).toBeNull();
    expect((await shown(page)).pressed).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('writes the view the element sets itself: choosing a flip group shows disagreements, Show all rows brings the view back', async () => {
    const { page, failures } = await open(browser, `${server.url}/?view=all`);
    const group = page.locator('semfilter-debugger [data-flip-group]').first();
    await group.waitFor({ timeout: 120_000 });
    await group.click();
    await expect.poll(() => search(page).get('view')).toBe('disagreements');
    expect((await shown(page)).view).toBe('disagreements');
    await page.locator('semfilter-debugger [data-restriction] button', { hasText: 'Show all rows' }).click();
    await expect.poll(() => search(page).get('view')).toBe('all');
    expect(failures).toEqual([]);
  });

  it('returns to the state before a preset on Back, and to the preset on Forward', async () => {
    const { page, failures } = await open(browser, `${server.url}/?mood_threshold=0.70`);
    await page.locator('#presets button', { hasText: 'Weekend hike' }).click();
    await expect.poll(() => search(page).get('preset')).toBe('weekend-hike');
    expect((await shown(page)).request).toEqual({ style: 'rugged', occasion: 'hiking', mood: 'energetic' });
    await page.goBack();
    await expect.poll(async () => (await shown(page)).request).toEqual({ style: 'classic', occasion: 'work', mood: 'calm' });
    expect(await shown(page)).toMatchObject({ thresholds: { mood: 0.7 }, pressed: ['Classic at work, calm'] });
    await page.goForward();
    await expect.poll(async () => (await shown(page)).pressed).toEqual(['Weekend hike']);
    expect(failures).toEqual([]);
  });

  it('ignores values that are not valid, with a console warning each, and the page works', async () => {
    const { page, failures, warnings } = await open(browser, `${server.url}/?style=,,&mood_threshold=2&occasion_threshold=abc&view=sideways&semantic=maybe&preset=nope`);
    expect(await shown(page)).toMatchObject({ request: { style: 'classic', occasion: 'work', mood: 'calm' }, thresholds: {}, semantic: false, view: 'passing', pressed: ['Classic at work, calm'] });
    expect(warnings.map((w) => w.split(': ')[2])).toEqual(['style', 'occasion_threshold', 'mood_threshold', 'view', 'semantic', 'preset']);
    await expect.poll(() => search(page).get('mood_threshold')).toBeNull(); // the URL is rewritten to what is shown
    expect(failures).toEqual([]);
  });

  it('exports both modes with the request, thresholds, view and mode as JSON, and one CSV row per item', async () => {
    const { page, failures } = await open(browser, `${server.url}/${DATE_NIGHT}`);
    // With the model loaded, the element's semantic run (which it exports) is the model's answer, not a deadline's partial one.
    await expect.poll(() => page.locator('semfilter-debugger').getAttribute('model-state')).toBe('ready');
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.locator('semfilter-debugger button[data-export="json"]').click()]);
    expect(jsonDownload.suggestedFilename()).toMatch(/^semfilter-romantic-date-night-flirty-\d{4}-\d{2}-\d{2}-\d{6}\.json$/); // named after the request and time (issue 19, point 8)
    const exported = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8')) as ComparisonExport;
    expect(exported).toMatchObject({ schema: 1, request: { style: 'romantic', occasion: 'date night', mood: 'flirty' }, thresholds: { style: DEFAULT_THRESHOLDS.style, occasion: DEFAULT_THRESHOLDS.occasion, mood: 0.8 }, semantic_weight: 0.3, view: 'all', mode: 'semantic' });
    expect(reportSchema.parse(exported.traditional).items).toHaveLength(500);
    expect(reportSchema.parse(exported.semantic).items).toHaveLength(500);
    expect(exported.traditional.semantic_mode_active).toBe(false);
    expect(exported.semantic).toMatchObject({ semantic_mode_active: true, fallback_reason: null });
    const passed = new Map(exported.semantic.items.map((v) => [v.id, v.passed]));
    const flipped = exported.traditional.items.filter((v) => passed.get(v.id) !== v.passed).map((v) => v.id);
    expect(flipped.length).toBeGreaterThan(0);
    expect(exported.flips.map((f) => f.id)).toEqual(flipped);
    // The element's own report of the active mode is the export's semantic report.
    await expect.poll(() => page.evaluate(() => document.querySelector('semfilter-debugger')!.report?.filter_pass_rate)).toBe(exported.semantic.filter_pass_rate);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('semfilter-debugger button[data-export="csv"]').click()]);
    const lines = readFileSync((await csvDownload.path())!, 'utf8').split('\r\n');
    expect(lines[0]).toBe('id,name,traditional,semantic,traditional_score,semantic_score,traditional_why,semantic_why');
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1); // the sample wardrobe's names hold no comma, quote or line break
    expect(rows).toHaveLength(500);
    const byId = new Map(rows.map((row) => [row.split(',')[0], row.split(',')]));
    for (const id of flipped) expect(byId.get(id)!.slice(2, 4)).toEqual(passed.get(id) ? ['reject', 'pass'] : ['pass', 'reject']);
    expect(await page.locator('semfilter-debugger [data-export-status]').innerText()).toBe('Exported 500 items, both modes, as CSV.');
    expect(failures).toEqual([]);
  });
});
