import { z } from 'zod';
import type { FallbackReason } from '../report/filter-report.js';

/** Fallback reasons a semantic run can end with (DISABLED only marks a traditional run). */
export const SEMANTIC_FALLBACK_REASONS = ['MODEL_UNAVAILABLE', 'TIMEOUT', 'INVALID_INPUT', 'MODEL_LOADING'] as const satisfies readonly FallbackReason[];

const count = z.number().int().nonnegative();
/** A share in [0, 1], or null when nothing in the window could give it. */
const rate = z.number().min(0).max(1).nullable();
const timingSchema = z.strictObject({
  count,
  /** Arithmetic mean, ms. */
  mean: z.number().nonnegative().nullable(),
  /** Nearest-rank median, ms (a value that was observed). */
  p50: z.number().nonnegative().nullable(),
  /** Nearest-rank 95th percentile, ms. */
  p95: z.number().nonnegative().nullable(),
});
const perMode = <T extends z.ZodType>(value: T) => z.strictObject({ traditional: value, semantic: value });

/**
 * A metrics snapshot, snake_case like the report. Counts, rates and timings only: no user id, item
 * id, name or tag can appear, because every field is a number. `runs` counts since the recorder
 * was created or reset; every other figure covers the sliding window (the last `window.size` runs),
 * and its percentiles are exact (nearest-rank) over that window.
 */
export const metricsSnapshotSchema = z.strictObject({
  schema: z.literal(1),
  /** When it was taken: the recorder's clock, ms (Date.now by default). */
  taken_at_ms: z.number(),
  runs: z.strictObject({ total: count, by_mode: perMode(count), by_role: z.strictObject({ served: count, shadow: count }) }),
  /** The sliding window: its capacity and the runs it holds now. */
  window: z.strictObject({ size: count, runs: count }),
  /** Mean filter_pass_rate per mode over the window's runs that returned a report. */
  pass_rate: perMode(rate),
  /** Wall-clock run time per mode over the window. */
  latency_ms: perMode(timingSchema),
  /** Share of the window's semantic runs that fell back (any reason but DISABLED). */
  fallback_rate: rate,
  /** The window's semantic runs that fell back, per reason. */
  fallback_by_reason: z.strictObject(Object.fromEntries(SEMANTIC_FALLBACK_REASONS.map((reason) => [reason, count])) as Record<(typeof SEMANTIC_FALLBACK_REASONS)[number], typeof count>),
  /** Share of the window's runs (either mode) that rejected or threw instead of returning a report. */
  error_rate: rate,
  /** Vector lookups answered without the model (memory, IndexedDB, vocabulary) over all lookups, semantic runs. */
  cache_hit_rate: rate,
  /** Items decided differently by the two modes on the same input, over the items compared. */
  flip_rate: rate,
});

/** A metrics snapshot (see metricsSnapshotSchema). */
export type MetricsSnapshot = z.infer<typeof metricsSnapshotSchema>;
