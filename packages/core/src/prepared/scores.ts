import type { PreparedRun } from './run.js';

const scorers = new WeakMap<PreparedRun, (index: number) => number>();

/**
 * One item's score, rounded as reports give it: the share of requested dimensions with a
 * requested tag itself (the rule score), blended with the mean of each dimension's best tag score
 * by the semantic weight whenever the run had a semantic context. scoreBreakdown (breakdown.ts)
 * splits the same formula into its parts: change the two together.
 */
export function itemScore(run: PreparedRun, index: number): number {
  return scorer(run)(index);
}

function scorer(run: PreparedRun): (index: number) => number {
  let score = scorers.get(run);
  if (score !== undefined) return score;
  const { prepared, judged } = run;
  const columns = judged.map((j) => ({ itemSets: prepared.wardrobe.dimensions[j.dimension].itemSets, setExact: j.setExact, setScores: j.setScores }));
  const count = columns.length;
  const divisor = Math.max(count, 1);
  const weight = run.options.semanticWeight;
  const blend = prepared.semantic !== null;
  score = (index) => {
    let ruleScore = 0;
    let semanticScore = 0;
    for (const { itemSets, setExact, setScores } of columns) {
      const set = itemSets[index]!;
      ruleScore += setExact[set]!;
      semanticScore += setScores[set]!;
    }
    const rule = count === 0 ? 1 : ruleScore / divisor;
    const blended = blend ? weight * (semanticScore / divisor) + (1 - weight) * rule : rule;
    return Math.round(blended * 10_000) / 10_000;
  };
  scorers.set(run, score);
  return score;
}
