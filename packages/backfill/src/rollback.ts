import { hostname } from 'node:os';
import { badInput } from './errors.js';
import type { BatchHooks, Conflict, Store } from './store.js';
import { RUN_STATUS, type RunRecord } from './types.js';
import { namedRun, runShape } from './runs.js';

/** Options of `rollback`. */
export interface RollbackOptions {
  readonly run: string;
  readonly batchSize?: number;
  readonly hooks?: BatchHooks;
  readonly now?: () => number;
}

/** What `rollback` did: cells restored, and the cells left as they were because they changed since. */
export interface RollbackResult {
  /** The store, as the user named it (password hidden). */
  readonly store: string;
  readonly run: RunRecord;
  readonly mode: 'rolled-back' | 'already-rolled-back';
  /** Cells restored to what they held before apply. */
  readonly restored: number;
  readonly conflicts: readonly Conflict[];
  readonly conflictCount: number;
  readonly seconds: number;
}

/** How many conflicts a result lists (the count is always complete). */
export const CONFLICTS_LISTED = 1000;

/** A pruned run has no journal: rolling it back would restore nothing and call it done. */
function refusePruned(store: Store, run: RunRecord): void {
  if (run.prunedAt !== null) throw badInput(`${store.label}: run "${run.name}" was pruned at ${run.prunedAt}: its journal is gone, so it cannot be rolled back`);
}

/**
 * Restores journaled before-values, newest first, cell by cell: a cell that still holds what the
 * backfill wrote (in a row the application did not rewrite whole) gets its old value back; every
 * other cell is a conflict, left with the application's value. Resumable like apply.
 */
export async function rollback(store: Store, options: RollbackOptions): Promise<RollbackResult> {
  const now = options.now ?? Date.now;
  const runs = await store.readRuns();
  const found = namedRun(store, runs, options.run);
  refusePruned(store, found);
  const shape = await runShape(store, found);
  const release = await store.lock(shape);
  const started = now();
  try {
    // Read again under the lock: an apply may have committed more batches since.
    const run = (await store.readRuns()).find((candidate) => candidate.name === options.run)!;
    refusePruned(store, run); // a prune may have finished while this waited for the lock
    let mode: RollbackResult['mode'] = 'rolled-back';
    if (run.status === RUN_STATUS.ROLLED_BACK) mode = 'already-rolled-back';
    else {
      // A run still marked running whose lock we now hold was interrupted: undo what it committed.
      run.status = RUN_STATUS.ROLLING_BACK;
      run.owner = { host: hostname(), pid: process.pid };
      await store.saveRun(run);
      for (let batch = 1; ; batch += 1) {
        const outcome = await store.rollbackBatch(run, shape, options.batchSize ?? 1000, batch, options.hooks ?? {});
        await options.hooks?.afterCommit?.(batch);
        if (outcome.done) break;
      }
      run.status = RUN_STATUS.ROLLED_BACK;
      run.owner = null;
      run.finishedAt = run.updatedAt = new Date(now()).toISOString();
      await store.saveRun(run);
    }
    return { store: store.label, run, mode, restored: run.cellsRestored, conflicts: await store.readConflicts(run.name, CONFLICTS_LISTED), conflictCount: run.conflicts, seconds: (now() - started) / 1000 };
  } finally {
    await release();
  }
}
