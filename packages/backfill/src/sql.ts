import { badInput } from './errors.js';
import { decodeExact, encodeExact } from './keys.js';
import type { Conflict } from './store.js';
import type { CellValue, Key, RunRecord } from './types.js';

/** Quotes an SQL identifier (both SQLite and Postgres use double quotes, doubled inside). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The bookkeeping tables, named so they cannot be mistaken for application tables. The journal
 * holds one entry per cell; `semfilter_backfill_journal` (one entry per row) was the layout before.
 */
export const BOOKKEEPING = { runs: 'semfilter_backfill_runs', journal: 'semfilter_backfill_cells', refusals: 'semfilter_backfill_refusals' } as const;

/** A run as it is stored: the record as exact JSON (bigint keys kept), plus the columns queries filter on. */
export function runRow(run: RunRecord): { name: string; table_name: string; status: string; started_at: string; record: string } {
  return { name: run.name, table_name: run.table, status: run.status, started_at: run.startedAt, record: encodeExact(run) };
}

/**
 * Reads a stored run record. A record written before per-cell journals (it has `idColumn`) is
 * refused with what to do: its row journal cannot be undone cell by cell.
 */
export function parseRunRecord(text: string, where: string): RunRecord {
  const record = decodeExact<RunRecord & { idColumn?: string }>(text);
  if (record.idColumn !== undefined && record.keyColumns === undefined) {
    throw badInput(`${where}: run "${record.name}" was recorded by an earlier semfilter (one journal entry per row, table semfilter_backfill_journal); roll it back or finish it with that version, or drop its row from semfilter_backfill_runs once you no longer need it`);
  }
  return record;
}

/** A journal row of a cell rollback left, as both databases keep it. */
export interface ConflictRow {
  readonly row_key: string;
  readonly column_name: string;
  readonly written_value: CellValue;
  /** encodeExact({ reason, found, message? }), written by rollback. */
  readonly outcome_detail: string;
}

/** A rollback conflict from its journal row. */
export function conflictFromRow(row: ConflictRow): Conflict {
  const detail = decodeExact<Pick<Conflict, 'reason' | 'found' | 'message'>>(row.outcome_detail);
  return { key: decodeExact<Key>(row.row_key), column: row.column_name, written: row.written_value, ...detail };
}
