// Arithmetic over window samples, shared by the snapshot and the guardrails. Internal: the
// metrics index does not re-export it, so generic names such as `mean` stay out of the public API.
import { summarizeTimings, type TimingSummary } from './percentiles.js';
import type { RunCounts, RunMode, RunSample } from './run-sample.js';
import { SEMANTIC_FALLBACK_REASONS, type MetricsSnapshot } from './snapshot.js';

type SemanticFallbackReason = (typeof SEMANTIC_FALLBACK_REASONS)[number];

/**
 * Whether a run fell back or failed. The same test serves both modes: a traditional run can only
 * fail by INVALID_INPUT or an error, which a semantic run on the same input would share, so the
 * guardrail's baseline cancels input the host got wrong.
 */
export function fellBackOrFailed(sample: RunSample): boolean {
  return sample.error === true || (sample.fallbackReason !== null && sample.fallbackReason !== 'DISABLED');
}

/** Sum of a/b pairs as one share, or null when the whole is 0. */
export function ratio(pairs: readonly { readonly part: number; readonly whole: number }[]): number | null {
  let part = 0;
  let whole = 0;
  for (const p of pairs) {
    part += p.part;
    whole += p.whole;
  }
  return whole === 0 ? null : part / whole;
}

/** Mean of values, or null for none. */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Builds a snapshot from the window's samples and the lifetime counts. */
export function buildSnapshot(samples: readonly RunSample[], counts: RunCounts, windowSize: number, takenAt: number): MetricsSnapshot {
  const ofMode = (mode: RunMode) => samples.filter((s) => s.mode === mode);
  const semantic = ofMode('semantic');
  const answered = (mode: RunMode) => ofMode(mode).filter((s) => s.error !== true);
  const byReason = Object.fromEntries(SEMANTIC_FALLBACK_REASONS.map((reason) => [reason, 0])) as Record<SemanticFallbackReason, number>;
  for (const s of semantic) if (s.fallbackReason !== null && s.fallbackReason !== 'DISABLED') byReason[s.fallbackReason]++;
  const semanticAnswered = answered('semantic');
  return {
    schema: 1,
    taken_at_ms: takenAt,
    runs: { total: counts.total, by_mode: { traditional: counts.traditional, semantic: counts.semantic }, by_role: { served: counts.served, shadow: counts.shadow } },
    window: { size: windowSize, runs: samples.length },
    pass_rate: { traditional: mean(answered('traditional').map((s) => s.passRate)), semantic: mean(semanticAnswered.map((s) => s.passRate)) },
    latency_ms: { traditional: timings(ofMode('traditional')), semantic: timings(semantic) },
    fallback_rate: semanticAnswered.length === 0 ? null : semanticAnswered.filter((s) => s.fallbackReason !== null && s.fallbackReason !== 'DISABLED').length / semanticAnswered.length,
    fallback_by_reason: byReason,
    error_rate: samples.length === 0 ? null : samples.filter((s) => s.error === true).length / samples.length,
    cache_hit_rate: ratio(semantic.flatMap((s) => (s.cache ? [{ part: s.cache.hits, whole: s.cache.lookups }] : []))),
    flip_rate: ratio(samples.flatMap((s) => (s.flips ? [{ part: s.flips.flipped, whole: s.flips.compared }] : []))),
  };
}

function timings(samples: readonly RunSample[]): TimingSummary {
  return summarizeTimings(samples.map((s) => s.latencyMs));
}
