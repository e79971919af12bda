import type { MetricsSnapshot } from '@semfilter/core/metrics';

/** What the live charts draw from one snapshot: a handful of numbers, never the snapshot itself. */
export interface MetricPoint {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly mean: number | null;
  readonly passTraditional: number | null;
  readonly passSemantic: number | null;
  readonly fallbackRate: number | null;
}

/** Points the charts keep: older ones scroll off, so a long session costs the same to draw. */
export const HISTORY_POINTS = 60;

/** The chart values of one snapshot: semantic mode's latency (what the guardrails watch), both pass rates, the fallback rate. */
export function pointOf(snapshot: MetricsSnapshot): MetricPoint {
  const latency = snapshot.latency_ms.semantic;
  const timed = latency.count > 0;
  return {
    p50: timed ? latency.p50 : null,
    p95: timed ? latency.p95 : null,
    mean: timed ? latency.mean : null,
    passTraditional: snapshot.runs.by_mode.traditional > 0 ? snapshot.pass_rate.traditional : null,
    passSemantic: snapshot.runs.by_mode.semantic > 0 ? snapshot.pass_rate.semantic : null,
    fallbackRate: snapshot.runs.by_mode.semantic > 0 ? snapshot.fallback_rate : null,
  };
}

/** The history with one more point, at most HISTORY_POINTS long (a new array: Lit sees the change). */
export function appendPoint(history: readonly MetricPoint[], point: MetricPoint, limit = HISTORY_POINTS): readonly MetricPoint[] {
  const next = history.length >= limit ? history.slice(history.length - limit + 1) : history.slice();
  next.push(point);
  return next;
}

/** One field of every point, oldest first, for a chart line. */
export function seriesOf(history: readonly MetricPoint[], field: keyof MetricPoint): (number | null)[] {
  return history.map((point) => point[field]);
}
