import { showKey } from './keys.js';
import type { Key } from './types.js';

/** Why a backfill command stopped; stable codes so the CLI can pick an exit status. */
export const BACKFILL_ERROR = {
  /** Bad arguments, a missing table or column, an unreadable file: the user can fix the input. */
  BAD_INPUT: 'BAD_INPUT',
  /** Another apply or rollback holds the table. */
  LOCKED: 'LOCKED',
  /** The store failed (connection refused, a query error): the message says which and what to do. */
  STORE: 'STORE',
  /** Another connection held the database past the busy timeout (SQLite): which, and `--busy-timeout`. */
  BUSY: 'BUSY',
  /** The store cannot be written (a read-only file, folder or role). */
  READ_ONLY: 'READ_ONLY',
  /** The disk filled: nothing past the last committed batch was written. */
  DISK_FULL: 'DISK_FULL',
  /** A row the database refused, with `--on-refusal stop`: the batch was rolled back. */
  REFUSED: 'REFUSED',
} as const;

/** One error code. */
export type BackfillErrorCode = keyof typeof BACKFILL_ERROR;

/** A failure with a message that names the store, table, column or row and what was expected. */
export class BackfillError extends Error {
  override readonly name = 'BackfillError';
  constructor(
    readonly code: BackfillErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Shorthand for a BAD_INPUT error. */
export function badInput(message: string): BackfillError {
  return new BackfillError('BAD_INPUT', message);
}

/** A row the database refused under `--on-refusal stop`: which, the database's words, and how to go on. */
export function refusedRowError(label: string, table: string, key: Key, message: string): BackfillError {
  return new BackfillError(
    'REFUSED',
    `${label} table ${table}: the database refused row ${showKey(key)}: ${message}. With --on-refusal stop nothing of this batch was written; the run stays after its last committed batch. Fix that row and rerun, or rerun with --on-refusal skip to leave such rows as they are and list them.`,
  );
}
