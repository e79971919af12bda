import type { RunRecord } from './types.js';

/** Quotes an SQL identifier (both SQLite and Postgres use double quotes, doubled inside). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The bookkeeping tables, named so they cannot be mistaken for application tables. */
export const BOOKKEEPING = { runs: 'semfilter_backfill_runs', journal: 'semfilter_backfill_journal' } as const;

/** A run as it is stored: the record as JSON, plus the columns queries filter on. */
export function runRow(run: RunRecord): { name: string; table_name: string; status: string; started_at: string; record: string } {
  return { name: run.name, table_name: run.table, status: run.status, started_at: run.startedAt, record: JSON.stringify(run) };
}

/** A rollback outcome as the journal row keeps it. */
export interface StoredOutcome {
  readonly column: string | null;
  readonly expected: string | null;
  readonly found: string | null;
}
