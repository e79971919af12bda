import type { FilterReport } from '../report.js';
import { rankedOrder } from './rank.js';
import type { PreparedRun } from './run.js';
import { itemVerdicts } from './verdicts.js';

/**
 * The full report of a run (every item's verdict, ranked), exactly as filterItems gives it.
 * `timings_ms.total` counts from `since` (a reading of the run's clock) when given, else from the
 * start of the request's preparation; `embed` is present in semantic mode.
 */
export function preparedReport(run: PreparedRun, since?: number): FilterReport {
  const { prepared } = run;
  const started = prepared.now();
  const items = itemVerdicts(run, rankedOrder(run));
  const total = since === undefined ? run.elapsedMs + prepared.now() - started : prepared.now() - since;
  return {
    semantic_mode_active: Object.values(prepared.modes).includes('semantic'),
    fallback_reason: prepared.fallback,
    filter_pass_rate: run.passRate,
    rejection_reasons: [...run.rejectionReasons],
    rejection_counts: { ...run.rejectionCounts },
    items,
    dimension_modes: { ...prepared.modes },
    model: prepared.semantic?.model ?? null,
    timings_ms: { total: roundMs(total), ...(prepared.embedMs === undefined ? {} : { embed: roundMs(prepared.embedMs) }) },
  };
}

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
