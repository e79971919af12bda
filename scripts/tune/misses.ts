// Developer tool: lists the development pairs semantic mode gets wrong, with the score, reason and
// basis it gave: with every item term taken out of the concept anchors (as `semfilter eval`'s second
// table), or with the curated vocabulary as it is (`--vocabulary`).
// Run: npx tsx --conditions=@semfilter/source scripts/tune/misses.ts [--vocabulary]
import { readFileSync } from 'node:fs';
import { CONCEPT_MAPS, judgePairs, withItemTermsUnseen } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/node';

const pairs = readFileSync('test/fixtures/compatibility-dev.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const heldOut = withItemTermsUnseen(pairs);
const concepts = process.argv.includes('--vocabulary') ? CONCEPT_MAPS : heldOut;
// With threshold 0 every pair not vetoed passes, so the basis of its score shows.
const scored = (await judgePairs(pairs, { dimensions: { style: { threshold: 0 }, occasion: { threshold: 0 }, mood: { threshold: 0 } } }, { embedder: createNodeEmbedder(), concepts })).judgements;
const { judgements } = await judgePairs(pairs, {}, { embedder: createNodeEmbedder(), concepts });
// Grouped by kind: wrong rejects, then wrong accepts, each by the basis of the score and dimension.
const lines: string[] = [];
pairs.forEach((p: { dimension: string; requested: string; item: string; compatible: boolean }, i: number) => {
  const j = judgements[i]!;
  const reason = scored[i]!.reason ?? j.reason;
  const basis = reason && 'basis' in reason ? (reason.basis ?? '') : (j.reason?.code ?? 'accepted');
  if (j.semantic !== p.compatible) lines.push([p.compatible ? 'wrong reject' : 'wrong accept', basis.padEnd(19), p.dimension.padEnd(8), `${p.requested} | ${p.item}`, j.score, j.reason?.code ?? '', reason && 'concepts' in reason ? reason.concepts.join('/') : ''].join('  '));
});
console.log(lines.sort().join('\n'));
