import type { PreparedRun } from './run.js';
import { setDetails } from './set-details.js';

const computed = new WeakMap<PreparedRun, Float64Array>();

/**
 * One item's score, rounded as reports give it: the share of requested dimensions with a
 * requested tag itself (the rule score), blended with the mean of each dimension's best tag score
 * by the semantic weight whenever the run had a semantic context.
 */
export function itemScore(run: PreparedRun, index: number): number {
  const { prepared, judged } = run;
  const count = judged.length;
  let ruleScore = 0;
  let semanticScore = 0;
  for (const judgedDimension of judged) {
    const wardrobeDimension = prepared.wardrobe.dimensions[judgedDimension.dimension];
    const { setExact, setScores } = setDetails(judgedDimension, wardrobeDimension);
    const set = wardrobeDimension.itemSets[index]!;
    ruleScore += setExact[set]!;
    semanticScore += setScores[set]!;
  }
  const divisor = Math.max(count, 1);
  const rule = count === 0 ? 1 : ruleScore / divisor;
  const weight = run.options.semanticWeight;
  const score = prepared.semantic === null ? rule : weight * (semanticScore / divisor) + (1 - weight) * rule;
  return Math.round(score * 10_000) / 10_000;
}

/** Every item's score (item index → score), computed on first use and remembered for the run. */
export function itemScores(run: PreparedRun): Float64Array {
  let scores = computed.get(run);
  if (scores === undefined) {
    scores = new Float64Array(run.passed.length);
    for (let i = 0; i < scores.length; i++) scores[i] = itemScore(run, i);
    computed.set(run, scores);
  }
  return scores;
}
