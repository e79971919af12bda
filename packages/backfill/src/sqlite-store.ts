import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { acquireLockFile, liveLockOwner } from './lock-file.js';
import { badInput, BackfillError } from './errors.js';
import { BOOKKEEPING, quoteIdent as q, runRow, type StoredOutcome } from './sql.js';
import { chooseColumns, type ApplyBatchOutcome, type BatchHooks, type Conflict, type RollbackBatchOutcome, type RowDecider, type ShapeOptions, type Store } from './store.js';
import type { JournalEntry, Key, Row, RunRecord, TableShape } from './types.js';
import type { CellForm } from './values.js';

type Db = Database.Database;

/** Encodes a normalized value for a text column: one tag as itself, a list as a JSON array. */
function encodeText(value: string | readonly string[]): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A SQLite database file, through better-sqlite3 (synchronous, one connection). */
export class SqliteStore implements Store {
  private readonly db: Db;
  private readonly statements = new Map<string, Database.Statement>();

  /** Opens `path`; read-only unless `writable`, so plan, validate and status cannot write. */
  constructor(
    readonly label: string,
    private readonly path: string,
    writable: boolean,
  ) {
    if (!existsSync(path) || !statSync(path).isFile()) throw badInput(`${label}: no such database file ${path}`);
    try {
      this.db = new Database(path, { readonly: !writable, fileMustExist: true });
      this.db.pragma('busy_timeout = 10000');
      this.db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      throw badInput(`${label}: cannot open ${path} as a SQLite database (${(error as Error).message})`);
    }
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  private hasTable(name: string): boolean {
    return this.stmt(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
  }

  async describe(table: string | undefined, options: ShapeOptions): Promise<TableShape> {
    if (table === undefined) throw badInput(`${this.label}: name the table with --table`);
    if (!this.hasTable(table)) {
      const tables = (this.stmt(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((row) => row.name);
      throw badInput(`${this.label}: no table "${table}"; expected one of: ${tables.join(', ') || '(no tables)'}`);
    }
    const info = this.db.prepare(`PRAGMA table_info(${q(table)})`).all() as { name: string; type: string; pk: number }[];
    const allColumns = info.map((column) => column.name);
    const where = `${this.label} table ${table}`;
    const keys = info.filter((column) => column.pk > 0);
    let idColumn = options.id;
    if (idColumn === undefined) {
      if (keys.length !== 1) throw badInput(`${where} has ${keys.length === 0 ? 'no primary key' : 'a primary key of several columns'}; name a unique, non-null key column with --id`);
      idColumn = keys[0]!.name;
    } else if (!allColumns.includes(idColumn)) {
      throw badInput(`${where} has no column "${idColumn}" (--id); expected one of: ${allColumns.join(', ')}`);
    } else if (!(keys.length === 1 && keys[0]!.name === idColumn) && !this.uniqueIndexOn(table, idColumn)) {
      throw badInput(`${where}: --id ${idColumn} is neither the primary key nor covered by a unique index on that column alone; batches need a unique key`);
    }
    const { columns, required } = chooseColumns(where, allColumns, options);
    if (columns.includes(idColumn)) throw badInput(`${where}: the key column "${idColumn}" cannot also be a tag column`);
    const columnTypes = Object.fromEntries(info.map((column) => [column.name, column.type]));
    return { table, idColumn, columns, allColumns, columnTypes, required };
  }

  private uniqueIndexOn(table: string, column: string): boolean {
    const indexes = this.db.prepare(`PRAGMA index_list(${q(table)})`).all() as { name: string; unique: number }[];
    return indexes.some((index) => {
      if (index.unique !== 1) return false;
      const columns = this.db.prepare(`PRAGMA index_info(${q(index.name)})`).all() as { name: string }[];
      return columns.length === 1 && columns[0]!.name === column;
    });
  }

  formOf(): CellForm {
    return 'text';
  }

  private toRow(shape: TableShape, values: Record<string, unknown>): Row {
    return { key: values[shape.idColumn] as Key, values };
  }

  async scan(shape: TableShape, after: Key | null, limit: number): Promise<Row[]> {
    const t = q(shape.table);
    const id = q(shape.idColumn);
    const rows = (after === null ? this.stmt(`SELECT * FROM ${t} ORDER BY ${id} LIMIT ?`).all(limit) : this.stmt(`SELECT * FROM ${t} WHERE ${id} > ? ORDER BY ${id} LIMIT ?`).all(after, limit)) as Record<string, unknown>[];
    return rows.map((values) => this.toRow(shape, values));
  }

  async sample(shape: TableShape, size: number): Promise<Row[]> {
    const rows = this.stmt(`SELECT * FROM ${q(shape.table)} ORDER BY random() LIMIT ?`).all(size) as Record<string, unknown>[];
    return rows.map((values) => this.toRow(shape, values));
  }

  async count(shape: TableShape): Promise<number> {
    return (this.stmt(`SELECT count(*) AS n FROM ${q(shape.table)}`).get() as { n: number }).n;
  }

  async maxKey(shape: TableShape): Promise<Key | null> {
    return (this.stmt(`SELECT max(${q(shape.idColumn)}) AS k FROM ${q(shape.table)}`).get() as { k: Key | null }).k;
  }

  async readRuns(): Promise<RunRecord[]> {
    if (!this.hasTable(BOOKKEEPING.runs)) return [];
    return (this.stmt(`SELECT record FROM ${BOOKKEEPING.runs} ORDER BY started_at, name`).all() as { record: string }[]).map((row) => JSON.parse(row.record) as RunRecord);
  }

  async readJournal(run: string, afterSeq: number, limit: number): Promise<JournalEntry[]> {
    if (!this.hasTable(BOOKKEEPING.journal)) return [];
    const rows = this.stmt(`SELECT seq, row_key, before_values, after_values FROM ${BOOKKEEPING.journal} WHERE run_name = ? AND seq > ? ORDER BY seq LIMIT ?`).all(run, afterSeq, limit) as { seq: number; row_key: string; before_values: string; after_values: string }[];
    return rows.map((row) => ({ seq: row.seq, key: JSON.parse(row.row_key) as Key, before: JSON.parse(row.before_values), after: JSON.parse(row.after_values) }));
  }

  async journalSize(run: string): Promise<{ entries: number; bytes: number | null }> {
    if (!this.hasTable(BOOKKEEPING.journal)) return { entries: 0, bytes: 0 };
    const row = this.stmt(`SELECT count(*) AS n, sum(length(row_key) + length(before_values) + length(after_values) + 8) AS b FROM ${BOOKKEEPING.journal} WHERE run_name = ?`).get(run) as { n: number; b: number | null };
    return { entries: row.n, bytes: row.b ?? 0 };
  }

  async readConflicts(run: string, limit: number): Promise<Conflict[]> {
    if (!this.hasTable(BOOKKEEPING.journal)) return [];
    const rows = this.stmt(`SELECT row_key, outcome_detail FROM ${BOOKKEEPING.journal} WHERE run_name = ? AND outcome = 'conflict' ORDER BY seq DESC LIMIT ?`).all(run, limit) as { row_key: string; outcome_detail: string }[];
    return rows.map((row) => ({ key: JSON.parse(row.row_key) as Key, ...(JSON.parse(row.outcome_detail) as StoredOutcome) }));
  }

  decodeRendering(_shape: TableShape, _column: string, text: string): unknown {
    return text;
  }

  private lockPath(table: string): string {
    return `${this.path}.backfill-${encodeURIComponent(table)}.lock`;
  }

  async isLocked(table: string): Promise<boolean> {
    return liveLockOwner(this.lockPath(table)) !== undefined;
  }

  async lock(table: string): Promise<() => Promise<void>> {
    const release = acquireLockFile(this.lockPath(table), `${this.label} table ${table}`);
    return async () => release();
  }

  async prepare(): Promise<void> {
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${BOOKKEEPING.runs} (name TEXT PRIMARY KEY, table_name TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS ${BOOKKEEPING.journal} (run_name TEXT NOT NULL, seq INTEGER NOT NULL, row_key TEXT NOT NULL, before_values TEXT NOT NULL, after_values TEXT NOT NULL, outcome TEXT, outcome_detail TEXT, PRIMARY KEY (run_name, seq));`);
  }

  async createRun(run: RunRecord): Promise<void> {
    const row = runRow(run);
    try {
      this.stmt(`INSERT INTO ${BOOKKEEPING.runs} (name, table_name, status, started_at, record) VALUES (@name, @table_name, @status, @started_at, @record)`).run(row);
    } catch (error) {
      throw new BackfillError('STORE', `${this.label}: cannot record run "${run.name}" (${(error as Error).message})`);
    }
  }

  async saveRun(run: RunRecord): Promise<void> {
    const row = runRow(run);
    this.stmt(`UPDATE ${BOOKKEEPING.runs} SET status = @status, record = @record WHERE name = @name`).run(row);
  }

  /** BEGIN IMMEDIATE takes the write lock first, so no other writer slips in between read and write. */
  private async transaction<T>(work: () => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  async applyBatch(run: RunRecord, shape: TableShape, limit: number, decide: RowDecider, batch: number, hooks: BatchHooks): Promise<ApplyBatchOutcome> {
    if (run.upperBound === null) return { done: true, rowsScanned: 0, rowsChanged: 0, rowsSkipped: 0 };
    const t = q(shape.table);
    const id = q(shape.idColumn);
    const select = run.cursor === null ? `SELECT * FROM ${t} WHERE ${id} <= ? ORDER BY ${id} LIMIT ?` : `SELECT * FROM ${t} WHERE ${id} > ? AND ${id} <= ? ORDER BY ${id} LIMIT ?`;
    return this.transaction(async () => {
      const params = run.cursor === null ? [run.upperBound, limit] : [run.cursor, run.upperBound, limit];
      const rows = (this.stmt(select).all(...params) as Record<string, unknown>[]).map((values) => this.toRow(shape, values));
      if (rows.length === 0) return null;
      const journal = this.stmt(`INSERT INTO ${BOOKKEEPING.journal} (run_name, seq, row_key, before_values, after_values) VALUES (?, ?, ?, ?, ?)`);
      let changed = 0;
      let skipped = 0;
      for (const row of rows) {
        const { change, skipped: skip } = decide(row);
        if (skip) skipped += 1;
        if (change === null) continue;
        const columns = Object.keys(change.values);
        const before: Record<string, string> = {};
        const after: Record<string, string> = {};
        for (const column of columns) {
          before[column] = row.values[column] as string;
          after[column] = encodeText(change.values[column]!);
        }
        this.stmt(`UPDATE ${t} SET ${columns.map((column) => `${q(column)} = ?`).join(', ')} WHERE ${id} = ?`).run(...columns.map((column) => after[column]), row.key);
        journal.run(run.name, run.rowsChanged + changed + 1, JSON.stringify(row.key), JSON.stringify(before), JSON.stringify(after));
        changed += 1;
      }
      const next: RunRecord = { ...run, cursor: rows[rows.length - 1]!.key, rowsScanned: run.rowsScanned + rows.length, rowsChanged: run.rowsChanged + changed, rowsSkipped: run.rowsSkipped + skipped, updatedAt: new Date().toISOString() };
      await this.saveRun(next);
      await hooks.beforeCommit?.(batch);
      return { next, outcome: { done: rows.length < limit, rowsScanned: rows.length, rowsChanged: changed, rowsSkipped: skipped } };
    }).then((result) => {
      if (result === null) return { done: true, rowsScanned: 0, rowsChanged: 0, rowsSkipped: 0 };
      Object.assign(run, result.next);
      return result.outcome;
    });
  }

  async rollbackBatch(run: RunRecord, shape: TableShape, limit: number, batch: number, hooks: BatchHooks): Promise<RollbackBatchOutcome> {
    const t = q(shape.table);
    const id = q(shape.idColumn);
    const before = run.rollbackCursor ?? Number.MAX_SAFE_INTEGER;
    const result = await this.transaction(async () => {
      const entries = this.stmt(`SELECT seq, row_key, before_values, after_values FROM ${BOOKKEEPING.journal} WHERE run_name = ? AND seq < ? ORDER BY seq DESC LIMIT ?`).all(run.name, before, limit) as { seq: number; row_key: string; before_values: string; after_values: string }[];
      if (entries.length === 0) return null;
      const mark = this.stmt(`UPDATE ${BOOKKEEPING.journal} SET outcome = ?, outcome_detail = ? WHERE run_name = ? AND seq = ?`);
      let restored = 0;
      let conflicts = 0;
      for (const entry of entries) {
        const key = JSON.parse(entry.row_key) as Key;
        const was = JSON.parse(entry.before_values) as Record<string, string>;
        const wrote = JSON.parse(entry.after_values) as Record<string, string>;
        const columns = Object.keys(wrote);
        const current = this.stmt(`SELECT ${columns.map(q).join(', ')} FROM ${t} WHERE ${id} = ?`).get(key) as Record<string, unknown> | undefined;
        const edited = current === undefined ? undefined : columns.find((column) => current[column] !== wrote[column]);
        if (current === undefined || edited !== undefined) {
          const detail: StoredOutcome = current === undefined ? { column: null, expected: null, found: null } : { column: edited!, expected: wrote[edited!]!, found: current[edited!] === null ? null : String(current[edited!]) };
          mark.run('conflict', JSON.stringify(detail), run.name, entry.seq);
          conflicts += 1;
          continue;
        }
        this.stmt(`UPDATE ${t} SET ${columns.map((column) => `${q(column)} = ?`).join(', ')} WHERE ${id} = ?`).run(...columns.map((column) => was[column]), key);
        mark.run('restored', null, run.name, entry.seq);
        restored += 1;
      }
      const next: RunRecord = { ...run, rollbackCursor: entries[entries.length - 1]!.seq, rowsRestored: run.rowsRestored + restored, conflicts: run.conflicts + conflicts, updatedAt: new Date().toISOString() };
      await this.saveRun(next);
      await hooks.beforeCommit?.(batch);
      return { next, outcome: { done: entries.length < limit, restored, conflicts } };
    });
    if (result === null) return { done: true, restored: 0, conflicts: 0 };
    Object.assign(run, result.next);
    return result.outcome;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
