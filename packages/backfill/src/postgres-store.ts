import pg from 'pg';
import { redactSecrets, secretsOf } from './credentials.js';
import { BackfillError } from './errors.js';
import { applyPgBatch, rollbackPgBatch, type PgSession } from './postgres-batches.js';
import { describeTable, formOfType, tagUniqueIndexes, type PgTable } from './postgres-catalog.js';
import { isRefusal, isSessionLost, pgFailure } from './postgres-errors.js';
import { foreseeRefusals } from './postgres-foresee.js';
import { BOOKKEEPING_DDL, measureJournal, readConflictEntries, readJournalEntries, readRefusalEntries, tablesExist } from './postgres-journal.js';
import { decodeText, keyArrays, keyCompare, keyJoin, keyOrder, keyParams, keyTexts, keyTypes, SESSION_SETTINGS } from './postgres-sql.js';
import { BOOKKEEPING, parseRunRecord, quoteIdent as q, runRow } from './sql.js';
import type { ApplyBatchOutcome, BatchHooks, Conflict, RollbackBatchOutcome, RowChange, RowDecider, ShapeOptions, Store, UniqueIndex } from './store.js';
import type { CellValue, JournalEntry, Key, Refusal, Row, RunRecord, TableShape } from './types.js';
import type { CellForm } from './values.js';

/**
 * Class id of the two-int advisory locks the backfill takes; the second int is the table's oid
 * (unsigned 32-bit) shifted into int4's range, `oid - 2^31`: one lock per table, whatever its spelling.
 */
const LOCK_SPACE = 0x5e_f1;
/** Class id of the transaction lock that serializes creating the bookkeeping tables. */
const PREPARE_LOCK_SPACE = 0x5e_f2;
const LOCK_KEY = `($2::bigint - 2147483648)::int4`;
/** The lock's second int as pg_locks shows it (objid, an unsigned oid), for the table `$2` names. */
const LOCK_OBJID = `((to_regclass($2)::oid::bigint - 2147483648) & 4294967295)::oid`;

/** A PostgreSQL database through node-postgres: one connection, session-level advisory locks, keys as PostgreSQL's text. */
export class PostgresStore implements Store {
  private readonly tables = new Map<string, PgTable>();
  private locksHeld = 0;

  private constructor(
    readonly label: string,
    private readonly client: pg.Client,
    private readonly secrets: readonly string[],
  ) {}

  /** Connects; a read-only session makes the server itself refuse any write from plan or validate. */
  static async connect(label: string, url: string, writable: boolean): Promise<PostgresStore> {
    const secrets = secretsOf(url);
    let client: pg.Client | undefined;
    try {
      client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined); // a dropped connection surfaces on the next query
      await client.connect();
      // SET after connecting: a URL's own `options` parameter would replace options given here.
      await client.query(`${SESSION_SETTINGS}${writable ? '' : '; SET default_transaction_read_only = on'}`);
    } catch (error) {
      await client?.end().catch(() => undefined);
      throw new BackfillError('STORE', `${label}: cannot connect (${redactSecrets((error as Error).message ?? String(error), secrets, [label])}); check that the server is up and the host, port, database, user and password`);
    }
    return new PostgresStore(label, client, secrets);
  }

  /** Raw query: driver errors pass through to `guard`, which maps them once. */
  private readonly query = async <R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> => (await this.client.query<R>(sql, params)).rows;

  /** Raw query with rows as arrays (select-list order), so no alias can collide with a table's own column. */
  private readonly rows = async (sql: string, params: unknown[] = []): Promise<unknown[][]> => (await this.client.query<unknown[]>({ text: sql, values: params, rowMode: 'array' })).rows;

  private get session(): PgSession {
    return { label: this.label, query: this.query, rows: this.rows, saveRun: (run) => this.writeRun(run) };
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw pgFailure(this.label, error, this.secrets);
    }
  }

  private async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.query('BEGIN');
    try {
      const result = await work();
      await this.query('COMMIT');
      return result;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async tableOf(shape: TableShape): Promise<PgTable> {
    const known = this.tables.get(shape.table);
    if (known !== undefined) return known;
    const { table } = await describeTable(this.query, this.label, shape.table, { id: shape.keyColumns, columns: shape.columns, required: shape.required });
    this.tables.set(shape.table, table);
    return table;
  }

  async describe(table: string | undefined, options: ShapeOptions): Promise<TableShape> {
    return this.guard(async () => {
      const described = await describeTable(this.query, this.label, table, options);
      this.tables.set(described.shape.table, described.table);
      return described.shape;
    });
  }

  formOf(shape: TableShape, column: string): CellForm {
    return formOfType(shape.columnTypes[column]);
  }

  private toRows(shape: TableShape, rows: unknown[][]): Row[] {
    const width = shape.keyColumns.length;
    return rows.map((row) => ({ key: row.slice(0, width) as string[], values: Object.fromEntries(shape.allColumns.map((column, index) => [column, row[width + index]])) }));
  }

  private selectList(shape: TableShape): string {
    return `${keyTexts(shape.keyColumns)}, ${shape.allColumns.map((column) => `t.${q(column)}`).join(', ')}`;
  }

  async scan(shape: TableShape, after: Key | null, limit: number, upTo: Key | null = null): Promise<Row[]> {
    return this.guard(async () => {
      const table = await this.tableOf(shape);
      const types = keyTypes(table, shape.keyColumns);
      const params: unknown[] = [];
      const where: string[] = [];
      if (after !== null) {
        where.push(keyCompare('>', shape.keyColumns, types, 1));
        params.push(...keyParams(after));
      }
      if (upTo !== null) {
        where.push(keyCompare('<=', shape.keyColumns, types, params.length + 1));
        params.push(...keyParams(upTo));
      }
      params.push(limit);
      const sql = `SELECT ${this.selectList(shape)} FROM ${table.qualified} AS t ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY ${keyOrder(shape.keyColumns)} LIMIT $${params.length}`;
      return this.toRows(shape, await this.rows(sql, params));
    });
  }

  async sample(shape: TableShape, size: number, upTo: Key | null = null): Promise<Row[]> {
    return this.guard(async () => {
      const table = await this.tableOf(shape);
      const within = upTo === null ? '' : `WHERE ${keyCompare('<=', shape.keyColumns, keyTypes(table, shape.keyColumns), 2)}`;
      return this.toRows(shape, await this.rows(`SELECT ${this.selectList(shape)} FROM ${table.qualified} AS t ${within} ORDER BY random() LIMIT $1`, [size, ...(upTo === null ? [] : keyParams(upTo))]));
    });
  }

  async rowsByKey(shape: TableShape, keys: readonly Key[]): Promise<Row[]> {
    if (keys.length === 0) return [];
    return this.guard(async () => {
      const table = await this.tableOf(shape);
      const width = shape.keyColumns.length;
      const unnest = shape.keyColumns.map((_column, index) => `$${index + 1}::text[]`).join(', ');
      const names = shape.keyColumns.map((_column, index) => `k${index}`).join(', ');
      const sql = `SELECT ${this.selectList(shape)} FROM unnest(${unnest}) AS v(${names}) JOIN ${table.qualified} AS t ON ${keyJoin(shape.keyColumns, keyTypes(table, shape.keyColumns))}`;
      return this.toRows(shape, await this.rows(sql, keyArrays(keys, width)));
    });
  }

  async count(shape: TableShape): Promise<number> {
    return this.guard(async () => {
      const [row] = await this.query<{ n: string }>(`SELECT count(*) AS n FROM ${(await this.tableOf(shape)).qualified}`);
      return Number(row!.n);
    });
  }

  async lastKey(shape: TableShape): Promise<Key | null> {
    // ORDER BY … DESC LIMIT 1, never max(): max(uuid) does not exist, and a composite key has no max.
    return this.guard(async () => {
      const [row] = await this.rows(`SELECT ${keyTexts(shape.keyColumns)} FROM ${(await this.tableOf(shape)).qualified} AS t ORDER BY ${keyOrder(shape.keyColumns, true)} LIMIT 1`);
      return row === undefined ? null : (row as string[]);
    });
  }

  async uniqueIndexes(shape: TableShape): Promise<UniqueIndex[]> {
    return this.guard(async () => tagUniqueIndexes(shape, await this.tableOf(shape)));
  }

  async foresee(shape: TableShape, changes: readonly RowChange[]): Promise<Refusal[]> {
    if (changes.length === 0) return [];
    return this.guard(async () => foreseeRefusals(this.rows, await this.tableOf(shape), shape, changes));
  }

  async readRuns(): Promise<RunRecord[]> {
    return this.guard(async () => {
      if (!(await tablesExist(this.query, [BOOKKEEPING.runs]))) return [];
      return (await this.query<{ record: string }>(`SELECT record FROM ${BOOKKEEPING.runs} ORDER BY started_at, name`)).map((row) => parseRunRecord(row.record, this.label));
    });
  }

  async readJournal(run: string, afterSeq: number, limit: number): Promise<JournalEntry[]> {
    return this.guard(() => readJournalEntries(this.query, run, afterSeq, limit));
  }

  async journalSize(run: string): Promise<{ entries: number; bytes: number | null }> {
    return this.guard(() => measureJournal(this.query, run));
  }

  async readConflicts(run: string, limit: number): Promise<Conflict[]> {
    return this.guard(() => readConflictEntries(this.query, run, limit));
  }

  async readRefusals(run: string, limit: number): Promise<Refusal[]> {
    return this.guard(() => readRefusalEntries(this.query, run, limit));
  }

  decodeCell(shape: TableShape, column: string, value: CellValue): unknown {
    return decodeText(this.formOf(shape, column), value);
  }

  /** `table` as runs record it (schema-qualified, see describeTable): to_regclass finds the same oid whatever this session's search_path. */
  async isLocked(table: string): Promise<boolean> {
    return this.guard(async () => {
      const [row] = await this.query<{ held: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::oid AND objid = ${LOCK_OBJID} AND objsubid = 2 AND granted) AS held`, [LOCK_SPACE, table]);
      return row!.held;
    });
  }

  async lock(shape: TableShape): Promise<() => Promise<void>> {
    return this.guard(async () => {
      const { oid } = await this.tableOf(shape);
      // Session-level: when a holder is killed, the server releases the lock as soon as its backend notices the closed connection.
      const [row] = await this.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1, ${LOCK_KEY}) AS ok`, [LOCK_SPACE, oid]);
      if (!row!.ok) {
        const holders = await this.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::oid AND objid = ${LOCK_OBJID} AND objsubid = 2 AND granted`, [LOCK_SPACE, shape.table]);
        const who = holders.length === 0 ? 'a session' : `the session of backend pid ${holders.map((holder) => holder.pid).join(', ')}`;
        throw new BackfillError('LOCKED', `${this.label} table ${shape.table} is locked by another backfill (${who} holds advisory lock (${LOCK_SPACE}, oid ${oid} - 2^31)): one apply or rollback per table at a time. Wait for it to finish; pg_stat_activity shows that session`);
      }
      this.locksHeld += 1;
      return async () => {
        try {
          await this.query(`SELECT pg_advisory_unlock($1, ${LOCK_KEY})`, [LOCK_SPACE, oid]);
        } catch (error) {
          // A session lock dies with its session: after a lost connection there is nothing to release,
          // and the error that lost it is the one to report (this runs in apply's `finally`).
          if (!isSessionLost(error)) throw pgFailure(this.label, error, this.secrets);
        } finally {
          this.locksHeld -= 1;
        }
      };
    });
  }

  async prepare(): Promise<void> {
    await this.guard(async () => {
      // Creating only what is missing: a role that may write these tables but not create in the schema still runs.
      if (await tablesExist(this.query, [BOOKKEEPING.runs, BOOKKEEPING.journal, BOOKKEEPING.refusals])) return;
      await this.transaction(async () => {
        // Two applies on two tables may prepare at once; CREATE TABLE IF NOT EXISTS alone can still collide in the catalog.
        await this.query(`SELECT pg_advisory_xact_lock($1, 0)`, [PREPARE_LOCK_SPACE]);
        for (const statement of BOOKKEEPING_DDL) await this.query(statement);
      });
    });
  }

  async createRun(run: RunRecord): Promise<void> {
    const row = runRow(run);
    await this.guard(() => this.query(`INSERT INTO ${BOOKKEEPING.runs} (name, table_name, status, started_at, record) VALUES ($1, $2, $3, $4, $5)`, [row.name, row.table_name, row.status, row.started_at, row.record]));
  }

  private async writeRun(run: RunRecord): Promise<void> {
    const row = runRow(run);
    await this.query(`UPDATE ${BOOKKEEPING.runs} SET status = $2, record = $3 WHERE name = $1`, [row.name, row.status, row.record]);
  }

  async saveRun(run: RunRecord): Promise<void> {
    await this.guard(() => this.writeRun(run));
  }

  async applyBatch(run: RunRecord, shape: TableShape, limit: number, decide: RowDecider, batch: number, hooks: BatchHooks): Promise<ApplyBatchOutcome> {
    return this.guard(async () => {
      const table = await this.tableOf(shape);
      const attempt = (careful: boolean) => this.transaction(() => applyPgBatch(this.session, table, run, shape, limit, decide, batch, hooks, careful));
      // Fast path first: one statement writes the batch and its journal, no savepoint (a savepoint and
      // its release are two more round trips per batch). A refusal aborts it: the whole transaction
      // rolls back, nothing of it stays, and the batch runs again row by row in savepoints.
      let result: Awaited<ReturnType<typeof attempt>>;
      try {
        result = await attempt(false);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        result = await attempt(true);
      }
      if (result === null) return { done: true, rowsScanned: 0, rowsChanged: 0, cellsChanged: 0, rowsSkipped: 0, refused: [] };
      Object.assign(run, result.next);
      return result.outcome;
    });
  }

  async rollbackBatch(run: RunRecord, shape: TableShape, limit: number, batch: number, hooks: BatchHooks): Promise<RollbackBatchOutcome> {
    return this.guard(async () => {
      const table = await this.tableOf(shape);
      const result = await this.transaction(() => rollbackPgBatch(this.session, table, run, shape, limit, batch, hooks));
      if (result === null) return { done: true, restored: 0, conflicts: 0 };
      Object.assign(run, result.next);
      return result.outcome;
    });
  }

  async prune(run: RunRecord): Promise<{ entries: number }> {
    return this.guard(async () => {
      const entries = await this.transaction(async () => {
        let deleted = 0;
        if (await tablesExist(this.query, [BOOKKEEPING.journal])) deleted = (await this.client.query(`DELETE FROM ${BOOKKEEPING.journal} WHERE run_name = $1`, [run.name])).rowCount ?? 0;
        if (await tablesExist(this.query, [BOOKKEEPING.refusals])) await this.query(`DELETE FROM ${BOOKKEEPING.refusals} WHERE run_name = $1`, [run.name]);
        // The record stays, marked pruned in the same transaction: rollback then says why it cannot run.
        await this.writeRun(run);
        return deleted;
      });
      return { entries };
    });
  }

  async close(): Promise<void> {
    if (this.locksHeld > 0) await this.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}
