// Developer tool: lists the development pairs semantic mode gets wrong with every item term taken
// out of the concept anchors, with the score and reason it gave.
import { readFileSync } from 'node:fs';
import { CONCEPT_MAPS, DIMENSIONS, judgePairs, normalizeTerm, type ConceptMap, type Dimension } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/core/node';

const pairs = readFileSync('test/fixtures/compatibility-dev.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const items = new Set(pairs.map((p: { item: string }) => normalizeTerm(p.item).value));
const requested = new Set(pairs.map((p: { requested: string }) => normalizeTerm(p.requested).value));
const heldOut = Object.fromEntries(DIMENSIONS.map((d) => [d, { ...CONCEPT_MAPS[d], concepts: CONCEPT_MAPS[d].concepts.map((c) => ({ ...c, anchors: c.anchors.filter((a) => requested.has(a) || !items.has(a)) })) }])) as Record<Dimension, ConceptMap>;
const { judgements } = await judgePairs(pairs, {}, { embedder: createNodeEmbedder(), concepts: heldOut });
pairs.forEach((p: { dimension: string; requested: string; item: string; compatible: boolean }, i: number) => {
  const j = judgements[i]!;
  if (j.semantic !== p.compatible) console.log(p.compatible ? 'wrong reject' : 'wrong accept', p.dimension, `${p.requested} | ${p.item}`, j.score, j.reason?.code ?? '', j.reason && 'concepts' in j.reason ? j.reason.concepts.join('/') : '');
});
