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

/** What an OpenFeature error code means, in a few words; unknown codes are shown as they are. */
const OPENFEATURE_ERRORS: Readonly<Record<string, string>> = {
  FLAG_NOT_FOUND: 'the provider has no such flag',
  PROVIDER_NOT_READY: 'the provider is not ready yet',
  PROVIDER_FATAL: 'the provider failed for good',
  TYPE_MISMATCH: 'the flag is not of the type asked for',
  PARSE_ERROR: 'the provider could not parse the flag\'s configuration',
  TARGETING_KEY_MISSING: 'the evaluation context has no targetingKey',
  INVALID_CONTEXT: 'the evaluation context is not valid for this flag',
  GENERAL: 'an error in the provider or the host',
};

/**
 * A decision read from an OpenFeature flag, in OpenFeature's terms: the rollout config is not
 * what decided it, so "config", "kill switch" and "stage" would be wrong words. Null for the codes
 * that read the same either way (a guardrail rollback is ours whoever decided).
 */
function describeOpenFeature(decision: RolloutDecision, openFeature: NonNullable<RolloutDecision['openFeature']>): string | null {
  const flag = `The OpenFeature flag ${openFeature.flagKey}`;
  const how = [openFeature.variant === null ? null : `variant ${openFeature.variant}`, openFeature.reason === null ? null : `reason ${openFeature.reason}`].filter((part) => part !== null).join(', ');
  const detail = how === '' ? '' : ` (${how})`;
  switch (decision.reason) {
    case 'INVALID_CONFIG': {
      if (openFeature.errorCode !== null) {
        const meaning = OPENFEATURE_ERRORS[openFeature.errorCode];
        return `${flag} could not be evaluated: ${openFeature.errorCode}${meaning === undefined ? '' : ` (${meaning})`}, so semantic mode stays off.`;
      }
      const issue = decision.issues?.[0]?.message;
      return `${flag} returned a value that is not a semantic mode${issue === undefined ? '' : ` (${issue})`}, so semantic mode stays off.`;
    }
    case 'KILL_SWITCH':
      return `${flag} is disabled in OpenFeature, so semantic mode is off.`;
    case 'OUT_OF_ROLLOUT':
      return `${flag} is off for this user${detail}: traditional filtering.`;
    case 'IN_ROLLOUT':
      return `${flag} is ${decision.shadow ? 'shadow' : 'on'} for this user${detail}, so ${modeWords(decision)}.`;
    default:
      return null;
  }
}

/**
 * The human sentence for a decision's reason code; `mode` (the config's) tells "mode off" from "not
 * in this stage". A decision read from an OpenFeature flag (`decision.openFeature`) is worded in
 * OpenFeature's terms instead.
 */
export function describeDecision(decision: RolloutDecision, mode?: string): string {
  if (decision.openFeature) {
    const openFeature = describeOpenFeature(decision, decision.openFeature);
    if (openFeature !== null) return openFeature;
  }
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
