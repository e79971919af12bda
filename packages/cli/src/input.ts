import { readFileSync, statSync } from 'node:fs';
import { parseJsonText, type InputIssue } from '@semfilter/core';
import { badInput } from './errors.js';

/** Largest input file we read (a 100,000-item wardrobe is a few tens of MB). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Reads a text file (`-` for stdin), with errors that name the file. */
export function readText(path: string): string {
  try {
    if (path === '-') return readFileSync(0, 'utf8');
    const { size } = statSync(path);
    if (size > MAX_FILE_BYTES) throw badInput(`${path}: ${size} bytes is larger than the ${MAX_FILE_BYTES}-byte limit`);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && error.name === 'CliError') throw error;
    throw badInput(`${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
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
