import { describe, expect, it } from 'vitest';
import { createMetricsRecorder, percentile, RingBuffer, summarizeTimings } from '@semfilter/core/metrics';
import { seededRandom as random } from '../src/sample/sample-wardrobe.js';


/** The definition of the nearest-rank percentile, checked by counting rather than by index arithmetic. */
function isNearestRank(values: readonly number[], p: number, x: number): boolean {
  const atOrBelow = values.filter((v) => v <= x).length;
  const below = values.filter((v) => v < x).length;
  const need = (p / 100) * values.length;
  return values.includes(x) && atOrBelow >= need - 1e-9 && (p === 0 || below < need - 1e-9);
}

const PS = [0, 1, 5, 7, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

describe('percentiles', () => {
  it('equal the nearest-rank value of a sorted reference, for random data and many p', () => {
    const next = random(8);
    for (const n of [1, 2, 3, 10, 99, 100, 101, 500, 2000]) {
      const values = Array.from({ length: n }, () => Math.round(next() * 5000) / 10); // ties happen
      const reference = [...values].sort((a, b) => a - b);
      for (const p of PS) {
        const got = percentile(reference, p)!;
        expect(got, `n=${n} p=${p}`).toBe(reference[Math.max(1, Math.ceil((p * n) / 100)) - 1]);
        expect(isNearestRank(values, p, got), `n=${n} p=${p}`).toBe(true);
      }
    }
  });

  it('gives 7% of 100 values as the 7th, not the 8th (no floating-point rank drift)', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 7)).toBe(7);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it('is null for no values or a p outside [0, 100]', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([1], -1)).toBeNull();
    expect(percentile([1], 101)).toBeNull();
    expect(percentile([1], Number.NaN)).toBeNull();
  });

  it('summarizes timings in any order: exact mean, p50 and p95', () => {
    const next = random(21);
    const values = Array.from({ length: 377 }, () => next() * 900);
    const sorted = [...values].sort((a, b) => a - b);
    const summary = summarizeTimings(values);
    expect(summary.count).toBe(377);
    expect(summary.mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / 377, 9);
    expect(summary.p50).toBe(sorted[Math.ceil(0.5 * 377) - 1]);
    expect(summary.p95).toBe(sorted[Math.ceil((95 * 377) / 100) - 1]);
    expect(summarizeTimings([])).toEqual({ count: 0, mean: null, p50: null, p95: null });
  });
});

describe('RingBuffer', () => {
  it('keeps the latest values, oldest first, and hands back what it pushes out', () => {
    const ring = new RingBuffer<number>(3);
    expect([1, 2, 3].map((v) => ring.push(v))).toEqual([undefined, undefined, undefined]);
    expect(ring.push(4)).toBe(1);
    expect(ring.toArray()).toEqual([2, 3, 4]);
    expect(ring.size).toBe(3);
    ring.clear();
    expect(ring.toArray()).toEqual([]);
    expect(() => new RingBuffer(0)).toThrow(/integer ≥ 1/);
  });
});

describe('the recorder window', () => {
  it('computes p50 and p95 exactly over the last windowSize runs only', () => {
    const next = random(5);
    const recorder = createMetricsRecorder({ windowSize: 200, now: () => 0 });
    const latencies = Array.from({ length: 1000 }, () => Math.round(next() * 100_000) / 100);
    for (const latencyMs of latencies) recorder.record({ mode: 'semantic', role: 'served', passRate: 0.5, latencyMs, fallbackReason: null });
    const reference = latencies.slice(-200).sort((a, b) => a - b);
    const { latency_ms, runs, window } = recorder.snapshot();
    expect(latency_ms.semantic.p50).toBe(reference[99]);
    expect(latency_ms.semantic.p95).toBe(reference[189]);
    expect(latency_ms.semantic.count).toBe(200);
    expect(latency_ms.semantic.mean).toBeCloseTo(reference.reduce((s, v) => s + v, 0) / 200, 9);
    expect(latency_ms.traditional).toEqual({ count: 0, mean: null, p50: null, p95: null });
    expect(runs.total).toBe(1000);
    expect(window).toEqual({ size: 200, runs: 200 });
  });
});
