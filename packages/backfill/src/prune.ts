import { badInput } from './errors.js';
import type { Store } from './store.js';
import { RUN_STATUS, type RunRecord } from './types.js';
import { namedRun, runShape } from './runs.js';

/** What `prune` did. */
export interface PruneResult {
  readonly store: string;
  readonly run: RunRecord;
  /** Journal entries dropped, and the bytes they took on disk before. */
  readonly entries: number;
  readonly bytes: number | null;
}

/**
 * Drops a finished run's journal and refusal list once its rollback is no longer wanted: the
 * journal holds a before-value of every changed cell, so it grows with the table. The run's
 * record stays (marked pruned); rollback of it is refused from then on.
 */
export async function prune(store: Store, options: { readonly run: string; readonly now?: () => number }): Promise<PruneResult> {
  const found = namedRun(store, await store.readRuns(), options.run);
  if (found.status !== RUN_STATUS.DONE && found.status !== RUN_STATUS.ROLLED_BACK) {
    throw badInput(`${store.label}: run "${found.name}" is ${found.status === RUN_STATUS.RUNNING ? 'unfinished' : 'being rolled back'}; finish it (apply --run ${found.name}) or roll it back before pruning its journal`);
  }
  const shape = await runShape(store, found);
  const release = await store.lock(shape);
  try {
    const size = await store.journalSize(found.name);
    const run: RunRecord = { ...found, prunedAt: new Date((options.now ?? Date.now)()).toISOString() };
    const { entries } = await store.prune(run);
    return { store: store.label, run, entries, bytes: size.bytes };
  } finally {
    await release();
  }
}
