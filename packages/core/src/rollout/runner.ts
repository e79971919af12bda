import { filterItems } from '../prepared/filter-items.js';
import type { CacheStats } from '../semantic/layered-embedder.js';
import type { MetricsRecorder } from '../metrics/recorder.js';
import type { RunMode, RunRole, RunSample } from '../metrics/run-sample.js';
import { invalidInputReport, type FilterReport } from '../report/filter-report.js';
import { filterOptionsSchema, parseWardrobe, parseWith, requestSchema, type FilterOptionsInput } from '../input/schemas.js';
import type { RolloutDecision } from './decide.js';

/** What the runner filters with: the browser facade (SemanticFilter) fits as it is. */
export interface RolloutFilter {
  /** One run; `options.semantic` chooses the mode. Expected never to reject (the runner copes if it does). */
  filter(items: unknown, request: unknown, options?: FilterOptionsInput): Promise<FilterReport>;
  /** Where vectors came from so far; when present, semantic runs record their cache hit rate. */
  stats?(): Readonly<Pick<CacheStats, 'memoryHits' | 'storeHits' | 'vocabularyHits' | 'computed'>>;
}

/** Runs a task later, off the critical path; the default waits for an idle moment (at most 1 s) or a timer. */
export type Schedule = (task: () => void) => void;

/** Options of createRolloutRunner. */
export interface RolloutRunnerOptions {
  readonly filter: RolloutFilter;
  readonly recorder: MetricsRecorder;
  /** Milliseconds clock for run latencies. Default performance.now. */
  readonly now?: () => number;
  /** How background runs are deferred. Default defaultSchedule. */
  readonly schedule?: Schedule;
  /** Background runs waiting or running at most; beyond that a comparison is skipped, never queued. Default 8. */
  readonly maxPending?: number;
}

/** Serves the decided mode and compares it with the other mode in the background. */
export interface RolloutRunner {
  /**
   * Serves `decision`'s mode (shadow serves traditional) and records the run as `served`. With
   * shadow or semantic, the other mode runs afterwards, off the critical path, and is recorded as
   * `shadow` with its flips. Never rejects.
   */
  run(items: unknown, request: unknown, decision: Pick<RolloutDecision, 'semantic' | 'shadow'>, options?: FilterOptionsInput): Promise<FilterReport>;
  /** Resolves once every background run scheduled so far has been recorded (tests, demos). */
  settled(): Promise<void>;
}

/** requestIdleCallback (with a 1 s deadline) where there is one, else a zero timer: either way after the served promise resolves. */
export const defaultSchedule: Schedule = (task) => {
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void, options?: { timeout: number }) => number }).requestIdleCallback;
  if (typeof idle === 'function') idle(task, { timeout: 1000 });
  else setTimeout(task, 0);
};

/** Items both reports judged, and how many of them they decided differently (matched by id). */
export function countFlips(a: FilterReport, b: FilterReport): { flipped: number; compared: number } {
  const decided = new Map(a.items.map((item) => [item.id, item.passed]));
  let flipped = 0;
  let compared = 0;
  for (const item of b.items) {
    const other = decided.get(item.id);
    if (other === undefined) continue;
    compared++;
    if (other !== item.passed) flipped++;
  }
  return { flipped, compared };
}

/** Creates a runner that feeds `recorder` with every run, served and background. */
export function createRolloutRunner(options: RolloutRunnerOptions): RolloutRunner {
  const { filter, recorder } = options;
  const now = options.now ?? (() => performance.now());
  const schedule = options.schedule ?? defaultSchedule;
  const maxPending = options.maxPending ?? 8;
  const pending = new Set<Promise<void>>();
  // One background run at a time: comparisons are optional work and must not pile onto the page.
  let queue: Promise<unknown> = Promise.resolve();

  const timed = async (mode: RunMode, items: unknown, request: unknown, filterOptions: FilterOptionsInput) => {
    const before = mode === 'semantic' ? cacheCounts(filter) : undefined;
    const started = now();
    try {
      const report = await filter.filter(items, request, { ...filterOptions, semantic: mode === 'semantic' });
      const after = before === undefined ? undefined : cacheCounts(filter);
      const cache = before !== undefined && after !== undefined ? { hits: after.hits - before.hits, lookups: after.lookups - before.lookups } : undefined;
      return { report, latencyMs: now() - started, ...(cache === undefined ? {} : { cache }) };
    } catch {
      return { report: undefined, latencyMs: now() - started };
    }
  };

  const sample = (mode: RunMode, role: RunRole, run: { report: FilterReport | undefined; latencyMs: number; cache?: RunSample['cache'] }, flips?: RunSample['flips']): RunSample => ({
    mode,
    role,
    passRate: run.report?.filter_pass_rate ?? 0,
    latencyMs: run.latencyMs,
    fallbackReason: run.report?.fallback_reason ?? null,
    ...(run.report === undefined ? { error: true } : {}),
    ...(run.cache === undefined ? {} : { cache: run.cache }),
    ...(flips === undefined ? {} : { flips }),
  });

  const compareLater = (served: FilterReport, otherMode: RunMode, items: unknown, request: unknown, filterOptions: FilterOptionsInput): void => {
    if (pending.size >= maxPending) return;
    const done = new Promise<void>((resolve) => {
      const task = () => {
        queue = queue.then(async () => {
          const run = await timed(otherMode, items, request, filterOptions);
          safely(() => recorder.record(sample(otherMode, 'shadow', run, run.report === undefined ? undefined : countFlips(served, run.report))));
        }).catch(() => undefined).finally(resolve);
      };
      try {
        schedule(task);
      } catch {
        resolve(); // a host scheduler that throws loses this comparison, not the page
      }
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  return {
    async run(items, request, decision, filterOptions = {}) {
      const servedMode: RunMode = decision.semantic ? 'semantic' : 'traditional';
      const run = await timed(servedMode, items, request, filterOptions);
      safely(() => recorder.record(sample(servedMode, 'served', run)));
      if (run.report === undefined) {
        // The filter is not supposed to reject; if it does, the host still gets the traditional answer.
        return (await timed('traditional', items, request, filterOptions)).report ?? traditionalDirect(items, request, filterOptions);
      }
      const report = run.report;
      if (decision.shadow || decision.semantic) compareLater(report, servedMode === 'semantic' ? 'traditional' : 'semantic', items, request, filterOptions);
      return report;
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** Cumulative hits and lookups of the filter's vector cache, or undefined without stats(). */
function cacheCounts(filter: RolloutFilter): { hits: number; lookups: number } | undefined {
  try {
    const stats = filter.stats?.();
    if (stats === undefined) return undefined;
    const hits = stats.memoryHits + stats.storeHits + stats.vocabularyHits;
    return { hits, lookups: hits + stats.computed };
  } catch {
    return undefined;
  }
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // metrics must never cost the host its report
  }
}

/** The core traditional filter, for the case where the host's filter itself failed. */
async function traditionalDirect(items: unknown, request: unknown, filterOptions: FilterOptionsInput): Promise<FilterReport> {
  const wardrobe = parseWardrobe(items);
  const wanted = parseWith(requestSchema, request, 'request');
  const parsedOptions = parseWith(filterOptionsSchema, { ...filterOptions, semantic: false }, 'options');
  if (!wardrobe.ok || !wanted.ok || !parsedOptions.ok) return invalidInputReport([wardrobe, wanted, parsedOptions].flatMap((p) => (p.ok ? [] : p.issues)));
  try {
    return await filterItems(wardrobe.value, wanted.value, parsedOptions.value);
  } catch (error) {
    return invalidInputReport([{ path: 'items', message: `the filter failed (${error instanceof Error ? error.message : String(error)})` }]);
  }
}
