import type Database from 'better-sqlite3';
import { decodeExact } from './keys.js';
import { BOOKKEEPING, conflictFromRow, type ConflictRow } from './sql.js';
import type { Conflict } from './store.js';
import type { CellValue, JournalEntry, Key, Refusal, RunRecord } from './types.js';

// The bookkeeping tables of a SQLite store: runs, the per-cell journal, refused rows. Reads here
// answer [] when a table is missing, since plan, validate and status never create anything.

const J = BOOKKEEPING.journal;
const R = BOOKKEEPING.refusals;

/** What these functions need from the store: its cached statements and a table check. */
export interface JournalAccess {
  stmt(sql: string): Database.Statement;
  hasTable(name: string): boolean;
}

/**
 * The bookkeeping tables. before_value and written_value have no declared type (BLOB affinity): a
 * cell is kept as the type it had, text as text and an integer as an integer, never converted.
 */
export const BOOKKEEPING_DDL = `CREATE TABLE IF NOT EXISTS ${BOOKKEEPING.runs} (name TEXT PRIMARY KEY, table_name TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, record TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS ${J} (run_name TEXT NOT NULL, seq INTEGER NOT NULL, row_key TEXT NOT NULL, column_name TEXT NOT NULL, before_value, written_value, version TEXT, outcome TEXT, outcome_detail TEXT, PRIMARY KEY (run_name, seq));
  CREATE TABLE IF NOT EXISTS ${R} (run_name TEXT NOT NULL, seq INTEGER NOT NULL, row_key TEXT NOT NULL, message TEXT NOT NULL, PRIMARY KEY (run_name, seq));`;

/** A journal row as SQLite gives it (values with their own types). */
export interface JournalRow {
  readonly seq: bigint;
  readonly row_key: string;
  readonly column_name: string;
  readonly before_value: CellValue;
  readonly written_value: CellValue;
  readonly version: string | null;
}

/** Journal entries of a run with seq > afterSeq, in seq order. */
export function readJournalEntries(access: JournalAccess, run: string, afterSeq: number, limit: number): JournalEntry[] {
  if (!access.hasTable(J)) return [];
  const rows = access.stmt(`SELECT seq, row_key, column_name, before_value, written_value, version FROM ${J} WHERE run_name = ? AND seq > ? ORDER BY seq LIMIT ?`).all(run, afterSeq, limit) as JournalRow[];
  return rows.map((row) => ({ seq: Number(row.seq), key: decodeExact<Key>(row.row_key), column: row.column_name, before: row.before_value, written: row.written_value, version: row.version }));
}

/**
 * The run's entries and their bytes on disk: the journal table's and its index's pages (dbstat)
 * times the run's share of the entries; null where SQLite was built without dbstat.
 */
export function journalBytes(access: JournalAccess, run: string): { entries: number; bytes: number | null } {
  if (!access.hasTable(J)) return { entries: 0, bytes: 0 };
  const entries = Number((access.stmt(`SELECT count(*) AS n FROM ${J} WHERE run_name = ?`).get(run) as { n: bigint }).n);
  const total = Number((access.stmt(`SELECT count(*) AS n FROM ${J}`).get() as { n: bigint }).n);
  let onDisk: number;
  try {
    const row = access.stmt(`SELECT sum(pgsize) AS b FROM dbstat WHERE aggregate = TRUE AND name IN (SELECT name FROM sqlite_master WHERE tbl_name = ?)`).get(J) as { b: bigint | null };
    onDisk = Number(row.b ?? 0n);
  } catch {
    return { entries, bytes: null };
  }
  return { entries, bytes: total === 0 ? 0 : Math.round((onDisk * entries) / total) };
}

/** Cells rollback left as they were, newest first. */
export function readConflictCells(access: JournalAccess, run: string, limit: number): Conflict[] {
  if (!access.hasTable(J)) return [];
  return (access.stmt(`SELECT row_key, column_name, written_value, outcome_detail FROM ${J} WHERE run_name = ? AND outcome = 'conflict' ORDER BY seq DESC LIMIT ?`).all(run, limit) as ConflictRow[]).map(conflictFromRow);
}

/** Rows apply left because the database refused them, in the order they were met. */
export function readRefusedRows(access: JournalAccess, run: string, limit: number): Refusal[] {
  if (!access.hasTable(R)) return [];
  const rows = access.stmt(`SELECT row_key, message FROM ${R} WHERE run_name = ? ORDER BY seq LIMIT ?`).all(run, limit) as { row_key: string; message: string }[];
  return rows.map((row) => ({ key: decodeExact<Key>(row.row_key), message: row.message }));
}

/** Deletes a run's journal and refusals and saves its record in one transaction; the number of journal entries dropped. */
export function pruneRun(db: Database.Database, access: JournalAccess, run: RunRecord, saveRun: (run: RunRecord) => void): number {
  db.exec('BEGIN IMMEDIATE');
  const entries = access.hasTable(J) ? access.stmt(`DELETE FROM ${J} WHERE run_name = ?`).run(run.name).changes : 0;
  if (access.hasTable(R)) access.stmt(`DELETE FROM ${R} WHERE run_name = ?`).run(run.name);
  saveRun(run); // marked pruned in the same transaction: rollback then says why it cannot run
  db.exec('COMMIT');
  return entries;
}
