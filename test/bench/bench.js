// The page `npm run bench:browser` drives (scripts/bench-browser.ts). On load it makes one
// semantic report that needs the model (tags the vocabulary does not know) and records when it
// arrived; the other measurements run when the driver calls them.
import { generateWardrobe } from '@semfilter/core';
import { createSemanticFilter } from '@semfilter/core/browser';

const MODELS = new URL('/models/', location.href).href;
const REQUEST = { style: 'casual', occasion: 'work', mood: 'calm' };
const filter = createSemanticFilter({ modelBaseUrl: MODELS });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function firstReport() {
  const items = [...generateWardrobe(50), { id: 'odd', style: 'Zorblaxian_Casualwear', occasion: 'quuxwave brunch', mood: 'flimberish' }];
  const report = await filter.filter(items, REQUEST);
  return { ms: performance.now(), semantic: report.semantic_mode_active && report.fallback_reason === null, stats: filter.stats() };
}

window.benchFirst = firstReport();

/**
 * Warm filter times per wardrobe size and mode (vectors cached): the median of `runs` calls with
 * the same items array, through `filter.filter(items, …)`.
 */
window.benchWarmFilter = async (sizes, runs) => {
  const out = [];
  for (const size of sizes) {
    const items = generateWardrobe(size);
    await filter.filter(items, REQUEST); // computes and caches this wardrobe's vectors
    for (const semantic of [false, true]) {
      const times = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        const report = await filter.filter(items, REQUEST, { semantic });
        times.push(performance.now() - started);
        if (semantic && !report.semantic_mode_active) throw new Error('semantic mode fell back during the bench');
      }
      out.push({ size, semantic, path: 'per call', ms: median(times) });
    }
  }
  return out;
};
