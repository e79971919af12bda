import { redactSecrets } from './credentials.js';
import { BackfillError } from './errors.js';

/** The fields of a node-postgres error this module reads (a DatabaseError, or a socket error without `code` class). */
interface PgErrorLike {
  readonly message?: string;
  readonly code?: string;
  readonly detail?: string;
  readonly constraint?: string;
  readonly table?: string;
}

function fields(error: unknown): PgErrorLike {
  return typeof error === 'object' && error !== null ? (error as PgErrorLike) : { message: String(error) };
}

/** A five-character SQLSTATE, or undefined for socket and client errors (ECONNREFUSED, "Connection terminated"). */
export function sqlState(error: unknown): string | undefined {
  const { code } = fields(error);
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Whether the database refused one row's values: class 23 (integrity: unique, CHECK, NOT NULL,
 * foreign key) or class 22 (data: value too long, invalid text for the type). These are about the
 * row, so apply skips the row and goes on; anything else (connection, 53 resources, 57 operator
 * intervention, 25 read-only, 42 privileges) is about the session and stops the run.
 */
export function isRefusal(error: unknown): boolean {
  const state = sqlState(error);
  // A constraint of the backfill's own tables (a journal key) is a bug to report, never a row to skip.
  if (fields(error).table?.startsWith('semfilter_backfill_')) return false;
  return state !== undefined && (state.startsWith('23') || state.startsWith('22'));
}

/**
 * The database's words for a refused row. A unique violation's detail names the colliding value,
 * which is what a person needs to fix it; a CHECK violation's detail is the whole row, left out.
 */
export function refusalMessage(error: unknown): string {
  const { message, detail } = fields(error);
  const text = message ?? String(error);
  return sqlState(error) === '23505' && detail !== undefined ? `${text} (${detail})` : text;
}

/**
 * A failure of the connection rather than of a statement: an errno code (ECONNREFUSED,
 * ECONNRESET, …) or node-postgres's own words for a dropped or closed connection.
 */
export function isConnectionError(error: unknown): boolean {
  const { code, message } = fields(error);
  return (typeof code === 'string' && /^E[A-Z]+$/.test(code)) || /^(Connection terminated|Client has encountered a connection error|Client was closed|Query read timeout|timeout expired)/.test(message ?? '');
}

/** Whether the session is gone (the connection dropped, or the server ended the backend): its locks went with it. */
export function isSessionLost(error: unknown): boolean {
  const state = sqlState(error);
  return state === undefined ? isConnectionError(error) : state.startsWith('08') || state.startsWith('57');
}

/**
 * Turns a driver or server error into a BackfillError that names the store (its redacted label)
 * and says what to do: read-only and privilege errors, a full disk, a lost connection and the rest.
 * Anything else (a BackfillError, an error thrown by a caller's hook) passes through as it is.
 */
export function pgFailure(label: string, error: unknown, secrets: readonly string[] = []): unknown {
  const state = sqlState(error);
  if (error instanceof BackfillError || (state === undefined && !isConnectionError(error))) return error;
  // A driver could quote what it was given; the URL's credentials never reach a message.
  const words = redactSecrets(fields(error).message ?? String(error), secrets, [label]);
  if (state === '25006' || state === '42501') {
    return new BackfillError('READ_ONLY', `${label}: the database refused a write (${words}); apply, rollback and prune need a session that is not read-only and a role that may update the table and create and write the semfilter_backfill_* tables (plan, validate and status only read)`);
  }
  if (state === '53100') {
    return new BackfillError('DISK_FULL', `${label}: the database server's disk is full (${words}); nothing past the last committed batch was written. Free space on the server and rerun the same command: it resumes after the last committed batch`);
  }
  if (state === '55P03') {
    return new BackfillError('BUSY', `${label}: another session held rows of the table past lock_timeout (${words}); see pg_stat_activity for who holds them, then rerun the same command to resume`);
  }
  if (state === undefined || state.startsWith('08') || state.startsWith('57') || state.startsWith('53')) {
    // 53: out of memory or connections; 57: shut down or cancelled by an operator.
    return new BackfillError('STORE', `${label}: the connection to the database failed (${words}); nothing past the last committed batch was written. Check that the server is up and reachable, then rerun the same command to resume`);
  }
  return new BackfillError('STORE', `${label}: ${words} (SQLSTATE ${state})`);
}
