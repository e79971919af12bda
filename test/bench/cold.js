// The page the vocabulary-only cold start of `npm run bench:browser` opens in a fresh profile
// (scripts/bench/cold-start.ts): nothing runs on load; the driver calls benchColdStart once.
import { generateWardrobe } from '@semfilter/core';
import { createSemanticFilter } from '@semfilter/core/browser';

const REQUEST = { style: 'casual', occasion: 'work', mood: 'calm' };

/** Creates the facade and asks for one semantic report of a wardrobe made of vocabulary terms only. */
window.benchColdStart = async (size) => {
  const items = generateWardrobe(size);
  const started = performance.now();
  const filter = createSemanticFilter({ modelBaseUrl: new URL('/models/', location.href).href });
  const report = await filter.filter(items, REQUEST);
  const ms = performance.now() - started;
  const result = { ms, sinceNavigation: performance.now(), semantic: report.semantic_mode_active, fallback: report.fallback_reason, modes: report.dimension_modes, state: filter.state, stats: filter.stats() };
  filter.dispose();
  return result;
};
