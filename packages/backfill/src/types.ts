/** A primary-key value, as the store gives it (SQLite integers are numbers; Postgres bigints are strings). */
export type Key = string | number;

/** Which table, which key and which tag columns a backfill works on, with how each column stores tags. */
export interface TableShape {
  /** The table as the user named it (or, for files, the items list). */
  readonly table: string;
  /** The unique, non-null key column batches are ordered by. */
  readonly idColumn: string;
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

/** A backfill run, as kept in the store's runs table (or the file's state file). */
export interface RunRecord {
  readonly name: string;
  readonly table: string;
  readonly idColumn: string;
  readonly columns: readonly string[];
  readonly required: readonly string[];
  status: RunStatus;
  /** The last key committed; the next batch starts after it. */
  cursor: Key | null;
  /** The largest key when the run started: rows inserted later are not part of it, so it ends. */
  readonly upperBound: Key | null;
  readonly batchSize: number;
  readonly rowsAtStart: number;
  rowsScanned: number;
  rowsChanged: number;
  /** Rows the backfill cannot handle (reported, never changed). */
  rowsSkipped: number;
  /** Journal position the rollback has reached (journal entries are undone newest first). */
  rollbackCursor: number | null;
  rowsRestored: number;
  conflicts: number;
  /** Who holds the run now, for `status`. */
  owner: { readonly host: string; readonly pid: number } | null;
  readonly startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** One journal entry: a changed row's before- and after-values of the columns that changed. */
export interface JournalEntry {
  /** Order of writing within the run; rollback walks it backwards. */
  readonly seq: number;
  readonly key: Key;
  /** Each changed column's value before the backfill, as the store's text rendering. */
  readonly before: Readonly<Record<string, string>>;
  /** Each changed column's value as the backfill wrote it, in the same rendering. */
  readonly after: Readonly<Record<string, string>>;
}
