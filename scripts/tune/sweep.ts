// Developer tool: sweeps the semantic filter's knobs (concept assignment and per-dimension
// thresholds) over the development set, with every item term taken out of the concept anchors as
// `semfilter eval` does for its second table, and prints the best settings per dimension.
// Run: npx tsx --conditions=source scripts/tune/sweep.ts
import { readFileSync } from 'node:fs';
import { CONCEPT_MAPS, DIMENSIONS, judgePairs, normalizeTerm, type ConceptMap, type Dimension } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/core/node';

interface Pair { dimension: Dimension; requested: string; item: string; compatible: boolean }
const pairs: Pair[] = readFileSync('test/fixtures/compatibility-dev.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const items = new Set(pairs.map((p) => normalizeTerm(p.item).value));
const requested = new Set(pairs.map((p) => normalizeTerm(p.requested).value));
const heldOut = Object.fromEntries(DIMENSIONS.map((d) => [d, { ...CONCEPT_MAPS[d], concepts: CONCEPT_MAPS[d].concepts.map((c) => ({ ...c, anchors: c.anchors.filter((a) => requested.has(a) || !items.has(a)) })) }])) as Record<Dimension, ConceptMap>;
const embedder = createNodeEmbedder();

const rates = (subset: Pair[], accepted: boolean[]) => {
  const compatible = subset.filter((p) => p.compatible).length;
  const wrongRejects = subset.filter((p, i) => p.compatible && !accepted[i]).length;
  const wrongAccepts = subset.filter((p, i) => !p.compatible && accepted[i]).length;
  return [wrongRejects / compatible, wrongAccepts / (subset.length - compatible)] as const;
};
for (const dimension of DIMENSIONS) {
  const subset = pairs.filter((p) => p.dimension === dimension);
  const rows: [number, string][] = [];
  for (const minStrength of [0.5, 0.6, 0.7]) for (const margin of [0, 0.02]) for (const topK of [1, 3]) for (const threshold of [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8]) {
    const options = { dimensions: { [dimension]: { threshold } } };
    const assignment = { minStrength, margin, topK };
    const held = (await judgePairs(subset, options, { embedder, concepts: heldOut, assignment })).judgements.map((j) => j.semantic);
    const full = (await judgePairs(subset, options, { embedder, assignment })).judgements.map((j) => j.semantic);
    const [hr, ha] = rates(subset, held);
    const [fr, fa] = rates(subset, full);
    const pct = (x: number) => (100 * x).toFixed(1).padStart(5);
    rows.push([Math.max(hr, ha), `${dimension} minStrength=${minStrength} margin=${margin} topK=${topK} threshold=${threshold}  unseen: rejects ${pct(hr)}% accepts ${pct(ha)}%  vocabulary: rejects ${pct(fr)}% accepts ${pct(fa)}%`]);
  }
  console.log(rows.sort((a, b) => a[0] - b[0]).slice(0, 5).map((r) => r[1]).join('\n'));
}
