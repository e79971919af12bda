import { badInput } from './errors.js';
import type { Store } from './store.js';
import type { RunRecord, TableShape } from './types.js';

/** The run named `name`, or BAD_INPUT listing the runs there are. */
export function namedRun(store: Store, runs: readonly RunRecord[], name: string): RunRecord {
  const run = runs.find((candidate) => candidate.name === name);
  if (run === undefined) {
    throw badInput(`${store.label}: no backfill run named "${name}"; ${runs.length === 0 ? 'no run was ever recorded here' : `expected one of: ${runs.map((candidate) => candidate.name).join(', ')}`}`);
  }
  return run;
}

/** A run's own table shape (its key, tag and required columns, not what this command was given): halfway through, a run is never mixed with another backfill. */
export function runShape(store: Store, run: RunRecord): Promise<TableShape> {
  return store.describe(run.table, { id: run.keyColumns, columns: run.columns, required: run.required });
}
