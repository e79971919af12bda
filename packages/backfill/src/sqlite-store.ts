import Database from 'better-sqlite3';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { badInput, BackfillError } from './errors.js';
import { keyId, showKey } from './keys.js';
import { sqliteLockOwner, takeSqliteLock } from './sqlite-lock.js';
import { BOOKKEEPING, parseRunRecord, quoteIdent as q, runRow } from './sql.js';
import { AffinityProbe, cellTexts, RowChecker } from './sqlite-affinity.js';
import { canWrite, isNotADatabase, storeError } from './sqlite-errors.js';
import { BOOKKEEPING_DDL, journalBytes, pruneRun, readConflictCells, readJournalEntries, readRefusedRows, type JournalAccess } from './sqlite-journal.js';
import { canonicalTable, describeTable, keyOf, keySql, selectList, tagUniqueIndexes, type TableMeta } from './sqlite-schema.js';
import { applyWrites, rollbackCells, type SqliteBatchContext } from './sqlite-batch.js';
import type { ApplyBatchOutcome, BatchHooks, Conflict, RollbackBatchOutcome, RowChange, RowDecider, ShapeOptions, Store, UniqueIndex } from './store.js';
import type { CellValue, JournalEntry, Key, Refusal, Row, RunRecord, TableShape } from './types.js';
import type { CellForm } from './values.js';

/** Options of a SQLite store beyond its file. */
export interface SqliteStoreOptions {
  /** How long to wait for another connection's lock before failing BUSY (`--busy-timeout`); default 10,000 ms. */
  readonly busyTimeoutMs?: number | undefined;
  /** Caps the file at this many pages (PRAGMA max_page_count): a host bounding growth, or a test filling the "disk". */
  readonly maxPageCount?: number | undefined;
}

const DEFAULT_BUSY_TIMEOUT_MS = 10_000;
/** Keys per `IN (…)` lookup: well under SQLite's bound-parameter limit (32,766) for keys of several columns. */
const KEYS_PER_QUERY = 200;

/**
 * A SQLite database file, through better-sqlite3 (synchronous, one connection). Every integer is
 * read as a bigint, so 64-bit keys and values survive exactly; keys are compared and ordered by
 * SQLite (row values for a key of several columns), never by JavaScript.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly realPath: string;
  private readonly busyTimeoutMs: number;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly metas = new Map<string, TableMeta>();
  private readonly checkers = new Map<string, RowChecker | null>();
  private probeDb: AffinityProbe | undefined;
  /** The statement cache and table check, for the journal module. */
  private readonly access: JournalAccess = { stmt: (sql) => this.stmt(sql), hasTable: (name) => this.hasTable(name) };

  /**
   * Opens `path`. Apply and rollback open it read-write. Plan, validate and status open it
   * read-write too when the file and its folder allow it, with `query_only` so this code cannot
   * write: after a crash SQLite must roll back a hot journal before anyone may read, and a
   * read-only connection cannot ("attempt to write a readonly database"). Otherwise read-only.
   */
  constructor(
    readonly label: string,
    path: string,
    writable: boolean,
    options: SqliteStoreOptions = {},
  ) {
    if (!existsSync(path) || !statSync(path).isFile()) throw badInput(`${label}: no such database file ${path}`);
    this.realPath = realpathSync(path);
    this.busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    if (!Number.isInteger(this.busyTimeoutMs) || this.busyTimeoutMs < 0) throw badInput(`--busy-timeout ${this.busyTimeoutMs}: expected a whole number of milliseconds, 0 or more`);
    const pages = options.maxPageCount;
    if (pages !== undefined && (!Number.isInteger(pages) || pages < 1)) throw badInput(`maxPageCount ${pages}: expected a whole number of pages, at least 1`);
    const readWrite = writable || (canWrite(this.realPath) && canWrite(dirname(this.realPath)));
    this.db = this.open(readWrite, writable);
    if (pages !== undefined) this.db.pragma(`max_page_count = ${pages}`);
  }

  private open(readWrite: boolean, writable: boolean): Database.Database {
    const attempt = (readonly: boolean): Database.Database => {
      const db = new Database(this.realPath, { readonly, fileMustExist: true, timeout: this.busyTimeoutMs });
      try {
        db.defaultSafeIntegers(true);
        if (!readonly && !writable) db.pragma('query_only = ON');
        db.prepare('SELECT count(*) FROM sqlite_master').get(); // reads the header: recovers a hot journal now
        return db;
      } catch (error) {
        db.close();
        throw error;
      }
    };
    try {
      try {
        return attempt(!readWrite);
      } catch (error) {
        // a read-only mount or immutable file: a plain read-only connection may still do
        if (writable || !readWrite || isNotADatabase(error) || String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw error;
        return attempt(true);
      }
    } catch (error) {
      if (isNotADatabase(error)) throw badInput(`${this.label}: cannot open ${this.realPath} as a SQLite database (${(error as Error).message})`);
      throw this.fail(error);
    }
  }

  private fail(error: unknown, committed?: string): BackfillError {
    return storeError(error, { label: this.label, path: this.realPath, busyTimeoutMs: this.busyTimeoutMs, committed });
  }

  /** Runs store work, turning whatever SQLite throws into a named BackfillError. */
  private async guard<T>(work: () => T | Promise<T>, committed?: () => string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (this.db.inTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // SQLite already rolled back (disk full, I/O): nothing left to undo
        }
      }
      throw this.fail(error, committed?.());
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

  private get probe(): AffinityProbe {
    return (this.probeDb ??= new AffinityProbe());
  }

  async describe(table: string | undefined, options: ShapeOptions): Promise<TableShape> {
    if (table === undefined) throw badInput(`${this.label}: name the table with --table`);
    return this.guard(() => {
      const { shape, meta } = describeTable(this.db, this.label, table, options);
      this.metas.set(meta.table, meta);
      return shape;
    });
  }

  private metaOf(shape: TableShape): TableMeta {
    let meta = this.metas.get(shape.table);
    if (meta === undefined) {
      meta = describeTable(this.db, this.label, shape.table, { id: shape.keyColumns, columns: shape.columns, required: shape.required }).meta;
      this.metas.set(meta.table, meta);
    }
    return meta;
  }

  formOf(): CellForm {
    return 'text';
  }

  private rowsOf(shape: TableShape, records: readonly Record<string, unknown>[]): Row[] {
    return records.map((values) => ({ key: keyOf(shape.keyColumns, values), values }));
  }

  async scan(shape: TableShape, after: Key | null, limit: number, upTo?: Key | null): Promise<Row[]> {
    return this.guard(() => {
      const k = keySql(shape.keyColumns);
      const bounds = [...(after === null ? [] : [`${k.expr} > ${k.param}`]), ...(upTo === undefined || upTo === null ? [] : [`${k.expr} <= ${k.param}`])];
      const where = bounds.length === 0 ? '' : `WHERE ${bounds.join(' AND ')} `;
      const records = this.stmt(`SELECT * FROM ${q(shape.table)} ${where}ORDER BY ${k.order} LIMIT ?`).all(...(after ?? []), ...(upTo ?? []), limit);
      return this.rowsOf(shape, records as Record<string, unknown>[]);
    });
  }

  async sample(shape: TableShape, size: number, upTo: Key | null = null): Promise<Row[]> {
    return this.guard(() => {
      const k = keySql(shape.keyColumns);
      const within = upTo === null ? '' : `WHERE ${k.expr} <= ${k.param} `;
      return this.rowsOf(shape, this.stmt(`SELECT * FROM ${q(shape.table)} ${within}ORDER BY random() LIMIT ?`).all(...(upTo ?? []), size) as Record<string, unknown>[]);
    });
  }

  /** Rows for these keys, any order; synchronous so apply and rollback can call it inside their transaction. */
  private rowsByKeyNow(shape: TableShape, keys: readonly Key[]): Row[] {
    const k = keySql(shape.keyColumns);
    const list = shape.keyColumns.length === 1 ? `${k.expr} IN (${Array(KEYS_PER_QUERY).fill('?').join(', ')})` : `${k.expr} IN (VALUES ${Array(KEYS_PER_QUERY).fill(k.param).join(', ')})`;
    const select = this.stmt(`SELECT ${selectList(this.metaOf(shape))} FROM ${q(shape.table)} WHERE ${list}`);
    const rows: Row[] = [];
    for (let start = 0; start < keys.length; start += KEYS_PER_QUERY) {
      const chunk = keys.slice(start, start + KEYS_PER_QUERY);
      // padded with its last key so that one prepared statement serves every lookup (a repeat finds nothing new)
      while (chunk.length < KEYS_PER_QUERY) chunk.push(chunk[chunk.length - 1]!);
      rows.push(...this.rowsOf(shape, select.all(...chunk.flat()) as Record<string, unknown>[]));
    }
    return rows;
  }

  async rowsByKey(shape: TableShape, keys: readonly Key[]): Promise<Row[]> {
    return this.guard(() => this.rowsByKeyNow(shape, keys));
  }

  async count(shape: TableShape): Promise<number> {
    return this.guard(() => Number((this.stmt(`SELECT count(*) AS n FROM ${q(shape.table)}`).get() as { n: bigint }).n));
  }

  async lastKey(shape: TableShape): Promise<Key | null> {
    return this.guard(() => {
      const k = keySql(shape.keyColumns);
      const row = this.stmt(`SELECT ${k.order} FROM ${q(shape.table)} ORDER BY ${k.orderDesc} LIMIT 1`).get() as Record<string, unknown> | undefined;
      return row === undefined ? null : keyOf(shape.keyColumns, row);
    });
  }

  async uniqueIndexes(shape: TableShape): Promise<UniqueIndex[]> {
    return this.guard(() => tagUniqueIndexes(this.db, shape));
  }

  /**
   * Refusals plan can tell without writing: a text a numeric-affinity column would turn into a
   * number, and a row the table's own CHECK / NOT NULL / STRICT rules refuse (asked of a copy of
   * the table's definition in memory, so a read-only connection is enough).
   */
  async foresee(shape: TableShape, changes: readonly RowChange[]): Promise<Refusal[]> {
    return this.guard(() => {
      const meta = this.metaOf(shape);
      if (!this.checkers.has(meta.table)) this.checkers.set(meta.table, RowChecker.create(meta.createSql, meta.table, meta.storedColumns));
      const checker = this.checkers.get(meta.table) ?? null;
      const current = new Map(checker === null ? [] : this.rowsByKeyNow(shape, changes.map((change) => change.key)).map((row) => [keyId(row.key), row.values]));
      const refusals: Refusal[] = [];
      for (const change of changes) {
        const written = cellTexts(change.values);
        const row = current.get(keyId(change.key));
        const message = this.probe.firstConversion(meta.affinity, written) ?? (checker !== null && row !== undefined ? checker.check({ ...row, ...written }) : null);
        if (message !== null) refusals.push({ key: change.key, message });
      }
      return refusals;
    });
  }

  async readRuns(): Promise<RunRecord[]> {
    return this.guard(() => {
      if (!this.hasTable(BOOKKEEPING.runs)) return [];
      const rows = this.stmt(`SELECT record FROM ${BOOKKEEPING.runs} ORDER BY started_at, name`).all() as { record: string }[];
      return rows.map((row) => parseRunRecord(row.record, this.label));
    });
  }

  async readJournal(run: string, afterSeq: number, limit: number): Promise<JournalEntry[]> {
    return this.guard(() => readJournalEntries(this.access, run, afterSeq, limit));
  }

  async journalSize(run: string): Promise<{ entries: number; bytes: number | null }> {
    return this.guard(() => journalBytes(this.access, run));
  }

  async readConflicts(run: string, limit: number): Promise<Conflict[]> {
    return this.guard(() => readConflictCells(this.access, run, limit));
  }

  async readRefusals(run: string, limit: number): Promise<Refusal[]> {
    return this.guard(() => readRefusedRows(this.access, run, limit));
  }

  decodeCell(_shape: TableShape, _column: string, value: CellValue): unknown {
    return value; // journaled with its SQLite type: already what a scan reads
  }

  /** Whether a backfill holds the table now; `table` as a run records it (the store's own name). */
  async isLocked(table: string): Promise<boolean> {
    return this.guard(() => sqliteLockOwner(this.db, canonicalTable(this.db, table)?.name ?? table) !== undefined);
  }

  /** The table's lock, kept in the database itself (see sqlite-lock.ts): one per table, whatever path reached the file. */
  async lock(shape: TableShape): Promise<() => Promise<void>> {
    const release = await this.guard(() => takeSqliteLock(this.db, shape.table, `${this.label} table ${shape.table}`));
    return async () => this.guard(release).then(() => undefined);
  }

  async prepare(): Promise<void> {
    return this.guard(() => this.db.exec(BOOKKEEPING_DDL)).then(() => undefined);
  }

  async createRun(run: RunRecord): Promise<void> {
    return this.guard(() => {
      const row = runRow(run);
      if (this.stmt(`SELECT 1 FROM ${BOOKKEEPING.runs} WHERE name = ?`).get(row.name) !== undefined) throw badInput(`${this.label}: a run named "${run.name}" is already recorded; choose another --run`);
      this.stmt(`INSERT INTO ${BOOKKEEPING.runs} (name, table_name, status, started_at, record) VALUES (@name, @table_name, @status, @started_at, @record)`).run(row);
    });
  }

  private saveRunNow(run: RunRecord): void {
    this.stmt(`UPDATE ${BOOKKEEPING.runs} SET status = @status, record = @record WHERE name = @name`).run(runRow(run));
  }

  async saveRun(run: RunRecord): Promise<void> {
    return this.guard(() => this.saveRunNow(run));
  }

  private context(): SqliteBatchContext {
    return { db: this.db, label: this.label, stmt: (sql) => this.stmt(sql), probe: this.probe, rowsByKey: (shape, keys) => this.rowsByKeyNow(shape, keys), saveRun: (run) => this.saveRunNow(run) };
  }

  async applyBatch(run: RunRecord, shape: TableShape, limit: number, decide: RowDecider, batch: number, hooks: BatchHooks): Promise<ApplyBatchOutcome> {
    const committed = () => `cursor at ${run.cursor === null ? 'the start: no batch was committed yet' : `${showKey(run.cursor)} after ${run.rowsScanned} rows`}`;
    return this.guard(() => applyWrites(this.context(), this.metaOf(shape), run, shape, limit, decide, batch, hooks), committed);
  }

  async rollbackBatch(run: RunRecord, shape: TableShape, limit: number, batch: number, hooks: BatchHooks): Promise<RollbackBatchOutcome> {
    const committed = () => `rollback cursor at ${run.rollbackCursor === null ? 'the start: no rollback batch was committed yet' : `journal entry ${run.rollbackCursor}`}`;
    return this.guard(() => rollbackCells(this.context(), this.metaOf(shape), run, shape, limit, batch, hooks), committed);
  }

  async prune(run: RunRecord): Promise<{ readonly entries: number }> {
    return this.guard(() => ({ entries: pruneRun(this.db, this.access, run, (next) => this.saveRunNow(next)) }));
  }

  async close(): Promise<void> {
    for (const checker of this.checkers.values()) checker?.close();
    this.probeDb?.close();
    this.db.close();
  }
}

