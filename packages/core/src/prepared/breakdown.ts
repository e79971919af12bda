import type { Dimension } from '../input/dimensions.js';
import type { PreparedRun } from './run.js';
import { itemScore } from './scores.js';

/** One requested dimension's share of an item's score. */
export interface DimensionShare {
  readonly dimension: Dimension;
  /** True when the item holds a requested term itself (what the rule part counts). */
  readonly exact: boolean;
  /** The item's best tag score on this dimension (what the semantic part averages). */
  readonly tagScore: number;
  /** What this dimension adds to the rule part: rule weight × (1 when exact, else 0) / dimensions. */
  readonly rule: number;
  /** What this dimension adds to the semantic part: semantic weight × tag score / dimensions. */
  readonly semantic: number;
  /** rule + semantic: what this dimension adds to the score. */
  readonly share: number;
}

/** An item's score taken apart, as itemScore computes it (see scoreBreakdown). */
export interface ScoreBreakdown {
  /** The score as itemScore gives it (rounded to four decimals). */
  readonly score: number;
  /** The weight of the rule part: 1 − semanticWeight, or 1 in a run without a semantic context. */
  readonly ruleWeight: number;
  /** The weight of the semantic part: the run's semanticWeight, or 0 without a semantic context. */
  readonly semanticWeight: number;
  /** The rule score before weighting: the share of requested dimensions with a requested term itself (1 with none requested). */
  readonly ruleScore: number;
  /** The semantic score before weighting: the mean of the dimensions' best tag scores (0 with none requested). */
  readonly semanticScore: number;
  /** ruleWeight × ruleScore. */
  readonly rule: number;
  /** semanticWeight × semanticScore. */
  readonly semantic: number;
  /** Each requested dimension's share, in report order; the shares add up to rule + semantic when any dimension is requested. */
  readonly dimensions: readonly DimensionShare[];
}

/**
 * One item's score split into its rule part and its semantic part, and each requested dimension's
 * share of both. `rule + semantic` (and the dimensions' shares, when a dimension is requested) add
 * up to the score before itemScore rounds it. A run without a semantic context scores by rule alone.
 */
export function scoreBreakdown(run: PreparedRun, index: number): ScoreBreakdown {
  if (!Number.isInteger(index) || index < 0 || index >= run.passed.length) throw new RangeError(`scoreBreakdown: item index ${index} is not in 0..${run.passed.length - 1}`);
  const { prepared, judged } = run;
  const semanticWeight = prepared.semantic === null ? 0 : run.options.semanticWeight;
  const ruleWeight = 1 - semanticWeight;
  const divisor = Math.max(judged.length, 1);
  const dimensions = judged.map(({ dimension, setExact, setScores }): DimensionShare => {
    const set = prepared.wardrobe.dimensions[dimension].itemSets[index]!;
    const exact = setExact[set] === 1;
    const tagScore = setScores[set]!;
    const rule = (ruleWeight * (exact ? 1 : 0)) / divisor;
    const semantic = (semanticWeight * tagScore) / divisor;
    return { dimension, exact, tagScore, rule, semantic, share: rule + semantic };
  });
  // With no requested dimension the rule score is 1 (every item passes and fits), as itemScore has it.
  const ruleScore = judged.length === 0 ? 1 : dimensions.filter((d) => d.exact).length / divisor;
  const semanticScore = dimensions.reduce((sum, d) => sum + d.tagScore, 0) / divisor;
  return { score: itemScore(run, index), ruleWeight, semanticWeight, ruleScore, semanticScore, rule: ruleWeight * ruleScore, semantic: semanticWeight * semanticScore, dimensions };
}
