// Developer tool: sweeps the semantic filter's knobs (how unseen terms are placed and scored, and
// per-dimension thresholds; the unrelated-concepts penalty stays as the map sets it) over the development set and prints the
// best settings per dimension. Tunes on the even lines of the set and reports the odd lines apart,
// so a setting is never judged on the pairs that chose it. Each setting runs twice: with the curated
// vocabulary, and with every item term taken out of the concept anchors as `semfilter eval` does
// for its second table.
// Run: [ASSIGNMENT=0.4,0] npx tsx --conditions=source scripts/tune/sweep.ts [dimension]
import { readFileSync } from 'node:fs';
import { CONCEPT_MAPS, DIMENSIONS, judgePairs, withItemTermsUnseen, type AssignmentRule, type ConceptMap, type Dimension, type PairJudgement } from '@semfilter/core';
import { createNodeEmbedder } from '@semfilter/core/node';

interface Pair { dimension: Dimension; requested: string; item: string; compatible: boolean }
const all: Pair[] = readFileSync('test/fixtures/compatibility-dev.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const tuning = all.filter((_, i) => i % 2 === 0);
const testing = all.filter((_, i) => i % 2 === 1);
const embedder = createNodeEmbedder();

/** The concept maps with one dimension's scoring knobs replaced, optionally without the set's item terms as anchors. */
function maps(dimension: Dimension, knobs: Pick<ConceptMap, 'unrelated' | 'unseen'>, unseen: boolean): Record<Dimension, ConceptMap> {
  const tuned = { ...CONCEPT_MAPS, [dimension]: { ...CONCEPT_MAPS[dimension], ...knobs } };
  return unseen ? withItemTermsUnseen(all, tuned) : tuned;
}

/** Wrong-reject and wrong-accept rates at a threshold, from judgements made with threshold 0 (their scores). */
function rates(pairs: readonly Pair[], judgements: readonly PairJudgement[], threshold: number): [number, number] {
  let compatible = 0, wrongRejects = 0, wrongAccepts = 0;
  pairs.forEach((p, i) => {
    const j = judgements[i]!;
    const accepted = j.semantic && (j.score ?? 0) >= threshold;
    if (p.compatible) { compatible++; if (!accepted) wrongRejects++; } else if (accepted) wrongAccepts++;
  });
  return [wrongRejects / compatible, wrongAccepts / (pairs.length - compatible)];
}

const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)}%`;
const only = process.argv[2] as Dimension | undefined;
// ASSIGNMENT=minStrength,margin fixes the concept assignment rule (it is shared by all dimensions).
const fixed = process.env.ASSIGNMENT?.split(',').map(Number) as [number, number] | undefined;
const rules: [number, number][] = fixed !== undefined ? [fixed] : [0.3, 0.4, 0.5].map((s): [number, number] => [s, 0]);
for (const dimension of DIMENSIONS.filter((d) => only === undefined || d === only)) {
  const rows: [number, string][] = [];
  const { penalty, sureGap } = CONCEPT_MAPS[dimension].unrelated ?? { penalty: 0, sureGap: 1 };
  for (const [minStrength, margin] of rules) for (const weight of [5, 10, 15]) for (const evenLead of [-0.03, -0.02, -0.01, 0, 0.01]) {
    const assignment: AssignmentRule = { minStrength, margin };
    const knobs = { unrelated: { penalty, sureGap }, unseen: { weight, evenLead } };
    const options = { dimensions: { [dimension]: { threshold: 0 } } };
    const judge = async (pairs: Pair[], unseen: boolean) => (await judgePairs(pairs, options, { embedder, assignment, concepts: maps(dimension, knobs, unseen) })).judgements;
    const tune = tuning.filter((p) => p.dimension === dimension);
    const test = testing.filter((p) => p.dimension === dimension);
    const [tuneFull, tuneUnseen, testFull, testUnseen] = [await judge(tune, false), await judge(tune, true), await judge(test, false), await judge(test, true)];
    for (const threshold of [0.5, 0.55, 0.6, 0.65, 0.7]) {
      const tuned = [...rates(tune, tuneFull, threshold), ...rates(tune, tuneUnseen, threshold)];
      const tested = [...rates(test, testFull, threshold), ...rates(test, testUnseen, threshold)];
      // The curated vocabulary's worst rate counts fully, the unseen terms' worst as much (people
      // write terms the vocabulary does not know); the sum breaks ties.
      const cost = Math.max(tuned[0]!, tuned[1]!) + Math.max(tuned[2]!, tuned[3]!) + tuned.reduce((a, b) => a + b, 0) / 10;
      rows.push([cost, `${dimension} minStrength=${minStrength} margin=${margin} unseen weight=${weight} evenLead=${evenLead} threshold=${threshold}\n    tuning half  vocabulary rejects ${pct(tuned[0]!)} accepts ${pct(tuned[1]!)}  unseen rejects ${pct(tuned[2]!)} accepts ${pct(tuned[3]!)}\n    testing half vocabulary rejects ${pct(tested[0]!)} accepts ${pct(tested[1]!)}  unseen rejects ${pct(tested[2]!)} accepts ${pct(tested[3]!)}`]);
    }
  }
  console.log(rows.sort((a, b) => a[0] - b[0]).slice(0, 6).map((r) => r[1]).join('\n'));
}
