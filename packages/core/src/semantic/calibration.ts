/** One equal-width score bin of a reliability table. */
export interface CalibrationBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanScore: number;
  /** Share of the bin's pairs that are compatible. */
  readonly shareCompatible: number;
}

/**
 * How well scores read as probabilities on labelled pairs: equal-width score bins, and the expected
 * calibration error (Naeini et al.), the bin-weighted mean gap between each bin's mean score and
 * its share of compatible pairs. Empty bins are left out.
 */
export function calibration(scores: readonly number[], compatible: readonly boolean[], bins = 10): { readonly ece: number; readonly bins: readonly CalibrationBin[] } {
  const sums = Array.from({ length: bins }, () => ({ count: 0, scores: 0, compatible: 0 }));
  scores.forEach((score, i) => {
    const bin = sums[Math.min(bins - 1, Math.max(0, Math.floor(score * bins)))]!;
    bin.count++;
    bin.scores += score;
    if (compatible[i]) bin.compatible++;
  });
  const out = sums.flatMap((bin, b) => (bin.count === 0 ? [] : [{ from: b / bins, to: (b + 1) / bins, count: bin.count, meanScore: bin.scores / bin.count, shareCompatible: bin.compatible / bin.count }]));
  const ece = out.reduce((sum, bin) => sum + (bin.count / scores.length) * Math.abs(bin.shareCompatible - bin.meanScore), 0);
  return { ece, bins: out };
}
