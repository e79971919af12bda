import { readFileSync } from 'node:fs';
import { CONCEPT_MAPS, DIMENSIONS, judgePairs, normalizeTerm, type ConceptMap, type Dimension, type Embedder } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/core/node';
const pairs = readFileSync('test/fixtures/compatibility-dev.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const items = new Set(pairs.map((p: any) => normalizeTerm(p.item).value));
const requested = new Set(pairs.map((p: any) => normalizeTerm(p.requested).value));
const heldOut = Object.fromEntries(DIMENSIONS.map((d) => [d, { ...CONCEPT_MAPS[d], concepts: CONCEPT_MAPS[d].concepts.map((c) => ({ ...c, anchors: c.anchors.filter((a) => requested.has(a) || !items.has(a)) })) }])) as Record<Dimension, ConceptMap>;
const base = createNodeEmbedder();
const templates: Record<string, Record<Dimension, (t: string) => string>> = {
  none: { style: (t) => t, occasion: (t) => t, mood: (t) => t },
  a: { style: (t) => `${t} style`, occasion: (t) => `dressing for ${t}`, mood: (t) => `feeling ${t}` },
  b: { style: (t) => `a ${t} outfit`, occasion: (t) => `an outfit for ${t}`, mood: (t) => `I feel ${t}` },
  c: { style: (t) => `fashion style: ${t}`, occasion: (t) => `occasion: ${t}`, mood: (t) => `mood: ${t}` },
};
for (const [name, tpl] of Object.entries(templates)) {
  for (const ms of [0.4, 0.5, 0.6]) for (const t of [0.45, 0.5, 0.55, 0.6, 0.65]) {
    let fr = 0, fa = 0, c = 0, n = 0;
    for (const d of DIMENSIONS) {
      const ps = pairs.filter((p: any) => p.dimension === d);
      const emb: Embedder = { model: base.model, embed: (texts) => base.embed(texts.map(tpl[d])) };
      const { judgements } = await judgePairs(ps, { dimensions: { [d]: { threshold: t } } }, { embedder: emb, concepts: heldOut, assignment: { minStrength: ms, margin: 0 } });
      ps.forEach((p: any, i: number) => { if (p.compatible) { c++; if (!judgements[i]!.semantic) fr++; } else { n++; if (judgements[i]!.semantic) fa++; } });
    }
    console.log(name, ms, t, 'rej', (100 * fr / c).toFixed(1), 'acc', (100 * fa / n).toFixed(1));
  }
}
