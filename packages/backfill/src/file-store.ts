import { accessSync, constants, existsSync, readdirSync, realpathSync, unlinkSync } from 'node:fs';
import { readText, writeAtomically, writeFailure } from './file-io.js';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { BackfillError, badInput } from './errors.js';
import { applyEdits, locateItems, renderLike, type Edit, type ItemSpan } from './json-spans.js';
import { keyId, showKey } from './keys.js';
import { acquireLockFile, liveLockOwner } from './lock-file.js';
import { chooseColumns, type ApplyBatchOutcome, type BatchHooks, type Conflict, type ConflictReason, type RollbackBatchOutcome, type RowDecider, type ShapeOptions, type Store, type UniqueIndex } from './store.js';
import type { CellValue, JournalEntry, Key, KeyPart, Refusal, Row, RunRecord, TableShape } from './types.js';
import type { CellForm } from './values.js';

/** A journaled cell of a file: a member's JSON text before and as written, and what rollback made of it. */
interface FileJournalEntry extends JournalEntry {
  readonly before: string;
  readonly written: string;
  outcome?: 'restored' | 'conflict';
  reason?: ConflictReason;
  found?: string | null;
}

/** The state file beside a wardrobe file: runs and their per-cell journals. */
interface FileState {
  readonly version: 2;
  runs: RunRecord[];
  journals: Record<string, FileJournalEntry[]>;
}

const STATE_VERSION = 2;
/** A member's JSON text holds the same value as `text` (same bytes, or the same JSON re-laid out by the app). */
function holds(current: string, text: string): boolean {
  return current === text || isDeepStrictEqual(JSON.parse(current), JSON.parse(text));
}

const cellId = (key: Key, column: string) => keyId([...key, column]);

/** The key of the last item that has a usable one (an item without is listed under its position). */
const lastUsableKey = (rows: readonly Row[]): Key | null => [...rows].reverse().find((row) => row.problem === undefined)?.key ?? null;

/** Puts a run's record in the state in place of the one of that name. */
function putRun(state: FileState, run: RunRecord): void {
  state.runs = state.runs.map((existing) => (existing.name === run.name ? run : existing));
}

/**
 * A JSON or JSON-lines wardrobe file, reached through its real path (a symlink names the same
 * file, lock and state). It is read whole, and apply and rollback rewrite it in one atomic step.
 */
export class FileStore implements Store {
  private readonly path: string;
  private readonly statePath: string;
  private readonly lockPath: string;

  constructor(
    readonly label: string,
    path: string,
    private readonly format: 'json' | 'jsonl',
  ) {
    if (!existsSync(path)) throw badInput(`${label}: no such file ${path}`);
    this.path = realpathSync(path);
    this.statePath = `${this.path}.backfill.json`;
    this.lockPath = `${this.path}.backfill.lock`;
  }

  /** An array or JSON lines is one list, "items"; an object's lists go by their member names. */
  private read(table: string | undefined): { list: string; text: string; items: ItemSpan[] } {
    const text = readText(this.label, this.path);
    const list = table ?? 'items';
    if ((this.format === 'jsonl' || text.trimStart().startsWith('[')) && list !== 'items') {
      throw badInput(`${this.label}: the file is a single list of items (${this.format === 'jsonl' ? 'JSON lines' : 'a JSON array'}), named "items"; leave out --table or give --table items, not "${list}"`);
    }
    return { list, text, items: locateItems(text, this.format, this.path, list) };
  }

  private rows(shape: TableShape, text: string, items: readonly ItemSpan[]): Row[] {
    const seen = new Map<string, number>();
    const fields = shape.keyColumns.length === 1 ? `"${shape.keyColumns[0]}"` : `(${shape.keyColumns.join(', ')})`;
    return items.map((item): Row => {
      // An item with no usable key is still listed, under its position: `#12` is item 12 (from 0).
      const unusable = (values: Record<string, unknown>, message: string): Row => ({ key: [`#${item.index}`], values, problem: { code: 'NO_KEY', message: `item ${item.index} ${message}` } });
      if (typeof item.value !== 'object' || item.value === null || Array.isArray(item.value)) return unusable({}, `is not an object; expected {${fields}: …, tags…}`);
      const values = item.value as Record<string, unknown>;
      const key: KeyPart[] = [];
      for (const column of shape.keyColumns) {
        const part = values[column];
        if (typeof part !== 'string' && typeof part !== 'number') return unusable(values, `has no string or number "${column}"`);
        if (Number.isInteger(part) && !Number.isSafeInteger(part)) {
          const span = item.members.get(column)!;
          return unusable(values, `has "${column}" ${text.slice(span.start, span.end)}, beyond 2^53: a JSON number that large is not read exactly (two ids could read as one); write it as a string`);
        }
        key.push(part);
      }
      const first = seen.get(keyId(key));
      if (first !== undefined) return unusable(values, `repeats the key ${fields} ${showKey(key)} of item ${first}`);
      seen.set(keyId(key), item.index);
      return { key, values };
    });
  }

  private load(shape: TableShape): { text: string; items: ItemSpan[]; rows: Row[] } {
    const { text, items } = this.read(shape.table);
    return { text, items, rows: this.rows(shape, text, items) };
  }

  async describe(table: string | undefined, options: ShapeOptions): Promise<TableShape> {
    const { list, items } = this.read(table);
    const allColumns: string[] = [];
    const known = new Set<string>();
    for (const item of items) {
      if (typeof item.value !== 'object' || item.value === null || Array.isArray(item.value)) continue;
      for (const key of Object.keys(item.value)) if (!known.has(key)) known.add(key), allColumns.push(key);
    }
    const where = `${this.label} (${list})`;
    const keyColumns = options.id ?? ['id'];
    if (keyColumns.length === 0 || new Set(keyColumns).size !== keyColumns.length) throw badInput(`${where}: --id ${keyColumns.join(',')}: expected the item's key field, or several different fields separated by commas`);
    for (const column of keyColumns) {
      if (!known.has(column) && items.length > 0) throw badInput(`${where}: no item has the key field "${column}"; name it with --id (fields: ${allColumns.join(', ')})`);
    }
    const { columns, required } = chooseColumns(where, allColumns, options);
    const both = columns.find((column) => keyColumns.includes(column));
    if (both !== undefined) throw badInput(`${where}: "${both}" is both a key field (--id) and a tag column; a key is never rewritten (resume and rollback find items by it): leave it out of --columns or pick another --id`);
    return { table: list, keyColumns, columns, allColumns, columnTypes: {}, required };
  }

  formOf(): CellForm {
    return 'json';
  }

  // A file is read whole: the first scan returns every item, the next none.
  async scan(shape: TableShape, after: Key | null): Promise<Row[]> {
    return after === null ? this.load(shape).rows : [];
  }

  async sample(shape: TableShape, size: number): Promise<Row[]> {
    const rows = this.load(shape).rows;
    for (let i = rows.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    return rows.slice(0, size);
  }

  async rowsByKey(shape: TableShape, keys: readonly Key[]): Promise<Row[]> {
    const wanted = new Set(keys.map(keyId));
    return this.load(shape).rows.filter((row) => row.problem === undefined && wanted.has(keyId(row.key)));
  }

  async count(shape: TableShape): Promise<number> {
    return this.read(shape.table).items.length;
  }

  async lastKey(shape: TableShape): Promise<Key | null> {
    return lastUsableKey(this.load(shape).rows);
  }

  // A JSON file has no indexes or constraints: it refuses nothing.
  async uniqueIndexes(): Promise<UniqueIndex[]> {
    return [];
  }

  async foresee(): Promise<Refusal[]> {
    return [];
  }

  async readRefusals(): Promise<Refusal[]> {
    return [];
  }

  private state(): FileState {
    if (!existsSync(this.statePath)) return { version: STATE_VERSION, runs: [], journals: {} };
    let state: Omit<FileState, 'version'> & { readonly version: number };
    try {
      state = JSON.parse(readText(this.label, this.statePath)) as typeof state;
    } catch (error) {
      if (error instanceof BackfillError) throw error;
      throw badInput(`${this.statePath}: the backfill state file is not valid JSON (${(error as Error).message}); it holds the journal, so it was not overwritten`);
    }
    if (state.version === STATE_VERSION) return state as FileState;
    if (state.version < STATE_VERSION && (state.runs ?? []).length === 0) return { version: STATE_VERSION, runs: [], journals: {} };
    throw badInput(
      state.version < STATE_VERSION
        ? `${this.statePath} was written by an earlier semfilter (one journal entry per item) and holds runs ${state.runs.map((run) => `"${run.name}"`).join(', ')}: finish or roll them back with that version, or move the state file aside once you no longer need their rollback`
        : `${this.statePath} was written by a newer semfilter (state version ${state.version}); use that version`,
    );
  }

  private write(path: string, text: string, duringWrite?: (bytes: number) => void): void {
    try {
      writeAtomically(path, text, duringWrite);
    } catch (error) {
      // A system error is the store's to explain; anything else (a test hook's) passes through.
      throw typeof (error as NodeJS.ErrnoException).code === 'string' ? writeFailure(this.label, path, error) : error;
    }
  }

  private saveState(state: FileState): void {
    this.write(this.statePath, `${JSON.stringify(state)}\n`);
  }

  async readRuns(): Promise<RunRecord[]> {
    return this.state().runs;
  }

  async readJournal(run: string, afterSeq: number, limit: number): Promise<JournalEntry[]> {
    return (this.state().journals[run] ?? [])
      .filter((entry) => entry.seq > afterSeq)
      .slice(0, limit)
      .map(({ seq, key, column, before, written, version }) => ({ seq, key, column, before, written, version }));
  }

  // The journal is stored as this very JSON text inside the state file.
  async journalSize(run: string): Promise<{ entries: number; bytes: number | null }> {
    const journal = this.state().journals[run] ?? [];
    return { entries: journal.length, bytes: Buffer.byteLength(JSON.stringify(journal)) };
  }

  async readConflicts(run: string, limit: number): Promise<Conflict[]> {
    return (this.state().journals[run] ?? [])
      .filter((entry) => entry.outcome === 'conflict')
      .reverse()
      .slice(0, limit)
      .map((entry) => ({ key: entry.key, column: entry.column, reason: entry.reason ?? 'CHANGED', written: entry.written, found: entry.found ?? null }));
  }

  decodeCell(_shape: TableShape, _column: string, value: CellValue): unknown {
    return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  }

  // One lock per file, on its real path: every spelling of it (a symlink, `..`) takes the same one.
  async isLocked(): Promise<boolean> {
    return liveLockOwner(this.lockPath) !== undefined;
  }

  async lock(shape: TableShape): Promise<() => Promise<void>> {
    // Checked first: a rename replaces even a read-only file, and its owner did not ask for that.
    for (const target of [this.path, dirname(this.path)]) {
      try {
        accessSync(target, constants.W_OK);
      } catch (error) {
        throw writeFailure(this.label, target, error);
      }
    }
    let release: () => void;
    try {
      release = acquireLockFile(this.lockPath, `${this.label} (${shape.table})`);
    } catch (error) {
      throw writeFailure(this.label, this.lockPath, error);
    }
    // Temporary files of a writer that was killed mid-write: the real file was never touched.
    for (const name of readdirSync(dirname(this.path))) {
      if (!name.startsWith(`.${basename(this.path)}.backfill-tmp-`) && !name.startsWith(`.${basename(this.statePath)}.backfill-tmp-`)) continue;
      try {
        unlinkSync(join(dirname(this.path), name));
      } catch {
        // gone already
      }
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
    putRun(state, run);
    this.saveState(state);
  }

  /**
   * The whole file in one step: the journal (each changed member's text before and as written) is
   * saved first, then the new file replaces the old atomically. Killed in between, the journal is
   * ahead of the file: a resumed run recomputes the same cells (one entry per key and member, so
   * nothing is journaled twice), and rollback takes a member still holding its before-text as restored.
   */
  async applyBatch(run: RunRecord, shape: TableShape, _limit: number, decide: RowDecider, batch: number, hooks: BatchHooks): Promise<ApplyBatchOutcome> {
    const { text, items, rows } = this.load(shape);
    const state = this.state();
    const journal = state.journals[run.name] ?? [];
    const index = new Map(journal.map((entry, i) => [cellId(entry.key, entry.column), i]));
    const edits: Edit[] = [];
    let rowsChanged = 0;
    let skipped = 0;
    rows.forEach((row, i) => {
      const { change, skipped: skip } = decide(row);
      if (skip) skipped += 1;
      if (change === null) return;
      rowsChanged += 1;
      for (const [column, value] of Object.entries(change.values)) {
        const span = items[i]!.members.get(column);
        if (span === undefined) continue;
        const before = text.slice(span.start, span.end);
        const written = renderLike(before, value);
        edits.push({ start: span.start, end: span.end, text: written });
        const at = index.get(cellId(row.key, column));
        // Journaled by an attempt killed before its rename: that write never landed, so this one's before counts.
        if (at !== undefined) journal[at] = { ...journal[at]!, before, written };
        else index.set(cellId(row.key, column), journal.push({ seq: (journal.at(-1)?.seq ?? 0) + 1, key: row.key, column, before, written, version: null }) - 1);
      }
    });
    const next: RunRecord = {
      ...run,
      cursor: lastUsableKey(rows),
      rowsScanned: rows.length,
      rowsChanged: new Set(journal.map((entry) => keyId(entry.key))).size,
      cellsChanged: journal.length,
      rowsSkipped: skipped,
      rowsRefused: 0,
      updatedAt: new Date().toISOString(),
    };
    state.journals[run.name] = journal;
    putRun(state, next);
    this.saveState(state);
    if (edits.length > 0) this.write(this.path, applyEdits(text, edits), hooks.duringWrite);
    await hooks.beforeCommit?.(batch);
    Object.assign(run, next);
    return { done: true, rowsScanned: rows.length, rowsChanged, cellsChanged: edits.length, rowsSkipped: skipped, refused: [] };
  }

  /**
   * Every journaled cell, newest first, judged on its own: a member still holding what the backfill
   * wrote (or, after a rollback killed past its rename, its before-text) is restored byte for byte;
   * any other is a conflict. The file is written before the outcomes, so a killed rollback reruns.
   */
  async rollbackBatch(run: RunRecord, shape: TableShape, _limit: number, batch: number, hooks: BatchHooks): Promise<RollbackBatchOutcome> {
    const { text, items, rows } = this.load(shape);
    const byKey = new Map<string, ItemSpan>();
    rows.forEach((row, i) => row.problem === undefined && byKey.set(keyId(row.key), items[i]!));
    const state = this.state();
    const pending = (state.journals[run.name] ?? []).filter((entry) => entry.seq < (run.rollbackCursor ?? Infinity)).reverse();
    const edits = new Map<number, Edit>();
    let restored = 0;
    let conflicts = 0;
    for (const entry of pending) {
      const span = byKey.get(keyId(entry.key))?.members.get(entry.column);
      const found = span === undefined ? null : (edits.get(span.start)?.text ?? text.slice(span.start, span.end));
      if (span !== undefined && found !== null && (holds(found, entry.written) || holds(found, entry.before))) {
        edits.set(span.start, { start: span.start, end: span.end, text: entry.before });
        entry.outcome = 'restored';
        restored += 1;
      } else {
        entry.outcome = 'conflict';
        entry.reason = byKey.has(keyId(entry.key)) ? 'CHANGED' : 'ROW_DELETED';
        entry.found = found;
        conflicts += 1;
      }
    }
    if (edits.size > 0) this.write(this.path, applyEdits(text, [...edits.values()]), hooks.duringWrite);
    await hooks.beforeCommit?.(batch);
    const next: RunRecord = { ...run, rollbackCursor: pending.at(-1)?.seq ?? run.rollbackCursor ?? 0, cellsRestored: run.cellsRestored + restored, conflicts: run.conflicts + conflicts, updatedAt: new Date().toISOString() };
    putRun(state, next);
    this.saveState(state);
    Object.assign(run, next);
    return { done: true, restored, conflicts };
  }

  async prune(run: RunRecord): Promise<{ entries: number }> {
    const state = this.state();
    const entries = state.journals[run.name]?.length ?? 0;
    delete state.journals[run.name];
    // Saved, marked pruned, in the same write that drops the journal.
    putRun(state, run);
    this.saveState(state);
    return { entries };
  }

  async close(): Promise<void> {}
}
