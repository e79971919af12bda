import type Database from 'better-sqlite3';
import { badInput } from './errors.js';
import { quoteIdent as q } from './sql.js';
import { chooseColumns, type ShapeOptions, type UniqueIndex } from './store.js';
import type { Key, TableShape } from './types.js';
import { affinityOf, type Affinity } from './sqlite-affinity.js';

/** What the store keeps about a table beyond its shape: how SQLite stores into each column. */
export interface TableMeta {
  /** The name as sqlite_master spells it (SQLite names are case-insensitive, in ASCII). */
  readonly table: string;
  readonly createSql: string;
  readonly affinity: Readonly<Record<string, Affinity>>;
  /** Generated columns: SQLite computes them, so they are never written and not part of a row's version. */
  readonly generated: ReadonlySet<string>;
  /** Every stored (non-generated) column, in table order. */
  readonly storedColumns: readonly string[];
  /**
   * Whether the rowid tells a row apart from one deleted and re-inserted under the same key: true
   * for a rowid table whose key is not the rowid itself (a re-inserted row gets a new rowid).
   * `INTEGER PRIMARY KEY` keys are the rowid, and WITHOUT ROWID tables have none.
   */
  readonly rowidIdentity: boolean;
}

/** How the store selects a row's rowid beside its columns, when it is the row's identity. */
export const ROWID_COLUMN = 'semfilter rowid';

/** `SELECT` list: the rowid (when it tells re-inserted rows apart) and every column. */
export function selectList(meta: TableMeta): string {
  return meta.rowidIdentity ? `rowid AS ${q(ROWID_COLUMN)}, *` : '*';
}

const num = (value: unknown): number => Number(value);

/** The table's own name, whatever the case it is typed in; undefined when there is none. */
export function canonicalTable(db: Database.Database, table: string): { name: string; sql: string } | undefined {
  return db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE`).get(table) as { name: string; sql: string } | undefined;
}

interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly notnull: number;
  readonly pk: number;
  readonly hidden: number;
}

function columnsOf(db: Database.Database, table: string): ColumnInfo[] {
  const rows = db.prepare(`PRAGMA table_xinfo(${q(table)})`).all() as Record<string, unknown>[];
  return rows.map((row) => ({ name: String(row.name), type: String(row.type ?? ''), notnull: num(row.notnull), pk: num(row.pk), hidden: num(row.hidden) }));
}

/** Plain-column unique indexes of a table (partial and expression indexes left out), with their origin. */
function plainUniqueIndexes(db: Database.Database, table: string): { name: string; origin: string; columns: string[] }[] {
  const list = db.prepare(`PRAGMA index_list(${q(table)})`).all() as Record<string, unknown>[];
  const found: { name: string; origin: string; columns: string[] }[] = [];
  for (const index of list) {
    // a partial index collides only among the rows its WHERE picks, which a plan cannot group by
    if (num(index.unique) !== 1 || num(index.partial) !== 0) continue;
    const parts = db.prepare(`PRAGMA index_info(${q(String(index.name))})`).all() as Record<string, unknown>[];
    if (parts.some((part) => part.name === null)) continue; // an expression index
    found.push({ name: String(index.name), origin: String(index.origin), columns: parts.map((part) => String(part.name)) });
  }
  return found;
}

/** Unique indexes (and UNIQUE constraints, and a primary key) that include a tag column. */
export function tagUniqueIndexes(db: Database.Database, shape: TableShape): UniqueIndex[] {
  return plainUniqueIndexes(db, shape.table)
    .filter((index) => index.columns.some((column) => shape.columns.includes(column)))
    .map((index) => ({ name: index.origin === 'pk' ? `${shape.table} primary key` : index.name, columns: index.columns }));
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((item) => b.includes(item));

/**
 * Reads and checks a table: its key (the primary key unless --id; unique, never NULL), its tag
 * columns (never generated, never the key), and how SQLite stores into each column.
 */
export function describeTable(db: Database.Database, label: string, typed: string, options: ShapeOptions): { shape: TableShape; meta: TableMeta } {
  const found = canonicalTable(db, typed);
  if (found === undefined) {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'semfilter\\_backfill\\_%' ESCAPE '\\' ORDER BY name`).all() as { name: string }[]).map((row) => row.name);
    throw badInput(`${label}: no table "${typed}"; expected one of: ${tables.join(', ') || '(no tables)'}`);
  }
  const table = found.name;
  const where = `${label} table ${table}`;
  const info = columnsOf(db, table).filter((column) => column.hidden !== 1); // hidden 1: a virtual table's hidden column
  const allColumns = info.map((column) => column.name);
  const generated = new Set(info.filter((column) => column.hidden === 2 || column.hidden === 3).map((column) => column.name));
  const primary = info.filter((column) => column.pk > 0).sort((a, b) => a.pk - b.pk).map((column) => column.name);
  let keyColumns: string[];
  if (options.id === undefined || options.id.length === 0) {
    if (primary.length === 0) throw badInput(`${where} has no primary key; name unique, non-null key columns with --id (for example --id sku or --id a,b)`);
    keyColumns = primary;
  } else {
    keyColumns = [...options.id];
    for (const column of keyColumns) {
      if (!allColumns.includes(column)) throw badInput(`${where} has no column "${column}" (--id); expected one of: ${allColumns.join(', ')}`);
    }
    if (new Set(keyColumns).size !== keyColumns.length) throw badInput(`${where}: --id ${keyColumns.join(',')} names a column twice`);
    if (!sameSet(keyColumns, primary) && !plainUniqueIndexes(db, table).some((index) => sameSet(index.columns, keyColumns))) {
      throw badInput(`${where}: --id ${keyColumns.join(',')} is neither the primary key nor covered by a unique index on exactly those columns; batches need a unique key`);
    }
  }
  const { columns, required } = chooseColumns(where, allColumns, options);
  for (const column of columns) {
    if (keyColumns.includes(column)) throw badInput(`${where}: the key column "${column}" cannot also be a tag column`);
    if (generated.has(column)) throw badInput(`${where}: column "${column}" is generated (GENERATED ALWAYS AS …): SQLite computes it and it cannot be written; normalize the columns it is computed from instead, and leave it out of --columns`);
  }
  const listed = db.prepare(`SELECT strict, wr FROM pragma_table_list WHERE schema = 'main' AND name = ?`).get(table) as { strict?: unknown; wr?: unknown } | undefined;
  const strict = num(listed?.strict ?? 0) === 1;
  const withoutRowid = num(listed?.wr ?? 0) === 1;
  const keyIsRowid = keyColumns.length === 1 && keyColumns[0] === rowidAliasOf(info, withoutRowid);
  refuseNullKeys(db, where, table, keyColumns, info, keyIsRowid);
  // A column named like the rowid hides it.
  const rowidHidden = allColumns.some((column) => ['rowid', '_rowid_', 'oid'].includes(column.toLowerCase()));
  const rowidIdentity = !withoutRowid && !rowidHidden && !keyIsRowid;
  const affinity = Object.fromEntries(info.map((column) => [column.name, affinityOf(column.type, strict)]));
  const columnTypes = Object.fromEntries(info.map((column) => [column.name, column.type]));
  const shape: TableShape = { table, keyColumns, columns, allColumns, columnTypes, required };
  const meta: TableMeta = { table, createSql: found.sql, affinity, generated, storedColumns: allColumns.filter((column) => !generated.has(column)), rowidIdentity };
  return { shape, meta };
}

/**
 * The column that is the rowid under another name: the only primary-key column, declared exactly
 * `INTEGER`, in a table that has a rowid (SQLite's rule; `INT PRIMARY KEY` is an ordinary column).
 */
function rowidAliasOf(info: readonly ColumnInfo[], withoutRowid: boolean): string | undefined {
  const primary = info.filter((column) => column.pk > 0);
  return !withoutRowid && primary.length === 1 && primary[0]!.type.toUpperCase() === 'INTEGER' ? primary[0]!.name : undefined;
}

/**
 * A NULL key (legal in a primary key that is not INTEGER PRIMARY KEY, and in a unique index) is
 * never greater than a cursor, so batches would skip its row without a word: refuse the table.
 */
function refuseNullKeys(db: Database.Database, where: string, table: string, keyColumns: readonly string[], info: readonly ColumnInfo[], keyIsRowid: boolean): void {
  const nullable = keyColumns.filter((column) => info.find((item) => item.name === column)?.notnull !== 1);
  if (nullable.length === 0 || keyIsRowid) return; // the rowid is never NULL
  const count = num((db.prepare(`SELECT count(*) AS n FROM ${q(table)} WHERE ${nullable.map((column) => `${q(column)} IS NULL`).join(' OR ')}`).get() as { n: unknown }).n);
  if (count > 0) {
    throw badInput(`${where}: ${count} row${count === 1 ? ' has' : 's have'} NULL in the key column${nullable.length === 1 ? '' : 's'} ${nullable.join(', ')}; batches go by key order and would pass over ${count === 1 ? 'it' : 'them'} without a word. Give ${count === 1 ? 'it a key' : 'them keys'}, or name other unique, non-null columns with --id`);
  }
}

/** SQL pieces for a key of one or several columns (row values compare and order like the index). */
export interface KeySql {
  /** `"id"` or `("a", "b")`. */
  readonly expr: string;
  /** `?` or `(?, ?)`. */
  readonly param: string;
  /** `"a", "b"` for ORDER BY. */
  readonly order: string;
  /** `"a" DESC, "b" DESC`. */
  readonly orderDesc: string;
  /** `"a" = ? AND "b" = ?`. */
  readonly equals: string;
}

/** The key's SQL pieces for a shape. */
export function keySql(keyColumns: readonly string[]): KeySql {
  const quoted = keyColumns.map(q);
  const many = quoted.length > 1;
  return {
    expr: many ? `(${quoted.join(', ')})` : quoted[0]!,
    param: many ? `(${quoted.map(() => '?').join(', ')})` : '?',
    order: quoted.join(', '),
    orderDesc: quoted.map((column) => `${column} DESC`).join(', '),
    equals: quoted.map((column) => `${column} = ?`).join(' AND '),
  };
}

/** A row's key from its values, in key column order, exactly as SQLite gave them. */
export function keyOf(keyColumns: readonly string[], values: Readonly<Record<string, unknown>>): Key {
  return keyColumns.map((column) => values[column] as Key[number]);
}
