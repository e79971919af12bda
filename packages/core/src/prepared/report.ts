import type { FilterReport } from '../report/filter-report.js';
import { rankedOrder } from './rank.js';
import type { PreparedRun } from './run.js';
import { itemVerdicts } from './verdicts.js';

/** How long a run's report says it took. */
export interface ReportTiming {
  readonly totalMs: number;
  /** Present when the run asked the embedder (semantic mode). */
  readonly embedMs: number | undefined;
}

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
  return runReport(run, items, { totalMs: total, embedMs: prepared.embedMs });
}

/**
 * A run's report with the given items, or with items built when first read and then kept (pass a
 * function): `items` is an enumerable accessor, so JSON.stringify, spreading and structured
 * cloning see a plain report, and a host may assign it as on a plain report.
 */
export function runReport(run: PreparedRun, items: FilterReport['items'] | (() => FilterReport['items']), timing: ReportTiming): FilterReport {
  const { prepared } = run;
  let built = typeof items === 'function' ? undefined : items;
  return {
    semantic_mode_active: Object.values(prepared.modes).includes('semantic'),
    fallback_reason: prepared.fallback,
    filter_pass_rate: run.passRate,
    rejection_reasons: [...run.rejectionReasons],
    rejection_counts: { ...run.rejectionCounts },
    uncertain_counts: { ...run.uncertainCounts },
    get items() {
      return (built ??= (items as () => FilterReport['items'])());
    },
    set items(value) {
      built = value;
    },
    dimension_modes: { ...prepared.modes },
    model: prepared.semantic?.model ?? null,
    timings_ms: { total: roundMs(timing.totalMs), ...(timing.embedMs === undefined ? {} : { embed: roundMs(timing.embedMs) }) },
  };
}

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
