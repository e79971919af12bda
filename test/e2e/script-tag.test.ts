// The element's self-contained bundle on a page without a bundler: one <script type="module">.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFailures, launchChromium } from '../support/chromium.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('<semfilter-debugger> from a plain script tag', () => {
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startStaticServer({
      '/bundle/': join(ROOT, 'packages/standalone/dist'),
      '/models/': join(ROOT, 'models'),
      '/': join(ROOT, 'test/e2e/script-tag'),
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders both verdicts, with the model for the tags the vocabulary lacks', async () => {
    const page = await browser.newPage();
    const failures = collectFailures(page);
    await page.goto(`${server.url}/`);
    const rows = page.locator('semfilter-debugger [part~="item"]');
    await expect.poll(() => rows.count(), { timeout: 120_000 }).toBe(3);
    const verdicts = await rows.evaluateAll((found) => found.map((row) => `${(row as HTMLElement).dataset.itemId}:${(row as HTMLElement).dataset.traditional}/${(row as HTMLElement).dataset.semantic}`));
    expect(verdicts).toContain('blazer:reject/pass');
    expect(verdicts).toContain('tee:pass/pass');
    await page.locator('semfilter-debugger [part~="semantic-toggle"]').press('Space');
    expect(await page.locator('semfilter-debugger').getAttribute('semantic')).toBe('');
    // "sturdy" is not in the vocabulary: it needs the model (the rows show before it arrives, from the vocabulary).
    await expect.poll(() => page.locator('semfilter-debugger').getAttribute('model-state'), { timeout: 120_000 }).toBe('ready');
    expect(failures).toEqual([]);
  });

  it('a plain page configures the filter through the bundle\'s createSemanticFilter: dtype q8 loads the quantized model', async () => {
    const page = await browser.newPage();
    const failures = collectFailures(page);
    const models: string[] = [];
    page.on('request', (request) => request.url().endsWith('.onnx') && models.push(new URL(request.url()).pathname));
    await page.goto(`${server.url}/configured.html?dtype=q8`);
    const element = page.locator('semfilter-debugger');
    await expect.poll(() => element.getAttribute('model-state'), { timeout: 90_000 }).toBe('ready');
    // The report that names the model comes from the run after the load: on a busy machine it lands seconds after 'ready'.
    await expect.poll(() => element.evaluate((host) => (host as HTMLElement & { report?: { model: unknown } }).report?.model), { timeout: 30_000 }).toEqual({ id: 'Xenova/all-MiniLM-L6-v2', dtype: 'q8' });
    expect(models).toEqual(['/models/Xenova/all-MiniLM-L6-v2/onnx/model_quantized.onnx']);
    expect(failures).toEqual([]);
  });

  it('a plain page\'s loadTimeoutMs takes effect: a 1 ms budget falls back with TIMEOUT', async () => {
    const page = await browser.newPage();
    const failures = collectFailures(page);
    await page.goto(`${server.url}/configured.html?loadTimeoutMs=1`);
    const element = page.locator('semfilter-debugger');
    await expect.poll(() => element.getAttribute('model-state')).toBe('fallback');
    await expect.poll(() => element.evaluate((host) => (host as HTMLElement & { report?: { fallback_reason: unknown } }).report?.fallback_reason)).toBe('TIMEOUT');
    expect(failures).toEqual([]);
  });
});
