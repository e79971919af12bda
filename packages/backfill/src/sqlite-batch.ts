import type Database from 'better-sqlite3';
import { refusedRowError } from './errors.js';
import { decodeExact, encodeExact, keyId, sameCell } from './keys.js';
import { BOOKKEEPING, quoteIdent as q } from './sql.js';
import { cellTexts, type AffinityProbe } from './sqlite-affinity.js';
import { isRowRefusal } from './sqlite-errors.js';
import type { JournalRow } from './sqlite-journal.js';
import { keyOf, keySql, ROWID_COLUMN, selectList, type TableMeta } from './sqlite-schema.js';
import { afterBatch, CONFLICT_REASON, type ApplyBatchOutcome, type BatchHooks, type ConflictReason, type RollbackBatchOutcome, type RowDecider } from './store.js';
import { ON_REFUSAL, type CellValue, type Key, type Refusal, type Row, type RunRecord, type TableShape } from './types.js';

/** What the batch functions need from the store (one connection, its statement cache). */
export interface SqliteBatchContext {
  readonly db: Database.Database;
  readonly label: string;
  stmt(sql: string): Database.Statement;
  readonly probe: AffinityProbe;
  rowsByKey(shape: TableShape, keys: readonly Key[]): Row[];
  saveRun(run: RunRecord): void;
}

const J = BOOKKEEPING.journal;

/**
 * A row's version: its rowid where that tells a re-inserted row from the one apply wrote (see
 * TableMeta.rowidIdentity), else null. Cells are judged by their own value either way; SQLite has
 * no version an application's update of the same values would change (PostgreSQL's xmin).
 */
function rowVersion(meta: TableMeta, values: Readonly<Record<string, unknown>>): string | null {
  return meta.rowidIdentity ? String(values[ROWID_COLUMN]) : null;
}

/** One changed row: the columns it writes and their text, as stored (a list as JSON text). */
interface Write {
  readonly row: Row;
  readonly columns: readonly string[];
  readonly texts: readonly string[];
  /** Set when the row is refused: SQLite's words, or ours for an affinity change. */
  refusal?: string;
}

/** Thrown when SQLite rolled the whole transaction back while writing one row (a trigger's RAISE(ROLLBACK)). */
class TransactionLost extends Error {
  constructor(
    readonly key: Key,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * `OR ABORT` overrides a conflict clause of the table's own (`UNIQUE ON CONFLICT REPLACE` would
 * delete the other row, `… IGNORE` would skip the write silently): a conflict is a refusal.
 */
function updateSql(shape: TableShape, columns: readonly string[]): string {
  // Built once per set of columns: apply asks for it once per changed row.
  let byColumns = updateSqls.get(shape);
  if (byColumns === undefined) updateSqls.set(shape, (byColumns = new Map()));
  const id = columns.join('\u0000');
  let sql = byColumns.get(id);
  if (sql === undefined) byColumns.set(id, (sql = `UPDATE OR ABORT ${q(shape.table)} SET ${columns.map((column) => `${q(column)} = ?`).join(', ')} WHERE ${keySql(shape.keyColumns).equals}`));
  return sql;
}
const updateSqls = new WeakMap<TableShape, Map<string, string>>();

/** Journal rows per INSERT: one statement for many cells costs far less than one each (7 parameters a row). */
const CELLS_PER_INSERT = 100;

/** Inserts journal rows, each 7 values, many per statement. */
function insertJournal(context: SqliteBatchContext, rows: readonly unknown[]): void {
  const width = 7;
  const statement = (count: number) => context.stmt(`INSERT INTO ${J} (run_name, seq, row_key, column_name, before_value, written_value, version) VALUES ${Array(count).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')}`);
  const full = CELLS_PER_INSERT * width;
  let at = 0;
  for (; at + full <= rows.length; at += full) statement(CELLS_PER_INSERT).run(...rows.slice(at, at + full));
  if (at < rows.length) statement((rows.length - at) / width).run(...rows.slice(at));
}

/** What a write that changed no row means: a trigger's RAISE(IGNORE) skipped it. */
const IGNORED = 'the write was ignored (a BEFORE UPDATE trigger with RAISE(IGNORE)); left as it was';

/** Writes cells of one row; a refusal is caught and its words returned, anything else is thrown. */
function writeCells(context: SqliteBatchContext, shape: TableShape, key: Key, columns: readonly string[], values: readonly unknown[]): string | undefined {
  try {
    return context.stmt(updateSql(shape, columns)).run(...values, ...key).changes === 1 ? undefined : IGNORED;
  } catch (error) {
    if (!isRowRefusal(error)) throw error;
    if (!context.db.inTransaction) throw new TransactionLost(key, (error as Error).message);
    return (error as Error).message;
  }
}

/**
 * Writes the batch's rows. Fast path: all in one savepoint. When SQLite refuses one, the savepoint
 * is rolled back and the rows redone one by one, each in its own savepoint, so a refused row is
 * left as it was and the others are written.
 */
function writeAll(context: SqliteBatchContext, shape: TableShape, writes: readonly Write[], stop: boolean): void {
  const { db } = context;
  const ready = writes.filter((write) => write.refusal === undefined);
  db.exec('SAVEPOINT semfilter_batch');
  let refused = false;
  for (const write of ready) {
    const refusal = writeCells(context, shape, write.row.key, write.columns, write.texts);
    if (refusal !== undefined) {
      refused = true;
      break;
    }
  }
  if (!refused) {
    db.exec('RELEASE semfilter_batch');
    return;
  }
  db.exec('ROLLBACK TO semfilter_batch; RELEASE semfilter_batch');
  for (const write of ready) {
    db.exec('SAVEPOINT semfilter_row');
    const refusal = writeCells(context, shape, write.row.key, write.columns, write.texts);
    if (refusal === undefined) {
      db.exec('RELEASE semfilter_row');
      continue;
    }
    db.exec('ROLLBACK TO semfilter_row; RELEASE semfilter_row');
    if (stop) throw refusedRowError(context.label, shape.table, write.row.key, refusal);
    write.refusal = refusal;
  }
}

/** The spec's apply batch (store-spec.md, applyBatch), for one SQLite connection. */
export async function applyWrites(context: SqliteBatchContext, meta: TableMeta, run: RunRecord, shape: TableShape, limit: number, decide: RowDecider, batch: number, hooks: BatchHooks): Promise<ApplyBatchOutcome> {
  const lost = new Map<string, string>();
  for (;;) {
    try {
      return await applyOnce(context, meta, run, shape, limit, decide, batch, hooks, lost);
    } catch (error) {
      if (!(error instanceof TransactionLost)) throw error;
      // SQLite rolled everything back for that row: refuse it and redo the batch without it
      if (run.onRefusal === ON_REFUSAL.STOP) throw refusedRowError(context.label, shape.table, error.key, error.reason);
      lost.set(keyId(error.key), error.reason);
    }
  }
}

async function applyOnce(context: SqliteBatchContext, meta: TableMeta, run: RunRecord, shape: TableShape, limit: number, decide: RowDecider, batch: number, hooks: BatchHooks, lost: ReadonlyMap<string, string>): Promise<ApplyBatchOutcome> {
  const none: ApplyBatchOutcome = { done: true, rowsScanned: 0, rowsChanged: 0, cellsChanged: 0, rowsSkipped: 0, refused: [] };
  if (run.upperBound === null) return none;
  const { db } = context;
  const k = keySql(shape.keyColumns);
  const t = q(shape.table);
  const stop = run.onRefusal === ON_REFUSAL.STOP;
  // BEGIN IMMEDIATE takes the write lock first, so no other writer slips in between read and write.
  db.exec('BEGIN IMMEDIATE');
  const select =
    run.cursor === null
      ? context.stmt(`SELECT ${selectList(meta)} FROM ${t} WHERE ${k.expr} <= ${k.param} ORDER BY ${k.order} LIMIT ?`)
      : context.stmt(`SELECT ${selectList(meta)} FROM ${t} WHERE ${k.expr} > ${k.param} AND ${k.expr} <= ${k.param} ORDER BY ${k.order} LIMIT ?`);
  const records = (run.cursor === null ? select.all(...run.upperBound, limit) : select.all(...run.cursor, ...run.upperBound, limit)) as Record<string, unknown>[];
  if (records.length === 0) {
    db.exec('COMMIT');
    return none;
  }
  const writes: Write[] = [];
  let skipped = 0;
  for (const values of records) {
    const row: Row = { key: keyOf(shape.keyColumns, values), values };
    const { change, skipped: skip } = decide(row);
    if (skip) skipped += 1;
    if (change === null) continue;
    const byColumn = cellTexts(change.values);
    const write: Write = { row, columns: Object.keys(byColumn), texts: Object.values(byColumn) };
    const reason = (lost.size === 0 ? undefined : lost.get(keyId(row.key))) ?? context.probe.firstConversion(meta.affinity, byColumn);
    if (reason !== undefined && reason !== null) {
      if (stop) throw refusedRowError(context.label, shape.table, row.key, reason);
      write.refusal = reason;
    }
    writes.push(write);
  }
  writeAll(context, shape, writes, stop);

  const journal: unknown[] = [];
  const refusals = context.stmt(`INSERT INTO ${BOOKKEEPING.refusals} (run_name, seq, row_key, message) VALUES (?, ?, ?, ?)`);
  let cells = 0;
  let changed = 0;
  const refused: Refusal[] = [];
  for (const write of writes) {
    const rowKey = encodeExact(write.row.key);
    if (write.refusal !== undefined) {
      refused.push({ key: write.row.key, message: write.refusal });
      refusals.run(run.name, run.rowsRefused + refused.length, rowKey, write.refusal);
      continue;
    }
    const version = rowVersion(meta, write.row.values);
    changed += 1;
    write.columns.forEach((column, index) => {
      cells += 1;
      journal.push(run.name, run.cellsChanged + cells, rowKey, column, write.row.values[column] as CellValue, write.texts[index]!, version);
    });
  }
  insertJournal(context, journal);
  const outcome: ApplyBatchOutcome = { done: records.length < limit, rowsScanned: records.length, rowsChanged: changed, cellsChanged: cells, rowsSkipped: skipped, refused };
  const next = afterBatch(run, keyOf(shape.keyColumns, records[records.length - 1]!), outcome);
  context.saveRun(next);
  await hooks.beforeCommit?.(batch);
  db.exec('COMMIT');
  Object.assign(run, next);
  return outcome;
}

/** The spec's rollback batch: cell by cell, a cell restored only while it holds what apply wrote. */
export async function rollbackCells(context: SqliteBatchContext, meta: TableMeta, run: RunRecord, shape: TableShape, limit: number, batch: number, hooks: BatchHooks): Promise<RollbackBatchOutcome> {
  const { db } = context;
  db.exec('BEGIN IMMEDIATE');
  const columns = 'seq, row_key, column_name, before_value, written_value, version';
  const entries = (
    run.rollbackCursor === null
      ? context.stmt(`SELECT ${columns} FROM ${J} WHERE run_name = ? ORDER BY seq DESC LIMIT ?`).all(run.name, limit)
      : context.stmt(`SELECT ${columns} FROM ${J} WHERE run_name = ? AND seq < ? ORDER BY seq DESC LIMIT ?`).all(run.name, run.rollbackCursor, limit)
  ) as JournalRow[];
  if (entries.length === 0) {
    db.exec('COMMIT');
    return { done: true, restored: 0, conflicts: 0 };
  }
  const keys = new Map<string, Key>();
  for (const entry of entries) if (!keys.has(entry.row_key)) keys.set(entry.row_key, decodeExact<Key>(entry.row_key));
  const rows = new Map<string, { values: Record<string, unknown>; version: string | null }>();
  for (const row of context.rowsByKey(shape, [...keys.values()])) {
    rows.set(encodeExact(row.key), { values: { ...row.values }, version: rowVersion(meta, row.values) });
  }
  const mark = context.stmt(`UPDATE ${J} SET outcome = ?, outcome_detail = ? WHERE run_name = ? AND seq = ?`);
  let restored = 0;
  let conflicts = 0;
  for (const entry of entries) {
    const current = rows.get(entry.row_key);
    const column = entry.column_name;
    let reason: ConflictReason | undefined;
    if (current === undefined) reason = CONFLICT_REASON.ROW_DELETED;
    else if (!sameCell(current.values[column] as CellValue, entry.written_value)) reason = CONFLICT_REASON.CHANGED;
    // Deleted and re-inserted under the same key (a new rowid) with what apply wrote: the application's value now.
    else if (current.version !== entry.version) reason = CONFLICT_REASON.REWRITTEN;
    if (reason !== undefined) {
      const found = current === undefined ? null : (current.values[column] as CellValue);
      mark.run('conflict', encodeExact({ reason, found }), run.name, entry.seq);
      conflicts += 1;
      continue;
    }
    // A trigger's RAISE(ROLLBACK) ends the whole transaction (TransactionLost): nothing of the batch stays, so it stops.
    db.exec('SAVEPOINT semfilter_restore');
    const refusal = writeCells(context, shape, keys.get(entry.row_key)!, [column], [entry.before_value]);
    if (refusal !== undefined) {
      db.exec('ROLLBACK TO semfilter_restore; RELEASE semfilter_restore');
      mark.run('conflict', encodeExact({ reason: CONFLICT_REASON.REFUSED, found: current!.values[column] as CellValue, message: refusal }), run.name, entry.seq);
      conflicts += 1;
      continue;
    }
    db.exec('RELEASE semfilter_restore');
    current!.values[column] = entry.before_value;
    mark.run('restored', null, run.name, entry.seq);
    restored += 1;
  }
  const next: RunRecord = {
    ...run,
    rollbackCursor: Number(entries[entries.length - 1]!.seq),
    cellsRestored: run.cellsRestored + restored,
    conflicts: run.conflicts + conflicts,
    updatedAt: new Date().toISOString(),
  };
  context.saveRun(next);
  await hooks.beforeCommit?.(batch);
  db.exec('COMMIT');
  Object.assign(run, next);
  return { done: entries.length < limit, restored, conflicts };
}
