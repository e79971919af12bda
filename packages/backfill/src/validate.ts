import { badInput } from './errors.js';
import { decideRow, formsOf } from './row.js';
import type { ShapeOptions, Store } from './store.js';
import { RUN_STATUS, type Key, type Row, type RunRecord } from './types.js';
import { createNormalizer, examineCell } from './values.js';

/** Options of `validate`. */
export interface ValidateOptions extends ShapeOptions {
  readonly table?: string | undefined;
  /** Rows (and journal entries) checked at random; ignored with `all`. */
  readonly sampleSize?: number;
  readonly all?: boolean;
  /** The run to check against (default: the table's latest completed run). */
  readonly run?: string | undefined;
}

/** One failed check, with the keys that failed it. */
export interface ValidateFailure {
  readonly check: 'FIXED_POINT' | 'ROW_COUNT' | 'JOURNAL_COUNT' | 'JOURNAL_ENTRY';
  readonly message: string;
  readonly keys: readonly Key[];
}

/** PASS or FAIL, what was checked, and every failure. */
export interface ValidateReport {
  readonly verdict: 'PASS' | 'FAIL';
  readonly store: string;
  readonly table: string;
  readonly run: string | null;
  readonly rowsChecked: number;
  readonly journalEntriesChecked: number;
  /** Rows the backfill cannot handle, seen among the rows checked: reported, not failures. */
  readonly rowsSkipped: number;
  readonly failures: readonly ValidateFailure[];
}

const LISTED = 100;

async function rowsToCheck(store: Store, options: ValidateOptions, shape: Parameters<Store['scan']>[0]): Promise<Row[] | AsyncIterable<Row[]>> {
  if (!options.all) return store.sample(shape, options.sampleSize ?? 100);
  return (async function* () {
    let after: Key | null = null;
    for (;;) {
      const rows = await store.scan(shape, after, 5000);
      yield rows;
      if (rows.length < 5000) return;
      after = rows[rows.length - 1]!.key;
    }
  })();
}

/**
 * Checks a backfilled table: rows (all or a sample) are fixed points of normalization, the row
 * count is the one the run started with, and the journal accounts for every changed row.
 */
export async function validate(store: Store, options: ValidateOptions): Promise<ValidateReport> {
  const size = options.sampleSize ?? 100;
  if (!options.all && (!Number.isInteger(size) || size < 1)) throw badInput(`--sample-size ${size}: expected a whole number of rows, at least 1`);
  const runs = await store.readRuns();
  let run: RunRecord | undefined;
  if (options.run !== undefined) {
    run = runs.find((candidate) => candidate.name === options.run);
    if (run === undefined) throw badInput(`${store.label}: no backfill run named "${options.run}"`);
  }
  // The run's own key, columns and required columns: a row it skipped is not a failure of it.
  run ??= runs.filter((candidate) => candidate.table === options.table && candidate.status === RUN_STATUS.DONE).at(-1);
  const shape = await store.describe(options.table ?? run?.table, run === undefined ? options : { id: run.idColumn, columns: run.columns, required: run.required });
  const forms = formsOf(store, shape);
  const normalize = createNormalizer();
  const failures: ValidateFailure[] = [];
  const notFixed: Key[] = [];
  let notFixedCount = 0;
  let rowsChecked = 0;
  let rowsSkipped = 0;
  const check = (rows: readonly Row[]) => {
    for (const row of rows) {
      rowsChecked += 1;
      const decision = decideRow(row, shape, forms, normalize);
      if (decision.skipped) rowsSkipped += 1;
      if (decision.change !== null) {
        notFixedCount += 1;
        if (notFixed.length < LISTED) notFixed.push(row.key);
      }
    }
  };
  const source = await rowsToCheck(store, options, shape);
  if (Array.isArray(source)) check(source);
  else for await (const rows of source as AsyncIterable<Row[]>) check(rows);
  if (notFixedCount > 0) failures.push({ check: 'FIXED_POINT', message: `${notFixedCount} of ${rowsChecked} rows checked are not normalized`, keys: notFixed });

  let journalEntriesChecked = 0;
  if (run !== undefined) {
    const count = await store.count(shape);
    if (count !== run.rowsAtStart) failures.push({ check: 'ROW_COUNT', message: `the table has ${count} rows; run "${run.name}" started with ${run.rowsAtStart}`, keys: [] });
    const journal = await store.journalSize(run.name);
    if (journal.entries !== run.rowsChanged) failures.push({ check: 'JOURNAL_COUNT', message: `run "${run.name}" changed ${run.rowsChanged} rows but its journal holds ${journal.entries} entries`, keys: [] });
    // Each journal entry must be what the backfill would write: after = normalize(before).
    const wrong: Key[] = [];
    const step = options.all ? 1 : Math.max(1, Math.floor(journal.entries / size));
    for (let after = 0; ; ) {
      const entries = await store.readJournal(run.name, after, 5000);
      for (const entry of entries) {
        if (!options.all && entry.seq % step !== 0) continue;
        journalEntriesChecked += 1;
        for (const [column, text] of Object.entries(entry.after)) {
          const was = examineCell(store.decodeRendering(shape, column, entry.before[column] ?? ''), forms[column] ?? 'text', false, normalize);
          const now = examineCell(store.decodeRendering(shape, column, text), forms[column] ?? 'text', false, normalize);
          if (was.kind !== 'tags' || now.kind !== 'tags' || now.changed || JSON.stringify(was.normalized) !== JSON.stringify(now.raw)) {
            if (wrong.length < LISTED) wrong.push(entry.key);
            break;
          }
        }
      }
      if (entries.length < 5000) break;
      after = entries[entries.length - 1]!.seq;
    }
    if (wrong.length > 0) failures.push({ check: 'JOURNAL_ENTRY', message: `journal entries whose after-value is not the normal form of their before-value`, keys: wrong });
  }
  return { verdict: failures.length === 0 ? 'PASS' : 'FAIL', store: store.label, table: shape.table, run: run?.name ?? null, rowsChecked, journalEntriesChecked, rowsSkipped, failures };
}
