import { z } from 'zod';

/**
 * A mergeable latency sketch with logarithmic bins (the DDSketch idea): bin i holds the values in
 * (γ^(i−1), γ^i] with γ = (1+α)/(1−α), and answers with 2γ^i/(γ+1), which is within α of every value
 * in the bin. Bins are fixed by α alone, so sketches from any clients add bin by bin: merging is
 * exact (the same counts as sketching all the values at once), and a quantile of the merge is as
 * accurate as one over the raw values. The window's exact percentiles (percentiles.ts) stay the
 * client's own view; this is what a client sends for the fleet to merge.
 */

/** Relative accuracy of every quantile the sketch returns (1%: within the 2% the fleet guardrails need, ~0.5 KB of JSON per mode for a typical client). */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

/** Values at or below this (ms) go to the zero bin: sub-microsecond timings are noise, and bins down to 0 would be unbounded. */
export const MIN_INDEXABLE_MS = 1e-3;

/** The highest bin index, γ^1024 ≈ 7.7e8 ms (about 9 days); larger values go into this top bin, so only quantiles landing there lose the α bound. */
export const MAX_INDEX = 1024;

/** The lowest bin index, the bin of MIN_INDEXABLE_MS (−345; ln(1e-3)/ln γ ≈ −345.4 is far from an integer, so every engine agrees). */
export const MIN_INDEX = Math.ceil(Math.log(MIN_INDEXABLE_MS) / LOG_GAMMA);

/** Every bin there is (1370), so the most a sketch can hold: a few KB of JSON at worst, and a typical client uses a fifth. */
export const MAX_BINS = MAX_INDEX - MIN_INDEX + 1;

const count = z.number().int().nonnegative();

/**
 * A sketch on the wire (JSON, snake_case). Only sketches of the same α merge, so any other α is
 * refused rather than converted. Besides the field types it checks what the readers rely on: the
 * total matches the bins, the bins stay within [MIN_INDEX, MAX_INDEX] and are trimmed (one encoding
 * per set of values), and min/max are present exactly when there are values.
 */
export const latencySketchSchema = z
  .strictObject({
    alpha: z.literal(SKETCH_RELATIVE_ACCURACY),
    /** Values at or below MIN_INDEXABLE_MS, 0 ms included. */
    zero: count,
    /** Bin index of counts[0]. */
    offset: z.number().int().min(MIN_INDEX).max(MAX_INDEX),
    /** Dense counts of bins offset, offset+1, …, zeros trimmed at both ends. */
    counts: z.array(count).max(MAX_BINS),
    /** All values: zero + the sum of counts. */
    count,
    /** Sum of the values, ms (for the mean). */
    sum: z.number().nonnegative(),
    /** Smallest and largest value, ms (exact; quantiles are clamped into them); null when empty. */
    min: z.number().nonnegative().nullable(),
    max: z.number().nonnegative().nullable(),
  })
  .superRefine((sketch, ctx) => {
    const binned = sketch.counts.reduce((total, n) => total + n, 0);
    if (sketch.count !== sketch.zero + binned) ctx.addIssue({ code: 'custom', path: ['count'], message: `count ${sketch.count} is not zero + sum(counts) = ${sketch.zero + binned}` });
    const last = sketch.counts.length - 1;
    if (sketch.offset + last > MAX_INDEX) ctx.addIssue({ code: 'custom', path: ['counts'], message: `bins run past index ${MAX_INDEX}` });
    if (last >= 0 && (sketch.counts[0] === 0 || sketch.counts[last] === 0)) ctx.addIssue({ code: 'custom', path: ['counts'], message: 'counts must not start or end with 0' });
    for (const key of ['min', 'max'] as const) {
      if ((sketch[key] === null) !== (sketch.count === 0)) ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be null exactly when count is 0` });
    }
    if (sketch.min !== null && sketch.max !== null && sketch.min > sketch.max) ctx.addIssue({ code: 'custom', path: ['max'], message: 'max is below min' });
  });

/** A latency sketch (see latencySketchSchema). */
export type LatencySketch = z.infer<typeof latencySketchSchema>;

/** The bin of a value above MIN_INDEXABLE_MS; past MAX_INDEX everything shares the top bin. */
function binOf(valueMs: number): number {
  return Math.min(MAX_INDEX, Math.max(MIN_INDEX, Math.ceil(Math.log(valueMs) / LOG_GAMMA)));
}

/** What bin i answers: 2γ^i/(γ+1) is within α of both ends of (γ^(i−1), γ^i], clamped into [min, max] because those are exact. */
function binValue(index: number, min: number | null, max: number | null): number {
  return Math.min(max ?? Infinity, Math.max(min ?? 0, (2 * Math.exp(index * LOG_GAMMA)) / (GAMMA + 1)));
}

/** The 1-based nearest-rank rank of quantile q among count values, or null when there is none. */
function rankOf(q: number, total: number): number | null {
  if (total === 0 || !(q >= 0 && q <= 1)) return null;
  const exact = q * total;
  const nearest = Math.round(exact);
  // q is usually a decimal with no exact binary form, so q·count can land an ulp off an integer
  // (0.07·100 = 7.000000000000001): snap within a few ulps, or 7% of 100 values would be rank 8.
  const rank = Math.abs(exact - nearest) <= 4 * Number.EPSILON * exact ? nearest : Math.ceil(exact);
  return Math.min(total, Math.max(1, rank));
}

/** The sketch of no values. */
export function emptySketch(): LatencySketch {
  return { alpha: SKETCH_RELATIVE_ACCURACY, zero: 0, offset: 0, counts: [], count: 0, sum: 0, min: null, max: null };
}

/** The sketch of some timings, ms; NaN, negative and infinite values are dropped. */
export function sketchOf(valuesMs: readonly number[]): LatencySketch {
  const accumulator = new SketchAccumulator();
  for (const value of valuesMs) accumulator.add(value);
  return accumulator.toJSON();
}

/** The sketch of all the sketches' values together, as a new object (exact counts, so order and grouping don't matter). */
export function mergeSketches(...sketches: readonly LatencySketch[]): LatencySketch {
  const accumulator = new SketchAccumulator();
  for (const sketch of sketches) accumulator.merge(sketch);
  return accumulator.toJSON();
}

/**
 * The nearest-rank quantile q ∈ [0, 1] (rank max(1, ⌈q·count⌉)), within α of the exact one for
 * values above MIN_INDEXABLE_MS; null when empty or q is outside [0, 1]. The first and last rank
 * answer the exact min and max. A rank in the zero bin answers min: its values lie in [min, 1 µs],
 * and min is exact for the lowest of them (so the error there is absolute, under 1 µs, not relative).
 */
export function sketchQuantile(sketch: LatencySketch, q: number): number | null {
  const rank = rankOf(q, sketch.count);
  if (rank === null) return null;
  if (rank === sketch.count) return sketch.max;
  if (rank === 1 || rank <= sketch.zero) return sketch.min;
  let seen = sketch.zero;
  for (let i = 0; i < sketch.counts.length; i++) {
    seen += sketch.counts[i]!;
    if (seen >= rank) return binValue(sketch.offset + i, sketch.min, sketch.max);
  }
  return sketch.max; // only when count overstates the bins, which the schema refuses
}

/** The arithmetic mean, ms (exact: the sum travels with the bins); null when empty. */
export function sketchMean(sketch: LatencySketch): number | null {
  return sketch.count === 0 ? null : sketch.sum / sketch.count;
}

/** A mutable accumulator for hot paths (the server folds thousands of sketches; the client adds one value per run). */
export class SketchAccumulator {
  // One slot per bin index in [MIN_INDEX, MAX_INDEX]: the range is bounded, so a fixed dense array
  // (11 KB) beats a map or a growable array — add and merge are plain indexed adds, with no hashing,
  // no resizing and no key strings — and lo/hi keep scans and toJSON to the bins in use.
  readonly #bins = new Float64Array(MAX_BINS);
  #lo = MAX_BINS;
  #hi = -1;
  #zero = 0;
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;

  /** Adds one timing, ms; NaN, negative and infinite values are dropped without a word (callers' timings must never throw). */
  add(valueMs: number): void {
    if (!(valueMs >= 0 && valueMs < Infinity)) return;
    const value = Math.abs(valueMs); // −0 passes the test above; keep it out of min and max
    this.#sum += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    if (value > MIN_INDEXABLE_MS) this.#bump(binOf(value) - MIN_INDEX, 1);
    else {
      this.#zero++;
      this.#count++;
    }
  }

  /** Adds every value of a sketch (parse it with latencySketchSchema first: a sketch off the wire is untrusted). */
  merge(sketch: LatencySketch): void {
    if (sketch.count === 0) return;
    this.#sum += sketch.sum;
    if (sketch.min !== null && sketch.min < this.#min) this.#min = sketch.min;
    if (sketch.max !== null && sketch.max > this.#max) this.#max = sketch.max;
    this.#zero += sketch.zero;
    this.#count += sketch.zero;
    for (let i = 0; i < sketch.counts.length; i++) {
      const n = sketch.counts[i]!;
      // Clamp like add does, so a bin index out of range still keeps count = zero + bins.
      if (n > 0) this.#bump(Math.min(MAX_INDEX, Math.max(MIN_INDEX, sketch.offset + i)) - MIN_INDEX, n);
    }
  }

  /** Sum of the values added, ms (for the mean). */
  get sum(): number {
    return this.#sum;
  }

  /** How many values it holds. */
  get count(): number {
    return this.#count;
  }

  /** The nearest-rank quantile q ∈ [0, 1], as sketchQuantile (it reads the bins in place). */
  quantile(q: number): number | null {
    const rank = rankOf(q, this.#count);
    if (rank === null) return null;
    if (rank === this.#count) return this.#max;
    if (rank === 1 || rank <= this.#zero) return this.#min;
    let seen = this.#zero;
    for (let slot = this.#lo; slot <= this.#hi; slot++) {
      seen += this.#bins[slot]!;
      if (seen >= rank) return binValue(slot + MIN_INDEX, this.#min, this.#max);
    }
    return this.#max;
  }

  /** The sketch of everything added so far, as a new plain object (bins trimmed to the ones in use). */
  toJSON(): LatencySketch {
    if (this.#count === 0) return emptySketch();
    const inUse = this.#hi >= this.#lo;
    return {
      alpha: SKETCH_RELATIVE_ACCURACY,
      zero: this.#zero,
      offset: inUse ? this.#lo + MIN_INDEX : 0,
      counts: inUse ? Array.from(this.#bins.subarray(this.#lo, this.#hi + 1)) : [],
      count: this.#count,
      sum: this.#sum,
      min: this.#min,
      max: this.#max,
    };
  }

  #bump(slot: number, n: number): void {
    this.#bins[slot] += n;
    this.#count += n;
    if (slot < this.#lo) this.#lo = slot;
    if (slot > this.#hi) this.#hi = slot;
  }
}
