import { badInput } from './errors.js';
import type { CellForm } from './values.js';
import type { JournalEntry, Key, Row, RunRecord, TableShape } from './types.js';

/** What the user asks a store to work on; unset fields take the table's defaults. */
export interface ShapeOptions {
  /** The key column (default: the table's primary key; `id` for files). */
  readonly id?: string | undefined;
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
  readonly rowsSkipped: number;
}

/** What one rollback batch did. */
export interface RollbackBatchOutcome {
  readonly done: boolean;
  readonly restored: number;
  readonly conflicts: number;
}

/** A rollback conflict: a row that no longer holds what the backfill wrote, left as it is. */
export interface Conflict {
  readonly key: Key;
  readonly column: string | null;
  readonly expected: string | null;
  readonly found: string | null;
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

/**
 * One store (SQLite file, Postgres database, JSON file): the reads plan and validate need, and the
 * writes apply and rollback need, each batch in one transaction. Reads never create anything.
 */
export interface Store {
  /** The store as the user named it, for messages (`sqlite:demo/wardrobe.db`). */
  readonly label: string;
  describe(table: string | undefined, options: ShapeOptions): Promise<TableShape>;
  /** How a column keeps its tags. */
  formOf(shape: TableShape, column: string): CellForm;
  /** Read-only: up to `limit` rows with key > `after` (all when null), in key order, every column. */
  scan(shape: TableShape, after: Key | null, limit: number): Promise<Row[]>;
  /** Read-only: up to `size` rows picked at random. */
  sample(shape: TableShape, size: number): Promise<Row[]>;
  count(shape: TableShape): Promise<number>;
  /** Read-only: every run recorded here ([] when no backfill ever ran). */
  readRuns(): Promise<RunRecord[]>;
  /** Read-only: journal entries with seq > afterSeq, in seq order. */
  readJournal(run: string, afterSeq: number, limit: number): Promise<JournalEntry[]>;
  journalSize(run: string): Promise<{ readonly entries: number; readonly bytes: number | null }>;
  /** The rows a rollback left as they were, and why. */
  readConflicts(run: string, limit: number): Promise<Conflict[]>;
  /** Decodes a journaled text rendering back to the column's raw value, to check it. */
  decodeRendering(shape: TableShape, column: string, text: string): unknown;
  /** Whether an apply or rollback holds the table now (read-only). */
  isLocked(table: string): Promise<boolean>;
  /** Takes the table's run lock (throws LOCKED); resolves to its release. */
  lock(table: string): Promise<() => Promise<void>>;
  /** Creates the runs and journal tables when missing (apply and rollback only). */
  prepare(): Promise<void>;
  maxKey(shape: TableShape): Promise<Key | null>;
  createRun(run: RunRecord): Promise<void>;
  saveRun(run: RunRecord): Promise<void>;
  /** Next batch after the run's cursor, its changes, journal rows and cursor in one transaction. */
  applyBatch(run: RunRecord, shape: TableShape, limit: number, decide: RowDecider, batch: number, hooks: BatchHooks): Promise<ApplyBatchOutcome>;
  /** Next journal batch before the rollback cursor, restored where unchanged, in one transaction. */
  rollbackBatch(run: RunRecord, shape: TableShape, limit: number, batch: number, hooks: BatchHooks): Promise<RollbackBatchOutcome>;
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
