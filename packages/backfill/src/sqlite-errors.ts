import { accessSync, constants, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { BackfillError } from './errors.js';

/** A process that has the database file (or its journal) open. */
export interface FileHolder {
  readonly pid: number;
  readonly command: string;
}

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};

/**
 * Whether the database refused one row's values (a constraint, a STRICT type, a value too big):
 * that row is skipped and the others go on. Not a refusal: busy, read-only, disk full, I/O, which
 * are about the store, not the row.
 */
export function isRowRefusal(error: unknown): boolean {
  const code = codeOf(error);
  return code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG';
}

/** Whether the error says the file is not a SQLite database at all (a user's mistake, not the store's). */
export function isNotADatabase(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/**
 * Processes other than this one holding `realPath` (or its -journal/-wal) open, from /proc (Linux).
 * Undefined where there is no /proc to read.
 */
export function holdersOf(realPath: string): FileHolder[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const targets = new Set([realPath, `${realPath}-journal`, `${realPath}-wal`, `${realPath}-shm`]);
  const holders: FileHolder[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's process we may not look into
    }
    const holds = fds.some((fd) => {
      try {
        return targets.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      // exited meanwhile: the pid is still worth naming
    }
    holders.push({ pid: Number(pid), command: command.length > 120 ? `${command.slice(0, 117)}...` : command });
  }
  return holders;
}

/** Whether this user may write `path` (a file, or a folder to create files in). */
export function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** What the store knows when an error reaches it, to say what was and was not written. */
export interface ErrorContext {
  readonly label: string;
  /** The database file's real path (symlinks resolved). */
  readonly path: string;
  readonly busyTimeoutMs: number;
  /** For writes: where the last committed batch left the run ("cursor at 41"), for DISK_FULL. */
  readonly committed?: string | undefined;
}

function busyMessage(context: ErrorContext): string {
  const holders = holdersOf(context.path);
  const who =
    holders === undefined
      ? `this system has no /proc to list them (\`lsof ${context.path}\` shows them)`
      : holders.length === 0
        ? 'none found besides this process (it may have finished meanwhile, or belong to another user or container)'
        : holders.map((holder) => `pid ${holder.pid}${holder.command === '' ? '' : ` (${holder.command})`}`).join(', ');
  return `${context.label}: the database is locked by another connection and stayed locked for the whole busy timeout (${context.busyTimeoutMs} ms). Processes holding ${context.path} open: ${who}. Wait for them to finish and rerun (a run resumes where it stopped), or wait longer with --busy-timeout MS.`;
}

function readOnlyMessage(context: ErrorContext, detail: string): string {
  const folder = dirname(context.path);
  const which = !canWrite(context.path)
    ? `the file ${context.path} is read-only`
    : !canWrite(folder)
      ? `its folder ${folder} is read-only (SQLite writes its rollback journal next to the file)`
      : `the file ${context.path} or its file system refuses writes (an immutable file, a read-only mount)`;
  return `${context.label}: cannot write the database: ${which} (${detail}). Nothing was written. Make it writable for this user, or run plan/validate/status, which only read.`;
}

/**
 * Turns anything better-sqlite3 or the file system throws into a BackfillError that names the
 * store and says what to do; BackfillErrors pass through unchanged.
 */
export function storeError(error: unknown, context: ErrorContext): BackfillError {
  if (error instanceof BackfillError) return error;
  const code = codeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new BackfillError('BUSY', busyMessage(context));
  if (code === 'SQLITE_READONLY_ROLLBACK' || code === 'SQLITE_READONLY_RECOVERY') {
    return new BackfillError('READ_ONLY', `${context.label}: the database needs recovery after a crash (SQLite must roll back the hot journal ${context.path}-journal before anyone can read it), and this user cannot write the file or its folder. Run any semfilter backfill command once as a user who can write there (it recovers the file first), then rerun.`);
  }
  // CANTOPEN on a write: SQLite could not create its rollback journal beside the file.
  const journalRefused = code === 'SQLITE_CANTOPEN' && !canWrite(dirname(context.path));
  if (journalRefused || code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS' || code === 'EPERM' || code === 'SQLITE_PERM') {
    return new BackfillError('READ_ONLY', readOnlyMessage(context, detail));
  }
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    const committed = context.committed === undefined ? '' : ` (${context.committed})`;
    return new BackfillError('DISK_FULL', `${context.label}: the disk is full, or the database reached its size limit (${detail}). Nothing past the last committed batch was written${committed}. Free some space and rerun the same command: the run resumes from there.`);
  }
  const written = context.committed === undefined ? '' : ` Nothing past the last committed batch was written (${context.committed}).`;
  return new BackfillError('STORE', `${context.label}: SQLite failed (${code === '' ? detail : `${code}: ${detail}`}).${written} Check the file ${context.path} (\`sqlite3 ${context.path} 'PRAGMA integrity_check'\`) and rerun.`);
}
