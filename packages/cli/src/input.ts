import { closeSync, openSync, readSync } from 'node:fs';
import { parseJsonText, type InputIssue } from '@semfilter/core';
import { badInput } from './errors.js';

/** Largest input we read (a 100,000-item wardrobe is a few tens of MB). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Reads a text file (`-` for stdin), with errors that name the file. */
export function readText(path: string): string {
  let fd: number | undefined;
  try {
    fd = path === '-' ? 0 : openSync(path, 'r');
    return readBounded(fd, path);
  } catch (error) {
    if (error instanceof Error && error.name === 'CliError') throw error;
    throw badInput(`${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    if (fd !== undefined && fd !== 0) closeSync(fd);
  }
}

/**
 * Reads to the end, stopping past the limit: a size from stat cannot be trusted (stdin, a pipe,
 * /dev/zero report 0), and reading such a stream whole would exhaust memory instead of saying why.
 */
function readBounded(fd: number, path: string): string {
  const chunks: Buffer[] = [];
  const scratch = Buffer.allocUnsafe(CHUNK_BYTES);
  let total = 0;
  for (;;) {
    let read: number;
    try {
      read = readSync(fd, scratch, 0, CHUNK_BYTES, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(PAUSE, 0, 0, 10); // a non-blocking stdin with nothing yet: wait, do not spin
        continue;
      }
      if ((error as NodeJS.ErrnoException).code === 'EOF') break; // a closed pipe on Windows, as Node's readFileSync treats it
      throw error;
    }
    if (read === 0) break;
    total += read;
    if (total > MAX_FILE_BYTES) throw badInput(`${path}: more than the ${MAX_FILE_BYTES}-byte limit`);
    chunks.push(Buffer.from(scratch.subarray(0, read))); // a copy of what was read: a pipe gives 64 KB at a time, and a slice would hold the whole scratch
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** Parses JSON text; a syntax error names the file, line and column, and says when the text is cut short. */
export function parseJson(text: string, where: string): unknown {
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw badInput(formatIssues(where, parsed.issues));
  return parsed.value;
}

/** Formats validation issues as `FILE: PATH: MESSAGE` lines. */
export function formatIssues(where: string, issues: readonly InputIssue[]): string {
  const shown = issues.slice(0, 20).map((issue) => `${where}: ${issue.path}: ${issue.message}`);
  if (issues.length > shown.length) shown.push(`${where}: … and ${issues.length - shown.length} more problems`);
  return shown.join('\n');
}

/** One parsed line of a JSON Lines file, with its 1-based line number. */
export interface JsonLine {
  readonly line: number;
  readonly value: unknown;
}

/** Parses JSON Lines text, skipping blank lines; a bad line is named by file and line number. */
export function parseJsonLines(text: string, where: string): JsonLine[] {
  const out: JsonLine[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    out.push({ line: index + 1, value: parseJson(raw, `${where}: line ${index + 1}`) });
  });
  return out;
}
