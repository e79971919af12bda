// Developer tool: for each playground preset and each dimension it requests (requested on its own),
// the items of the sample wardrobe that pass at thresholds 0.30, 0.35, … 0.95, and how many distinct
// counts that curve takes: how much of a trade-off the threshold slider offers. With SHOW=dimension:term,
// also every wardrobe tag of that dimension with its score and basis for that requested term.
// Run: [SHOW=mood:calm] npx tsx --conditions=@semfilter/source scripts/tune/threshold-curves.ts
import { readFileSync } from 'node:fs';
import { DIMENSIONS, judgePairs, prepareRequest, prepareWardrobe, runPrepared, type Dimension } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/node';
import { PRESETS } from '../../demo/presets.js';

const THRESHOLDS = Array.from({ length: 14 }, (_, i) => Math.round((0.3 + 0.05 * i) * 100) / 100);
const wardrobe = prepareWardrobe(JSON.parse(readFileSync(new URL('../../demo/sample-wardrobe.json', import.meta.url), 'utf8')));
const embedder = createNodeEmbedder();

console.log(`thresholds ${THRESHOLDS.join(' ')}`);
for (const preset of PRESETS) {
  for (const dimension of DIMENSIONS) {
    if (preset.request[dimension] === undefined) continue;
    const prepared = await prepareRequest(wardrobe, { [dimension]: preset.request[dimension] }, { semantic: true }, { embedder });
    const counts = THRESHOLDS.map((threshold) => runPrepared(prepared, { thresholds: { [dimension]: threshold } }).passCount);
    console.log(`${preset.label.padEnd(22)} ${dimension.padEnd(9)} ${String(new Set(counts).size).padStart(2)} distinct   ${counts.join(' ')}`);
  }
}

if (process.env.SHOW !== undefined) {
  const [dimension, requested] = process.env.SHOW.split(':') as [Dimension, string];
  const terms = [...wardrobe.dimensions[dimension].terms].filter((term) => term !== '');
  const { judgements } = await judgePairs(terms.map((item) => ({ dimension, requested, item })), { dimensions: { [dimension]: { threshold: 0 } } }, { embedder });
  const rows = terms.map((term, i) => [term, judgements[i]!.score ?? 0, judgements[i]!.basis] as const).sort((a, b) => b[1] - a[1]);
  for (const [term, score, basis] of rows) console.log(`  ${score.toFixed(3)}  ${basis ?? ''}  ${term}`);
}
