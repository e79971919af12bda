import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { BackfillError } from './errors.js';

/** Who holds a lock file. */
export interface LockOwner {
  readonly host: string;
  readonly pid: number;
  readonly since: string;
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
  } catch {
    // No lock; or an unreadable one, which only an earlier version could leave (it wrote the owner
    // after creating the file): stale.
    return undefined;
  }
  // A lock from another host cannot be checked from here, so it counts as held.
  if (owner.host !== hostname()) return owner;
  return processAlive(owner.pid) ? owner : undefined;
}

/** A name beside `path` no other process uses. */
const besides = (path: string, what: string) => `${path}.${what}-${process.pid}-${randomBytes(6).toString('hex')}`;

/**
 * Takes an exclusive lock file, replacing one whose holder is dead. Returns its release. The file
 * appears with its owner already in it (written aside, then hard-linked into place, which fails
 * when the lock exists), so no one ever reads an empty lock as stale. A dead holder's lock is
 * moved aside before it is judged again, so two processes cannot both take it over.
 * `what` names the table for the refusal message.
 */
export function acquireLockFile(path: string, what: string): () => void {
  const me: LockOwner = { host: hostname(), pid: process.pid, since: new Date().toISOString() };
  const mine = JSON.stringify(me);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const draft = besides(path, 'new');
    try {
      writeFileSync(draft, mine, { flag: 'wx' });
      linkSync(draft, path);
      return () => {
        // Only our own lock: never one another process took over after ours was judged stale.
        if (readIfThere(path) === mine) unlinkQuietly(path);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotCreate(path, what, error) ?? error;
    } finally {
      unlinkQuietly(draft);
    }
    const owner = liveLockOwner(path);
    if (owner !== undefined) throw held(path, what, owner);
    // The holder died (SIGKILL, power loss): move its lock aside, then look at what was moved.
    const aside = besides(path, 'stale');
    try {
      renameSync(path, aside);
    } catch {
      continue; // someone else moved it first; try again
    }
    const moved = liveLockOwner(aside);
    if (moved !== undefined) {
      // Between the look and the move another process took the lock over: give it back.
      try {
        linkSync(aside, path);
      } finally {
        unlinkQuietly(aside);
      }
      throw held(path, what, moved);
    }
    unlinkQuietly(aside);
  }
  throw new BackfillError('LOCKED', `${what}: could not take the lock file ${path} after 5 attempts (other processes keep taking it)`);
}

function held(path: string, what: string, owner: LockOwner): BackfillError {
  return new BackfillError(
    'LOCKED',
    `${what} is locked by another backfill (pid ${owner.pid} on ${owner.host}, since ${owner.since}; lock file ${path}): one apply or rollback per table at a time. Wait for it to finish; if that process is gone, delete the lock file.`,
  );
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
