import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { launchChromium } from './chromium.js';
import { startStaticServer, type StaticServer } from './static-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The built playground, served with the model and without it, and Chromium to open it. */
export interface Playground {
  readonly browser: Browser;
  /** The playground with `models/` at /models/. */
  readonly withModel: StaticServer;
  /** The same build with no model: every model file answers 404. */
  readonly withoutModel: StaticServer;
  /** Stops Chromium and both servers. */
  close(): Promise<void>;
}

/** Builds demo/ with the project's Vite config into a temporary folder (what `vite build` makes of it), serves it and starts Chromium. */
export async function startPlayground(): Promise<Playground> {
  const out = mkdtempSync(join(tmpdir(), 'semfilter-playground-'));
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
  const withModel = await startStaticServer({ '/models/': join(ROOT, 'models'), '/': out });
  const withoutModel = await startStaticServer({ '/': out });
  const browser = await launchChromium();
  return {
    browser,
    withModel,
    withoutModel,
    async close() {
      await browser.close();
      await withModel.close();
      await withoutModel.close();
    },
  };
}
