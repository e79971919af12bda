import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { badInput } from './errors.js';
import { decideRow, formsOf } from './row.js';
import type { BatchHooks, ShapeOptions, Store } from './store.js';
import { showKey } from './keys.js';
import { ON_REFUSAL, RUN_STATUS, type OnRefusal, type Refusal, type RunRecord, type TableShape } from './types.js';
import { createNormalizer } from './values.js';
import { runShape } from './runs.js';

/** Progress after each batch, for a bar on a terminal or a JSON line elsewhere. */
export interface ApplyProgress {
  readonly run: string;
  readonly batch: number;
  readonly rowsScanned: number;
  readonly rowsChanged: number;
  readonly rowsSkipped: number;
  readonly rowsRefused: number;
  /** Rows the run will scan in all (rows present when it started). */
  readonly rowsTotal: number;
  readonly rowsPerSecond: number;
}

/** Options of `apply`. */
export interface ApplyOptions extends ShapeOptions {
  readonly table?: string | undefined;
  readonly batchSize?: number;
  readonly throttleMs?: number;
  /** The run's name; an unfinished run of that name resumes. Default: the table's unfinished run, or a new name. */
  readonly run?: string | undefined;
  /** A row the database refuses: `skip` records it and goes on (default), `stop` ends the run there. */
  readonly onRefusal?: OnRefusal;
  readonly hooks?: BatchHooks;
  readonly onProgress?: (progress: ApplyProgress) => void;
  /** Injected clock, for tests and for the rows-per-second figure. */
  readonly now?: () => number;
}

/** What `apply` did. */
export interface ApplyResult {
  /** The store, as the user named it (password hidden). */
  readonly store: string;
  readonly run: RunRecord;
  /** `resumed` continued an unfinished run, `already-done` found the run complete. */
  readonly mode: 'new' | 'resumed' | 'already-done';
  readonly batches: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly journal: { readonly entries: number; readonly bytes: number | null };
  /** Rows the database refused (first REFUSALS_LISTED; the run's rowsRefused counts them all). */
  readonly refusals: readonly Refusal[];
}

/** How many refused rows a result lists. */
export const REFUSALS_LISTED = 1000;

const UNFINISHED: readonly string[] = [RUN_STATUS.RUNNING, RUN_STATUS.ROLLING_BACK];

/** `items-20261205T140000Z`; a quoted or schema-qualified table name (`"My Shop"."Items"`) kept to characters a shell takes as they are. */
function newRunName(table: string, date: Date): string {
  return `${table.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/** Finds the run to continue, or says why none may start; null means "start a new one". */
function chooseRun(store: Store, runs: readonly RunRecord[], shape: TableShape, name: string | undefined): RunRecord | null {
  const existing = name === undefined ? undefined : runs.find((run) => run.name === name);
  if (existing !== undefined && existing.table !== shape.table) throw badInput(`${store.label}: run "${existing.name}" belongs to table ${existing.table}, not ${shape.table}`);
  if (existing?.status === RUN_STATUS.ROLLING_BACK || existing?.status === RUN_STATUS.ROLLED_BACK) {
    throw badInput(`${store.label}: run "${existing.name}" was rolled back${existing.status === RUN_STATUS.ROLLING_BACK ? ' in part' : ''}; finish with \`semfilter backfill rollback --run ${existing.name}\` and start a run under a new name`);
  }
  const other = runs.find((run) => run.table === shape.table && UNFINISHED.includes(run.status) && run.name !== existing?.name);
  if (other !== undefined && (name !== undefined || other.status === RUN_STATUS.ROLLING_BACK)) {
    throw badInput(`${store.label} table ${shape.table}: run "${other.name}" is unfinished (${other.status}, cursor ${other.cursor === null ? 'at the start' : showKey(other.cursor)}); one run per table at a time: resume it with --run ${other.name}, or roll it back with \`semfilter backfill rollback --run ${other.name}\``);
  }
  return existing ?? other ?? null;
}

/**
 * Applies normalization in batches by key. Each batch (changed rows, their journal entries, the
 * cursor) commits in one transaction, so a killed run resumes where it stopped and ends as an
 * uninterrupted one would.
 */
export async function apply(store: Store, options: ApplyOptions): Promise<ApplyResult> {
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw badInput(`--batch ${batchSize}: expected a whole number of rows, at least 1`);
  const onRefusal = options.onRefusal ?? ON_REFUSAL.SKIP;
  if (!(Object.values(ON_REFUSAL) as string[]).includes(onRefusal)) throw badInput(`--on-refusal ${onRefusal}: expected one of ${Object.values(ON_REFUSAL).join(', ')}`);
  let shape = await store.describe(options.table, options);
  const release = await store.lock(shape);
  try {
    await store.prepare();
    const runs = await store.readRuns();
    let run = chooseRun(store, runs, shape, options.run);
    let mode: ApplyResult['mode'] = 'resumed';
    if (run !== null) {
      // A resumed run keeps its own key and columns: changing them halfway would mix two backfills.
      shape = await runShape(store, run);
      if (run.status === RUN_STATUS.DONE) mode = 'already-done';
      // The refusal policy is the operator's choice for this attempt: a run stopped on a refusal
      // goes on with --on-refusal skip.
      else run = { ...run, onRefusal };
    } else {
      const started = new Date(now());
      run = {
        name: options.run ?? newRunName(shape.table, started),
        table: shape.table,
        keyColumns: shape.keyColumns,
        columns: shape.columns,
        required: shape.required,
        onRefusal,
        status: RUN_STATUS.RUNNING,
        cursor: null,
        upperBound: await store.lastKey(shape),
        batchSize,
        rowsAtStart: await store.count(shape),
        rowsScanned: 0,
        rowsChanged: 0,
        cellsChanged: 0,
        rowsSkipped: 0,
        rowsRefused: 0,
        rollbackCursor: null,
        cellsRestored: 0,
        conflicts: 0,
        owner: null,
        startedAt: started.toISOString(),
        updatedAt: started.toISOString(),
        finishedAt: null,
        prunedAt: null,
      };
      mode = 'new';
      await store.createRun(run);
    }
    const startedAt = now();
    const scannedBefore = run.rowsScanned;
    let batches = 0;
    if (mode !== 'already-done') {
      run.owner = { host: hostname(), pid: process.pid };
      await store.saveRun(run);
      const forms = formsOf(store, shape);
      const normalize = createNormalizer();
      const decide = (row: Parameters<typeof decideRow>[0]) => decideRow(row, shape, forms, normalize);
      for (;;) {
        batches += 1;
        const outcome = await store.applyBatch(run, shape, batchSize, decide, batches, options.hooks ?? {});
        const seconds = Math.max((now() - startedAt) / 1000, 1e-3);
        options.onProgress?.({ run: run.name, batch: batches, rowsScanned: run.rowsScanned, rowsChanged: run.rowsChanged, rowsSkipped: run.rowsSkipped, rowsRefused: run.rowsRefused, rowsTotal: run.rowsAtStart, rowsPerSecond: (run.rowsScanned - scannedBefore) / seconds });
        await options.hooks?.afterCommit?.(batches);
        if (outcome.done) break;
        if ((options.throttleMs ?? 0) > 0) await sleep(options.throttleMs);
      }
      run.status = RUN_STATUS.DONE;
      run.owner = null;
      run.finishedAt = run.updatedAt = new Date(now()).toISOString();
      await store.saveRun(run);
    }
    const seconds = (now() - startedAt) / 1000;
    const rowsPerSecond = seconds > 0 ? (run.rowsScanned - scannedBefore) / seconds : 0;
    return { store: store.label, run, mode, batches, seconds, rowsPerSecond, journal: await store.journalSize(run.name), refusals: await store.readRefusals(run.name, REFUSALS_LISTED) };
  } finally {
    await release();
  }
}
