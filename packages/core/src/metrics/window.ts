import { summarizeTimings } from './percentiles.js';
import type { RunSample } from './recorder.js';
import { fellBackOrFailed, mean, ratio } from './sample-stats.js';
import type { GuardrailThresholds } from './guardrails.js';

/** Stable names of the guardrail checks (as they appear in events and latches). */
export const GUARDRAIL_METRICS = {
  PASS_RATE: 'pass_rate',
  FALLBACK_OR_ERROR_RATE: 'fallback_or_error_rate',
  MEAN_LATENCY_MS: 'mean_latency_ms',
  P95_LATENCY_MS: 'p95_latency_ms',
  CACHE_HIT_RATE: 'cache_hit_rate',
} as const;

/** One of the guardrail check names. */
export type GuardrailMetric = (typeof GUARDRAIL_METRICS)[keyof typeof GUARDRAIL_METRICS];

/** How a check or a window ended, in Argo Rollouts' terms (no data is INCONCLUSIVE, never FAIL). */
export type GuardrailResult = 'PASS' | 'FAIL' | 'INCONCLUSIVE';

/** One check of one window: the metric, its value, the bound it was held to, and the baseline that bound came from. */
export interface GuardrailCheck {
  readonly metric: GuardrailMetric;
  /** The semantic runs' value, or null when the window cannot give it. */
  readonly value: number | null;
  /** The bound `value` is compared with, in its units; null when its baseline is unknown. */
  readonly threshold: number | null;
  /** `max`: value must not exceed threshold; `min`: value must not fall below it. */
  readonly bound: 'max' | 'min';
  /** What the threshold was derived from (the traditional runs of the same window), or null for absolute rules. */
  readonly baseline: number | null;
  readonly status: GuardrailResult;
}

/** The outcome of one evaluation window. */
export interface WindowEvaluation {
  readonly result: GuardrailResult;
  readonly checks: readonly GuardrailCheck[];
  /** Semantic runs in the window (served or shadow): what the checks measure. */
  readonly semanticRuns: number;
  /** Traditional runs in the window: the baselines. */
  readonly traditionalRuns: number;
}

/**
 * Evaluates one window of samples. Fewer than `minSamples` semantic runs makes every check
 * INCONCLUSIVE (values still shown); a check whose baseline or data is missing is INCONCLUSIVE.
 * The window FAILs when any check fails, PASSes when none fails and at least one passes, and is
 * otherwise INCONCLUSIVE. Never throws. Semantic runs answered while the model was still loading
 * (MODEL_LOADING) are left out: they say nothing about semantic mode yet, and a first visit on a
 * slow network would otherwise roll a user back for good; a load that fails ends in
 * MODEL_UNAVAILABLE or TIMEOUT, which count.
 */
export function evaluateWindow(samples: readonly RunSample[], thresholds: GuardrailThresholds): WindowEvaluation {
  const semantic = samples.filter((s) => s.mode === 'semantic' && s.fallbackReason !== 'MODEL_LOADING');
  const traditional = samples.filter((s) => s.mode === 'traditional');
  const enough = semantic.length >= thresholds.minSamples;
  const judge = (value: number | null, threshold: number | null, bound: 'max' | 'min'): GuardrailResult => {
    if (!enough || value === null || threshold === null) return 'INCONCLUSIVE';
    const breached = bound === 'max' ? value > threshold : value < threshold;
    return breached ? 'FAIL' : 'PASS';
  };
  const check = (metric: GuardrailMetric, value: number | null, threshold: number | null, bound: 'max' | 'min', baseline: number | null): GuardrailCheck => ({
    metric,
    value,
    threshold,
    bound,
    baseline,
    status: judge(value, threshold, bound),
  });

  const passRate = mean(semantic.filter((s) => s.error !== true).map((s) => s.passRate));
  const passBaseline = mean(traditional.filter((s) => s.error !== true).map((s) => s.passRate));
  const failureRate = semantic.length === 0 ? null : semantic.filter(fellBackOrFailed).length / semantic.length;
  // No traditional run failed (or none ran) means a baseline of 0: any semantic fallback counts in full.
  const failureBaseline = traditional.length === 0 ? 0 : traditional.filter(fellBackOrFailed).length / traditional.length;
  const latency = summarizeTimings(semantic.map((s) => s.latencyMs));
  const cacheRate = ratio(semantic.flatMap((s) => (s.cache ? [{ part: s.cache.hits, whole: s.cache.lookups }] : [])));

  const checks = [
    check(GUARDRAIL_METRICS.PASS_RATE, passRate, passBaseline === null ? null : passBaseline * (1 - thresholds.passRateDrop), 'min', passBaseline),
    check(GUARDRAIL_METRICS.FALLBACK_OR_ERROR_RATE, failureRate, failureBaseline + thresholds.fallbackRateIncrease, 'max', failureBaseline),
    check(GUARDRAIL_METRICS.MEAN_LATENCY_MS, latency.mean, thresholds.meanLatencyMs, 'max', null),
    check(GUARDRAIL_METRICS.P95_LATENCY_MS, latency.p95, thresholds.p95LatencyMs, 'max', null),
    check(GUARDRAIL_METRICS.CACHE_HIT_RATE, cacheRate, thresholds.minCacheHitRate, 'min', null),
  ];
  const result: GuardrailResult = checks.some((c) => c.status === 'FAIL') ? 'FAIL' : checks.some((c) => c.status === 'PASS') ? 'PASS' : 'INCONCLUSIVE';
  return { result, checks, semanticRuns: semantic.length, traditionalRuns: traditional.length };
}
