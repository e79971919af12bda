import pg from 'pg';
import { BackfillError, badInput } from './errors.js';
import { BOOKKEEPING, quoteIdent as q, runRow, type StoredOutcome } from './sql.js';
import { chooseColumns, type ApplyBatchOutcome, type BatchHooks, type Conflict, type RollbackBatchOutcome, type RowDecider, type ShapeOptions, type Store } from './store.js';
import type { JournalEntry, Key, Row, RunRecord, TableShape } from './types.js';
import type { CellForm } from './values.js';

/** Column types a tag column may have, by the form its values take. */
const TAG_TYPES: Readonly<Record<string, CellForm>> = { text: 'text', 'character varying': 'text', 'text[]': 'array', 'character varying[]': 'array', json: 'json', jsonb: 'json' };

/** First key of the two-int advisory locks the backfill takes (the second is the table's hash). */
const LOCK_SPACE = 0x5e_f1;

/** Postgres array literal for a list of tags (every element quoted, so no tag is read as NULL). */
function arrayLiteral(tags: readonly string[]): string {
  return `{${tags.map((tag) => `"${tag.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

interface PgShape {
  /** schema-qualified, quoted table name */
  readonly qualified: string;
  /** the key column's type without modifiers, for casts */
  readonly idType: string;
  /** per tag column, the type to cast new values to before assignment checks them */
  readonly casts: Readonly<Record<string, string>>;
}

/** A PostgreSQL database through node-postgres; one connection, session-level advisory lock. */
export class PostgresStore implements Store {
  private readonly shapes = new WeakMap<TableShape, PgShape>();
  private lockKey: string | null = null;

  private constructor(
    readonly label: string,
    private readonly client: pg.Client,
  ) {}

  /** Connects; a read-only session makes the server itself refuse any write from plan or validate. */
  static async connect(label: string, url: string, writable: boolean): Promise<PostgresStore> {
    const client = new pg.Client({ connectionString: url, ...(writable ? {} : { options: '-c default_transaction_read_only=on' }) });
    client.on('error', () => undefined); // a dropped connection surfaces on the next query
    try {
      await client.connect();
    } catch (error) {
      throw new BackfillError('STORE', `${label}: cannot connect (${(error as Error).message})`);
    }
    return new PostgresStore(label, client);
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.client.query<R>(sql, params)).rows;
    } catch (error) {
      throw new BackfillError('STORE', `${this.label}: ${(error as Error).message}`);
    }
  }

  private pgShape(shape: TableShape): PgShape {
    const found = this.shapes.get(shape);
    if (found === undefined) throw new Error(`table shape for ${shape.table} was not described by this store`);
    return found;
  }

  async describe(table: string | undefined, options: ShapeOptions): Promise<TableShape> {
    if (table === undefined) throw badInput(`${this.label}: name the table with --table`);
    const [rel] = await this.query<{ oid: number | null; schema: string; name: string }>(`SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p')`, [table]);
    if (rel === undefined) {
      const tables = await this.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'semfilter_backfill_%' ORDER BY 1`);
      throw badInput(`${this.label}: no table "${table}"; expected one of: ${tables.map((row) => row.name).join(', ') || '(no tables)'}`);
    }
    const where = `${this.label} table ${table}`;
    const attributes = await this.query<{ name: string; type: string; base: string; num: number }>(`SELECT attname AS name, format_type(atttypid, atttypmod) AS type, format_type(atttypid, NULL) AS base, attnum::int AS num FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, [rel.oid]);
    const allColumns = attributes.map((column) => column.name);
    const keys = await this.query<{ name: string }>(`SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = $1 AND i.indisprimary`, [rel.oid]);
    let idColumn = options.id;
    if (idColumn === undefined) {
      if (keys.length !== 1) throw badInput(`${where} has ${keys.length === 0 ? 'no primary key' : 'a primary key of several columns'}; name a unique, non-null key column with --id`);
      idColumn = keys[0]!.name;
    } else if (!allColumns.includes(idColumn)) {
      throw badInput(`${where} has no column "${idColumn}" (--id); expected one of: ${allColumns.join(', ')}`);
    } else if (!(keys.length === 1 && keys[0]!.name === idColumn)) {
      const [unique] = await this.query(`SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = $1 AND i.indisunique AND i.indnatts = 1 AND a.attname = $2 AND a.attnotnull`, [rel.oid, idColumn]);
      if (unique === undefined) throw badInput(`${where}: --id ${idColumn} is neither the primary key nor a NOT NULL column with a unique index of its own; batches need a unique key`);
    }
    const { columns, required } = chooseColumns(where, allColumns, options);
    if (columns.includes(idColumn)) throw badInput(`${where}: the key column "${idColumn}" cannot also be a tag column`);
    const byName = new Map(attributes.map((column) => [column.name, column]));
    const casts: Record<string, string> = {};
    for (const column of columns) {
      const { type, base } = byName.get(column)!;
      if (TAG_TYPES[base] === undefined) throw badInput(`${where}: column "${column}" is ${type}; expected text, varchar, text[], varchar[], json or jsonb`);
      casts[column] = base;
    }
    const shape: TableShape = { table, idColumn, columns, allColumns, columnTypes: Object.fromEntries(attributes.map((column) => [column.name, column.base])), required };
    this.shapes.set(shape, { qualified: `${q(rel.schema)}.${q(rel.name)}`, idType: byName.get(idColumn)!.base, casts });
    return shape;
  }

  formOf(shape: TableShape, column: string): CellForm {
    return TAG_TYPES[shape.columnTypes[column] ?? 'text'] ?? 'text';
  }

  private toRows(shape: TableShape, rows: Record<string, unknown>[]): Row[] {
    return rows.map((values) => ({ key: values[shape.idColumn] as Key, values }));
  }

  async scan(shape: TableShape, after: Key | null, limit: number): Promise<Row[]> {
    const { qualified } = this.pgShape(shape);
    const id = q(shape.idColumn);
    const rows = after === null ? await this.query(`SELECT * FROM ${qualified} ORDER BY ${id} LIMIT $1`, [limit]) : await this.query(`SELECT * FROM ${qualified} WHERE ${id} > $1 ORDER BY ${id} LIMIT $2`, [after, limit]);
    return this.toRows(shape, rows);
  }

  async sample(shape: TableShape, size: number): Promise<Row[]> {
    return this.toRows(shape, await this.query(`SELECT * FROM ${this.pgShape(shape).qualified} ORDER BY random() LIMIT $1`, [size]));
  }

  async count(shape: TableShape): Promise<number> {
    const [row] = await this.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.pgShape(shape).qualified}`);
    return Number(row!.n);
  }

  async maxKey(shape: TableShape): Promise<Key | null> {
    const [row] = await this.query<{ k: Key | null }>(`SELECT max(${q(shape.idColumn)}) AS k FROM ${this.pgShape(shape).qualified}`);
    return row!.k;
  }

  private async hasBookkeeping(): Promise<boolean> {
    const [row] = await this.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS ok`, [BOOKKEEPING.runs, BOOKKEEPING.journal]);
    return row!.ok;
  }

  async readRuns(): Promise<RunRecord[]> {
    if (!(await this.hasBookkeeping())) return [];
    return (await this.query<{ record: string }>(`SELECT record FROM ${BOOKKEEPING.runs} ORDER BY started_at, name`)).map((row) => JSON.parse(row.record) as RunRecord);
  }

  async readJournal(run: string, afterSeq: number, limit: number): Promise<JournalEntry[]> {
    if (!(await this.hasBookkeeping())) return [];
    const rows = await this.query<{ seq: number; row_key: string; before_values: string; after_values: string }>(`SELECT seq, row_key, before_values, after_values FROM ${BOOKKEEPING.journal} WHERE run_name = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [run, afterSeq, limit]);
    return rows.map((row) => ({ seq: row.seq, key: JSON.parse(row.row_key) as Key, before: JSON.parse(row.before_values), after: JSON.parse(row.after_values) }));
  }

  async journalSize(run: string): Promise<{ entries: number; bytes: number | null }> {
    if (!(await this.hasBookkeeping())) return { entries: 0, bytes: 0 };
    const [row] = await this.query<{ n: string; b: string | null }>(`SELECT count(*) AS n, sum(pg_column_size(j.*)) AS b FROM ${BOOKKEEPING.journal} j WHERE run_name = $1`, [run]);
    return { entries: Number(row!.n), bytes: Number(row!.b ?? 0) };
  }

  async readConflicts(run: string, limit: number): Promise<Conflict[]> {
    if (!(await this.hasBookkeeping())) return [];
    const rows = await this.query<{ row_key: string; outcome_detail: string }>(`SELECT row_key, outcome_detail FROM ${BOOKKEEPING.journal} WHERE run_name = $1 AND outcome = 'conflict' ORDER BY seq DESC LIMIT $2`, [run, limit]);
    return rows.map((row) => ({ key: JSON.parse(row.row_key) as Key, ...(JSON.parse(row.outcome_detail) as StoredOutcome) }));
  }

  decodeRendering(shape: TableShape, column: string, text: string): unknown {
    const form = this.formOf(shape, column);
    if (form === 'json') return JSON.parse(text) as unknown;
    // 1009 is text[]'s type oid; pg's TypeId lists only scalar types, hence the cast.
    if (form === 'array') return (pg.types.getTypeParser(1009 as never) as (value: string) => unknown)(text);
    return text;
  }

  async isLocked(table: string): Promise<boolean> {
    const [row] = await this.query<{ held: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = (hashtext($2)::bigint & 4294967295)::oid AND objsubid = 2 AND granted) AS held`, [LOCK_SPACE, table]);
    return row!.held;
  }

  async lock(table: string): Promise<() => Promise<void>> {
    // Session-level: when a holder is killed, the server releases the lock as soon as its backend notices the closed connection.
    const [row] = await this.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok`, [LOCK_SPACE, table]);
    if (!row!.ok) {
      throw new BackfillError('LOCKED', `${this.label} table ${table} is locked by another backfill (a session holds advisory lock (${LOCK_SPACE}, hashtext('${table}'))): one apply or rollback per table at a time. Wait for it to finish; see pg_stat_activity for who holds it.`);
    }
    this.lockKey = table;
    return async () => {
      await this.query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [LOCK_SPACE, table]);
      this.lockKey = null;
    };
  }

  async prepare(): Promise<void> {
    await this.query(`CREATE TABLE IF NOT EXISTS ${BOOKKEEPING.runs} (name text PRIMARY KEY, table_name text NOT NULL, status text NOT NULL, started_at text NOT NULL, record text NOT NULL)`);
    await this.query(`CREATE TABLE IF NOT EXISTS ${BOOKKEEPING.journal} (run_name text NOT NULL, seq integer NOT NULL, row_key text NOT NULL, before_values text NOT NULL, after_values text NOT NULL, outcome text, outcome_detail text, PRIMARY KEY (run_name, seq))`);
  }

  async createRun(run: RunRecord): Promise<void> {
    const row = runRow(run);
    await this.query(`INSERT INTO ${BOOKKEEPING.runs} (name, table_name, status, started_at, record) VALUES ($1, $2, $3, $4, $5)`, [row.name, row.table_name, row.status, row.started_at, row.record]);
  }

  async saveRun(run: RunRecord): Promise<void> {
    const row = runRow(run);
    await this.query(`UPDATE ${BOOKKEEPING.runs} SET status = $2, record = $3 WHERE name = $1`, [row.name, row.status, row.record]);
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

  /** One UPDATE … FROM unnest(…) for a whole batch; a NULL in a column means "leave it". */
  private async writeValues(shape: TableShape, keys: readonly Key[], values: Record<string, (string | null)[]>): Promise<Record<string, unknown>[]> {
    const { qualified, idType, casts } = this.pgShape(shape);
    const columns = Object.keys(values);
    const sets = columns.map((column, index) => `${q(column)} = CASE WHEN v.c${index} IS NULL THEN t.${q(column)} ELSE v.c${index}::${casts[column]} END`);
    const params = [keys.map(String), ...columns.map((column) => values[column])];
    const unnest = params.map((_value, index) => `$${index + 1}::text[]`).join(', ');
    const returning = columns.map((column, index) => `t.${q(column)}::text AS c${index}`).join(', ');
    return this.query(`UPDATE ${qualified} AS t SET ${sets.join(', ')} FROM unnest(${unnest}) AS v(k, ${columns.map((_c, index) => `c${index}`).join(', ')}) WHERE t.${q(shape.idColumn)} = v.k::${idType} RETURNING t.${q(shape.idColumn)}::text AS k, ${returning}`, params);
  }

  async applyBatch(run: RunRecord, shape: TableShape, limit: number, decide: RowDecider, batch: number, hooks: BatchHooks): Promise<ApplyBatchOutcome> {
    if (run.upperBound === null) return { done: true, rowsScanned: 0, rowsChanged: 0, rowsSkipped: 0 };
    const { qualified } = this.pgShape(shape);
    const id = q(shape.idColumn);
    const texts = shape.columns.map((column, index) => `${q(column)}::text AS "semfilter text ${index}"`).join(', ');
    const result = await this.transaction(async () => {
      const rows = this.toRows(shape, run.cursor === null
        ? await this.query(`SELECT *, ${texts} FROM ${qualified} WHERE ${id} <= $1 ORDER BY ${id} LIMIT $2 FOR NO KEY UPDATE`, [run.upperBound, limit])
        : await this.query(`SELECT *, ${texts} FROM ${qualified} WHERE ${id} > $1 AND ${id} <= $2 ORDER BY ${id} LIMIT $3 FOR NO KEY UPDATE`, [run.cursor, run.upperBound, limit]));
      if (rows.length === 0) return null;
      const changes: { key: Key; before: Record<string, string> }[] = [];
      const values: Record<string, (string | null)[]> = Object.fromEntries(shape.columns.map((column) => [column, []]));
      let skipped = 0;
      for (const row of rows) {
        const { change, skipped: skip } = decide(row);
        if (skip) skipped += 1;
        if (change === null) continue;
        const before: Record<string, string> = {};
        shape.columns.forEach((column, index) => {
          const next = change.values[column];
          if (next === undefined) {
            values[column]!.push(null);
            return;
          }
          before[column] = row.values[`semfilter text ${index}`] as string;
          const form = this.formOf(shape, column);
          values[column]!.push(typeof next === 'string' ? (form === 'json' ? JSON.stringify(next) : next) : form === 'array' ? arrayLiteral(next) : JSON.stringify(next));
        });
        changes.push({ key: change.key, before });
      }
      if (changes.length > 0) {
        const written = await this.writeValues(shape, changes.map((change) => change.key), values);
        const rendered = new Map(written.map((row) => [row.k as string, row]));
        const seqs: number[] = [];
        const journal: string[][] = [[], [], []];
        changes.forEach((change, index) => {
          const row = rendered.get(String(change.key))!;
          const after = Object.fromEntries(Object.keys(change.before).map((column) => [column, row[`c${shape.columns.indexOf(column)}`] as string]));
          seqs.push(run.rowsChanged + index + 1);
          journal[0]!.push(JSON.stringify(change.key));
          journal[1]!.push(JSON.stringify(change.before));
          journal[2]!.push(JSON.stringify(after));
        });
        await this.query(`INSERT INTO ${BOOKKEEPING.journal} (run_name, seq, row_key, before_values, after_values) SELECT $1, s, k, b, a FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS v(s, k, b, a)`, [run.name, seqs, ...journal]);
      }
      const next: RunRecord = { ...run, cursor: rows[rows.length - 1]!.key, rowsScanned: run.rowsScanned + rows.length, rowsChanged: run.rowsChanged + changes.length, rowsSkipped: run.rowsSkipped + skipped, updatedAt: new Date().toISOString() };
      await this.saveRun(next);
      await hooks.beforeCommit?.(batch);
      return { next, outcome: { done: rows.length < limit, rowsScanned: rows.length, rowsChanged: changes.length, rowsSkipped: skipped } };
    });
    if (result === null) return { done: true, rowsScanned: 0, rowsChanged: 0, rowsSkipped: 0 };
    Object.assign(run, result.next);
    return result.outcome;
  }

  async rollbackBatch(run: RunRecord, shape: TableShape, limit: number, batch: number, hooks: BatchHooks): Promise<RollbackBatchOutcome> {
    const { qualified, idType } = this.pgShape(shape);
    const id = q(shape.idColumn);
    const result = await this.transaction(async () => {
      const entries = await this.query<{ seq: number; row_key: string; before_values: string; after_values: string }>(`SELECT seq, row_key, before_values, after_values FROM ${BOOKKEEPING.journal} WHERE run_name = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`, [run.name, run.rollbackCursor ?? 2_147_483_647, limit]);
      if (entries.length === 0) return null;
      const keys = entries.map((entry) => JSON.parse(entry.row_key) as Key);
      const texts = shape.columns.map((column, index) => `${q(column)}::text AS c${index}`).join(', ');
      const current = new Map((await this.query(`SELECT ${id}::text AS k, ${texts} FROM ${qualified} WHERE ${id} = ANY ($1::text[]::${idType}[]) FOR NO KEY UPDATE`, [keys.map(String)])).map((row) => [row.k as string, row]));
      const restoreKeys: Key[] = [];
      const values: Record<string, (string | null)[]> = Object.fromEntries(shape.columns.map((column) => [column, []]));
      const outcomes: [number[], string[], (string | null)[]] = [[], [], []];
      let conflicts = 0;
      entries.forEach((entry, index) => {
        const was = JSON.parse(entry.before_values) as Record<string, string>;
        const wrote = JSON.parse(entry.after_values) as Record<string, string>;
        const row = current.get(String(keys[index]));
        const edited = row === undefined ? undefined : Object.keys(wrote).find((column) => row[`c${shape.columns.indexOf(column)}`] !== wrote[column]);
        outcomes[0].push(entry.seq);
        if (row === undefined || edited !== undefined) {
          const found = row === undefined ? null : (row[`c${shape.columns.indexOf(edited!)}`] as string | null);
          const detail: StoredOutcome = row === undefined ? { column: null, expected: null, found: null } : { column: edited!, expected: wrote[edited!]!, found };
          outcomes[1].push('conflict');
          outcomes[2].push(JSON.stringify(detail));
          conflicts += 1;
          return;
        }
        outcomes[1].push('restored');
        outcomes[2].push(null);
        restoreKeys.push(keys[index]!);
        for (const column of shape.columns) values[column]!.push(was[column] ?? null);
      });
      if (restoreKeys.length > 0) await this.writeValues(shape, restoreKeys, values);
      await this.query(`UPDATE ${BOOKKEEPING.journal} AS j SET outcome = v.o, outcome_detail = v.d FROM unnest($2::int[], $3::text[], $4::text[]) AS v(s, o, d) WHERE j.run_name = $1 AND j.seq = v.s`, [run.name, ...outcomes]);
      const next: RunRecord = { ...run, rollbackCursor: entries[entries.length - 1]!.seq, rowsRestored: run.rowsRestored + restoreKeys.length, conflicts: run.conflicts + conflicts, updatedAt: new Date().toISOString() };
      await this.saveRun(next);
      await hooks.beforeCommit?.(batch);
      return { next, outcome: { done: entries.length < limit, restored: restoreKeys.length, conflicts } };
    });
    if (result === null) return { done: true, restored: 0, conflicts: 0 };
    Object.assign(run, result.next);
    return result.outcome;
  }

  async close(): Promise<void> {
    if (this.lockKey !== null) await this.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
    await this.client.end();
  }
}
