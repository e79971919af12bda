import { closeSync, existsSync, fchmodSync, fchownSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BackfillError, badInput } from './errors.js';

const READ_ONLY_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * Writes a file atomically: a temporary file beside it (with the original's permissions), fsync,
 * rename, fsync of the folder. When any step before the rename fails, the temporary file is
 * removed and the original is exactly as it was; the error is rethrown as the system gave it.
 */
export function writeAtomically(path: string, text: string, duringWrite?: (bytes: number) => void): void {
  const temporary = join(dirname(path), `.${basename(path)}.backfill-tmp-${process.pid}`);
  const data = Buffer.from(text, 'utf8');
  let fd: number | undefined;
  try {
    const original = existsSync(path) ? statSync(path) : undefined;
    fd = openSync(temporary, 'w');
    if (original !== undefined) {
      fchmodSync(fd, original.mode & 0o7777);
      if (process.getuid?.() === 0) fchownSync(fd, original.uid, original.gid);
    }
    const chunk = 64 * 1024;
    for (let offset = 0; offset < data.length; offset += chunk) {
      writeSync(fd, data, offset, Math.min(chunk, data.length - offset));
      duringWrite?.(Math.min(offset + chunk, data.length));
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    for (const undo of [() => fd !== undefined && closeSync(fd), () => unlinkSync(temporary)]) {
      try {
        undo();
      } catch {
        // never opened or created, or renamed already
      }
    }
    throw error;
  }
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // The new file is in place; some filesystems (network, FUSE) cannot fsync a folder.
  }
}

/** A failed write as a person should read it: which file, why, that it is unchanged, and what to do. */
export function writeFailure(label: string, file: string, error: unknown): BackfillError {
  if (error instanceof BackfillError) return error;
  const path = file.endsWith('.backfill.json') ? `${file} (the backfill's runs and journal)` : file;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reason = (error as Error).message.split(',')[0];
  const again = 'run the command again: an interrupted run resumes where it stopped';
  if (READ_ONLY_CODES.has(code)) {
    return new BackfillError('READ_ONLY', `${label}: cannot write ${path} (${reason}); the file was not changed. A backfill writes a new copy beside the file and renames it over the original, so the file and its folder ${dirname(file)} must both be writable: make them writable (or work on a writable copy) and ${again}.`);
  }
  if (FULL_CODES.has(code)) return new BackfillError('DISK_FULL', `${label}: no space left to write ${path} (${reason}); the file was not changed. Free space on that disk and ${again}.`);
  return new BackfillError('STORE', `${label}: could not write ${path} (${reason}); the file was not changed. Fix the cause and ${again}.`);
}

/** Reads a text file, or says which file cannot be read and why. */
export function readText(label: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw badInput(`${label}: cannot read ${path} (${(error as Error).message.split(',')[0]})`);
  }
}

