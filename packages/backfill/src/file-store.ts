import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { badInput } from './errors.js';
import { locateItems, renderLike, type ItemSpan } from './json-spans.js';
import { acquireLockFile, liveLockOwner } from './lock-file.js';
import { chooseColumns, type ApplyBatchOutcome, type BatchHooks, type Conflict, type RollbackBatchOutcome, type RowDecider, type ShapeOptions, type Store } from './store.js';
import type { JournalEntry, Key, Row, RunRecord, TableShape } from './types.js';
import type { CellForm } from './values.js';

interface FileJournalEntry extends JournalEntry {
  outcome?: 'restored' | 'conflict';
  detail?: { column: string | null; expected: string | null; found: string | null };
}

/** The state file beside a wardrobe file: runs and their journals (before/after JSON text). */
interface FileState {
  readonly version: 1;
  runs: RunRecord[];
  journals: Record<string, FileJournalEntry[]>;
}

/** Writes a file atomically: temporary file, fsync, rename, fsync of the folder. */
export function writeAtomically(path: string, text: string, duringWrite?: (bytes: number) => void): void {
  const temporary = join(dirname(path), `.${basename(path)}.backfill-tmp-${process.pid}`);
  const data = Buffer.from(text, 'utf8');
  const fd = openSync(temporary, 'w');
  try {
    const chunk = 64 * 1024;
    for (let offset = 0; offset < data.length; offset += chunk) {
      writeSync(fd, data, offset, Math.min(chunk, data.length - offset));
      duringWrite?.(Math.min(offset + chunk, data.length));
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** A JSON or JSON-lines wardrobe file. It is read whole, and apply rewrites it in one atomic step. */
export class FileStore implements Store {
  private readonly statePath: string;

  constructor(
    readonly label: string,
    private readonly path: string,
    private readonly format: 'json' | 'jsonl',
  ) {
    if (!existsSync(path)) throw badInput(`${label}: no such file ${path}`);
    this.statePath = `${path}.backfill.json`;
  }

  private read(list: string): { text: string; items: ItemSpan[] } {
    const text = readFileSync(this.path, 'utf8');
    return { text, items: locateItems(text, this.format, this.path, list) };
  }

  private rows(shape: TableShape, items: readonly ItemSpan[]): Row[] {
    const seen = new Map<Key, number>();
    return items.map((item) => {
      const value = item.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return { key: `#${item.index}`, values: {}, problem: { code: 'NO_KEY', message: `item ${item.index} is not an object; expected {"${shape.idColumn}": …, tags…}` } };
      }
      const values = value as Record<string, unknown>;
      const id = values[shape.idColumn];
      if (typeof id !== 'string' && typeof id !== 'number') {
        return { key: `#${item.index}`, values, problem: { code: 'NO_KEY', message: `item ${item.index} has no string or number "${shape.idColumn}"` } };
      }
      const first = seen.get(id);
      seen.set(id, first ?? item.index);
      if (first !== undefined) return { key: `#${item.index}`, values, problem: { code: 'NO_KEY', message: `item ${item.index} repeats ${shape.idColumn} ${JSON.stringify(id)} (first at item ${first})` } };
      return { key: id, values };
    });
  }

  async describe(table: string | undefined, options: ShapeOptions): Promise<TableShape> {
    const list = table ?? 'items';
    const { items } = this.read(list);
    const allColumns: string[] = [];
    const known = new Set<string>();
    for (const item of items) {
      if (typeof item.value !== 'object' || item.value === null) continue;
      for (const key of Object.keys(item.value)) if (!known.has(key)) known.add(key), allColumns.push(key);
    }
    const idColumn = options.id ?? 'id';
    const where = `${this.label} (${list})`;
    if (!known.has(idColumn) && items.length > 0) throw badInput(`${where}: no item has the key field "${idColumn}"; name it with --id (fields: ${allColumns.join(', ')})`);
    const { columns, required } = chooseColumns(where, allColumns, options);
    return { table: list, idColumn, columns, allColumns, columnTypes: {}, required };
  }

  formOf(): CellForm {
    return 'json';
  }

  // A file is read whole: the first scan returns every item, the next none.
  async scan(shape: TableShape, after: Key | null): Promise<Row[]> {
    return after === null ? this.rows(shape, this.read(shape.table).items) : [];
  }

  async sample(shape: TableShape, size: number): Promise<Row[]> {
    const rows = this.rows(shape, this.read(shape.table).items);
    for (let i = rows.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    return rows.slice(0, size);
  }

  async count(shape: TableShape): Promise<number> {
    return this.read(shape.table).items.length;
  }

  async maxKey(shape: TableShape): Promise<Key | null> {
    const rows = this.rows(shape, this.read(shape.table).items);
    return rows.length === 0 ? null : rows[rows.length - 1]!.key;
  }

  private state(): FileState {
    if (!existsSync(this.statePath)) return { version: 1, runs: [], journals: {} };
    try {
      return JSON.parse(readFileSync(this.statePath, 'utf8')) as FileState;
    } catch (error) {
      throw badInput(`${this.statePath}: the backfill state file is not valid JSON (${(error as Error).message}); it holds the journal, so it was not overwritten`);
    }
  }

  private saveState(state: FileState): void {
    writeAtomically(this.statePath, `${JSON.stringify(state)}\n`);
  }

  async readRuns(): Promise<RunRecord[]> {
    return this.state().runs;
  }

  async readJournal(run: string, afterSeq: number, limit: number): Promise<JournalEntry[]> {
    return (this.state().journals[run] ?? []).filter((entry) => entry.seq > afterSeq).slice(0, limit);
  }

  async journalSize(run: string): Promise<{ entries: number; bytes: number | null }> {
    const journal = this.state().journals[run] ?? [];
    return { entries: journal.length, bytes: Buffer.byteLength(JSON.stringify(journal)) };
  }

  async readConflicts(run: string, limit: number): Promise<Conflict[]> {
    const journal = this.state().journals[run] ?? [];
    return journal
      .filter((entry) => entry.outcome === 'conflict')
      .reverse()
      .slice(0, limit)
      .map((entry) => ({ key: entry.key, column: entry.detail?.column ?? null, expected: entry.detail?.expected ?? null, found: entry.detail?.found ?? null }));
  }

  decodeRendering(_shape: TableShape, _column: string, text: string): unknown {
    return JSON.parse(text) as unknown;
  }

  private get lockPath(): string {
    return `${this.path}.backfill.lock`;
  }

  async isLocked(): Promise<boolean> {
    return liveLockOwner(this.lockPath) !== undefined;
  }

  async lock(): Promise<() => Promise<void>> {
    const release = acquireLockFile(this.lockPath, this.label);
    // Temporary files of a writer that was killed mid-write: the real file was never touched.
    for (const name of readdirSync(dirname(this.path))) {
      if (name.startsWith(`.${basename(this.path)}.backfill-tmp-`) || name.startsWith(`.${basename(this.statePath)}.backfill-tmp-`)) unlinkSync(join(dirname(this.path), name));
    }
    return async () => release();
  }

  async prepare(): Promise<void> {}

  async createRun(run: RunRecord): Promise<void> {
    const state = this.state();
    if (state.runs.some((existing) => existing.name === run.name)) throw badInput(`${this.label}: a run named "${run.name}" exists already`);
    state.runs.push(run);
    state.journals[run.name] = [];
    this.saveState(state);
  }

  async saveRun(run: RunRecord): Promise<void> {
    const state = this.state();
    state.runs = state.runs.map((existing) => (existing.name === run.name ? run : existing));
    this.saveState(state);
  }

  /**
   * The whole file in one step: the journal (before/after text of every changed value) is saved
   * first, then the new file replaces the old atomically. Killed in between, the journal is ahead
   * of the file; resuming recomputes the same changes, and rollback treats values still equal to
   * their before-text as restored.
   */
  async applyBatch(run: RunRecord, shape: TableShape, _limit: number, decide: RowDecider, batch: number, hooks: BatchHooks): Promise<ApplyBatchOutcome> {
    const { text, items } = this.read(shape.table);
    const rows = this.rows(shape, items);
    const state = this.state();
    const journal = state.journals[run.name] ?? [];
    const journaled = new Set(journal.map((entry) => JSON.stringify(entry.key)));
    const edits: { start: number; end: number; text: string }[] = [];
    let skipped = 0;
    rows.forEach((row, index) => {
      const { change, skipped: skip } = decide(row);
      if (skip) skipped += 1;
      if (change === null) return;
      const before: Record<string, string> = {};
      const after: Record<string, string> = {};
      for (const [column, value] of Object.entries(change.values)) {
        const span = items[index]!.members.get(column)!;
        before[column] = text.slice(span.start, span.end);
        after[column] = renderLike(before[column], value);
        edits.push({ start: span.start, end: span.end, text: after[column] });
      }
      if (!journaled.has(JSON.stringify(row.key))) journal.push({ seq: journal.length + 1, key: row.key, before, after });
    });
    const next: RunRecord = { ...run, cursor: rows.length === 0 ? null : rows[rows.length - 1]!.key, rowsScanned: rows.length, rowsChanged: journal.length, rowsSkipped: skipped, updatedAt: new Date().toISOString() };
    state.journals[run.name] = journal;
    state.runs = state.runs.map((existing) => (existing.name === run.name ? next : existing));
    if (edits.length > 0) {
      this.saveState(state);
      writeAtomically(this.path, applyEdits(text, edits), hooks.duringWrite);
    }
    await hooks.beforeCommit?.(batch);
    this.saveState(state);
    Object.assign(run, next);
    return { done: true, rowsScanned: rows.length, rowsChanged: journal.length, rowsSkipped: skipped };
  }

  async rollbackBatch(run: RunRecord, shape: TableShape, _limit: number, batch: number, hooks: BatchHooks): Promise<RollbackBatchOutcome> {
    const { text, items } = this.read(shape.table);
    const rows = this.rows(shape, items);
    const byKey = new Map(rows.map((row, index) => [JSON.stringify(row.key), items[index]!]));
    const state = this.state();
    const journal = state.journals[run.name] ?? [];
    const edits: { start: number; end: number; text: string }[] = [];
    let restored = 0;
    let conflicts = 0;
    for (const entry of [...journal].reverse()) {
      if (entry.outcome !== undefined) continue;
      const item = byKey.get(JSON.stringify(entry.key));
      const columns = Object.keys(entry.after);
      const spans = columns.map((column) => item?.members.get(column));
      const currents = spans.map((span) => (span === undefined ? undefined : text.slice(span.start, span.end)));
      const edited = columns.findIndex((column, i) => currents[i] === undefined || (currents[i] !== entry.before[column] && !isDeepStrictEqual(JSON.parse(currents[i]!), JSON.parse(entry.after[column]!))));
      if (item === undefined || edited >= 0) {
        entry.outcome = 'conflict';
        entry.detail = item === undefined ? { column: null, expected: null, found: null } : { column: columns[edited]!, expected: entry.after[columns[edited]!]!, found: currents[edited] ?? null };
        conflicts += 1;
        continue;
      }
      columns.forEach((column, i) => edits.push({ start: spans[i]!.start, end: spans[i]!.end, text: entry.before[column]! }));
      entry.outcome = 'restored';
      restored += 1;
    }
    if (edits.length > 0) writeAtomically(this.path, applyEdits(text, edits), hooks.duringWrite);
    await hooks.beforeCommit?.(batch);
    const next: RunRecord = { ...run, rollbackCursor: 0, rowsRestored: run.rowsRestored + restored, conflicts: run.conflicts + conflicts, updatedAt: new Date().toISOString() };
    state.runs = state.runs.map((existing) => (existing.name === run.name ? next : existing));
    this.saveState(state);
    Object.assign(run, next);
    return { done: true, restored, conflicts };
  }

  async close(): Promise<void> {}
}

/** Applies non-overlapping replacements to a text in one pass. */
function applyEdits(text: string, edits: readonly { start: number; end: number; text: string }[]): string {
  const pieces: string[] = [];
  let at = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    pieces.push(text.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  pieces.push(text.slice(at));
  return pieces.join('');
}
