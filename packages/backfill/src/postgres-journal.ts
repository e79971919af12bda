import { decodeExact } from './keys.js';
import type { CatalogQuery } from './postgres-catalog.js';
import { BOOKKEEPING, conflictFromRow, type ConflictRow } from './sql.js';
import type { Conflict } from './store.js';
import type { JournalEntry, Key, Refusal } from './types.js';

// The bookkeeping tables on PostgreSQL: the runs, one journal entry per written cell (its text
// before and after, and the row version the write left), and the rows the database refused.

/** CREATE statements for the bookkeeping tables, each IF NOT EXISTS. */
export const BOOKKEEPING_DDL = [
  `CREATE TABLE IF NOT EXISTS ${BOOKKEEPING.runs} (name text PRIMARY KEY, table_name text NOT NULL, status text NOT NULL, started_at text NOT NULL, record text NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${BOOKKEEPING.journal} (run_name text NOT NULL, seq bigint NOT NULL, row_key text NOT NULL, column_name text NOT NULL, before_value text, written_value text, row_version text NOT NULL, outcome text, outcome_detail text, PRIMARY KEY (run_name, seq))`,
  `CREATE TABLE IF NOT EXISTS ${BOOKKEEPING.refusals} (run_name text NOT NULL, seq bigint NOT NULL, row_key text NOT NULL, message text NOT NULL, PRIMARY KEY (run_name, seq))`,
] as const;

/** Whether every one of these tables exists (reads never create them). */
export async function tablesExist(query: CatalogQuery, names: readonly string[]): Promise<boolean> {
  const [row] = await query<{ ok: boolean }>(`SELECT ${names.map((_name, index) => `to_regclass($${index + 1}) IS NOT NULL`).join(' AND ')} AS ok`, [...names]);
  return row!.ok;
}

/** Journal entries with seq > afterSeq, in seq order. */
export async function readJournalEntries(query: CatalogQuery, run: string, afterSeq: number, limit: number): Promise<JournalEntry[]> {
  if (!(await tablesExist(query, [BOOKKEEPING.journal]))) return [];
  // ORDER BY j.seq, not the text alias `seq`: text order puts 99 after 505.
  const rows = await query<{ seq: string; row_key: string; column_name: string; before_value: string | null; written_value: string | null; row_version: string }>(
    `SELECT j.seq::text AS seq, row_key, column_name, before_value, written_value, row_version FROM ${BOOKKEEPING.journal} AS j WHERE run_name = $1 AND seq > $2 ORDER BY j.seq LIMIT $3`,
    [run, afterSeq, limit],
  );
  return rows.map((row) => ({ seq: Number(row.seq), key: decodeExact<Key>(row.row_key), column: row.column_name, before: row.before_value, written: row.written_value, version: row.row_version }));
}

/**
 * The run's entries and their bytes on disk: the journal's pages, TOAST and indexes
 * (pg_total_relation_size) shared out by entries, since one run's own pages are not kept apart.
 */
export async function measureJournal(query: CatalogQuery, run: string): Promise<{ entries: number; bytes: number | null }> {
  if (!(await tablesExist(query, [BOOKKEEPING.journal]))) return { entries: 0, bytes: 0 };
  const [row] = await query<{ n: string; total: string; size: string }>(`SELECT count(*) FILTER (WHERE run_name = $1) AS n, count(*) AS total, pg_total_relation_size(to_regclass($2)) AS size FROM ${BOOKKEEPING.journal}`, [run, BOOKKEEPING.journal]);
  const entries = Number(row!.n);
  const total = Number(row!.total);
  return { entries, bytes: total === 0 ? 0 : Math.round((Number(row!.size) * entries) / total) };
}

/** The cells a rollback left as they were, newest first. */
export async function readConflictEntries(query: CatalogQuery, run: string, limit: number): Promise<Conflict[]> {
  if (!(await tablesExist(query, [BOOKKEEPING.journal]))) return [];
  return (await query<ConflictRow & Record<string, unknown>>(`SELECT row_key, column_name, written_value, outcome_detail FROM ${BOOKKEEPING.journal} WHERE run_name = $1 AND outcome = 'conflict' ORDER BY seq DESC LIMIT $2`, [run, limit])).map(conflictFromRow);
}

/** The rows apply left because the database refused them, in the order apply met them. */
export async function readRefusalEntries(query: CatalogQuery, run: string, limit: number): Promise<Refusal[]> {
  if (!(await tablesExist(query, [BOOKKEEPING.refusals]))) return [];
  const rows = await query<{ row_key: string; message: string }>(`SELECT row_key, message FROM ${BOOKKEEPING.refusals} WHERE run_name = $1 ORDER BY seq LIMIT $2`, [run, limit]);
  return rows.map((row) => ({ key: decodeExact<Key>(row.row_key), message: row.message }));
}
