import pg from 'pg';
import { redactSecrets, secretsOf } from './credentials.js';
import { BackfillError } from './errors.js';
import { decodeExact } from './keys.js';
import { applyPgBatch, rollbackPgBatch, type PgSession } from './postgres-batches.js';
import { describeTable, tagUniqueIndexes, TAG_TYPES, type PgTable } from './postgres-catalog.js';
import { isSessionLost, pgFailure } from './postgres-errors.js';
import { foreseeRefusals } from './postgres-foresee.js';
import { decodeText, keyArrays, keyCompare, keyJoin, keyOrder, keyParams, keyTexts, keyTypes, SESSION_SETTINGS } from './postgres-sql.js';
import { BOOKKEEPING, parseRunRecord, quoteIdent as q, runRow } from './sql.js';
import type { ApplyBatchOutcome, BatchHooks, Conflict, ConflictReason, RollbackBatchOutcome, RowChange, RowDecider, ShapeOptions, Store, UniqueIndex } from './store.js';
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
    return TAG_TYPES[shape.columnTypes[column] ?? 'text'] ?? 'text';
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

  async sample(shape: TableShape, size: number): Promise<Row[]> {
    return this.guard(async () => this.toRows(shape, await this.rows(`SELECT ${this.selectList(shape)} FROM ${(await this.tableOf(shape)).qualified} AS t ORDER BY random() LIMIT $1`, [size])));
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

  /** Whether the bookkeeping table exists (reads never create it). */
  private async exists(name: string): Promise<boolean> {
    const [row] = await this.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [name]);
    return row!.ok;
  }

  async readRuns(): Promise<RunRecord[]> {
    return this.guard(async () => {
      if (!(await this.exists(BOOKKEEPING.runs))) return [];
      return (await this.query<{ record: string }>(`SELECT record FROM ${BOOKKEEPING.runs} ORDER BY started_at, name`)).map((row) => parseRunRecord(row.record, this.label));
    });
  }

  async readJournal(run: string, afterSeq: number, limit: number): Promise<JournalEntry[]> {
    return this.guard(async () => {
      if (!(await this.exists(BOOKKEEPING.journal))) return [];
      const rows = await this.query<{ seq: string; row_key: string; column_name: string; before_value: string | null; written_value: string | null; row_version: string }>(
        `SELECT j.seq::text AS seq, row_key, column_name, before_value, written_value, row_version FROM ${BOOKKEEPING.journal} AS j WHERE run_name = $1 AND seq > $2 ORDER BY j.seq LIMIT $3`,
        [run, afterSeq, limit],
      );
      return rows.map((row) => ({ seq: Number(row.seq), key: decodeExact<Key>(row.row_key), column: row.column_name, before: row.before_value, written: row.written_value, version: row.row_version }));
    });
  }

  async journalSize(run: string): Promise<{ entries: number; bytes: number | null }> {
    return this.guard(async () => {
      if (!(await this.exists(BOOKKEEPING.journal))) return { entries: 0, bytes: 0 };
      // The table's pages, TOAST and indexes on disk, shared out by entries: one run's own bytes are not kept apart.
      const [row] = await this.query<{ n: string; total: string; size: string }>(`SELECT count(*) FILTER (WHERE run_name = $1) AS n, count(*) AS total, pg_total_relation_size(to_regclass($2)) AS size FROM ${BOOKKEEPING.journal}`, [run, BOOKKEEPING.journal]);
      const entries = Number(row!.n);
      const total = Number(row!.total);
      return { entries, bytes: total === 0 ? 0 : Math.round((Number(row!.size) * entries) / total) };
    });
  }

  async readConflicts(run: string, limit: number): Promise<Conflict[]> {
    return this.guard(async () => {
      if (!(await this.exists(BOOKKEEPING.journal))) return [];
      const rows = await this.query<{ row_key: string; column_name: string; written_value: string | null; outcome_detail: string }>(`SELECT row_key, column_name, written_value, outcome_detail FROM ${BOOKKEEPING.journal} WHERE run_name = $1 AND outcome = 'conflict' ORDER BY seq DESC LIMIT $2`, [run, limit]);
      return rows.map((row) => {
        const { reason, found } = decodeExact<{ reason: ConflictReason; found: CellValue }>(row.outcome_detail);
        return { key: decodeExact<Key>(row.row_key), column: row.column_name, reason, written: row.written_value, found };
      });
    });
  }

  async readRefusals(run: string, limit: number): Promise<Refusal[]> {
    return this.guard(async () => {
      if (!(await this.exists(BOOKKEEPING.refusals))) return [];
      const rows = await this.query<{ row_key: string; message: string }>(`SELECT row_key, message FROM ${BOOKKEEPING.refusals} WHERE run_name = $1 ORDER BY seq LIMIT $2`, [run, limit]);
      return rows.map((row) => ({ key: decodeExact<Key>(row.row_key), message: row.message }));
    });
  }

  decodeCell(shape: TableShape, column: string, value: CellValue): unknown {
    return decodeText(this.formOf(shape, column), value);
  }

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
      const names = [BOOKKEEPING.runs, BOOKKEEPING.journal, BOOKKEEPING.refusals];
      // Creating only what is missing: a role that may write these tables but not create in the schema still runs.
      const [row] = await this.query<{ ok: boolean }>(`SELECT ${names.map((_name, index) => `to_regclass($${index + 1}) IS NOT NULL`).join(' AND ')} AS ok`, names);
      if (row!.ok) return;
      await this.transaction(async () => {
        // Two applies on two tables may prepare at once; CREATE TABLE IF NOT EXISTS alone can still collide in the catalog.
        await this.query(`SELECT pg_advisory_xact_lock($1, 0)`, [PREPARE_LOCK_SPACE]);
        await this.query(`CREATE TABLE IF NOT EXISTS ${BOOKKEEPING.runs} (name text PRIMARY KEY, table_name text NOT NULL, status text NOT NULL, started_at text NOT NULL, record text NOT NULL)`);
        await this.query(`CREATE TABLE IF NOT EXISTS ${BOOKKEEPING.journal} (run_name text NOT NULL, seq bigint NOT NULL, row_key text NOT NULL, column_name text NOT NULL, before_value text, written_value text, row_version text NOT NULL, outcome text, outcome_detail text, PRIMARY KEY (run_name, seq))`);
        await this.query(`CREATE TABLE IF NOT EXISTS ${BOOKKEEPING.refusals} (run_name text NOT NULL, seq bigint NOT NULL, row_key text NOT NULL, message text NOT NULL, PRIMARY KEY (run_name, seq))`);
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
      const result = await this.transaction(() => applyPgBatch(this.session, table, run, shape, limit, decide, batch, hooks));
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
      const next: RunRecord = { ...run, prunedAt: run.prunedAt ?? new Date().toISOString() };
      const entries = await this.transaction(async () => {
        let deleted = 0;
        if (await this.exists(BOOKKEEPING.journal)) deleted = (await this.client.query(`DELETE FROM ${BOOKKEEPING.journal} WHERE run_name = $1`, [run.name])).rowCount ?? 0;
        if (await this.exists(BOOKKEEPING.refusals)) await this.query(`DELETE FROM ${BOOKKEEPING.refusals} WHERE run_name = $1`, [run.name]);
        // The record stays, marked pruned in the same transaction: rollback then says why it cannot run.
        await this.writeRun(next);
        return deleted;
      });
      Object.assign(run, next);
      return { entries };
    });
  }

  async close(): Promise<void> {
    if (this.locksHeld > 0) await this.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}
