import { z } from 'zod';
import { describeIssues } from '../input/schemas.js';

/**
 * Guardrail thresholds, as data (a served config's `guardrails` overrides any of them). Each rule
 * says what it compares with: the pass rate is relative to the traditional pass rate of the same
 * window, the fallback-or-error rate is absolute points over the traditional runs' failure rate,
 * latencies are absolute.
 */
export const guardrailThresholdsSchema = z.strictObject({
  /** Fail when the semantic pass rate is more than this fraction below the traditional one (0.1 = 10% relative). */
  passRateDrop: z.number().min(0).max(1),
  /** Fail when the semantic fallback-or-error rate exceeds the traditional failure rate by more than this (0.05 = 5 points). */
  fallbackRateIncrease: z.number().min(0).max(1),
  /** Fail when semantic runs take longer than this on average, ms. */
  meanLatencyMs: z.number().positive().max(3_600_000),
  /** Fail when the semantic runs' nearest-rank p95 exceeds this, ms. */
  p95LatencyMs: z.number().positive().max(3_600_000),
  /** Fail when fewer than this share of vector lookups are answered without the model. */
  minCacheHitRate: z.number().min(0).max(1),
  /** Semantic runs a window needs before any check can pass or fail; fewer is INCONCLUSIVE. */
  minSamples: z.number().int().min(1).max(100_000),
  /** A window closes after this many semantic runs… */
  windowRuns: z.number().int().min(1).max(100_000),
  /** …or once this many ms have passed since it opened (checked when a run arrives). */
  windowMs: z.number().int().min(1).max(86_400_000),
  /** FAIL windows in a row that roll semantic mode back. */
  failingWindows: z.number().int().min(1).max(1000),
  /** Fleet only: the fleet server's evaluation window, ms (a browser's windows use windowRuns and windowMs). */
  fleetWindowMs: z.number().int().min(1000).max(86_400_000),
  /** Fleet only: distinct clients with semantic runs a fleet window needs besides minSamples; fewer is INCONCLUSIVE (one heavy client is not a population). */
  minClients: z.number().int().min(1).max(1_000_000),
});

/** Guardrail thresholds (see guardrailThresholdsSchema). */
export type GuardrailThresholds = z.infer<typeof guardrailThresholdsSchema>;

/** The thresholds wardrobe teams run with: −10% pass rate, +5 points fallback, 2 s mean, 500 ms p95, 70% cache hits; fleet windows of 5 min over at least 5 clients. */
export const DEFAULT_GUARDRAILS: Readonly<GuardrailThresholds> = Object.freeze({
  passRateDrop: 0.1,
  fallbackRateIncrease: 0.05,
  meanLatencyMs: 2000,
  p95LatencyMs: 500,
  minCacheHitRate: 0.7,
  minSamples: 20,
  windowRuns: 50,
  windowMs: 60_000,
  failingWindows: 2,
  fleetWindowMs: 300_000,
  minClients: 5,
});

/**
 * Layers partial thresholds over DEFAULT_GUARDRAILS, later layers winning; undefined layers and
 * undefined fields are skipped. Invalid values are a programmer error at setup: it throws a
 * TypeError naming each field and what was expected.
 */
export function mergeThresholds(...layers: readonly (Partial<GuardrailThresholds> | null | undefined)[]): GuardrailThresholds {
  const merged: Record<string, unknown> = { ...DEFAULT_GUARDRAILS };
  for (const layer of layers) {
    if (layer === null || layer === undefined) continue;
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) merged[key] = value;
  }
  const parsed = guardrailThresholdsSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error, 'thresholds').map((issue) => `${issue.path}: ${issue.message}`);
  throw new TypeError(`invalid guardrail thresholds: ${issues.join('; ')}`);
}
