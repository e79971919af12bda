import { isDeepStrictEqual } from 'node:util';
import { badInput } from './errors.js';
import { keyId } from './keys.js';
import { decideRow, formsOf } from './row.js';
import type { ShapeOptions, Store } from './store.js';
import { RUN_STATUS, type JournalEntry, type Key, type Row, type RunRecord, type TableShape } from './types.js';
import { createNormalizer, examineCell, type CellForm } from './values.js';
import { namedRun, runShape } from './runs.js';

/** Options of `validate`. */
export interface ValidateOptions extends ShapeOptions {
  readonly table?: string | undefined;
  /** Rows checked: all of the run's rows up to this many, a random sample of this many beyond (default 100,000). */
  readonly sampleSize?: number;
  /** Every row, however many. */
  readonly all?: boolean;
  /** The run to check against (default: the table's latest completed run). */
  readonly run?: string | undefined;
}

/** One failed check, with the keys that failed it. */
export interface ValidateFailure {
  readonly check: 'FIXED_POINT' | 'JOURNAL_COUNT' | 'JOURNAL_ENTRY';
  readonly message: string;
  readonly keys: readonly Key[];
}

/**
 * PASS: everything checked holds. FAIL: something checked does not. INCONCLUSIVE: nothing failed,
 * but part could not be checked (no completed run to hold the table against, or its journal pruned).
 */
export type ValidateVerdict = 'PASS' | 'FAIL' | 'INCONCLUSIVE';

/** The verdict, what was checked, and every failure. */
export interface ValidateReport {
  readonly verdict: ValidateVerdict;
  readonly store: string;
  readonly table: string;
  readonly run: string | null;
  readonly rowsChecked: number;
  /** Rows in the table; more than rowsChecked when a sample was drawn or rows came after the run. */
  readonly rowsInTable: number;
  readonly journalEntriesChecked: number;
  /** Rows the backfill cannot handle, seen among the rows checked: reported, not failures. */
  readonly rowsSkipped: number;
  /** Rows the database refused during apply (left as they were): reported, not failures. */
  readonly rowsRefused: number;
  /** Journaled cells the application changed since apply, and rows it deleted: its right, not failures. */
  readonly cellsChangedSince: number;
  readonly rowsDeletedSince: number;
  /** Why the verdict is INCONCLUSIVE (empty otherwise). */
  readonly notChecked: readonly string[];
  readonly failures: readonly ValidateFailure[];
}

/** The default number of rows checked: every row of tables up to this size. */
export const DEFAULT_VALIDATE_ROWS = 100_000;
const LISTED = 100;
const PAGE = 5000;

/** Every row up to the run's upper bound, page by page. */
async function* rowsInRange(store: Store, shape: TableShape, upTo: Key | null): AsyncIterable<Row[]> {
  for (let after: Key | null = null; ; ) {
    const rows = await store.scan(shape, after, PAGE, upTo);
    yield rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.key;
  }
}

/** The run to check: the named one (which must be the table's), else the table's latest completed one. */
function chooseRun(store: Store, runs: readonly RunRecord[], shape: TableShape, named: RunRecord | undefined): RunRecord | undefined {
  if (named === undefined) return runs.filter((candidate) => candidate.table === shape.table && candidate.status === RUN_STATUS.DONE).at(-1);
  if (named.table !== shape.table) throw badInput(`${store.label}: run "${named.name}" belongs to table ${named.table}, not ${shape.table}`);
  return named;
}

/** Whether a journal entry is what the backfill writes: written = normal form of before, and itself normal. */
function entryHolds(store: Store, shape: TableShape, form: CellForm, entry: JournalEntry, normalize: (tag: string) => string): boolean {
  try {
    const was = examineCell(store.decodeCell(shape, entry.column, entry.before), form, false, normalize);
    const now = examineCell(store.decodeCell(shape, entry.column, entry.written), form, false, normalize);
    return was.kind === 'tags' && now.kind === 'tags' && !now.changed && JSON.stringify(was.normalized) === JSON.stringify(now.raw);
  } catch {
    return false; // a journaled value the column cannot even decode is not what the backfill writes
  }
}

/**
 * Checks a backfilled table against its run: the run's rows are fixed points of normalization
 * (apart from rows it could not handle or the database refused), its journal holds one entry per
 * changed cell, and each entry is the normal form of what the cell held. Rows past the run's last
 * key (inserted after it started, where keys grow) are not the run's; cells of the journal the
 * application changed since are counted, not failed.
 */
export async function validate(store: Store, options: ValidateOptions): Promise<ValidateReport> {
  const size = options.sampleSize ?? DEFAULT_VALIDATE_ROWS;
  if (!Number.isInteger(size) || size < 1) throw badInput(`--sample ${size}: expected a whole number of rows, at least 1`);
  const runs = await store.readRuns();
  const named = options.run === undefined ? undefined : namedRun(store, runs, options.run);
  const requested = await store.describe(options.table ?? named?.table, options);
  const run = chooseRun(store, runs, requested, named);
  // The run's own key, columns and required columns: a row it skipped is not a failure of it.
  const shape = run === undefined ? requested : await runShape(store, run);
  const forms = formsOf(store, shape);
  const normalize = createNormalizer();
  const notChecked: string[] = [];
  const failures: ValidateFailure[] = [];

  const refused = new Set(run === undefined || run.rowsRefused === 0 ? [] : (await store.readRefusals(run.name, run.rowsRefused)).map((refusal) => keyId(refusal.key)));
  const notFixed: Key[] = [];
  let notFixedCount = 0;
  let rowsChecked = 0;
  let rowsSkipped = 0;
  const check = (rows: readonly Row[]) => {
    for (const row of rows) {
      rowsChecked += 1;
      const decision = decideRow(row, shape, forms, normalize);
      if (decision.skipped) rowsSkipped += 1;
      if (decision.change !== null && !refused.has(keyId(row.key))) {
        notFixedCount += 1;
        if (notFixed.length < LISTED) notFixed.push(row.key);
      }
    }
  };
  const upTo = run === undefined ? null : run.upperBound;
  const rowsInTable = await store.count(shape);
  if (run !== undefined && upTo === null) {
    // the table was empty when the run started: none of its rows are the run's
  } else if (options.all || rowsInTable <= size) {
    for await (const rows of rowsInRange(store, shape, upTo)) check(rows);
  } else {
    check(await store.sample(shape, size, upTo));
  }
  if (notFixedCount > 0) failures.push({ check: 'FIXED_POINT', message: `${notFixedCount} of ${rowsChecked} rows checked are not normalized`, keys: notFixed });

  let journalEntriesChecked = 0;
  let cellsChangedSince = 0;
  const deleted = new Set<string>();
  if (run === undefined) notChecked.push(`no completed run of table ${shape.table}: the journal was not checked (name one with --run)`);
  else if (run.status !== RUN_STATUS.DONE) notChecked.push(`run "${run.name}" is ${run.status}, not done: its rows past the cursor were never written`);
  if (run !== undefined && run.prunedAt !== null) notChecked.push(`run "${run.name}" was pruned at ${run.prunedAt}: its journal is gone`);
  else if (run !== undefined) {
    const journal = await store.journalSize(run.name);
    if (journal.entries !== run.cellsChanged) failures.push({ check: 'JOURNAL_COUNT', message: `run "${run.name}" changed ${run.cellsChanged} cells but its journal holds ${journal.entries} entries`, keys: [] });
    const wrong: Key[] = [];
    let wrongCount = 0;
    for (let after = 0; ; ) {
      const entries = await store.readJournal(run.name, after, PAGE);
      const current = new Map((await store.rowsByKey(shape, [...new Map(entries.map((entry) => [keyId(entry.key), entry.key])).values()])).map((row) => [keyId(row.key), row]));
      for (const entry of entries) {
        journalEntriesChecked += 1;
        if (!entryHolds(store, shape, forms[entry.column] ?? 'text', entry, normalize)) {
          wrongCount += 1;
          if (wrong.length < LISTED) wrong.push(entry.key);
        }
        const row = current.get(keyId(entry.key));
        if (row === undefined) deleted.add(keyId(entry.key));
        else if (!isDeepStrictEqual(row.values[entry.column], store.decodeCell(shape, entry.column, entry.written))) cellsChangedSince += 1;
      }
      if (entries.length < PAGE) break;
      after = entries[entries.length - 1]!.seq;
    }
    if (wrongCount > 0) failures.push({ check: 'JOURNAL_ENTRY', message: `${wrongCount} journal entries whose written value is not the normal form of the value before`, keys: wrong });
  }
  const verdict: ValidateVerdict = failures.length > 0 ? 'FAIL' : notChecked.length > 0 ? 'INCONCLUSIVE' : 'PASS';
  return { verdict, store: store.label, table: shape.table, run: run?.name ?? null, rowsChecked, rowsInTable, journalEntriesChecked, rowsSkipped, rowsRefused: run?.rowsRefused ?? 0, cellsChangedSince, rowsDeletedSince: deleted.size, notChecked, failures };
}
