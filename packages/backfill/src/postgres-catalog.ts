import { badInput } from './errors.js';
import { sqlState } from './postgres-errors.js';
import { quoteIdent as q } from './sql.js';
import { chooseColumns, type ShapeOptions, type UniqueIndex } from './store.js';
import type { TableShape } from './types.js';
import type { CellForm } from './values.js';

/** Column types a tag column may have, by the form its values take. */
export const TAG_TYPES: Readonly<Record<string, CellForm>> = { text: 'text', 'character varying': 'text', 'text[]': 'array', 'character varying[]': 'array', json: 'json', jsonb: 'json' };

/** How a column of this base type keeps tags (`text` for a type that is not a tag type). */
export function formOfType(base: string | undefined): CellForm {
  return TAG_TYPES[base ?? 'text'] ?? 'text';
}

/** Runs one query and gives its rows; driver errors pass through (the store maps them once, at its edge). */
export type CatalogQuery = <R extends Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;

/** One column as the catalog describes it. */
export interface PgColumn {
  readonly name: string;
  /** With modifiers (`character varying(10)`), for messages. */
  readonly type: string;
  /** Without modifiers (`character varying`): what values are cast to, so the column's own length check refuses, never an explicit cast that truncates. */
  readonly base: string;
  readonly notNull: boolean;
  /** `GENERATED ALWAYS AS (…) STORED`: the database computes it, no UPDATE may set it. */
  readonly generated: boolean;
  /** varchar(n) and varchar(n)[]: n, the most characters a value (an element) may have. */
  readonly maxChars: number | null;
}

/** A unique index as the catalog describes it. */
export interface PgUniqueIndex extends UniqueIndex {
  readonly primary: boolean;
  /** An index over expressions cannot be checked by grouping column values. */
  readonly expressions: boolean;
}

/** What the store knows of one table after describe. */
export interface PgTable {
  readonly oid: number;
  /** The table's name alone, as PostgreSQL words its own messages (`relation "items"`). */
  readonly relname: string;
  /** Schema-qualified and quoted, for statements. */
  readonly qualified: string;
  /**
   * `format('%I.%I', schema, name)`: always schema-qualified, quoted only where needed
   * (`public.items`, `"My Schema"."Items"`). The same for every spelling of the table and, unlike
   * `oid::regclass::text`, independent of the search_path: a later session with another search_path
   * (another role, `?options=-csearch_path=…`) that resolves it reaches this same table.
   */
  readonly canonical: string;
  readonly columns: ReadonlyMap<string, PgColumn>;
  readonly checks: readonly { readonly name: string; readonly expr: string }[];
  readonly uniqueIndexes: readonly PgUniqueIndex[];
}

async function readTable(query: CatalogQuery, label: string, table: string): Promise<PgTable | null> {
  let rel: { oid: string; schema: string; name: string; canonical: string } | undefined;
  type Rel = NonNullable<typeof rel>;
  try {
    [rel] = await query<Rel>(`SELECT c.oid::bigint::text AS oid, n.nspname AS schema, c.relname AS name, format('%I.%I', n.nspname, c.relname) AS canonical FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p')`, [table]);
  } catch (error) {
    // to_regclass raises on a name it cannot parse (`a b`, `x.y.z.w`) instead of returning NULL.
    const state = sqlState(error);
    if (state === '42602' || state === '42601') throw badInput(`${label}: --table ${JSON.stringify(table)} is not a table name`);
    throw error;
  }
  if (rel === undefined) return null;
  const oid = Number(rel.oid);
  const columns = await query<PgColumn & Record<string, unknown>>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, format_type(a.atttypid, NULL) AS base, a.attnotnull AS "notNull", a.attgenerated <> '' AS generated,
       CASE WHEN a.atttypid IN ('character varying'::regtype, 'character varying[]'::regtype) AND a.atttypmod >= 4 THEN a.atttypmod - 4 END AS "maxChars"
     FROM pg_attribute a WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [oid],
  );
  const checks = await query<{ name: string; expr: string }>(`SELECT conname AS name, pg_get_expr(conbin, conrelid) AS expr FROM pg_constraint WHERE conrelid = $1 AND contype = 'c' ORDER BY conname`, [oid]);
  const indexes = await query<{ name: string; primary: boolean; expressions: boolean; predicate: string | null; columns: string[] }>(
    `SELECT c.relname AS name, i.indisprimary AS primary, i.indexprs IS NOT NULL AS expressions, pg_get_expr(i.indpred, i.indrelid) AS predicate,
       array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(num, ord) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num WHERE k.ord <= i.indnkeyatts ORDER BY k.ord)::text[] AS columns
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1 AND i.indisunique ORDER BY i.indisprimary DESC, c.relname`,
    [oid],
  );
  return {
    oid,
    relname: rel.name,
    qualified: `${q(rel.schema)}.${q(rel.name)}`,
    canonical: rel.canonical,
    columns: new Map(columns.map((column) => [column.name, { ...column, maxChars: column.maxChars === null ? null : Number(column.maxChars) }])),
    checks,
    uniqueIndexes: indexes.map(({ predicate, ...index }) => ({ ...index, ...(predicate === null ? {} : { predicate }) })),
  };
}

/** The key columns: the user's `--id a,b`, or the primary key in its own column order. */
function chooseKey(where: string, table: PgTable, options: ShapeOptions): string[] {
  const primary = table.uniqueIndexes.find((index) => index.primary);
  const available = [...table.columns.keys()];
  if (options.id === undefined || options.id.length === 0) {
    if (primary === undefined) throw badInput(`${where} has no primary key; name a unique, non-null key (one column or several: --id a,b) with --id`);
    return [...primary.columns];
  }
  const id = [...options.id];
  for (const column of id) {
    if (!table.columns.has(column)) throw badInput(`${where} has no column "${column}" (--id); expected one of: ${available.join(', ')}`);
  }
  if (new Set(id).size !== id.length) throw badInput(`${where}: --id ${id.join(',')} names a column twice`);
  // A unique index makes the key unique only with no expressions and no WHERE (a partial index leaves the other rows free), and only with NOT NULL (NULLs never collide).
  const sameSet = (columns: readonly string[]) => columns.length === id.length && columns.every((column) => id.includes(column));
  const unique = table.uniqueIndexes.some((index) => !index.expressions && index.predicate === undefined && sameSet(index.columns));
  const notNull = id.every((column) => table.columns.get(column)!.notNull);
  if (!unique || !notNull) {
    throw badInput(`${where}: --id ${id.join(',')} is neither the primary key nor NOT NULL column${id.length > 1 ? 's' : ''} with a unique index on exactly ${id.length > 1 ? 'those columns' : 'that column'}; batches need a unique key`);
  }
  return id;
}

/**
 * Reads and checks a table for a backfill. shape.table is the schema-qualified name
 * (`PgTable.canonical`), so `two`, `public.two`, `"two"` and `PUBLIC.TWO` give one name,
 * `public.two`: one run history and one lock, and a run's table found again by that name from a
 * session with any search_path.
 */
export async function describeTable(query: CatalogQuery, label: string, table: string | undefined, options: ShapeOptions): Promise<{ shape: TableShape; table: PgTable }> {
  if (table === undefined) throw badInput(`${label}: name the table with --table`);
  const found = await readTable(query, label, table);
  if (found === null) {
    const tables = await query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'semfilter_backfill_%' ORDER BY 1`);
    throw badInput(`${label}: no table "${table}"; expected one of: ${tables.map((row) => row.name).join(', ') || '(no tables)'}`);
  }
  const where = `${label} table ${found.canonical}`;
  const keyColumns = chooseKey(where, found, options);
  const allColumns = [...found.columns.keys()];
  const { columns, required } = chooseColumns(where, allColumns, options);
  for (const column of columns) {
    const described = found.columns.get(column)!;
    if (keyColumns.includes(column)) throw badInput(`${where}: the key column "${column}" cannot also be a tag column`);
    if (described.generated) throw badInput(`${where}: column "${column}" is generated (GENERATED ALWAYS AS … STORED) and cannot be written; the database computes it from other columns. ${options.columns === undefined ? 'It is one of the default tag columns: name the tag columns with --columns, leaving it out' : 'Leave it out of --columns'}`);
    if (TAG_TYPES[described.base] === undefined) throw badInput(`${where}: column "${column}" is ${described.type}; expected text, varchar, text[], varchar[], json or jsonb`);
  }
  const columnTypes = Object.fromEntries([...found.columns.values()].map((column) => [column.name, column.base]));
  return { shape: { table: found.canonical, keyColumns, columns, allColumns, columnTypes, required }, table: found };
}

/**
 * Unique indexes with at least one tag column, over plain columns (an expression index cannot be
 * checked by grouping values). A partial index is listed with its predicate: it constrains only
 * the rows the predicate holds for, which plan cannot evaluate per group, so plan may name a
 * collision the predicate would allow; apply's savepoint decides either way.
 */
export function tagUniqueIndexes(shape: TableShape, table: PgTable): UniqueIndex[] {
  return table.uniqueIndexes
    .filter((index) => !index.expressions && index.columns.some((column) => shape.columns.includes(column)))
    .map((index) => ({ name: index.name, columns: index.columns, ...(index.predicate === undefined ? {} : { predicate: index.predicate }) }));
}
