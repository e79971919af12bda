// The page `npm run bench:browser` drives (scripts/bench-browser.ts). On load it makes one
// semantic report that needs the model (tags the vocabulary does not know) and records when it
// arrived; the other measurements run when the driver calls them.
import { generateWardrobe } from '@semfilter/core';
import { createSemanticFilter } from '@semfilter/core/browser';

const MODELS = new URL('/models/', location.href).href;
const REQUEST = { style: 'casual', occasion: 'work', mood: 'calm' };
// No deadline: the bench times the model's answers, not the exact comparison a missed deadline gives.
const filter = createSemanticFilter({ modelBaseUrl: MODELS, deadlineMs: Infinity });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function firstReport() {
  const items = [...generateWardrobe(50), { id: 'odd', style: 'Zorblaxian_Casualwear', occasion: 'quuxwave brunch', mood: 'flimberish' }];
  const report = await filter.filter(items, REQUEST);
  return { ms: performance.now(), semantic: report.semantic_mode_active && report.fallback_reason === null, stats: filter.stats() };
}

window.benchFirst = firstReport();

/**
 * Warm filter times per wardrobe size and mode (vectors cached), medians of `runs` calls, each run
 * with another style threshold (as a slider gives); a prepared run times REPEATS calls and divides,
 * since the page's clock ticks in 0.1 ms steps. Paths: `filter(items, …)` (per call: validate,
 * normalize, decide, full report); `filter(prepared, …)` on items prepared once (the report's items
 * are built on first read, and not read); the same with every item's verdict read.
 */
const REPEATS = 10;

window.benchWarmFilter = async (sizes, runs) => {
  const out = [];
  const options = (semantic, i) => ({ semantic, dimensions: { style: { threshold: 0.3 + (i % 50) / 100 } } });
  const time = async (call, repeats = 1) => {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      for (let k = 0; k < repeats; k++) {
        const report = await call(i * repeats + k);
        if (report.fallback_reason !== null && report.fallback_reason !== 'DISABLED') throw new Error('semantic mode fell back during the bench');
      }
      times.push((performance.now() - started) / repeats);
    }
    return median(times);
  };
  for (const size of sizes) {
    const items = generateWardrobe(size);
    await filter.filter(items, REQUEST); // computes and caches this wardrobe's vectors
    const prepareStarted = performance.now();
    const prepared = filter.prepare(items);
    const prepareMs = performance.now() - prepareStarted;
    await filter.filter(prepared, REQUEST); // prepares the request once (vectors from memory)
    for (const semantic of [false, true]) {
      out.push({ size, semantic, path: 'per call', ms: await time((i) => filter.filter(items, REQUEST, options(semantic, i))) });
      out.push({ size, semantic, path: 'prepared', prepareMs, ms: await time((i) => filter.filter(prepared, REQUEST, options(semantic, i)), REPEATS) });
      const readAll = async (i) => {
        const report = await filter.filter(prepared, REQUEST, options(semantic, i));
        if (report.items.length !== size) throw new Error('the prepared report lost items');
        return report;
      };
      out.push({ size, semantic, path: 'prepared, all items read', prepareMs, ms: await time(readAll, REPEATS) });
    }
  }
  return out;
};
