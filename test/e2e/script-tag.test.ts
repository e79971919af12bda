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
      '/bundle/': join(ROOT, 'packages/elements/dist/bundle'),
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
    expect(await page.locator('semfilter-debugger').getAttribute('model-state')).toBe('ready'); // "practical" and "commute" needed the model
    expect(failures).toEqual([]);
  });
});
