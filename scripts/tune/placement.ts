// Developer tool: for each development pair semantic mode gets wrong with its item terms unseen
// (taken out of the concept anchors, as `semfilter eval`'s second table does), where both terms are
// placed: the concept each joins, the three nearest concept centroids, the concept the curated
// vocabulary gives it (if any), and the item term's lead toward the concepts the request accepts,
// so a reader sees whether placement or scoring erred.
// Run: npx tsx --conditions=source scripts/tune/placement.ts [dimension]
import { readFileSync } from 'node:fs';
import { CONCEPT_MAPS, DEFAULT_ASSIGNMENT, DIMENSIONS, ConceptIndex, embeddingText, judgePairs, normalizeTerm, withItemTermsUnseen, type Dimension, type Vector } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/core/node';

interface Pair { dimension: Dimension; requested: string; item: string; compatible: boolean }
const pairs: Pair[] = readFileSync('test/fixtures/compatibility-dev.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const only = process.argv[2] as Dimension | undefined;
const heldOut = withItemTermsUnseen(pairs);
const embedder = createNodeEmbedder();
const { judgements } = await judgePairs(pairs, {}, { embedder, concepts: heldOut });

for (const dimension of DIMENSIONS.filter((d) => only === undefined || d === only)) {
  const terms = new Set<string>();
  for (const p of pairs) if (p.dimension === dimension) terms.add(normalizeTerm(p.item).value).add(normalizeTerm(p.requested).value);
  for (const c of CONCEPT_MAPS[dimension].concepts) for (const a of c.anchors) terms.add(a);
  const list = [...terms];
  const vectors = await embedder.embed(list.map((t) => embeddingText(dimension, t)));
  const byTerm = new Map<string, Vector>(list.map((t, i) => [t, vectors[i]!]));
  const index = new ConceptIndex(dimension, heldOut[dimension], (t) => byTerm.get(t), DEFAULT_ASSIGNMENT);
  const curated = (t: string) => CONCEPT_MAPS[dimension].concepts.filter((c) => c.anchors.includes(t)).map((c) => c.id).join('+') || '-';
  const where = (t: string) => {
    const v = byTerm.get(t)!;
    const ranked = heldOut[dimension].concepts.map((c) => [c.id, index.closeness(c.id, v)] as const).sort((a, b) => b[1] - a[1]);
    const placed = index.assign(t, v);
    return `${t} → ${placed?.concept ?? 'none'}${placed?.placed ? ' (placed)' : ''} (${ranked.slice(0, 3).map(([c, s]) => `${c} ${s.toFixed(2)}`).join(', ')}) curated ${curated(t)}`;
  };
  console.log(`\n== ${dimension}`);
  pairs.forEach((p, i) => {
    if (p.dimension !== dimension || judgements[i]!.semantic === p.compatible) return;
    const r = normalizeTerm(p.requested).value, t = normalizeTerm(p.item).value;
    const requestedConcept = index.assign(r, byTerm.get(r)!);
    const placement = requestedConcept === null ? null : index.place(requestedConcept.concept, t, byTerm.get(t)!);
    const lead = placement === null ? '' : `  lead ${placement.lead.toFixed(3)}${placement.clash === null ? '' : ` clash ${placement.clash}`}`;
    console.log(`${p.compatible ? 'wrong reject' : 'wrong accept'} ${r} | ${t}  score ${judgements[i]!.score}  ${judgements[i]!.reason?.code ?? ''}${lead}\n    requested ${where(r)}\n    item      ${where(t)}`);
  });
}
