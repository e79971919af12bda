import pg from 'pg';
import type { PgTable } from './postgres-catalog.js';
import { BOOKKEEPING, quoteIdent as q } from './sql.js';
import type { CellValue, Key } from './types.js';
import type { CellForm } from './values.js';

// Keys travel as PostgreSQL's own text rendering of each key column (`t.id::text`) and come back
// as `$1::text::<type>`, so the database compares and orders them in its own type: a uuid, a
// numeric, a bigint near 2^63 or a timestamp never passes through a JavaScript number. A
// timestamptz renders with its UTC offset (`2024-03-01 12:00:00+00`), so its text names the same
// instant in any session TimeZone; the store still pins TimeZone, DateStyle and friends for its
// session (see SESSION_SETTINGS) so that the same row renders the same text, and hence the same
// content digest, in every session.

/**
 * Settings for the store's session: renderings of dates, times, intervals, floats and bytes that do
 * not depend on the server's or the user's defaults. Set after connecting (a URL's own `options`
 * would otherwise replace ours).
 */
export const SESSION_SETTINGS = `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'`;

/**
 * A row's version: the transaction id that wrote it (xmin) and an md5 of its whole text. Together
 * they tell "untouched since the backfill wrote it" (both equal), "written again with the same
 * content" (digest equal, xmin not: re-saved, or deleted and re-inserted) and "edited" (digest
 * differs). xmin is 32-bit and wraps, but a wrapped xmin would also need the identical content.
 * `ROW(t.*)`, not `t`: in a table with a column named `t`, a bare `t` is that column, not the row.
 */
export const ROW_VERSION = `t.xmin::text || ':' || md5(ROW(t.*)::text)`;

/** Splits a version into its writer (xmin) and its content digest. */
export function splitVersion(version: string): { readonly xmin: string; readonly digest: string } {
  const colon = version.indexOf(':');
  return { xmin: version.slice(0, colon), digest: version.slice(colon + 1) };
}

/** The base type of each key column, to cast key text back to. */
export function keyTypes(table: PgTable, keyColumns: readonly string[]): string[] {
  return keyColumns.map((column) => table.columns.get(column)!.base);
}

/** `t."a"::text, t."b"::text`: the key as text parts. */
export function keyTexts(keyColumns: readonly string[]): string {
  return keyColumns.map((column) => `t.${q(column)}::text`).join(', ');
}

/** `t."a", t."b"` (with DESC on each for the last key). */
export function keyOrder(keyColumns: readonly string[], descending = false): string {
  return keyColumns.map((column) => `t.${q(column)}${descending ? ' DESC' : ''}`).join(', ');
}

/** Row-value comparison `(t."a", t."b") > ($1::text::uuid, $2::text::bigint)`, parameters from `first`. */
export function keyCompare(op: '>' | '<=', keyColumns: readonly string[], types: readonly string[], first: number): string {
  const left = keyColumns.map((column) => `t.${q(column)}`).join(', ');
  const right = types.map((type, index) => `$${first + index}::text::${type}`).join(', ');
  return `(${left}) ${op} (${right})`;
}

/** Join condition between the table `t` and the unnested key texts `v.k0, v.k1, …`. */
export function keyJoin(keyColumns: readonly string[], types: readonly string[]): string {
  return keyColumns.map((column, index) => `t.${q(column)} = v.k${index}::${types[index]}`).join(' AND ');
}

/** Parameters for a key: its parts as text (they are PostgreSQL's renderings already). */
export function keyParams(key: Key): string[] {
  return key.map((part) => (part instanceof Uint8Array ? Buffer.from(part).toString() : String(part)));
}

/** Keys transposed into one text[] parameter per key column, for unnest. */
export function keyArrays(keys: readonly Key[], width: number): string[][] {
  const arrays: string[][] = Array.from({ length: width }, () => []);
  for (const key of keys) keyParams(key).forEach((part, index) => arrays[index]!.push(part));
  return arrays;
}

/** PostgreSQL array literal for a list of tags (every element quoted, so no tag reads as NULL). */
export function arrayLiteral(tags: readonly string[]): string {
  return `{${tags.map((tag) => `"${tag.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** The text a new tag value is written as, in the column's form (cast to the column's type by the database). */
export function cellText(form: CellForm, value: string | readonly string[]): string {
  if (typeof value === 'string') return form === 'json' ? JSON.stringify(value) : value;
  return form === 'array' ? arrayLiteral(value) : JSON.stringify(value);
}

// 1009 is text[]'s type oid; pg's TypeId lists only scalar types, hence the cast.
const parseTextArray = pg.types.getTypeParser(1009 as never) as (value: string) => unknown;

/** A cell's text rendering decoded as node-postgres decodes the column in a `SELECT *`. */
export function decodeText(form: CellForm, value: CellValue): unknown {
  if (value === null || typeof value !== 'string') return value;
  if (form === 'json') return JSON.parse(value) as unknown;
  if (form === 'array') return parseTextArray(value);
  return value;
}

/** One row to write: its key, and per column the text to store (null stores NULL). */
export interface CellWrite {
  readonly key: Key;
  readonly cells: ReadonlyMap<string, string | null>;
}

/** What apply journals with its write: one entry per written cell, numbered from `base + 1` in write order. */
export interface JournalOf {
  readonly run: string;
  readonly base: number;
  /** Per write: its key as the journal keeps it (encodeExact). */
  readonly rowKeys: readonly string[];
  /** Per write: each written cell's text before. */
  readonly befores: readonly ReadonlyMap<string, string | null>[];
}

/**
 * One `UPDATE … FROM unnest(…)` for many rows: per column a "set" flag and a value, so a row
 * writes only its own columns (and may write NULL back). Values are cast to the column's base type
 * (never `varchar(n)`, whose explicit cast truncates silently): the column's own assignment then
 * refuses a value too long. Gives one row per written row, its position in `writes` first.
 *
 * With `journal`, the same statement also inserts the journal entries, one per written cell, from
 * what the UPDATE returns (the cell's new text, the row's new version): a data-modifying CTE, so a
 * batch's write and its journal are one round trip and the written values never travel back and forth.
 */
export function writeStatement(table: PgTable, keyColumns: readonly string[], writes: readonly CellWrite[], journal?: JournalOf): { sql: string; params: unknown[] } {
  const types = keyTypes(table, keyColumns);
  const used = new Set(writes.flatMap((write) => [...write.cells.keys()]));
  // Table order, so every batch journals a row's cells in the same order.
  const columns = [...table.columns.keys()].filter((column) => used.has(column));
  const params: unknown[] = keyArrays(
    writes.map((write) => write.key),
    keyColumns.length,
  );
  const names = keyColumns.map((_column, index) => `k${index}`);
  const casts = keyColumns.map(() => 'text[]');
  const add = (name: string, cast: string, values: unknown[]) => {
    params.push(values);
    names.push(name);
    casts.push(cast);
  };
  columns.forEach((column, index) => {
    add(`s${index}`, 'boolean[]', writes.map((write) => write.cells.has(column)));
    add(`c${index}`, 'text[]', writes.map((write) => write.cells.get(column) ?? null));
    if (journal !== undefined) add(`b${index}`, 'text[]', journal.befores.map((before) => before.get(column) ?? null));
  });
  if (journal !== undefined) add('rk', 'text[]', [...journal.rowKeys]);
  const sets = columns.map((column, index) => `${q(column)} = CASE WHEN v.s${index} THEN v.c${index}::${table.columns.get(column)!.base} ELSE t.${q(column)} END`);
  const unnest = casts.map((cast, index) => `$${index + 1}::${cast}`).join(', ');
  const update = `UPDATE ${table.qualified} AS t SET ${sets.join(', ')} FROM unnest(${unnest}) WITH ORDINALITY AS v(${names.join(', ')}, i) WHERE ${keyJoin(keyColumns, types)}`;
  if (journal === undefined) return { sql: `${update} RETURNING v.i`, params };
  const first = params.length + 1;
  params.push(journal.run, journal.base, columns);
  const returned = ['v.i', 'v.rk', `${ROW_VERSION} AS version`, ...columns.flatMap((column, index) => [`v.s${index}`, `v.b${index}`, `t.${q(column)}::text AS w${index}`])];
  const cells = columns.map((_column, index) => `(${index + 1}, w.s${index}, w.b${index}, w.w${index})`).join(', ');
  const sql = `WITH w AS (${update} RETURNING ${returned.join(', ')}),
    j AS (INSERT INTO ${BOOKKEEPING.journal} (run_name, seq, row_key, column_name, before_value, written_value, row_version)
      SELECT $${first}, $${first + 1}::bigint + row_number() OVER (ORDER BY w.i, c.n), w.rk, ($${first + 2}::text[])[c.n], c.before, c.written, w.version
      FROM w CROSS JOIN LATERAL (VALUES ${cells}) AS c(n, set, before, written) WHERE c.set)
    SELECT w.i FROM w`;
  return { sql, params };
}
