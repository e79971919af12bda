import { evaluateTotals, mergeThresholds, type GuardrailCheck, type GuardrailResult } from '@semfilter/core/metrics';
import type { RolloutConfig } from '@semfilter/core/rollout';
import { fleetWindowMs, totalsOf } from './evaluator.js';
import type { StageKey, Store } from './store/store.js';

/** One point of a stage's time series: the fleet's sums over [start, end), judged by the guardrail rules. */
export interface SeriesPoint {
  readonly start: number;
  readonly end: number;
  /** Distinct clients with semantic runs. */
  readonly clients: number;
  readonly semanticRuns: number;
  readonly traditionalRuns: number;
  /** The mean pass rate of each mode's answered runs, or null without any. */
  readonly passRate: { readonly semantic: number | null; readonly traditional: number | null };
  /** What the guardrails would say of this interval (the last one is still filling). */
  readonly result: GuardrailResult;
  /** Each check with its value and the threshold it is held to (drawn on the charts). */
  readonly checks: readonly GuardrailCheck[];
}

/** One stage key's series, oldest point first. */
export interface StageSeries extends StageKey {
  readonly points: readonly SeriesPoint[];
}

/** A flag's series: one per stage key seen lately, on one grid of `stepMs`. */
export interface FleetSeries {
  readonly flag: string;
  readonly stepMs: number;
  readonly stages: readonly StageSeries[];
}

/**
 * The fleet's per-stage, per-mode numbers over the last `points` intervals of the flag's guardrail
 * window length, on a grid aligned to that length, the current (partial) interval last. The same
 * sums and rules the evaluator uses, so a chart shows what the guardrails see. Stage keys are the
 * config's own and those of its recent windows (a rollback leaves the previous stage's line visible).
 */
export async function fleetSeries(store: Store, config: RolloutConfig, now: number, points: number): Promise<FleetSeries> {
  const thresholds = mergeThresholds(config.guardrails);
  const stepMs = fleetWindowMs(thresholds);
  const keys = new Map<string, StageKey>();
  const add = (key: StageKey) => keys.set(`${key.stage}/${key.mode}`, { flag: key.flag, stage: key.stage, mode: key.mode });
  for (const window of await store.recentWindows(config.flag, 100)) add(window);
  if (config.mode !== 'off') add({ flag: config.flag, stage: config.stage ?? -1, mode: config.mode });
  const last = Math.floor(now / stepMs) * stepMs;
  const stages: StageSeries[] = [];
  for (const key of keys.values()) {
    const series: SeriesPoint[] = [];
    for (let start = last - (points - 1) * stepMs; start <= last; start += stepMs) {
      const data = await store.windowData(key, start, start + stepMs);
      const totals = totalsOf(data);
      const evaluation = evaluateTotals(totals, thresholds);
      const mean = (sum: number, n: number) => (n === 0 ? null : sum / n);
      series.push({
        start,
        end: start + stepMs,
        clients: data.clients,
        semanticRuns: evaluation.semanticRuns,
        traditionalRuns: evaluation.traditionalRuns,
        passRate: { semantic: mean(totals.semantic.passRateSum, totals.semantic.answered), traditional: mean(totals.traditional.passRateSum, totals.traditional.answered) },
        result: evaluation.result,
        checks: evaluation.checks,
      });
    }
    stages.push({ ...key, points: series });
  }
  stages.sort((a, b) => a.stage - b.stage || a.mode.localeCompare(b.mode));
  return { flag: config.flag, stepMs, stages };
}
