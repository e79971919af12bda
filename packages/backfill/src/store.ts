import { badInput } from './errors.js';
import type { CellForm } from './values.js';
import type { CellValue, JournalEntry, Key, Refusal, Row, RunRecord, TableShape } from './types.js';

/** What the user asks a store to work on; unset fields take the table's defaults. */
export interface ShapeOptions {
  /** The key columns (default: the table's primary key; `id` for files). */
  readonly id?: readonly string[] | undefined;
  /** The tag columns (default: whichever of style, occasion and mood the table has). */
  readonly columns?: readonly string[] | undefined;
  /** Columns where NULL is a row the backfill cannot handle (default: none). */
  readonly required?: readonly string[] | undefined;
}

/** A changed row as the backfill decided it: the new tag values of the columns that change. */
export interface RowChange {
  readonly key: Key;
  readonly values: Readonly<Record<string, string | readonly string[]>>;
}

/** What one apply batch did. */
export interface ApplyBatchOutcome {
  /** No row was left after the cursor: the run is complete. */
  readonly done: boolean;
  readonly rowsScanned: number;
  readonly rowsChanged: number;
  readonly cellsChanged: number;
  readonly rowsSkipped: number;
  /** Rows the database refused in this batch (skipped with its message, or the stop reason). */
  readonly refused: readonly Refusal[];
}

/** The run after an apply batch: the cursor at the batch's last key, the batch's counts added. */
export function afterBatch(run: RunRecord, cursor: Key, batch: ApplyBatchOutcome): RunRecord {
  return {
    ...run,
    cursor,
    rowsScanned: run.rowsScanned + batch.rowsScanned,
    rowsChanged: run.rowsChanged + batch.rowsChanged,
    cellsChanged: run.cellsChanged + batch.cellsChanged,
    rowsSkipped: run.rowsSkipped + batch.rowsSkipped,
    rowsRefused: run.rowsRefused + batch.refused.length,
    updatedAt: new Date().toISOString(),
  };
}

/** What one rollback batch did, counted in cells. */
export interface RollbackBatchOutcome {
  readonly done: boolean;
  readonly restored: number;
  readonly conflicts: number;
}

/** Why rollback left a cell as it is; stable codes. */
export const CONFLICT_REASON = {
  /** The row is gone (deleted since apply). */
  ROW_DELETED: 'ROW_DELETED',
  /** The cell holds something other than what the backfill wrote: the application's edit. */
  CHANGED: 'CHANGED',
  /**
   * The cell still holds what the backfill wrote, but the row was rewritten as a whole since
   * (re-saved or deleted and re-inserted with the same values: PostgreSQL sees a new row version
   * with the same content), so the value is the application's now.
   */
  REWRITTEN: 'REWRITTEN',
  /**
   * The database refused to put the old value back (another row now holds it under a unique index,
   * a CHECK added since): the cell keeps what the backfill wrote; `message` gives the database's words.
   */
  REFUSED: 'REFUSED',
} as const;

/** One conflict reason. */
export type ConflictReason = keyof typeof CONFLICT_REASON;

/** A rollback conflict: one cell that no longer holds what the backfill wrote, left as it is. */
export interface Conflict {
  readonly key: Key;
  readonly column: string;
  readonly reason: ConflictReason;
  /** What the backfill wrote. */
  readonly written: CellValue;
  /** What the cell holds now (null for NULL or a deleted row). */
  readonly found: CellValue;
  /** The database's words, for REFUSED. */
  readonly message?: string;
}

/** Decides one row for apply: its change (null when nothing changes) or that it is skipped. */
export type RowDecider = (row: Row) => { readonly change: RowChange | null; readonly skipped: boolean };

/** Test and host hooks inside apply and rollback; `beforeCommit` runs inside the open transaction. */
export interface BatchHooks {
  readonly beforeCommit?: (batch: number) => void | Promise<void>;
  readonly afterCommit?: (batch: number) => void | Promise<void>;
  /** Files only: after this many bytes of the new file are on disk (for kill-during-write tests). */
  readonly duringWrite?: (bytesWritten: number) => void;
}

/** A unique index that covers at least one tag column: normalizing two spellings to one value can collide on it. */
export interface UniqueIndex {
  readonly name: string;
  readonly columns: readonly string[];
  /** A partial index's WHERE clause (PostgreSQL): it constrains only the rows it holds for. */
  readonly predicate?: string;
}

/**
 * One store (SQLite file, Postgres database, JSON file): the reads plan and validate need, and the
 * writes apply and rollback need, each batch in one transaction. Reads never create anything.
 * Keys are compared and ordered by the store itself, never through JavaScript numbers.
 */
export interface Store {
  /** The store as the user named it, credentials hidden, for messages (`sqlite:demo/wardrobe.db`). */
  readonly label: string;
  /** Checks the table and columns; the shape's `table` is the store's own name for it. */
  describe(table: string | undefined, options: ShapeOptions): Promise<TableShape>;
  /** How a column keeps its tags. */
  formOf(shape: TableShape, column: string): CellForm;
  /**
   * Read-only: up to `limit` rows with key > `after` (from the start when null) and, when `upTo` is
   * given, key <= `upTo` (files ignore it), in key order, every column.
   */
  scan(shape: TableShape, after: Key | null, limit: number, upTo?: Key | null): Promise<Row[]>;
  /** Read-only: up to `size` rows picked at random (with key <= `upTo` when given; files ignore it). */
  sample(shape: TableShape, size: number, upTo?: Key | null): Promise<Row[]>;
  /** Read-only: the rows with these keys (missing ones left out), in no particular order. */
  rowsByKey(shape: TableShape, keys: readonly Key[]): Promise<Row[]>;
  count(shape: TableShape): Promise<number>;
  /** The largest key in key order (null for an empty table). */
  lastKey(shape: TableShape): Promise<Key | null>;
  /** Read-only: unique indexes over the tag columns (plan groups rows by their normalized values). */
  uniqueIndexes(shape: TableShape): Promise<UniqueIndex[]>;
  /**
   * Read-only: the changes the database would refuse for a reason it can tell row by row (a value
   * longer than a varchar allows, a CHECK constraint the store can evaluate), with its words.
   */
  foresee(shape: TableShape, changes: readonly RowChange[]): Promise<Refusal[]>;
  /** Read-only: every run recorded here ([] when no backfill ever ran). */
  readRuns(): Promise<RunRecord[]>;
  /** Read-only: journal entries with seq > afterSeq, in seq order. */
  readJournal(run: string, afterSeq: number, limit: number): Promise<JournalEntry[]>;
  /** The run's journal entries, and the bytes they take on disk (their share of the journal table's pages). */
  journalSize(run: string): Promise<{ readonly entries: number; readonly bytes: number | null }>;
  /** The cells a rollback left as they were, and why. */
  readConflicts(run: string, limit: number): Promise<Conflict[]>;
  /** The rows apply left because the database refused them. */
  readRefusals(run: string, limit: number): Promise<Refusal[]>;
  /** Decodes a journaled cell back to what a scan gives for that column, to check it. */
  decodeCell(shape: TableShape, column: string, value: CellValue): unknown;
  /** Whether an apply or rollback holds the table now (read-only); `table` as a run records it. */
  isLocked(table: string): Promise<boolean>;
  /** Takes the run lock on the table's identity, not its spelling (throws LOCKED); resolves to its release. */
  lock(shape: TableShape): Promise<() => Promise<void>>;
  /** Creates the runs, journal and refusal tables when missing (apply and rollback only). */
  prepare(): Promise<void>;
  createRun(run: RunRecord): Promise<void>;
  saveRun(run: RunRecord): Promise<void>;
  /**
   * Next batch after the run's cursor: its changed cells, their journal entries, refused rows and
   * the cursor in one transaction. A row the database refuses is rolled back alone (a savepoint)
   * and recorded; with `run.onRefusal` stop, the batch is rolled back and BackfillError REFUSED thrown.
   */
  applyBatch(run: RunRecord, shape: TableShape, limit: number, decide: RowDecider, batch: number, hooks: BatchHooks): Promise<ApplyBatchOutcome>;
  /** Next journal batch before the rollback cursor, cell by cell, restored where unchanged, in one transaction. */
  rollbackBatch(run: RunRecord, shape: TableShape, limit: number, batch: number, hooks: BatchHooks): Promise<RollbackBatchOutcome>;
  /** Drops a finished run's journal and refusals and saves its record (marked pruned by the caller), in one transaction. */
  prune(run: RunRecord): Promise<{ readonly entries: number }>;
  close(): Promise<void>;
}

/** Default tag columns, when the user names none. */
export const DEFAULT_COLUMNS = ['style', 'occasion', 'mood'] as const;

/** Picks and checks the tag columns against the table's columns; the message lists what exists. */
export function chooseColumns(where: string, available: readonly string[], options: ShapeOptions): { columns: string[]; required: string[] } {
  const wanted = options.columns ?? DEFAULT_COLUMNS.filter((column) => available.includes(column));
  if (wanted.length === 0) throw badInput(`${where} has none of the columns ${DEFAULT_COLUMNS.join(', ')}; name the tag columns with --columns (it has: ${available.join(', ')})`);
  for (const column of [...wanted, ...(options.required ?? [])]) {
    if (!available.includes(column)) throw badInput(`${where} has no column "${column}"; expected one of: ${available.join(', ')}`);
  }
  const required = [...(options.required ?? [])];
  for (const column of required) {
    if (!wanted.includes(column)) throw badInput(`--required ${column}: "${column}" is not one of the tag columns (${wanted.join(', ')})`);
  }
  return { columns: [...new Set(wanted)], required };
}
