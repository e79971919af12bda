import { DIMENSIONS, type Dimension } from './dimensions.js';
import type { ModelInfo } from './embedder.js';
import type { MatchMode, Reason } from './reasons.js';

/** Why semantic mode is not active: stable codes, like reason codes. */
export const FALLBACK_REASONS = {
  /** Semantic mode was not asked for. */
  DISABLED: 'DISABLED',
  /** The model could not be loaded (files missing, worker failed, no embedder given). */
  MODEL_UNAVAILABLE: 'MODEL_UNAVAILABLE',
  /** The model did not answer within the timeout. */
  TIMEOUT: 'TIMEOUT',
} as const;

/** One of the fallback reason codes. */
export type FallbackReason = keyof typeof FALLBACK_REASONS;

/** One item's verdict: passed, its overall score, and a reason for each dimension that rejected it. */
export interface ItemVerdict {
  readonly id: string;
  readonly passed: boolean;
  readonly score: number;
  readonly reasons: readonly Reason[];
}

/** What one filter run decided, as DESIGN.md's report contract gives it. */
export interface FilterReport {
  readonly semantic_mode_active: boolean;
  readonly fallback_reason: FallbackReason | null;
  readonly filter_pass_rate: number;
  readonly rejection_reasons: readonly Dimension[];
  readonly rejection_counts: Readonly<Partial<Record<Dimension, number>>>;
  /** How each requested dimension was compared in this run. */
  readonly dimension_modes: Readonly<Partial<Record<Dimension, MatchMode>>>;
  /** Passed items first, best score first; then rejected items in input order. */
  readonly items: readonly ItemVerdict[];
  readonly model: ModelInfo | null;
  readonly timings_ms: { readonly total: number; readonly embed?: number };
}

/** Sums verdicts into a report's rates and counts; `items` come out ranked. */
export function summarize(verdicts: readonly ItemVerdict[]): Pick<FilterReport, 'filter_pass_rate' | 'rejection_reasons' | 'rejection_counts' | 'items'> {
  const counts: Partial<Record<Dimension, number>> = {};
  let passed = 0;
  for (const verdict of verdicts) {
    if (verdict.passed) passed++;
    for (const reason of verdict.reasons) counts[reason.dimension] = (counts[reason.dimension] ?? 0) + 1;
  }
  const ranked = verdicts.filter((v) => v.passed).sort((a, b) => b.score - a.score);
  return {
    filter_pass_rate: verdicts.length === 0 ? 0 : passed / verdicts.length,
    rejection_reasons: DIMENSIONS.filter((dimension) => counts[dimension] !== undefined),
    rejection_counts: counts,
    items: [...ranked, ...verdicts.filter((v) => !v.passed)],
  };
}
