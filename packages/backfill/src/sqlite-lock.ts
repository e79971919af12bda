import type Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { BackfillError } from './errors.js';
import { processAlive, type LockOwner } from './lock-file.js';

/**
 * The run lock of a SQLite table lives in the database itself: every path that reaches the file (a
 * symlink, a hard link, another spelling) meets the same row, and taking it is one IMMEDIATE
 * transaction, so two processes cannot both see it free. A holder killed by SIGKILL leaves its row;
 * the next taker replaces it once that process is gone.
 */
const LOCKS = 'semfilter_backfill_locks';
const DDL = `CREATE TABLE IF NOT EXISTS ${LOCKS} (table_name TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, since TEXT NOT NULL)`;

interface LockRow {
  readonly host: string;
  readonly pid: bigint | number;
  readonly since: string;
}

function ownerOf(row: LockRow | undefined): LockOwner | undefined {
  if (row === undefined) return undefined;
  const owner = { host: row.host, pid: Number(row.pid), since: row.since };
  // A lock from another host cannot be checked from here, so it counts as held.
  return owner.host !== hostname() || processAlive(owner.pid) ? owner : undefined;
}

/** Who holds the table's lock now (undefined when no one, or only a dead process). Reads only. */
export function sqliteLockOwner(db: Database.Database, table: string): LockOwner | undefined {
  if (db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(LOCKS) === undefined) return undefined;
  return ownerOf(db.prepare(`SELECT host, pid, since FROM ${LOCKS} WHERE table_name = ?`).get(table) as LockRow | undefined);
}

/** Takes the table's lock (throws LOCKED naming the holder); returns its release. `what` names the table. */
export function takeSqliteLock(db: Database.Database, table: string, what: string): () => void {
  const me = { host: hostname(), pid: process.pid, since: new Date().toISOString() };
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(DDL);
    const holder = ownerOf(db.prepare(`SELECT host, pid, since FROM ${LOCKS} WHERE table_name = ?`).get(table) as LockRow | undefined);
    if (holder !== undefined) {
      throw new BackfillError(
        'LOCKED',
        `${what} is locked by another backfill (pid ${holder.pid} on ${holder.host}, since ${holder.since}; row "${table}" of ${LOCKS} in the database): one apply or rollback per table at a time. Wait for it to finish; if that process is gone, delete that row.`,
      );
    }
    db.prepare(`INSERT OR REPLACE INTO ${LOCKS} (table_name, host, pid, since) VALUES (?, ?, ?, ?)`).run(table, me.host, me.pid, me.since);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  // Only our own row: never a lock another process took after ours was judged stale.
  return () => db.prepare(`DELETE FROM ${LOCKS} WHERE table_name = ? AND host = ? AND pid = ? AND since = ?`).run(table, me.host, me.pid, me.since);
}
