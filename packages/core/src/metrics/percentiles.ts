/**
 * Exact percentiles over a bounded window. A window holds at most a few thousand timings, so a ring
 * buffer plus a sort is exact and cheap (microseconds for 500 values); a sketch (DDSketch, t-digest)
 * would only pay off for unbounded or merged streams, which the client never keeps.
 */

/**
 * The nearest-rank percentile of values sorted ascending: the smallest value such that at least
 * p% of the values are at or below it (rank ⌈p·n/100⌉, 1-based; p = 0 gives the minimum).
 * Exact, never interpolated, so it is always a value that was observed. Null for no values or a
 * p outside [0, 100].
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0 || !(p >= 0 && p <= 100)) return null;
  // p·n/100 rather than p/100·n: for integer p and n the product is exact, so 7% of 100 is rank 7, not 8.
  const rank = Math.ceil((p * sorted.length) / 100);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Count, mean, p50 and p95 of a set of timings (exact, nearest-rank); nulls when there are none. */
export interface TimingSummary {
  readonly count: number;
  readonly mean: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
}

/** Summarizes timings in any order: one sort, then nearest-rank p50 and p95 and the arithmetic mean. */
export function summarizeTimings(values: readonly number[]): TimingSummary {
  if (values.length === 0) return { count: 0, mean: null, p50: null, p95: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { count: sorted.length, mean, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** A fixed-capacity buffer that keeps the latest values: pushing into a full buffer drops the oldest. */
export class RingBuffer<T> {
  readonly #slots: (T | undefined)[];
  #start = 0;
  #size = 0;

  /** A buffer of `capacity` slots (an integer ≥ 1; anything else is a programmer error at setup). */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`RingBuffer capacity must be an integer ≥ 1, received ${capacity}`);
    this.#slots = new Array<T | undefined>(capacity);
  }

  /** How many values it holds (at most `capacity`). */
  get size(): number {
    return this.#size;
  }

  /** Adds a value; returns the one it pushed out, if the buffer was full. */
  push(value: T): T | undefined {
    if (this.#size < this.capacity) {
      this.#slots[(this.#start + this.#size) % this.capacity] = value;
      this.#size++;
      return undefined;
    }
    const evicted = this.#slots[this.#start];
    this.#slots[this.#start] = value;
    this.#start = (this.#start + 1) % this.capacity;
    return evicted;
  }

  /** The values, oldest first, as a new array. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#size; i++) out.push(this.#slots[(this.#start + i) % this.capacity] as T);
    return out;
  }

  /** Empties the buffer. */
  clear(): void {
    this.#slots.fill(undefined);
    this.#start = 0;
    this.#size = 0;
  }
}
