import { formOfType, type PgTable } from './postgres-catalog.js';
import { cellText, keyArrays, keyJoin, keyTypes } from './postgres-sql.js';
import { quoteIdent as q } from './sql.js';
import type { RowChange } from './store.js';
import type { Refusal, TableShape } from './types.js';

/** Runs one read-only query and gives its rows as arrays. */
export type ReadRows = (sql: string, params: unknown[]) => Promise<unknown[][]>;

/**
 * Whether varchar(n) refuses a text: PostgreSQL counts characters (code points), and lets excess
 * characters through only when they are all spaces (it trims them); anything else is error 22001.
 */
function overflows(text: string, limit: number): boolean {
  const chars = [...text];
  return chars.length > limit && chars.slice(limit).some((char) => char !== ' ');
}

/** The varchar(n) refusal of one change, worded as PostgreSQL words it, or null. */
function lengthRefusal(table: PgTable, change: RowChange): string | null {
  for (const [column, value] of Object.entries(change.values)) {
    const described = table.columns.get(column);
    if (described?.maxChars === null || described === undefined) continue;
    const form = formOfType(described.base);
    // An array column checks each element; a text column the text written (a JSON list as its text).
    const texts = form === 'array' ? (typeof value === 'string' ? [value] : value) : [cellText(form, value)];
    if (texts.some((text) => overflows(text, described.maxChars!))) return `value too long for type character varying(${described.maxChars})`;
  }
  return null;
}

/**
 * The changes the database would refuse that it can tell row by row without writing: a varchar(n)
 * overflow (from the column's typmod), and CHECK constraints, which PostgreSQL itself evaluates on
 * each row as the change would leave it (every column as stored, tag columns replaced by their new
 * values cast to the column's type). A CHECK that yields NULL passes, as it does on write. Only
 * SELECTs: plan runs in a read-only session.
 */
export async function foreseeRefusals(read: ReadRows, table: PgTable, shape: TableShape, changes: readonly RowChange[]): Promise<Refusal[]> {
  const found = new Map<number, string>();
  changes.forEach((change, index) => {
    const refusal = lengthRefusal(table, change);
    if (refusal !== null) found.set(index, refusal);
  });
  const rest = changes.map((change, index) => ({ change, index })).filter(({ index }) => !found.has(index));
  if (table.checks.length > 0 && rest.length > 0) {
    const keys = shape.keyColumns;
    const columns = [...new Set(rest.flatMap(({ change }) => Object.keys(change.values)))].filter((column) => table.columns.has(column));
    const params: unknown[] = keyArrays(
      rest.map(({ change }) => change.key),
      keys.length,
    );
    const names = keys.map((_key, index) => `k${index}`);
    const casts = keys.map(() => 'text[]');
    columns.forEach((column, index) => {
      const form = formOfType(table.columns.get(column)!.base);
      params.push(rest.map(({ change }) => change.values[column] !== undefined));
      params.push(rest.map(({ change }) => (change.values[column] === undefined ? null : cellText(form, change.values[column]!))));
      names.push(`s${index}`, `c${index}`);
      casts.push('boolean[]', 'text[]');
    });
    // The ordinal's name must not shadow a column the CHECK expression reads.
    let ordinal = 'semfilter_ordinal';
    while (table.columns.has(ordinal)) ordinal += '_';
    const select = [...table.columns.values()].map((column) => {
      const index = columns.indexOf(column.name);
      return index < 0 ? `t.${q(column.name)}` : `CASE WHEN v.s${index} THEN v.c${index}::${column.base} ELSE t.${q(column.name)} END AS ${q(column.name)}`;
    });
    const from = `${table.qualified} AS t JOIN unnest(${casts.map((cast, index) => `$${index + 1}::${cast}`).join(', ')}) WITH ORDINALITY AS v(${names.join(', ')}, i) ON ${keyJoin(keys, keyTypes(table, keys))}`;
    // PostgreSQL checks constraints in name order and reports the first one broken; so does this.
    for (const check of table.checks) {
      const rows = await read(`SELECT ${q(ordinal)} FROM (SELECT v.i AS ${q(ordinal)}, ${select.join(', ')} FROM ${from}) AS ${q(table.relname)} WHERE (${check.expr}) IS FALSE`, params);
      for (const [ordinalValue] of rows) {
        const { index } = rest[Number(ordinalValue) - 1]!;
        if (!found.has(index)) found.set(index, `new row for relation "${table.relname}" violates check constraint "${check.name}"`);
      }
    }
  }
  return [...found].sort(([a], [b]) => a - b).map(([index, message]) => ({ key: changes[index]!.key, message }));
}
