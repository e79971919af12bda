import type { FallbackReason } from '../report/filter-report.js';

/** Which filter a run used. */
export type RunMode = 'traditional' | 'semantic';
/** Whether the host was served this run's report, or it ran in the background for comparison. */
export type RunRole = 'served' | 'shadow';

/**
 * One filter run, as the recorder keeps it: numbers and stable codes only, never ids, names or
 * tags, so nothing a snapshot is built from can leak them.
 */
export interface RunSample {
  readonly mode: RunMode;
  readonly role: RunRole;
  /** The report's filter_pass_rate (0 for a run that failed). */
  readonly passRate: number;
  /** Wall-clock milliseconds of the run, as the caller waited for it. */
  readonly latencyMs: number;
  /** The report's fallback_reason (traditional runs carry DISABLED). */
  readonly fallbackReason: FallbackReason | null;
  /** The run rejected or threw: no report came back. */
  readonly error?: boolean;
  /** Vector lookups during a semantic run: hits (memory, store, vocabulary) of all lookups. */
  readonly cache?: { readonly hits: number; readonly lookups: number };
  /** Items this run decided differently from the other mode's run on the same input, of the items both judged. */
  readonly flips?: { readonly flipped: number; readonly compared: number };
  /** When it was recorded (the recorder's clock, ms); the recorder fills it in. */
  readonly at?: number;
}

/** Lifetime counts since creation or reset (the window only covers the latest runs). */
export interface RunCounts {
  total: number;
  traditional: number;
  semantic: number;
  served: number;
  shadow: number;
}
