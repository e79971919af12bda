import type { RowChange, Store } from './store.js';
import type { Row, TableShape } from './types.js';
import { examineCell, type CellForm, type CellVerdict, type ProblemCode, type TagNormalizer } from './values.js';

/** A row the backfill cannot handle, and why (one entry per bad column). */
export interface RowProblem {
  readonly key: Row['key'];
  readonly column: string;
  readonly code: ProblemCode;
  readonly message: string;
}

/** What the backfill makes of one row. */
export interface RowDecision {
  /** The new values of the columns that change; null when nothing changes or the row is skipped. */
  readonly change: RowChange | null;
  /** The row has a problem, so none of its columns is written. */
  readonly skipped: boolean;
  readonly problems: readonly RowProblem[];
  readonly verdicts: Readonly<Record<string, CellVerdict>>;
}

/** The cell forms of a shape's tag columns, looked up once per command. */
export function formsOf(store: Store, shape: TableShape): Record<string, CellForm> {
  return Object.fromEntries(shape.columns.map((column) => [column, store.formOf(shape, column)]));
}

/**
 * Decides one row. A row with any bad tag column is skipped whole: writing its good columns would
 * leave a half-cleaned row that no one asked for and that validate could not tell apart.
 */
export function decideRow(row: Row, shape: TableShape, forms: Readonly<Record<string, CellForm>>, normalize: TagNormalizer): RowDecision {
  const verdicts: Record<string, CellVerdict> = {};
  const problems: RowProblem[] = [];
  const values: Record<string, string | readonly string[]> = {};
  if (row.problem !== undefined) problems.push({ key: row.key, column: shape.keyColumns.join(', '), code: row.problem.code, message: row.problem.message });
  for (const column of shape.columns) {
    const verdict = examineCell(row.values[column], forms[column] ?? 'text', shape.required.includes(column), normalize);
    verdicts[column] = verdict;
    if (verdict.kind === 'problem') problems.push({ key: row.key, column, code: verdict.code, message: verdict.message });
    else if (verdict.kind === 'tags' && verdict.changed) values[column] = verdict.normalized;
  }
  const skipped = problems.length > 0;
  const change = !skipped && Object.keys(values).length > 0 ? { key: row.key, values } : null;
  return { change, skipped, problems, verdicts };
}
