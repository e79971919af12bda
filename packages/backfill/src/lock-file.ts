import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { BackfillError } from './errors.js';

/** Who holds a lock file. */
export interface LockOwner {
  readonly host: string;
  readonly pid: number;
  readonly since: string;
  /** What the holder locked, for a person reading the file (a database's real path, device and inode). */
  readonly target?: Readonly<Record<string, unknown>>;
}

/** A lock file that cannot be made is about the folder, not about another backfill: say so. */
function cannotCreate(path: string, what: string, error: unknown): BackfillError | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new BackfillError('READ_ONLY', `${what}: cannot create the lock file ${path}: the folder ${dirname(path)} is not writable (${code}). Apply and rollback keep their lock next to the data; make the folder writable for this user. Nothing was written.`);
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new BackfillError('DISK_FULL', `${what}: cannot create the lock file ${path}: the disk is full (${code}). Nothing was written; free some space and rerun.`);
  }
  return undefined;
}

/** Whether a process on this host still exists (a SIGKILLed holder leaves its lock file behind). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads a lock file's owner, or undefined when there is none or its holder is gone. */
export function liveLockOwner(path: string): LockOwner | undefined {
  let owner: LockOwner;
  try {
    owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // A holder killed between creating and writing the file leaves it empty: stale.
    return undefined;
  }
  // A lock from another host cannot be checked from here, so it counts as held.
  if (owner.host !== hostname()) return owner;
  return processAlive(owner.pid) ? owner : undefined;
}

/**
 * Takes an exclusive lock file (O_EXCL), replacing one whose holder is dead. Returns its release.
 * `what` names the table for the refusal message; `target` is written into the file for diagnostics.
 */
export function acquireLockFile(path: string, what: string, target?: Readonly<Record<string, unknown>>): () => void {
  const me: LockOwner = { host: hostname(), pid: process.pid, since: new Date().toISOString(), ...(target === undefined ? {} : { target }) };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, JSON.stringify(me));
      } catch (error) {
        closeSync(fd);
        unlinkSync(path); // an empty lock file would read as stale, but leave nothing behind
        throw error;
      }
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotCreate(path, what, error) ?? error;
      const owner = liveLockOwner(path);
      if (owner !== undefined) {
        throw new BackfillError(
          'LOCKED',
          `${what} is locked by another backfill (pid ${owner.pid} on ${owner.host}, since ${owner.since}; lock file ${path}): one apply or rollback per table at a time. Wait for it to finish; if that process is gone, delete the lock file.`,
        );
      }
      try {
        unlinkSync(path); // the holder died (SIGKILL, power loss): its run can be resumed
      } catch {
        // someone else removed it first; try again
      }
    }
  }
  throw new BackfillError('LOCKED', `${what}: could not take the lock file ${path} after 3 attempts`);
}
