import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { BackfillError } from './errors.js';

/** Who holds a lock file. */
export interface LockOwner {
  readonly host: string;
  readonly pid: number;
  readonly since: string;
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
 * `what` names the table for the refusal message.
 */
export function acquireLockFile(path: string, what: string): () => void {
  const me: LockOwner = { host: hostname(), pid: process.pid, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
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
