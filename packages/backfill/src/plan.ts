import { createHash } from 'node:crypto';
import { decideRow, formsOf, type RowProblem } from './row.js';
import type { Store } from './store.js';
import type { Key, Row, TableShape } from './types.js';
import { createNormalizer } from './values.js';

/** The dry run's findings. Nothing in producing them writes to the store. */
export interface PlanReport {
  readonly store: string;
  readonly table: string;
  readonly idColumn: string;
  readonly columns: readonly string[];
  readonly rowsScanned: number;
  readonly rowsToChange: number;
  /** Per column: cells that would change, and cells holding tags at all. */
  readonly perColumn: Readonly<Record<string, { readonly changes: number; readonly withTags: number; readonly empty: number }>>;
  /** The most frequent tag changes, raw → normalized, with the number of cells holding each. */
  readonly topChanges: readonly { readonly column: string; readonly from: string; readonly to: string; readonly count: number }[];
  /** Groups of rows identical (every column but the key) once tags are normalized. */
  readonly duplicates: {
    readonly groups: number;
    readonly rows: number;
    readonly listed: readonly { readonly keys: readonly Key[]; readonly size: number; readonly onlyAfterNormalization: boolean }[];
  };
  /** Rows the backfill cannot handle: never written, listed here. */
  readonly problems: { readonly rows: number; readonly byCode: Readonly<Record<string, number>>; readonly listed: readonly RowProblem[] };
}

/** How much of the long lists a plan keeps (counts are always complete). */
export const PLAN_LIMITS = { topChanges: 20, duplicateGroups: 20, keysPerGroup: 10, problems: 10_000 } as const;

function hashOf(values: readonly unknown[]): string {
  const text = JSON.stringify(values, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value));
  return createHash('sha1').update(text).digest('base64').slice(0, 16);
}

/** Accumulates a plan row by row, so a table of any size is planned in batches. */
export class PlanAccumulator {
  private readonly normalize = createNormalizer();
  private readonly forms;
  private rowsScanned = 0;
  private rowsToChange = 0;
  private readonly perColumn: Record<string, { changes: number; withTags: number; empty: number }> = {};
  private readonly changeCounts = new Map<string, number>();
  private readonly groups = new Map<string, { keys: Key[]; size: number; rawHash: string; rawDiffers: boolean }>();
  private problemRows = 0;
  private readonly problemCodes: Record<string, number> = {};
  private readonly problems: RowProblem[] = [];

  constructor(
    private readonly store: Store,
    private readonly shape: TableShape,
  ) {
    this.forms = formsOf(store, shape);
    for (const column of shape.columns) this.perColumn[column] = { changes: 0, withTags: 0, empty: 0 };
  }

  /** Adds one row's findings. */
  add(row: Row): void {
    const { shape } = this;
    this.rowsScanned += 1;
    const decision = decideRow(row, shape, this.forms, this.normalize);
    if (decision.change !== null) this.rowsToChange += 1;
    if (decision.skipped) {
      this.problemRows += 1;
      for (const problem of decision.problems) {
        this.problemCodes[problem.code] = (this.problemCodes[problem.code] ?? 0) + 1;
        if (this.problems.length < PLAN_LIMITS.problems) this.problems.push(problem);
      }
    }
    const contentNormalized: unknown[] = [];
    const contentRaw: unknown[] = [];
    for (const column of shape.allColumns) {
      if (column === shape.idColumn) continue;
      const raw = row.values[column];
      const verdict = decision.verdicts[column];
      contentRaw.push(raw);
      contentNormalized.push(verdict?.kind === 'tags' ? verdict.normalized : raw);
      if (verdict === undefined) continue;
      const stats = this.perColumn[column]!;
      if (verdict.kind === 'empty') stats.empty += 1;
      if (verdict.kind !== 'tags') continue;
      stats.withTags += 1;
      if (!verdict.changed || decision.skipped) continue;
      stats.changes += 1;
      for (const [from, to] of verdict.changes) {
        const key = `${column}\u0000${from}\u0000${to}`;
        this.changeCounts.set(key, (this.changeCounts.get(key) ?? 0) + 1);
      }
    }
    const hash = hashOf(contentNormalized);
    const rawHash = hashOf(contentRaw);
    const group = this.groups.get(hash);
    if (group === undefined) this.groups.set(hash, { keys: [row.key], size: 1, rawHash, rawDiffers: false });
    else {
      group.size += 1;
      if (group.keys.length < PLAN_LIMITS.keysPerGroup) group.keys.push(row.key);
      if (group.rawHash !== rawHash) group.rawDiffers = true;
    }
  }

  /** The plan so far. */
  report(): PlanReport {
    const topChanges = [...this.changeCounts]
      .map(([key, count]) => {
        const [column, from, to] = key.split('\u0000') as [string, string, string];
        return { column, from, to, count };
      })
      .sort((a, b) => b.count - a.count || a.column.localeCompare(b.column) || a.from.localeCompare(b.from))
      .slice(0, PLAN_LIMITS.topChanges);
    const duplicateGroups = [...this.groups.values()].filter((group) => group.size > 1);
    const listed = duplicateGroups
      .sort((a, b) => b.size - a.size || String(a.keys[0]).localeCompare(String(b.keys[0])))
      .slice(0, PLAN_LIMITS.duplicateGroups)
      .map((group) => ({ keys: group.keys, size: group.size, onlyAfterNormalization: group.rawDiffers }));
    return {
      store: this.store.label,
      table: this.shape.table,
      idColumn: this.shape.idColumn,
      columns: this.shape.columns,
      rowsScanned: this.rowsScanned,
      rowsToChange: this.rowsToChange,
      perColumn: this.perColumn,
      topChanges,
      duplicates: { groups: duplicateGroups.length, rows: duplicateGroups.reduce((sum, group) => sum + group.size, 0), listed },
      problems: { rows: this.problemRows, byCode: this.problemCodes, listed: this.problems },
    };
  }
}

/** The dry run: scans the whole table in key order and writes nothing, not even bookkeeping. */
export async function plan(store: Store, shape: TableShape, batchSize = 5000): Promise<PlanReport> {
  const accumulator = new PlanAccumulator(store, shape);
  let after: Key | null = null;
  for (;;) {
    const rows = await store.scan(shape, after, batchSize);
    for (const row of rows) accumulator.add(row);
    if (rows.length < batchSize) break;
    after = rows[rows.length - 1]!.key;
  }
  return accumulator.report();
}
