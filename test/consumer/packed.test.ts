// Our packages as a frontend team meets them: packed tarballs installed from the npm registry into
// a fresh Vite + TypeScript (strict) app with no overrides, type-checked and built with the app's
// own tools, then driven in Chromium. The model is not served to this app: the element has to
// render and say what semantic mode lacks. Prints the install size and the start-up bytes.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectFailures, launchChromium } from '../support/chromium.js';
import { installConsumer, installedVersion, inApp, kilobytes, megabytes, packPackages, type ConsumerApp } from '../support/packed-consumer.js';
import { collectPageBytes, startBytes } from '../support/page-bytes.js';
import { startStaticServer } from '../support/static-server.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** The Vite React plugin a team would add (`npm create vite` does); not a dependency of the monorepo. */
const REACT_PLUGIN = '6.3.1';
const words = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/** Packed once for both apps. */
let tarballs: Record<string, string> | undefined;
const ours = () => {
  tarballs ??= packPackages(['@semfilter/core', '@semfilter/elements']);
  return { '@semfilter/core': `file:${tarballs['@semfilter/core']}`, '@semfilter/elements': `file:${tarballs['@semfilter/elements']}` };
};
const tools = () => ({ typescript: installedVersion('typescript'), vite: installedVersion('vite') });

/** What every consumer app must pass before it runs: a clean install and the app's own strict type-check (skipLibCheck off, so our .d.ts files are checked too). */
function itInstallsCleanAndTypeChecks(app: () => ConsumerApp): void {
  it('installs without an install script or a native module among its runtime dependencies', () => {
    expect(app().scriptedOrNative).toEqual([]);
  });

  it('type-checks under strict TypeScript, our .d.ts files included', () => {
    expect(() => inApp(app(), 'npx', ['--no-install', 'tsc', '--noEmit', '-p', '.'])).not.toThrow();
  });
}

/**
 * Builds the app with its own `vite build` (no output: no warning), serves dist/ with no model,
 * opens it in Chromium and runs `check`; then no page error, console error or unexpected HTTP error
 * may have happened, and the gzipped bytes loaded at start are printed.
 */
async function inBuiltApp(app: ConsumerApp, label: string, check: (page: Page) => Promise<void>): Promise<void> {
  expect(inApp(app, 'npx', ['--no-install', 'vite', 'build', '--logLevel', 'warn']).trim()).toBe('');
  const server = await startStaticServer({ '/': join(app.dir, 'dist') });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    // No model here: its files answer 404, which is what the element must explain.
    const failures = collectFailures(page, /\/models\/|\/favicon\.ico$/);
    const { loaded, settled } = collectPageBytes(page);
    await page.goto(`${server.url}/`);
    await check(page);
    expect(failures).toEqual([]);
    await settled();
    console.log(`${label} start-up: ${kilobytes(startBytes(loaded))} gzipped before semantic mode (${loaded.filter((e) => e.group === 'page').map((e) => e.url).join(', ')})`);
  } finally {
    await browser.close();
    await server.close();
  }
}

describe('a Vite + TypeScript app installing the packed @semfilter/core and @semfilter/elements', () => {
  let app: ConsumerApp;

  beforeAll(() => {
    app = installConsumer(join(HERE, 'packed/vite-app'), ours(), tools());
    console.log(`vite app: node_modules ${megabytes(app.installedBytes)} (runtime dependencies ${megabytes(app.runtimeBytes)}, the rest the app's vite and typescript)`);
  }, 300_000);

  itInstallsCleanAndTypeChecks(() => app);

  it('builds with Vite without a warning, and the page renders the element and says what semantic mode lacks', async () => {
    await inBuiltApp(app, 'vite app', async (page) => {
      await page.waitForFunction(() => document.body.dataset.modelState === 'fallback', undefined, { timeout: 120_000 });
      const shown = await page.waitForFunction(() => {
        const root = document.querySelector('semfilter-debugger')?.shadowRoot;
        const text = root?.textContent ?? '';
        return /could not be loaded because/.test(text) && root!.querySelectorAll('tbody tr, [part~="row"]').length > 0 ? text : false;
      }, undefined, { timeout: 60_000 });
      const text = words(await shown.jsonValue() as string);
      expect(text).toMatch(/the model could not be loaded because the model files are not served at \S+\/models\//);
      expect(text).toContain('Navy blazer');
      expect(await page.evaluate(() => document.body.dataset.exactPassRate)).toBe(String(1 / 3));
    });
  });
});

describe('a React 19 + Vite app using @semfilter/elements/react from the packed tarballs', () => {
  let app: ConsumerApp;

  beforeAll(() => {
    const react = installedVersion('react');
    app = installConsumer(join(HERE, 'packed/react-app'), { ...ours(), react, 'react-dom': react }, {
      ...tools(),
      '@types/react': installedVersion('@types/react'),
      '@types/react-dom': installedVersion('@types/react-dom'),
      '@vitejs/plugin-react': REACT_PLUGIN,
    });
    console.log(`react app: node_modules ${megabytes(app.installedBytes)} (runtime dependencies ${megabytes(app.runtimeBytes)})`);
  }, 300_000);

  itInstallsCleanAndTypeChecks(() => app);

  it('imports every entry point on a server (Node, no DOM) and renders the wrapper with react-dom/server', () => {
    const { imported, html } = JSON.parse(inApp(app, process.execPath, ['server/render.mjs'])) as { imported: string[]; html: string };
    expect(imported).toHaveLength(9);
    expect(html).toMatch(/^<semfilter-debugger[^>]*><\/semfilter-debugger>$/);
  });

  it('builds, and in Chromium the wrapped element renders, its events reach React, and a toggle round-trips', async () => {
    await inBuiltApp(app, 'react app', async (page) => {
      // onSemfilterReport set React state: the element's report reached the app.
      await page.waitForFunction(() => /^pass rate [\d.]+, semantic true$/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 120_000 });
      // Every tag here is a vocabulary term: semantic mode needs no model, and says so.
      const shown = words(await page.evaluate(() => document.querySelector('semfilter-debugger')!.shadowRoot!.textContent));
      expect(shown).toContain('Navy blazer');
      expect(shown).toMatch(/Semantic mode active/);
      // The element's own switch: onSemfilterToggle sets React state, which flows back as the `semantic` prop.
      await page.locator('semfilter-debugger [role="switch"]').click();
      await page.waitForFunction(() => /semantic false$/.test(document.querySelector('#status')?.textContent ?? ''), undefined, { timeout: 30_000 });
      expect(await page.evaluate(() => document.querySelector('semfilter-debugger')!.hasAttribute('semantic'))).toBe(false);
    });
  });
});
