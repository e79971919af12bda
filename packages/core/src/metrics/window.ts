import { summarizeTimings } from './percentiles.js';
import type { RunSample } from './run-sample.js';
import { fellBackOrFailed } from './sample-stats.js';
import type { GuardrailThresholds } from './thresholds.js';

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
  /** Distinct clients that reported into the window (fleet windows); null for one browser's window. */
  readonly clients: number | null;
}

/**
 * What the guardrail rules read from one mode's runs in a window: sums that add across clients and
 * time, plus the latency summary. A browser builds it from its samples (exact p95); the fleet server
 * from merged snapshots (p95 from the merged sketch), so both run the same rules on the same shape.
 */
export interface ModeTotals {
  /** Runs that count: for semantic runs, those answered while the model was still loading are left out. */
  readonly runs: number;
  /** Of `runs`, those that returned a report. */
  readonly answered: number;
  /** Sum of filter_pass_rate over the answered runs. */
  readonly passRateSum: number;
  /** Of `runs`, those that fell back or failed (see fellBackOrFailed). */
  readonly failed: number;
  readonly cacheHits: number;
  readonly cacheLookups: number;
  /** Sum of run times, ms (the mean is latencySumMs / runs). */
  readonly latencySumMs: number;
  /** The 95th percentile run time, ms: exact from one browser's samples, within 1% from a merged sketch. */
  readonly latencyP95Ms: number | null;
}

/** Both modes' totals for one window, and how many clients they came from (null: one browser). */
export interface WindowTotals {
  readonly semantic: ModeTotals;
  readonly traditional: ModeTotals;
  readonly clients: number | null;
}

/**
 * Whether a sample counts for the guardrails. Semantic runs answered while the model was still
 * loading (MODEL_LOADING) are left out: they say nothing about semantic mode yet, and a first visit
 * on a slow network would otherwise roll a user back for good; a load that fails ends in
 * MODEL_UNAVAILABLE or TIMEOUT, which count.
 */
export function countsForGuardrails(sample: RunSample): boolean {
  return !(sample.mode === 'semantic' && sample.fallbackReason === 'MODEL_LOADING');
}

/** One mode's totals over samples (the caller picks the mode; samples that do not count are skipped). */
export function modeTotalsOf(samples: readonly RunSample[]): ModeTotals {
  const counted = samples.filter(countsForGuardrails);
  const answered = counted.filter((s) => s.error !== true);
  const latency = summarizeTimings(counted.map((s) => s.latencyMs));
  let cacheHits = 0;
  let cacheLookups = 0;
  for (const s of counted) {
    cacheHits += s.cache?.hits ?? 0;
    cacheLookups += s.cache?.lookups ?? 0;
  }
  return {
    runs: counted.length,
    answered: answered.length,
    passRateSum: answered.reduce((sum, s) => sum + s.passRate, 0),
    failed: counted.filter(fellBackOrFailed).length,
    cacheHits,
    cacheLookups,
    latencySumMs: counted.reduce((sum, s) => sum + s.latencyMs, 0),
    latencyP95Ms: latency.p95,
  };
}

/** Evaluates one browser's window of samples (see evaluateTotals). Never throws. */
export function evaluateWindow(samples: readonly RunSample[], thresholds: GuardrailThresholds): WindowEvaluation {
  const totals: WindowTotals = {
    semantic: modeTotalsOf(samples.filter((s) => s.mode === 'semantic')),
    traditional: modeTotalsOf(samples.filter((s) => s.mode === 'traditional')),
    clients: null,
  };
  return evaluateTotals(totals, thresholds);
}

/**
 * The guardrail rules, for a browser's window and a fleet window alike. Fewer than `minSamples`
 * semantic runs (or, in a fleet window, fewer than `minClients` clients) makes every check
 * INCONCLUSIVE (values still shown); a check whose baseline or data is missing is INCONCLUSIVE.
 * The window FAILs when any check fails, PASSes when none fails and at least one passes, and is
 * otherwise INCONCLUSIVE. Never throws.
 */
export function evaluateTotals(totals: WindowTotals, thresholds: GuardrailThresholds): WindowEvaluation {
  const { semantic, traditional, clients } = totals;
  const enough = semantic.runs >= thresholds.minSamples && (clients === null || clients >= thresholds.minClients);
  const check = (metric: GuardrailMetric, value: number | null, threshold: number | null, bound: 'max' | 'min', baseline: number | null): GuardrailCheck => {
    let status: GuardrailResult = 'INCONCLUSIVE';
    if (enough && value !== null && threshold !== null) status = (bound === 'max' ? value > threshold : value < threshold) ? 'FAIL' : 'PASS';
    return { metric, value, threshold, bound, baseline, status };
  };
  const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

  const passRate = share(semantic.passRateSum, semantic.answered);
  const passBaseline = share(traditional.passRateSum, traditional.answered);
  const failureRate = share(semantic.failed, semantic.runs);
  // No traditional run failed (or none ran) means a baseline of 0: any semantic fallback counts in full.
  const failureBaseline = share(traditional.failed, traditional.runs) ?? 0;

  const checks = [
    check(GUARDRAIL_METRICS.PASS_RATE, passRate, passBaseline === null ? null : passBaseline * (1 - thresholds.passRateDrop), 'min', passBaseline),
    check(GUARDRAIL_METRICS.FALLBACK_OR_ERROR_RATE, failureRate, failureBaseline + thresholds.fallbackRateIncrease, 'max', failureBaseline),
    check(GUARDRAIL_METRICS.MEAN_LATENCY_MS, share(semantic.latencySumMs, semantic.runs), thresholds.meanLatencyMs, 'max', null),
    check(GUARDRAIL_METRICS.P95_LATENCY_MS, semantic.latencyP95Ms, thresholds.p95LatencyMs, 'max', null),
    check(GUARDRAIL_METRICS.CACHE_HIT_RATE, share(semantic.cacheHits, semantic.cacheLookups), thresholds.minCacheHitRate, 'min', null),
  ];
  const result: GuardrailResult = checks.some((c) => c.status === 'FAIL') ? 'FAIL' : checks.some((c) => c.status === 'PASS') ? 'PASS' : 'INCONCLUSIVE';
  return { result, checks, semanticRuns: semantic.runs, traditionalRuns: traditional.runs, clients };
}
