// Developer tool: sweeps the semantic filter's tuning knobs over the development set, with every
// item term taken out of the concept anchors (as `semfilter eval` does for its second table).
import { readFileSync } from 'node:fs';
import { CONCEPT_MAPS, DIMENSIONS, judgePairs, normalizeTerm, type ConceptMap, type Dimension } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/core/node';

const pairs = readFileSync('test/fixtures/compatibility-dev.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const items = new Set(pairs.map((p: { item: string }) => normalizeTerm(p.item).value));
const requested = new Set(pairs.map((p: { requested: string }) => normalizeTerm(p.requested).value));
const heldOut = Object.fromEntries(DIMENSIONS.map((d) => [d, { ...CONCEPT_MAPS[d], concepts: CONCEPT_MAPS[d].concepts.map((c) => ({ ...c, anchors: c.anchors.filter((a) => requested.has(a) || !items.has(a)) })) }])) as Record<Dimension, ConceptMap>;
const embedder = createNodeEmbedder();
const rows: string[] = [];
for (const minStrength of [0.4, 0.45, 0.5, 0.55, 0.6]) {
  for (const margin of [0, 0.02, 0.05]) {
    for (const threshold of [0.45, 0.5, 0.55, 0.6]) {
      const dims = { style: { threshold }, occasion: { threshold }, mood: { threshold } };
      const score = async (concepts: Record<Dimension, ConceptMap>) => {
        const { judgements } = await judgePairs(pairs, { dimensions: dims }, { embedder, concepts, assignment: { minStrength, margin } });
        let fr = 0, fa = 0, c = 0, n = 0;
        pairs.forEach((p: { compatible: boolean }, i: number) => { if (p.compatible) { c++; if (!judgements[i]!.semantic) fr++; } else { n++; if (judgements[i]!.semantic) fa++; } });
        return [fr / c, fa / n];
      };
      const [hr, ha] = await score(heldOut);
      const [fr, fa] = await score(CONCEPT_MAPS as Record<Dimension, ConceptMap>);
      rows.push(`${minStrength} ${margin} ${threshold}  heldout rej ${(hr! * 100).toFixed(1)} acc ${(ha! * 100).toFixed(1)}  full rej ${(fr! * 100).toFixed(1)} acc ${(fa! * 100).toFixed(1)}  max ${(Math.max(hr!, ha!) * 100).toFixed(1)}`);
    }
  }
}
console.log(rows.sort((a, b) => Number(a.split('max ')[1]) - Number(b.split('max ')[1])).slice(0, 25).join('\n'));
