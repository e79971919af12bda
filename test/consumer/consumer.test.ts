import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema } from '@semfilter/core';
import { collectFailures, launchChromium } from '../support/chromium.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'semfilter-consumer-'));
/** The policy the README tells hosts to send: no eval, wasm compilation allowed, everything self-hosted. */
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'";

describe('a consumer app built with Vite', () => {
  let files: string[];
  let server: StaticServer;

  beforeAll(async () => {
    // The consumer's own build, with Vite's defaults: nothing semfilter-specific in its config.
    await build({ root: join(ROOT, 'test/consumer'), logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
    files = readdirSync(join(out, 'assets'));
    server = await startStaticServer({ '/models/': join(ROOT, 'models'), '/': out }, { 'Content-Security-Policy': CSP });
  });
  afterAll(() => server?.close());

  it('contains the worker and the .wasm files', () => {
    expect(files.some((f) => /^embedding-worker.*\.js$/.test(f))).toBe(true);
    expect(files.filter((f) => f.endsWith('.wasm')).map((f) => f.replace(/-[\w-]{8}\.wasm$/, '.wasm')).sort()).toEqual(['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd.wasm', 'ort-wasm-threaded.wasm', 'ort-wasm.wasm']);
  });

  it('answers with a semantic report in Chromium, under a strict Content-Security-Policy', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const failures = collectFailures(page);
      await page.goto(`${server.url}/`);
      await page.waitForSelector('body[data-done="true"]', { timeout: 120_000 });
      const report = reportSchema.parse(await page.evaluate(() => (window as unknown as { semfilterReport: unknown }).semfilterReport));
      expect(failures).toEqual([]);
      expect(report.semantic_mode_active).toBe(true);
      expect(report.fallback_reason).toBeNull();
      expect(report.dimension_modes).toEqual({ style: 'semantic' });
      expect(report.items.find((i) => i.id === 'blazer')!.passed).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
