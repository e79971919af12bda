import { createHash } from 'node:crypto';
import { MEANING_CHANGES, type NormalizationChange } from '@semfilter/core';
import { encodeExact } from './keys.js';
import { decideRow, formsOf, type RowProblem } from './row.js';
import type { RowChange, Store, UniqueIndex } from './store.js';
import type { Key, Refusal, Row, TableShape } from './types.js';
import { createNormalizer } from './values.js';

/** The dry run's findings. Nothing in producing them writes to the store. */
export interface PlanReport {
  readonly store: string;
  readonly table: string;
  readonly keyColumns: readonly string[];
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
  /**
   * Rows the database would refuse, as far as plan can tell without writing: a value a varchar or
   * CHECK constraint rejects (`foreseen`), and rows whose normal forms collide under a unique index
   * (`collisions`: every row of the group but one would be refused, whichever apply reaches first).
   */
  readonly refusals: {
    readonly rows: number;
    readonly foreseen: readonly Refusal[];
    readonly collisions: readonly { readonly index: string; readonly columns: readonly string[]; readonly value: string; readonly keys: readonly Key[]; readonly size: number }[];
  };
  /**
   * Changes that alter what a tag says, not just how it is written (Unicode compatibility folds
   * such as "½" → "1⁄2" or "™" → "tm"): listed for a person to look at before apply.
   */
  readonly folds: readonly { readonly column: string; readonly from: string; readonly to: string; readonly codes: readonly NormalizationChange[]; readonly count: number }[];
}

/** How much of the long lists a plan keeps (counts are always complete). */
export const PLAN_LIMITS = { topChanges: 20, duplicateGroups: 20, keysPerGroup: 10, problems: 10_000, refusals: 10_000, collisions: 1000, folds: 1000 } as const;

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
  private readonly folds = new Map<string, { column: string; from: string; to: string; codes: readonly NormalizationChange[]; count: number }>();
  /** Per unique index over tag columns: the rows holding each normalized value, and whether one of them changes. */
  private readonly uniqueValues: { readonly index: UniqueIndex; readonly rows: Map<string, { keys: Key[]; size: number; changes: boolean }> }[];
  private foreseenRows = 0;
  private readonly foreseen: Refusal[] = [];
  /** Changes of the batch being added, for the store to foresee refusals of (`flush`). */
  private pending: RowChange[] = [];

  constructor(
    private readonly store: Store,
    private readonly shape: TableShape,
    uniqueIndexes: readonly UniqueIndex[] = [],
  ) {
    this.forms = formsOf(store, shape);
    for (const column of shape.columns) this.perColumn[column] = { changes: 0, withTags: 0, empty: 0 };
    this.uniqueValues = uniqueIndexes.map((index) => ({ index, rows: new Map() }));
  }

  /** Asks the store which of the changes added since the last flush it would refuse. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const refusals = await this.store.foresee(this.shape, this.pending);
    this.pending = [];
    this.foreseenRows += refusals.length;
    for (const refusal of refusals) if (this.foreseen.length < PLAN_LIMITS.refusals) this.foreseen.push(refusal);
  }

  /** Adds one row's findings. */
  add(row: Row): void {
    const { shape } = this;
    this.rowsScanned += 1;
    const decision = decideRow(row, shape, this.forms, this.normalize);
    if (decision.change !== null) {
      this.rowsToChange += 1;
      this.pending.push(decision.change);
    }
    for (const { index, rows } of this.uniqueValues) {
      if (index.columns.some((column) => row.values[column] === null || row.values[column] === undefined)) continue; // NULLs never collide
      // As the row will be: normalized tags where it changes, the other columns as they are.
      const value = encodeExact(index.columns.map((column) => decision.change?.values[column] ?? row.values[column]));
      const holders = rows.get(value);
      if (holders === undefined) rows.set(value, { keys: [row.key], size: 1, changes: decision.change !== null });
      else {
        holders.size += 1;
        if (holders.keys.length < PLAN_LIMITS.keysPerGroup) holders.keys.push(row.key);
        holders.changes ||= decision.change !== null;
      }
    }
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
      if (shape.keyColumns.includes(column)) continue;
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
      for (const { from, to, codes } of verdict.changes) {
        const key = `${column}\u0000${from}\u0000${to}`;
        this.changeCounts.set(key, (this.changeCounts.get(key) ?? 0) + 1);
        if (!codes.some((code) => MEANING_CHANGES.has(code))) continue;
        const fold = this.folds.get(key);
        if (fold !== undefined) fold.count += 1;
        else if (this.folds.size < PLAN_LIMITS.folds) this.folds.set(key, { column, from, to, codes, count: 1 });
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
      .sort((a, b) => b.size - a.size || encodeExact(a.keys[0]).localeCompare(encodeExact(b.keys[0])))
      .slice(0, PLAN_LIMITS.duplicateGroups)
      .map((group) => ({ keys: group.keys, size: group.size, onlyAfterNormalization: group.rawDiffers }));
    return {
      store: this.store.label,
      table: this.shape.table,
      keyColumns: this.shape.keyColumns,
      columns: this.shape.columns,
      rowsScanned: this.rowsScanned,
      rowsToChange: this.rowsToChange,
      perColumn: this.perColumn,
      topChanges,
      duplicates: { groups: duplicateGroups.length, rows: duplicateGroups.reduce((sum, group) => sum + group.size, 0), listed },
      problems: { rows: this.problemRows, byCode: this.problemCodes, listed: this.problems },
      refusals: this.refusalReport(),
      folds: [...this.folds.values()].sort((a, b) => b.count - a.count || a.from.localeCompare(b.from)),
    };
  }

  private refusalReport(): PlanReport['refusals'] {
    const collisions: PlanReport['refusals']['collisions'][number][] = [];
    let collidingRows = 0;
    for (const { index, rows } of this.uniqueValues) {
      for (const [value, holders] of rows) {
        if (holders.size < 2 || !holders.changes) continue; // a collision apply does not cause is not its to report
        collidingRows += holders.size - 1;
        if (collisions.length < PLAN_LIMITS.collisions) collisions.push({ index: index.name, columns: index.columns, value, keys: holders.keys, size: holders.size });
      }
    }
    return { rows: this.foreseenRows + collidingRows, foreseen: this.foreseen, collisions };
  }
}

/** The dry run: scans the whole table in key order and writes nothing, not even bookkeeping. */
export async function plan(store: Store, shape: TableShape, batchSize = 5000): Promise<PlanReport> {
  const accumulator = new PlanAccumulator(store, shape, await store.uniqueIndexes(shape));
  let after: Key | null = null;
  for (;;) {
    const rows = await store.scan(shape, after, batchSize);
    for (const row of rows) accumulator.add(row);
    await accumulator.flush();
    if (rows.length < batchSize) break;
    after = rows[rows.length - 1]!.key;
  }
  return accumulator.report();
}
