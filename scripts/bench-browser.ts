// `npm run bench:browser`: semfilter in Debian's Chromium, model served from this machine.
// Prints medians of repeated runs: cold start (empty caches) and warm start (model files and
// vectors cached) to the first semantic report, warm filter times, and worker throughput.
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { launchChromium } from '../test/support/chromium.js';
import { CROSS_ORIGIN_ISOLATION, startStaticServer } from '../test/support/static-server.js';
import { benchColdStart } from './bench/cold-start.js';
import { benchElementDrag } from './bench/element-drag.js';
import { median } from './bench/stats.js';
import { benchWorkerThroughput } from './bench/worker-throughput.js';
import { warmFilterLines, type WarmFilterResult } from './bench/warm-filter.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const STARTS = 3;
const FILTER_RUNS = 5;
const SIZES = [500, 10_000, 100_000];

const out = mkdtempSync(join(tmpdir(), 'semfilter-bench-'));
await build({ root: join(ROOT, 'test/bench'), logLevel: 'error', build: { outDir: out, emptyOutDir: true, rollupOptions: { input: ['index.html', 'cold.html', 'element.html', 'worker.html'].map((page) => join(ROOT, 'test/bench', page)) } } });
const server = await startStaticServer({ '/models/': join(ROOT, 'models'), '/': out });
const isolated = await startStaticServer({ '/models/': join(ROOT, 'models'), '/': out }, CROSS_ORIGIN_ISOLATION);
const browser = await launchChromium();

type First = { ms: number; semantic: boolean; stats: Record<string, number> };
try {
  const cold: number[] = [];
  const warm: number[] = [];
  const warmStats: Record<string, number>[] = [];
  for (let i = 0; i < STARTS; i++) {
    const context = await browser.newContext(); // a new profile: empty HTTP cache, Cache Storage and IndexedDB
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const first = (await page.evaluate(() => (window as unknown as { benchFirst: Promise<unknown> }).benchFirst)) as First;
    if (!first.semantic) throw new Error('the cold start fell back: is the model fetched (npm run fetch-model)?');
    cold.push(first.ms);
    await page.reload();
    const again = (await page.evaluate(() => (window as unknown as { benchFirst: Promise<unknown> }).benchFirst)) as First;
    warm.push(again.ms);
    warmStats.push(again.stats);
    await context.close();
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.evaluate(() => (window as unknown as { benchFirst: Promise<unknown> }).benchFirst);
  const filters = (await page.evaluate(([sizes, runs]) => (window as unknown as { benchWarmFilter: (s: number[], r: number) => Promise<unknown> }).benchWarmFilter(sizes as number[], runs as number), [SIZES, FILTER_RUNS] as const)) as WarmFilterResult[];
  await context.close();

  const stats = warmStats.at(-1)!;
  const lines = [
    `semfilter browser bench: ${browser.version()}, model Xenova/all-MiniLM-L6-v2 fp32 served from 127.0.0.1, medians`,
    `cold start, empty caches, to the first semantic report:      ${median(cold).toFixed(0).padStart(7)} ms   (runs: ${cold.map((v) => v.toFixed(0)).join(', ')})`,
    `warm start, model and vectors cached, to the first report:   ${median(warm).toFixed(0).padStart(7)} ms   (runs: ${warm.map((v) => v.toFixed(0)).join(', ')})`,
    `  vectors on the warm start: ${stats.storeHits} from IndexedDB, ${stats.vocabularyHits} from the vocabulary, ${stats.computed} computed; cache hit rate ${((100 * (stats.storeHits + stats.vocabularyHits)) / (stats.storeHits + stats.vocabularyHits + stats.computed)).toFixed(1)}%`,
    ...warmFilterLines(filters, FILTER_RUNS),
  ];
  console.log(lines.join('\n'));
  console.log((await benchWorkerThroughput(browser, server.url, isolated.url, Math.min(4, availableParallelism()), 3)).join('\n'));
  console.log([...(await benchColdStart(browser, server.url, STARTS, 500)), ...(await benchElementDrag(browser, server.url, 10_000, 20))].join('\n'));
} finally {
  await browser.close();
  await server.close();
  await isolated.close();
}
