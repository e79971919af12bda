import { refusedRowError } from './errors.js';
import { decodeExact, encodeExact } from './keys.js';
import { formOfType, type PgTable } from './postgres-catalog.js';
import { isRefusal, refusalMessage } from './postgres-errors.js';
import { cellText, decodeText, keyArrays, keyCompare, keyJoin, keyOrder, keyParams, keyTexts, keyTypes, ROW_VERSION, splitVersion, writeStatement, type CellWrite } from './postgres-sql.js';
import { BOOKKEEPING, quoteIdent as q } from './sql.js';
import { afterBatch, CONFLICT_REASON, type ApplyBatchOutcome, type BatchHooks, type ConflictReason, type RollbackBatchOutcome, type RowDecider } from './store.js';
import { ON_REFUSAL, type CellValue, type Key, type Refusal, type RunRecord, type TableShape } from './types.js';
import type { CellForm } from './values.js';

/** What the batch functions need of the store: raw queries (errors pass through) inside its open transaction. */
export interface PgSession {
  readonly label: string;
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Rows as arrays, in select-list order (no name collisions with the table's own columns). */
  rows(sql: string, params?: unknown[]): Promise<unknown[][]>;
  saveRun(run: RunRecord): Promise<void>;
}

/**
 * Writes the batch's rows and journals their cells. Fast path (not `careful`): one statement for
 * the whole batch; a row the database refuses fails it, and the caller rolls the transaction back
 * and runs the batch again carefully: row by row, each in its own savepoint, the refused rows left
 * out and handed to `onRefused`. Gives, per write, whether it was written.
 */
async function writeRows(session: PgSession, table: PgTable, run: RunRecord, keyColumns: readonly string[], writes: readonly CellWrite[], befores: readonly ReadonlyMap<string, string | null>[], careful: boolean, onRefused: (write: CellWrite, error: unknown) => void): Promise<boolean[]> {
  const written = writes.map(() => false);
  const write = async (indexes: readonly number[], base: number): Promise<number[]> => {
    const journal = { run: run.name, base, rowKeys: indexes.map((index) => encodeExact(writes[index]!.key)), befores: indexes.map((index) => befores[index]!) };
    const statement = writeStatement(table, keyColumns, indexes.map((index) => writes[index]!), journal);
    return (await session.rows(statement.sql, statement.params)).map((row) => indexes[Number(row[0]) - 1]!);
  };
  if (!careful) {
    for (const index of await write(writes.map((_write, index) => index), run.cellsChanged)) written[index] = true;
    return written;
  }
  let base = run.cellsChanged;
  for (const [index, one] of writes.entries()) {
    await session.query('SAVEPOINT semfilter_row');
    try {
      if ((await write([index], base)).length > 0) {
        written[index] = true;
        base += one.cells.size;
      }
      await session.query('RELEASE SAVEPOINT semfilter_row');
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await session.query('ROLLBACK TO SAVEPOINT semfilter_row');
      onRefused(one, error);
    }
  }
  return written;
}

/**
 * applyBatch for PostgreSQL (see Store.applyBatch); runs inside the store's transaction. `careful`
 * writes row by row in savepoints (see writeRows): the store runs a batch so again after the fast
 * path met a refusal.
 */
export async function applyPgBatch(session: PgSession, table: PgTable, run: RunRecord, shape: TableShape, limit: number, decide: RowDecider, batch: number, hooks: BatchHooks, careful: boolean): Promise<{ next: RunRecord; outcome: ApplyBatchOutcome } | null> {
  if (run.upperBound === null) return null;
  const keys = shape.keyColumns;
  const types = keyTypes(table, keys);
  const params: unknown[] = [];
  const where: string[] = [];
  if (run.cursor !== null) {
    where.push(keyCompare('>', keys, types, 1));
    params.push(...keyParams(run.cursor));
  }
  where.push(keyCompare('<=', keys, types, params.length + 1));
  params.push(...keyParams(run.upperBound), limit);
  const tags = shape.columns.map((column) => `t.${q(column)}::text`).join(', ');
  // Only the key and the tag columns, as text: `before` is exactly the stored rendering, and the tag values decode as a full scan would.
  const rows = await session.rows(`SELECT ${keyTexts(keys)}, ${tags} FROM ${table.qualified} AS t WHERE ${where.join(' AND ')} ORDER BY ${keyOrder(keys)} LIMIT $${params.length} FOR NO KEY UPDATE`, params);
  if (rows.length === 0) return null;
  const forms: Record<string, CellForm> = Object.fromEntries(shape.columns.map((column) => [column, formOfType(shape.columnTypes[column])]));
  const writes: CellWrite[] = [];
  const befores: Map<string, string | null>[] = [];
  let skipped = 0;
  for (const row of rows) {
    const key = row.slice(0, keys.length) as string[];
    const texts = row.slice(keys.length) as (string | null)[];
    const values = Object.fromEntries(shape.columns.map((column, index) => [column, decodeText(forms[column]!, texts[index] ?? null)]));
    const { change, skipped: skip } = decide({ key, values });
    if (skip) skipped += 1;
    if (change === null) continue;
    const cells = new Map<string, string>();
    const before = new Map<string, string | null>();
    shape.columns.forEach((column, index) => {
      const value = change.values[column];
      if (value === undefined) return;
      cells.set(column, cellText(forms[column]!, value));
      before.set(column, texts[index] ?? null);
    });
    if (cells.size === 0) continue;
    writes.push({ key, cells });
    befores.push(before);
  }
  const refused: Refusal[] = [];
  const written = writes.length === 0 ? [] : await writeRows(session, table, run, keys, writes, befores, careful, (write, error) => {
    const message = refusalMessage(error);
    if (run.onRefusal === ON_REFUSAL.STOP) {
      throw refusedRowError(session.label, shape.table, write.key, message);
    }
    refused.push({ key: write.key, message });
  });
  let rowsChanged = 0;
  let cellsChanged = 0;
  written.forEach((done, index) => {
    if (!done) return;
    rowsChanged += 1;
    cellsChanged += writes[index]!.cells.size;
  });
  if (refused.length > 0) {
    await session.query(`INSERT INTO ${BOOKKEEPING.refusals} (run_name, seq, row_key, message) SELECT $1, s, k, m FROM unnest($2::bigint[], $3::text[], $4::text[]) AS x(s, k, m)`, [run.name, refused.map((_refusal, index) => run.rowsRefused + index + 1), refused.map((refusal) => encodeExact(refusal.key)), refused.map((refusal) => refusal.message)]);
  }
  const outcome: ApplyBatchOutcome = { done: rows.length < limit, rowsScanned: rows.length, rowsChanged, cellsChanged, rowsSkipped: skipped, refused };
  const next = afterBatch(run, rows[rows.length - 1]!.slice(0, keys.length) as string[], outcome);
  await session.saveRun(next);
  await hooks.beforeCommit?.(batch);
  return { next, outcome };
}

/** A row as rollback reads it now: its version and the journaled columns' text. */
interface CurrentRow {
  readonly version: string;
  readonly cells: ReadonlyMap<string, CellValue>;
}

interface JournalRow extends Record<string, unknown> {
  seq: string;
  row_key: string;
  column_name: string;
  before_value: string | null;
  written_value: string | null;
  row_version: string;
}

/** Why a cell is left as it is, or null when it still holds what the backfill wrote and may be restored. */
function judge(entry: JournalRow, current: CurrentRow | undefined): ConflictReason | null {
  if (current === undefined) return CONFLICT_REASON.ROW_DELETED;
  if (current.version === entry.row_version) return null;
  const now = splitVersion(current.version);
  const then = splitVersion(entry.row_version);
  // Same content from another transaction: the application wrote the row again (re-saved it, or
  // deleted and re-inserted it) with the backfill's values; those values are its own now.
  if (now.digest === then.digest && now.xmin !== then.xmin) return CONFLICT_REASON.REWRITTEN;
  return current.cells.get(entry.column_name) === entry.written_value ? null : CONFLICT_REASON.CHANGED;
}

/**
 * Puts the old values back: one statement for the batch; when the database refuses it (a unique
 * index another row now holds the old value under), cell by cell, each in a savepoint, so a refused
 * cell keeps what the backfill wrote, goes to `onRefused`, and the others are restored.
 */
async function restoreCells(session: PgSession, table: PgTable, keys: readonly string[], restores: ReadonlyMap<string, ReadonlyMap<string, string | null>>, onRefused: (rowKey: string, column: string, message: string) => void): Promise<void> {
  const attempt = async (list: readonly (readonly [string, ReadonlyMap<string, string | null>])[]): Promise<unknown> => {
    await session.query('SAVEPOINT semfilter_restore');
    try {
      const statement = writeStatement(table, keys, list.map(([rowKey, cells]) => ({ key: decodeExact<Key>(rowKey), cells })));
      await session.rows(statement.sql, statement.params);
      await session.query('RELEASE SAVEPOINT semfilter_restore');
      return undefined;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      await session.query('ROLLBACK TO SAVEPOINT semfilter_restore');
      return error;
    }
  };
  if (restores.size === 0 || (await attempt([...restores])) === undefined) return;
  for (const [rowKey, cells] of restores) {
    for (const [column, before] of cells) {
      const refused = await attempt([[rowKey, new Map([[column, before]])]]);
      if (refused !== undefined) onRefused(rowKey, column, refusalMessage(refused));
    }
  }
}

/** rollbackBatch for PostgreSQL (see Store.rollbackBatch); runs inside the store's transaction. */
export async function rollbackPgBatch(session: PgSession, table: PgTable, run: RunRecord, shape: TableShape, limit: number, batch: number, hooks: BatchHooks): Promise<{ next: RunRecord; outcome: RollbackBatchOutcome } | null> {
  const entries = await session.query<JournalRow>(
    `SELECT j.seq::text AS seq, row_key, column_name, before_value, written_value, row_version FROM ${BOOKKEEPING.journal} AS j WHERE run_name = $1${run.rollbackCursor === null ? '' : ' AND seq < $3'} ORDER BY j.seq DESC LIMIT $2`,
    run.rollbackCursor === null ? [run.name, limit] : [run.name, limit, run.rollbackCursor],
  );
  if (entries.length === 0) return null;
  const keys = shape.keyColumns;
  const rowKeys = [...new Set(entries.map((entry) => entry.row_key))];
  // Columns journaled but since dropped from the table cannot be read; their entries are conflicts.
  const columns = [...new Set(entries.map((entry) => entry.column_name))].filter((column) => table.columns.has(column));
  const selected = [`v.i`, ROW_VERSION, ...columns.map((column) => `t.${q(column)}::text`)].join(', ');
  const unnest = keys.map((_key, index) => `$${index + 1}::text[]`).join(', ');
  const names = keys.map((_key, index) => `k${index}`).join(', ');
  const found = await session.rows(
    `SELECT ${selected} FROM unnest(${unnest}) WITH ORDINALITY AS v(${names}, i) JOIN ${table.qualified} AS t ON ${keyJoin(keys, keyTypes(table, keys))} FOR NO KEY UPDATE OF t`,
    keyArrays(
      rowKeys.map((rowKey) => decodeExact<Key>(rowKey)),
      keys.length,
    ),
  );
  const current = new Map<string, CurrentRow>(found.map((row) => [rowKeys[Number(row[0]) - 1]!, { version: row[1] as string, cells: new Map(columns.map((column, index) => [column, row[2 + index] as CellValue])) }]));
  const restores = new Map<string, Map<string, string | null>>();
  /** Where each restored cell's outcome sits, to turn it into a conflict if the database refuses it. */
  const outcomeAt = new Map<string, number>();
  const outcomes: [string[], string[], (string | null)[]] = [[], [], []];
  let conflicts = 0;
  for (const entry of entries) {
    const row = current.get(entry.row_key);
    const reason = table.columns.has(entry.column_name) ? judge(entry, row) : CONFLICT_REASON.CHANGED;
    outcomes[0].push(entry.seq);
    if (reason === null) {
      const cells = restores.get(entry.row_key) ?? new Map<string, string | null>();
      cells.set(entry.column_name, entry.before_value);
      restores.set(entry.row_key, cells);
      outcomeAt.set(encodeExact([entry.row_key, entry.column_name]), outcomes[0].length - 1);
      outcomes[1].push('restored');
      outcomes[2].push(null);
    } else {
      conflicts += 1;
      outcomes[1].push('conflict');
      outcomes[2].push(encodeExact({ reason, found: row?.cells.get(entry.column_name) ?? null }));
    }
  }
  await restoreCells(session, table, keys, restores, (rowKey, column, message) => {
    const index = outcomeAt.get(encodeExact([rowKey, column]))!;
    outcomes[1][index] = 'conflict';
    outcomes[2][index] = encodeExact({ reason: CONFLICT_REASON.REFUSED, found: current.get(rowKey)?.cells.get(column) ?? null, message });
    conflicts += 1;
  });
  await session.query(`UPDATE ${BOOKKEEPING.journal} AS j SET outcome = x.o, outcome_detail = x.d FROM unnest($2::bigint[], $3::text[], $4::text[]) AS x(s, o, d) WHERE j.run_name = $1 AND j.seq = x.s`, [run.name, ...outcomes]);
  const restored = entries.length - conflicts;
  const next: RunRecord = { ...run, rollbackCursor: Number(entries[entries.length - 1]!.seq), cellsRestored: run.cellsRestored + restored, conflicts: run.conflicts + conflicts, updatedAt: new Date().toISOString() };
  await session.saveRun(next);
  await hooks.beforeCommit?.(batch);
  return { next, outcome: { done: entries.length < limit, restored, conflicts } };
}
