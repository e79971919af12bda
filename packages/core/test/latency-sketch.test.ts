import { describe, expect, it } from 'vitest';
import {
  emptySketch,
  latencySketchSchema,
  MAX_BINS,
  MAX_INDEX,
  MIN_INDEX,
  mergeSketches,
  SKETCH_RELATIVE_ACCURACY,
  SketchAccumulator,
  sketchMean,
  sketchOf,
  sketchQuantile,
  type LatencySketch,
} from '../src/metrics/latency-sketch.js';
import { seededRandom as random } from '../src/sample/sample-wardrobe.js';

const ALPHA = SKETCH_RELATIVE_ACCURACY;
// A value on a bin boundary can land in either neighbour depending on the last ulp of Math.log.
const SLACK = 1e-12;


/** Lognormal latencies, ms (Box–Muller), with the given median and sigma. */
function lognormal(next: () => number, median: number, sigma: number, n: number): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    return median * Math.exp(sigma * z);
  });
}

/** The exact nearest-rank percentile for an integer p (p·n/100 is exact, as in percentiles.ts). */
function exactPercentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p * sorted.length) / 100))) - 1]!;
}

function relativeError(got: number | null, want: number): number {
  expect(got).not.toBeNull();
  return Math.abs(got! - want) / want;
}

const ascending = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const roundTrip = (sketch: LatencySketch) => latencySketchSchema.parse(JSON.parse(JSON.stringify(sketch)));
const issuePaths = (value: unknown) => latencySketchSchema.safeParse(value).error?.issues.map((issue) => issue.path.join('.'));

describe('latency sketch accuracy', () => {
  it('answers every quantile of 10,000 lognormal latencies within α of the exact nearest-rank one', () => {
    const values = lognormal(random(1), 120, 0.8, 10_000);
    const sorted = ascending(values);
    const sketch = sketchOf(values);
    const accumulator = new SketchAccumulator();
    for (const value of values) accumulator.add(value);
    for (let p = 0; p <= 100; p++) {
      const got = sketchQuantile(sketch, p / 100);
      expect(relativeError(got, exactPercentile(sorted, p)), `p=${p}`).toBeLessThanOrEqual(ALPHA + SLACK);
      expect(accumulator.quantile(p / 100), `p=${p}`).toBe(got);
    }
    expect(sketchQuantile(sketch, 0)).toBe(sorted[0]);
    expect(sketchQuantile(sketch, 1)).toBe(sorted.at(-1));
    expect(sketchMean(sketch)).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
  });

  it('picks rank ⌈q·n⌉ with no floating-point drift (0.95 of 100 is the 95th value, 0.07 the 7th)', () => {
    // Neighbours 3% apart sit in different bins and more than α from each other's answer, so an
    // answer within α of the expected value proves the rank was right.
    const next = random(2);
    for (const n of [1, 7, 20, 100, 101, 500]) {
      const values = Array.from({ length: n }, (_, k) => 1.03 ** k * 10).sort(() => next() - 0.5);
      const sorted = ascending(values);
      const sketch = sketchOf(values);
      for (let p = 0; p <= 100; p++) {
        expect(relativeError(sketchQuantile(sketch, p / 100), exactPercentile(sorted, p)), `n=${n} p=${p}`).toBeLessThanOrEqual(ALPHA + SLACK);
      }
    }
  });

  it('keeps the fleet p95 of 500 merged client sketches within 2% (and α) of the exact p95', () => {
    const next = random(3);
    const all: number[] = [];
    const wire: LatencySketch[] = [];
    for (let client = 0; client < 500; client++) {
      const n = 20 + Math.floor(next() * 181);
      const median = 120 * Math.exp(0.5 * (next() - 0.5)); // clients differ: devices, networks
      const values = lognormal(next, median, 0.8, n);
      all.push(...values);
      wire.push(roundTrip(sketchOf(values)));
    }
    const fleet = mergeSketches(...wire);
    const folded = new SketchAccumulator();
    for (const sketch of wire) folded.merge(sketch);
    const sorted = ascending(all);
    expect(fleet.count).toBe(all.length);
    expect(folded.toJSON().counts).toEqual(fleet.counts);
    for (const p of [50, 90, 95, 99]) {
      const error = relativeError(sketchQuantile(fleet, p / 100), exactPercentile(sorted, p));
      expect(error, `p${p}`).toBeLessThanOrEqual(ALPHA + SLACK);
      expect(folded.quantile(p / 100), `p${p}`).toBe(sketchQuantile(fleet, p / 100));
    }
    expect(relativeError(sketchQuantile(fleet, 0.95), exactPercentile(sorted, 95))).toBeLessThan(0.02);
  });

  it('represents values up to 1e7 ms within α and puts larger ones in the top bin', () => {
    const big = sketchOf([5, 1e7, 1e7 * 1.5]);
    expect(relativeError(sketchQuantile(big, 0.5), 1e7)).toBeLessThanOrEqual(ALPHA + SLACK);
    const huge = sketchOf([5, 1e12, 1e13, 1e14]);
    expect(huge.offset + huge.counts.length - 1).toBe(MAX_INDEX);
    expect(huge.counts.at(-1)).toBe(3);
    expect(sketchQuantile(huge, 1)).toBe(1e14); // the max is exact even past the top bin
    expect(latencySketchSchema.safeParse(huge).success).toBe(true);
  });
});

describe('merging latency sketches', () => {
  const next = random(4);
  const parts = [lognormal(next, 120, 0.8, 300), [0, ...lognormal(next, 40, 1.2, 50)], lognormal(next, 900, 0.3, 120)];
  const [a, b, c] = parts.map(sketchOf) as [LatencySketch, LatencySketch, LatencySketch];

  it('gives exactly the sketch of the concatenated values', () => {
    const merged = mergeSketches(a, b, c);
    const whole = sketchOf(parts.flat());
    expect({ ...merged, sum: 0 }).toEqual({ ...whole, sum: 0 });
    expect(merged.sum).toBeCloseTo(whole.sum, 6);
    expect(latencySketchSchema.parse(merged)).toEqual(merged);
  });

  it('is commutative and associative, and emptySketch is its identity', () => {
    expect(mergeSketches(a, b)).toEqual(mergeSketches(b, a));
    const left = mergeSketches(mergeSketches(a, b), c);
    const right = mergeSketches(a, mergeSketches(b, c));
    expect({ ...left, sum: 0 }).toEqual({ ...right, sum: 0 });
    expect(left.sum).toBeCloseTo(right.sum, 6);
    expect(mergeSketches(a, emptySketch())).toEqual(a);
    expect(mergeSketches(emptySketch(), b)).toEqual(b);
    expect(mergeSketches()).toEqual(emptySketch());
  });

  it('returns a new object and leaves its inputs alone', () => {
    const before = structuredClone(a);
    const merged = mergeSketches(a);
    expect(merged).toEqual(a);
    expect(merged).not.toBe(a);
    expect(merged.counts).not.toBe(a.counts);
    mergeSketches(a, b);
    expect(a).toEqual(before);
  });
});

describe('latency sketch input', () => {
  it('counts zeros in `zero` and drops NaN, negative and infinite values', () => {
    const accumulator = new SketchAccumulator();
    for (const value of [0, -0, 0.0005, NaN, -1, Infinity, -Infinity, 5]) accumulator.add(value);
    const sketch = accumulator.toJSON();
    expect(accumulator.count).toBe(4);
    expect(sketch).toMatchObject({ zero: 3, count: 4, min: 0, max: 5, sum: 5.0005 });
    expect(Object.is(sketch.min, 0)).toBe(true); // not −0
    expect(sketch.counts).toEqual([1]);
    expect(sketchQuantile(sketch, 0.5)).toBe(0); // the zero bin answers min
    expect(sketchQuantile(sketch, 1)).toBe(5);
    expect(latencySketchSchema.parse(sketch)).toEqual(sketch);
  });

  it('answers null for an empty sketch and for q outside [0, 1]', () => {
    const empty = sketchOf([NaN, -3, Infinity]);
    expect(empty).toEqual(emptySketch());
    expect(sketchQuantile(empty, 0.5)).toBeNull();
    expect(sketchMean(empty)).toBeNull();
    expect(new SketchAccumulator().quantile(0.5)).toBeNull();
    const sketch = sketchOf([1, 2, 3]);
    for (const q of [-0.01, 1.01, NaN, Infinity]) expect(sketchQuantile(sketch, q), `q=${q}`).toBeNull();
    expect(sketchMean(sketch)).toBe(2);
    expect(latencySketchSchema.parse(emptySketch())).toEqual(emptySketch());
  });

  it('keeps a sketch of only zeros free of bins', () => {
    const zeros = sketchOf([0, 0, 0]);
    expect(zeros).toMatchObject({ zero: 3, count: 3, counts: [], min: 0, max: 0 });
    expect(sketchQuantile(zeros, 0.95)).toBe(0);
    const tiny = sketchOf([0, 0.0002, 0.0007]);
    expect([0, 0.5, 1].map((q) => sketchQuantile(tiny, q))).toEqual([0, 0, 0.0007]); // absolute error under 1 µs
    expect(mergeSketches(zeros, sketchOf([7])).counts).toEqual([1]);
  });
});

describe('latencySketchSchema', () => {
  const valid = sketchOf([0, 3, 8, 8, 120, 4000]);

  it('accepts what sketchOf produces, through JSON', () => {
    expect(roundTrip(valid)).toEqual(valid);
  });

  it('refuses another alpha, a count that disagrees with the bins, too many bins, and extra fields', () => {
    expect(issuePaths({ ...valid, alpha: 0.02 })).toEqual(['alpha']);
    expect(issuePaths({ ...valid, count: valid.count + 1 })).toEqual(['count']);
    expect(issuePaths({ ...valid, zero: valid.zero + 1 })).toEqual(['count']);
    const tooMany = Array.from({ length: MAX_BINS + 1 }, () => 1);
    expect(issuePaths({ ...valid, offset: MIN_INDEX, counts: tooMany, count: MAX_BINS + 1 + valid.zero })).toContain('counts');
    expect(latencySketchSchema.safeParse({ ...valid, extra: 1 }).success).toBe(false);
  });

  it('refuses bins out of range or untrimmed, and min/max that disagree with the count', () => {
    expect(issuePaths({ ...valid, offset: MAX_INDEX })).toEqual(['counts']);
    expect(issuePaths({ ...valid, offset: MIN_INDEX - 1 })).toEqual(['offset']);
    expect(issuePaths({ ...valid, counts: [...valid.counts, 0] })).toEqual(['counts']);
    expect(issuePaths({ ...valid, min: null })).toEqual(['min']);
    expect(issuePaths({ ...emptySketch(), max: 3 })).toEqual(['max']);
    expect(issuePaths({ ...valid, min: 5000 })).toEqual(['max']);
    expect(issuePaths({ ...valid, sum: -1 })).toEqual(['sum']);
  });
});

describe('latency sketch size', () => {
  it('keeps a typical client sketch (200 samples) under 1 KB of JSON', () => {
    const sketch = sketchOf(lognormal(random(5), 120, 0.8, 200));
    expect(JSON.stringify(sketch).length).toBeLessThan(1024);
  });

  it('keeps even a sketch with every bin in use under 4 KB', () => {
    const values = Array.from({ length: MAX_BINS }, (_, k) => Math.exp((MIN_INDEX + k - 0.25) * Math.log((1 + ALPHA) / (1 - ALPHA))));
    const sketch = sketchOf(values);
    expect([MIN_INDEX, MAX_INDEX, MAX_BINS]).toEqual([-345, 1024, 1370]);
    expect(sketch.counts).toHaveLength(MAX_BINS);
    expect(JSON.stringify(sketch).length).toBeLessThan(4096);
  });
});
