import { DIMENSIONS, type Dimension, type FilterReport } from '@semfilter/core';
import { svg, type SVGTemplateResult } from 'lit';

/** Per item, the best score of each requested dimension, or null where it can never pass. */
export type DimensionScores = ReadonlyMap<string, Readonly<Partial<Record<Dimension, number | null>>>>;

/** Points of the pass-rate-against-threshold chart. */
export const CURVE_STEPS = 20;

/**
 * Reads each item's best score per dimension from a semantic report made with every threshold at
 * 0: at 0 each dimension accepts its best non-clashing pair, so its match carries that score, and
 * the dimension passes at threshold t exactly when the score reaches t. Exact matches count as 1.
 */
export function dimensionScores(zeroThresholdReport: FilterReport): DimensionScores {
  const scores = new Map<string, Partial<Record<Dimension, number | null>>>();
  for (const item of zeroThresholdReport.items) {
    const byDimension: Partial<Record<Dimension, number | null>> = {};
    for (const match of item.matches) byDimension[match.dimension] = match.mode === 'exact' ? 1 : match.score;
    for (const reason of item.reasons) byDimension[reason.dimension] = null;
    scores.set(item.id, byDimension);
  }
  return scores;
}

/** The pass rate at each of CURVE_STEPS + 1 thresholds for one dimension, the others at their current thresholds. */
export function passRateCurve(scores: DimensionScores, dimension: Dimension, thresholds: Readonly<Record<Dimension, number>>): number[] {
  const total = scores.size;
  return Array.from({ length: CURVE_STEPS + 1 }, (_, step) => {
    const at = { ...thresholds, [dimension]: step / CURVE_STEPS };
    let passed = 0;
    for (const byDimension of scores.values()) {
      if (DIMENSIONS.every((d) => !(d in byDimension) || (byDimension[d] !== null && byDimension[d]! >= at[d]))) passed++;
    }
    return total === 0 ? 0 : passed / total;
  });
}

/** SVG polyline points for a curve in a 100 × 30 box (pass rate up, threshold right). */
export function curvePoints(curve: readonly number[]): string {
  return curve.map((rate, i) => `${((100 * i) / (curve.length - 1)).toFixed(1)},${(30 - 28 * rate - 1).toFixed(1)}`).join(' ');
}

/** The curve and a marker at the current threshold, for an `<svg viewBox="0 0 100 30">`. */
export function curveTemplate(curve: readonly number[], threshold: number): SVGTemplateResult {
  const x = (100 * Math.round(threshold * CURVE_STEPS)) / CURVE_STEPS;
  // svg`…`, not html`…`: the parts are created in the SVG namespace, or the browser ignores them.
  return svg`<polyline points=${curvePoints(curve)}></polyline><line x1=${x} x2=${x} y1="0" y2="30"></line>`;
}
