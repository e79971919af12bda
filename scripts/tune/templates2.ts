import { readFileSync } from 'node:fs';
import { CONCEPT_MAPS, DIMENSIONS, judgePairs, normalizeTerm, type ConceptMap, type Dimension, type Embedder } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/core/node';
const pairs = readFileSync('test/fixtures/compatibility-dev.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const items = new Set(pairs.map((p: any) => normalizeTerm(p.item).value));
const requested = new Set(pairs.map((p: any) => normalizeTerm(p.requested).value));
const heldOut = Object.fromEntries(DIMENSIONS.map((d) => [d, { ...CONCEPT_MAPS[d], concepts: CONCEPT_MAPS[d].concepts.map((c) => ({ ...c, anchors: c.anchors.filter((a) => requested.has(a) || !items.has(a)) })) }])) as Record<Dimension, ConceptMap>;
const base = createNodeEmbedder();
const tpls: Record<string, Record<Dimension, (t: string) => string>> = {
  a: { style: (t) => `${t} style`, occasion: (t) => `dressing for ${t}`, mood: (t) => `feeling ${t}` },
  d: { style: (t) => `${t} fashion style`, occasion: (t) => `what to wear for ${t}`, mood: (t) => `in a ${t} mood` },
  e: { style: (t) => `${t} clothing style`, occasion: (t) => `an outfit for ${t}`, mood: (t) => `feeling ${t}` },
};
const out: string[] = [];
for (const [name, tpl] of Object.entries(tpls)) for (const d of DIMENSIONS) {
  const ps = pairs.filter((p: any) => p.dimension === d);
  const emb: Embedder = { model: base.model, embed: (texts) => base.embed(texts.map(tpl[d])) };
  for (const ms of [0.5, 0.6, 0.7]) for (const margin of [0, 0.02]) for (const topK of [1, 2, 3, 5]) for (const t of [0.5, 0.55, 0.6, 0.65, 0.7, 0.75]) {
    let fr = 0, fa = 0, c = 0, n = 0, fr2 = 0, fa2 = 0;
    const h = (await judgePairs(ps, { dimensions: { [d]: { threshold: t } } }, { embedder: emb, concepts: heldOut, assignment: { minStrength: ms, margin, topK } })).judgements;
    const f = (await judgePairs(ps, { dimensions: { [d]: { threshold: t } } }, { embedder: emb, assignment: { minStrength: ms, margin, topK } })).judgements;
    ps.forEach((p: any, i: number) => { if (p.compatible) { c++; if (!h[i]!.semantic) fr++; if (!f[i]!.semantic) fr2++; } else { n++; if (h[i]!.semantic) fa++; if (f[i]!.semantic) fa2++; } });
    out.push(`${d} ${name} ms=${ms} mg=${margin} k=${topK} t=${t} held rej ${(100 * fr / c).toFixed(1)} acc ${(100 * fa / n).toFixed(1)} | full rej ${(100 * fr2 / c).toFixed(1)} acc ${(100 * fa2 / n).toFixed(1)} | ${Math.max(fr / c, fa / n).toFixed(3)}`);
  }
}
for (const d of DIMENSIONS) console.log(out.filter((l) => l.startsWith(d)).sort((a, b) => Number(a.split('| ').at(-1)) - Number(b.split('| ').at(-1))).slice(0, 6).join('\n'));
