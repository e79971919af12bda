import { REFUSALS_LISTED } from './apply.js';
import type { Store } from './store.js';
import { RUN_STATUS, type Refusal, type RunRecord } from './types.js';

/** A run as `status` shows it; `interrupted` is a run marked running whose holder is gone. */
export interface RunStatusLine {
  readonly name: string;
  readonly table: string;
  readonly state: RunRecord['status'] | 'interrupted' | 'rollback-interrupted';
  readonly cursor: RunRecord['cursor'];
  readonly rowsScanned: number;
  readonly rowsAtStart: number;
  readonly rowsChanged: number;
  readonly cellsChanged: number;
  readonly rowsSkipped: number;
  readonly rowsRefused: number;
  readonly cellsRestored: number;
  readonly conflicts: number;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  readonly prunedAt: string | null;
  /** The run's journal on disk (what `prune` would free). */
  readonly journal: { readonly entries: number; readonly bytes: number | null };
  /** The rows the database refused (the first REFUSALS_LISTED). */
  readonly refusals: readonly Refusal[];
}

/** Every run recorded in the store, oldest first. Reads only. */
export async function status(store: Store): Promise<RunStatusLine[]> {
  const runs = await store.readRuns();
  const lines: RunStatusLine[] = [];
  for (const run of runs) {
    let state: RunStatusLine['state'] = run.status;
    if ((run.status === RUN_STATUS.RUNNING || run.status === RUN_STATUS.ROLLING_BACK) && !(await store.isLocked(run.table))) {
      state = run.status === RUN_STATUS.RUNNING ? 'interrupted' : 'rollback-interrupted';
    }
    const { name, table, cursor, rowsScanned, rowsAtStart, rowsChanged, cellsChanged, rowsSkipped, rowsRefused, cellsRestored, conflicts, startedAt, updatedAt, finishedAt, prunedAt } = run;
    const journal = await store.journalSize(name);
    const refusals = rowsRefused > 0 ? await store.readRefusals(name, REFUSALS_LISTED) : [];
    lines.push({ name, table, state, cursor, rowsScanned, rowsAtStart, rowsChanged, cellsChanged, rowsSkipped, rowsRefused, cellsRestored, conflicts, startedAt, updatedAt, finishedAt, prunedAt, journal, refusals });
  }
  return lines;
}
