import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { apply, BackfillError, plan, rollback, status, validate, type ApplyOptions } from '@semfilter/backfill';
import { BAD_ROWS, EDITED_ROW, TWINS, type Harness } from './harness.js';
import { withStore } from './with-store.js';

const CHILD = fileURLToPath(new URL('./apply-child.ts', import.meta.url));
const SIZE = 240;
const BATCH = 25;
const OPTIONS = { table: 'items', required: ['style'], batchSize: BATCH } as const;

const applyTo = (url: string, options: Partial<ApplyOptions> = {}) => withStore(url, true, (store) => apply(store, { ...OPTIONS, ...options }));

/** Runs apply in a child process that SIGKILLs itself at `phase` of batch `killAt`. */
function killedApply(url: string, run: string, killAt: number, phase: string): void {
  const child = spawnSync(process.execPath, ['--conditions=@semfilter/source', '--import', 'tsx', CHILD, url, run, String(BATCH), String(killAt), phase], { encoding: 'utf8' });
  expect(child.signal, `child stdout: ${child.stdout}\nchild stderr: ${child.stderr}`).toBe('SIGKILL');
}

/**
 * The "Done when" list, for one kind of store. `batches` is false for files, which are
 * rewritten in one atomic step instead of in batches.
 */
export function backfillContract(harness: Harness, options: { readonly batches: boolean; readonly killPhases: readonly string[] }): void {
  let counter = 0;
  const fresh = () => harness.create(`${harness.kind}_${process.pid}_${(counter += 1)}`, SIZE);

  it('plan writes nothing, and reports changes, bad rows and duplicates', async () => {
    const url = await fresh();
    const before = await harness.checksum(url);
    const report = await withStore(url, false, async (store) => plan(store, await store.describe('items', { required: ['style'] })));
    expect(await harness.checksum(url)).toBe(before);
    expect(await withStore(url, false, (store) => store.readRuns())).toEqual([]);
    expect(report.rowsScanned).toBe(SIZE);
    expect(report.rowsToChange).toBeGreaterThan(SIZE / 2);
    expect(report.topChanges[0]).toMatchObject({ count: expect.any(Number) });
    expect(report.topChanges.some((change) => change.column === 'style' && change.from === 'Smart_Casual' && change.to === 'smart casual')).toBe(true);
    const problems = Object.fromEntries(report.problems.listed.map((problem) => [String(problem.key), problem.code]));
    expect(problems).toEqual(Object.fromEntries(Object.entries(BAD_ROWS)));
    expect(report.problems.listed.find((problem) => problem.code === 'CONTROL_CHARACTER')!.message).toMatch(/U\+0007/);
    expect(report.duplicates.listed).toContainEqual({ keys: TWINS.map((id) => harness.key(id)), size: 2, onlyAfterNormalization: true });
  });

  it('apply then validate passes; bad rows are reported and left untouched', async () => {
    const url = await fresh();
    const before = await harness.dump(url);
    const result = await applyTo(url, { run: 'first' });
    expect(result.mode).toBe('new');
    expect(result.run).toMatchObject({ status: 'done', rowsScanned: SIZE, rowsSkipped: Object.keys(BAD_ROWS).length });
    expect(result.journal.entries).toBe(result.run.cellsChanged);
    expect(result.run.cellsChanged).toBeGreaterThan(result.run.rowsChanged);
    const report = await withStore(url, false, (store) => validate(store, { table: 'items', all: true }));
    expect(report).toMatchObject({ verdict: 'PASS', run: 'first', rowsChecked: SIZE, failures: [] });
    const after = await harness.dump(url);
    if (options.batches) {
      for (const id of Object.keys(BAD_ROWS)) expect(after[Number(id) - 1], `row ${id}`).toBe(before[Number(id) - 1]);
    } else {
      for (const id of Object.keys(BAD_ROWS)) expect(after.join('\n')).toContain(String(before.find((line) => line.includes(`"item ${id}"`)) ?? `"item ${id}"`).trim());
    }
    // A second plan finds nothing left to do but the bad rows.
    const again = await withStore(url, false, async (store) => plan(store, await store.describe('items', { required: ['style'] })));
    expect([again.rowsToChange, again.problems.rows]).toEqual([0, Object.keys(BAD_ROWS).length]);
    expect(await applyTo(url, { run: 'first' })).toMatchObject({ mode: 'already-done' });
  });

  for (const phase of options.killPhases) {
    it(`apply SIGKILLed (${phase}) and resumed equals an uninterrupted run`, async () => {
      const reference = await fresh();
      await applyTo(reference, { run: 'r' });
      const url = await fresh();
      const batches = Math.ceil(SIZE / BATCH);
      const killAt = options.batches ? 1 + Math.floor(Math.random() * (batches - 1)) : 1;
      killedApply(url, 'r', killAt, phase);
      // PostgreSQL frees a dead session's advisory lock when its backend notices the closed socket,
      // a few milliseconds after the kill: until then the run still reads as running.
      await expect
        .poll(async () => (await withStore(url, false, (store) => status(store)))[0], { timeout: 5000, message: `killed at batch ${killAt}` })
        .toMatchObject({ name: 'r', state: 'interrupted' });
      const resumed = await applyTo(url, { run: 'r' });
      expect(resumed.mode).toBe('resumed');
      expect(await harness.dump(url), `killed at batch ${killAt}`).toEqual(await harness.dump(reference));
      expect(resumed.run.cellsChanged).toBe((await withStore(reference, false, (store) => store.readRuns()))[0]!.cellsChanged);
      expect((await withStore(url, false, (store) => validate(store, { table: 'items', all: true }))).verdict).toBe('PASS');
    });
  }

  it('apply then rollback leaves a byte-identical dump', async () => {
    const url = await fresh();
    const before = await harness.dump(url);
    const applied = await applyTo(url, { run: 'undo-me' });
    expect(await harness.dump(url)).not.toEqual(before);
    const result = await withStore(url, true, (store) => rollback(store, { run: 'undo-me', batchSize: 7 }));
    expect(result).toMatchObject({ restored: applied.run.cellsChanged, conflictCount: 0, conflicts: [] });
    expect(await harness.dump(url)).toEqual(before);
    expect((await withStore(url, false, (store) => status(store)))[0]).toMatchObject({ state: 'rolled_back' });
  });

  it('a row edited between apply and rollback is a conflict and keeps its edit', async () => {
    const url = await fresh();
    const before = await harness.dump(url);
    await applyTo(url, { run: 'edited' });
    await harness.edit(url, EDITED_ROW, 'Edited By App');
    const result = await withStore(url, true, (store) => rollback(store, { run: 'edited' }));
    expect(result.conflictCount).toBe(1);
    expect(result.conflicts[0]).toMatchObject({ key: harness.key(EDITED_ROW), column: 'style', reason: 'CHANGED', written: expect.stringContaining('smart casual') });
    expect(result.conflicts[0]!.found).toContain('Edited By App');
    const after = await harness.dump(url);
    expect(after.join('\n')).toContain('Edited By App');
    if (options.batches) {
      expect(after.filter((line, index) => line !== before[index])).toHaveLength(1);
    }
  });

  it('a second concurrent apply is refused with a clear message', async () => {
    const url = await fresh();
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const holding = new Promise<void>((resolve) => (inside = resolve));
    // Held between batches: a SQLite write transaction kept open would make the second apply wait
    // for the database itself (BUSY) before it ever reached the run lock.
    const first = applyTo(url, { run: 'one', hooks: { afterCommit: async () => { inside(); await paused; } } });
    await holding;
    const second = applyTo(url, { run: 'two' }).then(() => null, (error: unknown) => error);
    const error = await second;
    release();
    await first;
    expect(error).toBeInstanceOf(BackfillError);
    expect((error as BackfillError).code).toBe('LOCKED');
    expect((error as Error).message).toMatch(/locked by another backfill/);
    expect((error as Error).message).toMatch(/one apply or rollback per table at a time/);
  });
}
