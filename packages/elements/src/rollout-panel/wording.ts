import type { RolloutDecision, RolloutReason } from '@semfilter/core/rollout';

/** Formats a share in [0, 1] as a percentage, e.g. `25%` or `4.93%`. */
export function percent(share: number, digits = 0): string {
  return `${(100 * share).toFixed(digits)}%`;
}

/**
 * One sentence per reason code. The codes are the data (stable, from @semfilter/core); the wording
 * lives here, apart, so it can change or be translated without touching a decision.
 */
const REASON_SENTENCES: Readonly<Record<RolloutReason, (decision: RolloutDecision, mode: string | undefined) => string>> = {
  INVALID_CONFIG: () => 'The rollout config is not valid, so semantic mode is off for everyone until it is fixed.',
  KILL_SWITCH: () => 'The kill switch in the served config is on: semantic mode is off for everyone.',
  DENYLIST: () => 'This user or their group is on the deny list.',
  ALLOWLIST: (d) => `This user or their group is on the allow list, so ${modeWords(d)} whatever the stage.`,
  GUARDRAIL_ROLLBACK: () => 'A guardrail rolled semantic mode back in this browser; it stays off until someone re-arms it or a new config version arrives.',
  NO_USER_ID: () => 'There is no usable user id (empty, over 256 characters, or with control characters), so this user cannot be bucketed.',
  IN_ROLLOUT: (d) => `The user's bucket ${bucketText(d)} is within the current stage ${stageText(d)}, so ${modeWords(d)}.`,
  OUT_OF_ROLLOUT: (d, mode) =>
    mode === 'off'
      ? 'The config\'s mode is off: semantic mode is off for everyone.'
      : d.stage === 0 || d.bucket === null
        ? 'The current stage is 0%: nobody is in the rollout yet.'
        : `The user's bucket ${bucketText(d)} is above the current stage ${stageText(d)}: traditional filtering.`,
};

/** The human sentence for a decision's reason code; `mode` (the config's) tells "mode off" from "not in this stage". */
export function describeDecision(decision: RolloutDecision, mode?: string): string {
  const sentence = REASON_SENTENCES[decision.reason];
  return sentence === undefined ? `Reason ${decision.reason}.` : sentence(decision, mode); // undefined: a code newer than this element
}

/** What the user is served, in words: the same three states the decision's flags encode. */
export function servedMode(decision: RolloutDecision): 'semantic' | 'shadow' | 'traditional' {
  return decision.semantic ? 'semantic' : decision.shadow ? 'shadow' : 'traditional';
}

function modeWords(decision: RolloutDecision): string {
  return decision.shadow ? 'semantic mode runs in the shadow (the traditional result is served)' : 'semantic mode is on';
}

function bucketText(decision: RolloutDecision): string {
  return decision.bucket === null ? '(none)' : decision.bucket.toFixed(4);
}

function stageText(decision: RolloutDecision): string {
  return decision.stage === null ? '(none)' : `(${percent(decision.stage)})`;
}

/** How each guardrail metric (GUARDRAIL_METRICS codes) is named and its values written; unknown codes fall back to the code. */
const METRICS: Readonly<Record<string, { readonly label: string; readonly format: (value: number) => string }>> = {
  pass_rate: { label: 'Pass rate (semantic)', format: (v) => percent(v, 1) },
  fallback_or_error_rate: { label: 'Fallback or error rate', format: (v) => percent(v, 1) },
  mean_latency_ms: { label: 'Mean latency', format: ms },
  p95_latency_ms: { label: 'p95 latency', format: ms },
  cache_hit_rate: { label: 'Vector cache hit rate', format: (v) => percent(v, 1) },
};

/** The human label of a guardrail metric code. */
export function metricLabel(metric: string): string {
  return METRICS[metric]?.label ?? metric;
}

/** A guardrail metric's value as written for people (`512 ms`, `12.5%`); `—` when unknown. */
export function formatMetric(metric: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return (METRICS[metric]?.format ?? ((v: number) => String(Math.round(v * 1000) / 1000)))(value);
}

/** The thresholds a rule text needs (a subset of GuardrailThresholds). */
export interface RuleThresholds {
  readonly passRateDrop: number;
  readonly fallbackRateIncrease: number;
  readonly meanLatencyMs: number;
  readonly p95LatencyMs: number;
  readonly minCacheHitRate: number;
}

/** Each metric's rule in words, as configured: relative rules name their baseline. */
export function ruleText(metric: string, thresholds: RuleThresholds): string {
  switch (metric) {
    case 'pass_rate':
      return `at least ${percent(1 - thresholds.passRateDrop)} of the traditional pass rate`;
    case 'fallback_or_error_rate':
      return `at most ${(100 * thresholds.fallbackRateIncrease).toFixed(0)} points over the traditional runs'`;
    case 'mean_latency_ms':
      return `at most ${ms(thresholds.meanLatencyMs)}`;
    case 'p95_latency_ms':
      return `at most ${ms(thresholds.p95LatencyMs)}`;
    case 'cache_hit_rate':
      return `at least ${percent(thresholds.minCacheHitRate)}`;
    default:
      return '';
  }
}

/** Milliseconds, rounded for reading. */
export function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}
