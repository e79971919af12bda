/**
 * One part of a row key, exactly as the store gives it: SQLite integers as bigint (64-bit ids
 * above 2^53 stay exact), reals as numbers, text as strings, blobs as bytes; PostgreSQL parts as
 * the database's own text rendering (cast back to the column's type by the database, so a uuid,
 * numeric or timestamp key is compared and ordered by PostgreSQL, never by JavaScript); a file's
 * ids as its JSON strings or numbers.
 */
export type KeyPart = string | number | bigint | Uint8Array;

/** A row key: one part per key column, in the order of `TableShape.keyColumns`. */
export type Key = readonly KeyPart[];

/**
 * A cell's value exactly as stored: SQLite's own type (text stays text, an integer stays an
 * integer); PostgreSQL's text rendering of the column (NULL as null); a file's JSON text.
 */
export type CellValue = string | number | bigint | Uint8Array | null;

/** Which table, which key and which tag columns a backfill works on, with how each column stores tags. */
export interface TableShape {
  /**
   * The table's own name as the store knows it, not as typed: SQLite as sqlite_master spells it
   * (`ITEMS` reaches `items`), PostgreSQL schema-qualified (`items` reaches `public.items`, whatever
   * a later session's search_path), files `items`.
   */
  readonly table: string;
  /** The unique, non-null key columns batches are ordered by (the primary key unless `--id`). */
  readonly keyColumns: readonly string[];
  /** The tag columns to normalize, in the order given. */
  readonly columns: readonly string[];
  /** Every column of the table (for the content hash that finds duplicates). */
  readonly allColumns: readonly string[];
  /** Store-specific column types (`text`, `text[]`, `jsonb`, … for Postgres), by column. */
  readonly columnTypes: Readonly<Record<string, string>>;
  /** Columns where a NULL (or a missing field) is reported as a row the backfill cannot handle. */
  readonly required: readonly string[];
}

/** One row as a scan reads it: its key and the raw value of every column it read. */
export interface Row {
  readonly key: Key;
  readonly values: Readonly<Record<string, unknown>>;
  /** Set by a store when the row itself is unusable (a file item with no id, or a repeated id). */
  readonly problem?: { readonly code: 'NO_KEY'; readonly message: string };
}

/** Run states, as stored in the runs table. */
export const RUN_STATUS = {
  RUNNING: 'running',
  DONE: 'done',
  ROLLING_BACK: 'rolling_back',
  ROLLED_BACK: 'rolled_back',
} as const;

/** One run state. */
export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS];

/** What apply does with a row the database refuses (a unique index, a CHECK, a varchar limit). */
export const ON_REFUSAL = { SKIP: 'skip', STOP: 'stop' } as const;

/** One refusal policy. */
export type OnRefusal = (typeof ON_REFUSAL)[keyof typeof ON_REFUSAL];

/** A backfill run, as kept in the store's runs table (or the file's state file). */
export interface RunRecord {
  readonly name: string;
  /** The table's own name (see TableShape.table). */
  readonly table: string;
  readonly keyColumns: readonly string[];
  readonly columns: readonly string[];
  readonly required: readonly string[];
  readonly onRefusal: OnRefusal;
  status: RunStatus;
  /** The last key committed; the next batch starts after it. */
  cursor: Key | null;
  /** The largest key when the run started: rows inserted later are not part of it, so it ends. */
  readonly upperBound: Key | null;
  readonly batchSize: number;
  readonly rowsAtStart: number;
  rowsScanned: number;
  /** Rows written (one or more of their cells changed). */
  rowsChanged: number;
  /** Cells written: one journal entry each. */
  cellsChanged: number;
  /** Rows the backfill cannot handle (reported, never changed). */
  rowsSkipped: number;
  /** Rows the database refused to take (a unique index, CHECK, length limit): left as they were. */
  rowsRefused: number;
  /** Journal position the rollback has reached (journal entries are undone newest first). */
  rollbackCursor: number | null;
  cellsRestored: number;
  /** Cells rollback left as they are because they no longer hold what the backfill wrote. */
  conflicts: number;
  /** Who holds the run now, for `status`. */
  owner: { readonly host: string; readonly pid: number } | null;
  readonly startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** When `prune` dropped the run's journal (rollback is no longer possible). */
  prunedAt: string | null;
}

/** One journal entry: one cell the backfill wrote, its value before, and the row version it left. */
export interface JournalEntry {
  /** Order of writing within the run; rollback walks it backwards. */
  readonly seq: number;
  readonly key: Key;
  readonly column: string;
  /** The cell before the backfill, exactly as stored. */
  readonly before: CellValue;
  /** The cell as the backfill wrote it, exactly as stored. */
  readonly written: CellValue;
  /**
   * The row as the backfill left it (PostgreSQL: xmin and a digest of the row; SQLite: a digest
   * of the row), so rollback can tell a row rewritten since from one left alone; null for files.
   */
  readonly version: string | null;
}

/** A row apply left as it was because the database refused the write, with the database's words. */
export interface Refusal {
  readonly key: Key;
  readonly message: string;
}
