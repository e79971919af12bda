// The embedding worker in Chromium on a plain page (one thread, SIMD) and on a cross-origin isolated
// page (COOP/COEP headers), where onnxruntime-web runs its threaded build: both must give the Node
// embedder's vectors. Drives test/bench/worker.html, the page `npm run bench:browser` times.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/node';
import { collectFailures, launchChromium } from '../support/chromium.js';
import { CROSS_ORIGIN_ISOLATION, startStaticServer, type StaticServer } from '../support/static-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Lengths from 1 to 12 words, so the worker's length-sorted batches reorder them.
const TEXTS = ['a calm mood', 'an outfit for a job interview', 'sad', 'something elegant for an evening wedding with a long dress and heels', 'casual style', 'navy wool blazer', 'This is an example sentence', 'a happy mood'];

interface PageResult {
  readonly crossOriginIsolated: boolean;
  readonly vectors: number[][];
}

describe('the embedding worker with and without threads, in Chromium', () => {
  let browser: Browser;
  let plain: StaticServer;
  let isolated: StaticServer;
  let node: Float32Array[];

  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), 'semfilter-worker-threads-'));
    await build({ root: join(ROOT, 'test/bench'), logLevel: 'error', build: { outDir: out, emptyOutDir: true, rollupOptions: { input: [join(ROOT, 'test/bench/worker.html')] } } });
    const mounts = { '/models/': join(ROOT, 'models'), '/': out };
    [plain, isolated, browser, node] = await Promise.all([startStaticServer(mounts), startStaticServer(mounts, CROSS_ORIGIN_ISOLATION), launchChromium(), createNodeEmbedder().embed(TEXTS)]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([plain?.close(), isolated?.close()]);
  });

  /** Embeds TEXTS through the worker on `server`'s page; returns what the page saw and the .wasm files it fetched. */
  async function embedOn(server: StaticServer, numThreads: number) {
    const context = await browser.newContext();
    const wasm: string[] = [];
    context.on('request', (request) => void (request.url().endsWith('.wasm') && wasm.push(request.url())));
    const page = await context.newPage();
    const failures = collectFailures(page);
    await page.goto(`${server.url}/worker.html`);
    const result = (await page.evaluate(([texts, threads]) => (window as unknown as { benchWorkerRate: (t: string[], n: number, r: number) => Promise<unknown> }).benchWorkerRate(texts, threads, 1), [TEXTS, numThreads] as const)) as PageResult;
    await context.close();
    const cosines = result.vectors.map((vector, i) => cosine(Float32Array.from(vector), node[i]!));
    return { ...result, wasm, failures, minCosine: Math.min(...cosines), count: result.vectors.length };
  }

  it('runs single-threaded with SIMD on a plain page and agrees with Node (cosine ≥ 0.999)', async () => {
    const run = await embedOn(plain, 1);
    expect(run.crossOriginIsolated).toBe(false);
    expect(run.wasm.some((url) => /ort-wasm-simd-[\w-]*\.wasm$/.test(url) && !url.includes('threaded'))).toBe(true);
    expect(run.count).toBe(TEXTS.length);
    expect(run.minCosine).toBeGreaterThanOrEqual(0.999);
    expect(run.failures).toEqual([]);
  });

  // Retried: one of onnxruntime-web 1.14's pthread workers now and then fails `importScripts` of
  // the blob it is handed ("NetworkError … blob:… failed to load") while the vectors still come out
  // right. Alone this file passed both times it was run; after the other browser files it needed one or two
  // retries in each of the last three runs (3 of 9 full runs failed without retries). The cause is
  // in onnxruntime's threaded bootstrap in Chromium and is not found yet; a try must still pass
  // with no page error at all.
  it('runs the threaded build on a cross-origin isolated page and agrees with Node (cosine ≥ 0.999)', { retry: 4 }, async () => {
    const run = await embedOn(isolated, 2);
    console.log(`threaded worker vs Node: min cosine ${run.minCosine.toFixed(6)} over ${run.count} texts; wasm ${run.wasm.map((u) => u.split('/').at(-1)).join(', ')}`);
    expect(run.crossOriginIsolated).toBe(true);
    expect(run.wasm.some((url) => /ort-wasm-simd-threaded[\w-]*\.wasm$/.test(url))).toBe(true);
    expect(run.count).toBe(TEXTS.length);
    expect(run.minCosine).toBeGreaterThanOrEqual(0.999);
    expect(run.failures).toEqual([]);
  });
});
