// Worker embedding throughput for `npm run bench:browser`: the phrases `npm run bench` times in Node,
// through the embedding worker in Chromium, single-threaded on a plain page and with threads on a
// cross-origin isolated one, with the .wasm files onnxruntime-web fetched and parity against Node.
import type { Browser } from 'playwright-core';
import { cosine } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/node';
import { benchPhrases } from '../../packages/cli/src/bench/embedding.js';
import { median } from './stats.js';

interface PageResult {
  readonly crossOriginIsolated: boolean;
  readonly rates: number[];
  readonly vectors: number[][];
}

/**
 * Lines for the bench output: one per setting, `plainUrl` single-threaded and `isolatedUrl` (served
 * with CROSS_ORIGIN_ISOLATION) with `threads` threads; both serve test/bench/worker.html.
 */
export async function benchWorkerThroughput(browser: Browser, plainUrl: string, isolatedUrl: string, threads: number, runs: number): Promise<string[]> {
  const phrases = benchPhrases();
  const node = await createNodeEmbedder().embed(phrases);
  const lines = [`worker embedding throughput: the ${phrases.length} phrases \`npm run bench\` times in Node, one embed() call per pass; median of ${runs} after a warm-up`];
  for (const [label, url, numThreads] of [
    ['single-threaded, plain page', plainUrl, 1],
    [`${threads} threads, cross-origin isolated page`, isolatedUrl, threads],
  ] as const) {
    const context = await browser.newContext();
    const wasm = new Set<string>();
    context.on('request', (request) => void (request.url().endsWith('.wasm') && wasm.add(request.url().split('/').at(-1)!)));
    const page = await context.newPage();
    await page.goto(`${url}/worker.html`);
    const result = (await page.evaluate(([p, n, r]) => (window as unknown as { benchWorkerRate: (p: string[], n: number, r: number) => Promise<unknown> }).benchWorkerRate(p, n, r), [phrases, numThreads, runs] as const)) as PageResult;
    await context.close();
    const parity = Math.min(...result.vectors.map((v, i) => cosine(Float32Array.from(v), node[i]!)));
    lines.push(
      `  ${label}: ${median(result.rates).toFixed(0).padStart(5)} phrases/s  (runs: ${result.rates.map((r) => r.toFixed(0)).join(', ')}; crossOriginIsolated ${result.crossOriginIsolated}; ` +
        `wasm ${[...wasm].join(', ') || 'none seen'}; min cosine vs Node ${parity.toFixed(6)})`,
    );
  }
  return lines;
}
