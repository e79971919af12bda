import { DIMENSIONS, type Dimension, type PreparedRun } from '@semfilter/core';

/**
 * Per requested dimension, each item's best score by item index, NaN where it can never pass
 * (a clash, or no tag); `size` is the number of items.
 */
export interface DimensionScores {
  readonly size: number;
  readonly byDimension: Readonly<Partial<Record<Dimension, Float64Array>>>;
}

/** Points of the pass-rate-against-threshold chart. */
export const CURVE_STEPS = 20;

/**
 * Reads each item's best score per dimension from a semantic run made with every threshold at 0:
 * at 0 each dimension accepts its best non-clashing pair, so its match carries that score, and
 * the dimension passes at threshold t exactly when the score reaches t. Exact matches count as 1.
 * One score per distinct tag set, then one lookup per item.
 */
export function dimensionScores(zeroThresholdRun: PreparedRun): DimensionScores {
  const { wardrobe } = zeroThresholdRun.prepared;
  const byDimension: Partial<Record<Dimension, Float64Array>> = {};
  for (const { dimension, outcomes, setReported } of zeroThresholdRun.judged) {
    const setScores = new Float64Array(setReported.length).fill(NaN);
    for (let set = 0; set < setReported.length; set++) {
      const outcome = setReported[set]! < 0 ? undefined : outcomes[setReported[set]!]!;
      if (outcome?.passed) setScores[set] = outcome.match.mode === 'exact' ? 1 : outcome.match.score;
    }
    const { itemSets } = wardrobe.dimensions[dimension];
    const scores = new Float64Array(itemSets.length);
    for (let i = 0; i < itemSets.length; i++) scores[i] = setScores[itemSets[i]!]!;
    byDimension[dimension] = scores;
  }
  return { size: wardrobe.size, byDimension };
}

/** The pass rate at each of CURVE_STEPS + 1 thresholds for one dimension, the others at their current thresholds. */
export function passRateCurve(scores: DimensionScores, dimension: Dimension, thresholds: Readonly<Record<Dimension, number>>): number[] {
  // Items by the highest step their score reaches, then summed from the top: each item counts once.
  const reached = new Array<number>(CURVE_STEPS + 1).fill(0);
  const own = scores.byDimension[dimension];
  const others = (Object.keys(scores.byDimension) as Dimension[]).filter((d) => d !== dimension);
  const otherScores = others.map((d) => scores.byDimension[d]!);
  const otherThresholds = others.map((d) => thresholds[d]);
  items: for (let i = 0; i < scores.size; i++) {
    // NaN never reaches a threshold: an item that can never pass on a dimension counts nowhere.
    for (let d = 0; d < others.length; d++) if (!(otherScores[d]![i]! >= otherThresholds[d]!)) continue items;
    const score = own === undefined ? 1 : own[i]!;
    if (!(score >= 0)) continue; // NaN: never passes; a negative score passes no step
    const step = highestStep(score);
    reached[step]!++;
  }
  const curve = new Array<number>(CURVE_STEPS + 1);
  let above = 0;
  for (let step = CURVE_STEPS; step >= 0; step--) curve[step] = scores.size === 0 ? 0 : (above += reached[step]!) / scores.size;
  return curve;
}

/** The highest step whose threshold (step / CURVE_STEPS) a score in [0, ∞) reaches, compared exactly as the filter compares. */
function highestStep(score: number): number {
  let step = Math.min(CURVE_STEPS, Math.floor(score * CURVE_STEPS));
  while (step < CURVE_STEPS && score >= (step + 1) / CURVE_STEPS) step++;
  while (step > 0 && score < step / CURVE_STEPS) step--;
  return step;
}

/**
 * passRateCurve, remembered per dimension: a curve changes only with the scores or another
 * dimension's threshold, so dragging a dimension's own slider moves only its marker.
 */
export function createCurveMemo(): typeof passRateCurve {
  const kept = new Map<Dimension, { readonly scores: DimensionScores; readonly key: string; readonly curve: number[] }>();
  return (scores, dimension, thresholds) => {
    const key = DIMENSIONS.filter((d) => d !== dimension).map((d) => thresholds[d]).join(' ');
    const last = kept.get(dimension);
    if (last?.scores === scores && last.key === key) return last.curve;
    const curve = passRateCurve(scores, dimension, thresholds);
    kept.set(dimension, { scores, key, curve });
    return curve;
  };
}
