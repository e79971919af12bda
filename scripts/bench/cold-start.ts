// The vocabulary-only cold start of `npm run bench:browser`: a fresh profile (empty HTTP cache,
// Cache Storage and IndexedDB) opens test/bench/cold.html and asks for one semantic report of a
// wardrobe whose tags the embedded vocabulary knows. Timed from the call to the report; every
// request under /models/ is recorded, since this path must not download the model.
import type { Browser } from 'playwright-core';
import { median, ms } from './stats.js';

interface ColdResult {
  readonly ms: number;
  readonly sinceNavigation: number;
  readonly semantic: boolean;
  readonly fallback: string | null;
  readonly modes: Record<string, string>;
  readonly state: string;
  readonly stats: Record<string, number>;
}

/** Runs the cold start `runs` times, each in a new profile; returns the lines to print. */
export async function benchColdStart(browser: Browser, url: string, runs: number, size: number): Promise<string[]> {
  const results: ColdResult[] = [];
  const modelRequests: string[] = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext();
    context.on('request', (request) => new URL(request.url()).pathname.startsWith('/models/') && modelRequests.push(request.url()));
    const page = await context.newPage();
    await page.goto(`${url}/cold.html`);
    results.push((await page.evaluate((n) => (window as unknown as { benchColdStart: (n: number) => Promise<ColdResult> }).benchColdStart(n), size)) as ColdResult);
    await context.close();
  }
  const semantic = results.every((r) => r.semantic && r.fallback === null && Object.values(r.modes).every((mode) => mode === 'semantic'));
  const last = results.at(-1)!;
  return [
    `vocabulary-only cold start (${size} items of known tags, new profile, facade created in the same call), median of ${runs}:`,
    `  first call to first semantic report: ${ms(median(results.map((r) => r.ms))).padStart(10)}   (runs: ${results.map((r) => r.ms.toFixed(0)).join(', ')})`,
    `  navigation to first semantic report: ${ms(median(results.map((r) => r.sinceNavigation))).padStart(10)}`,
    `  every run semantic (no fallback, every dimension semantic): ${semantic ? 'yes' : `NO (${JSON.stringify(last)})`}; model state after: ${last.state}`,
    `  requests under /models/: ${modelRequests.length}${modelRequests.length > 0 ? ` (${modelRequests.slice(0, 3).join(', ')})` : ''}; vectors: ${last.stats.vocabularyHits} vocabulary, ${last.stats.storeHits} IndexedDB, ${last.stats.computed} computed`,
  ];
}
