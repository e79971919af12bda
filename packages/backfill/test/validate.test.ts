import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { apply, prune, rollback, status, validate } from '@semfilter/backfill';
import { fileHarness, sqliteHarness } from './support/harness.js';
import { withStore } from './support/with-store.js';

// Issue 15, finding 9: validate checks the run's own rows, says INCONCLUSIVE rather than PASS when
// it could not check, and by default covers rare rows; finding 10's journal half: prune and sizes.
const sqlite = sqliteHarness();
let counter = 0;
const fresh = (size = 240) => sqlite.create(`validate_${process.pid}_${(counter += 1)}`, size);

const run = (url: string, name = 'r') => withStore(url, true, (store) => apply(store, { table: 'items', required: ['style'], batchSize: 50, run: name }));
const check = (url: string, options: Parameters<typeof validate>[1] = { table: 'items' }) => withStore(url, false, (store) => validate(store, options));
const write = (url: string, sql: string, ...params: unknown[]) => {
  const db = new Database(url.slice('sqlite:'.length));
  db.prepare(sql).run(...params);
  db.close();
};

describe('validate', () => {
  it('passes while the application inserts rows after the run (no row count that live traffic moves)', async () => {
    const url = await fresh();
    await run(url);
    write(url, 'INSERT INTO items (id, name, style, occasion, mood) VALUES (?, ?, ?, ?, ?)', 100_000, 'new', 'Smart_Casual', '["WEEKEND"]', 'Calm');
    const report = await check(url);
    expect(report).toMatchObject({ verdict: 'PASS', run: 'r', failures: [] });
    expect(report.rowsInTable).toBe(241);
  });

  it('finds one rare row that is not normalized among 5,000 with its default sample', async () => {
    const url = await fresh(5000);
    await run(url);
    write(url, 'UPDATE items SET style = ? WHERE id = ?', 'Rare_Raw_Tag', 4321);
    const report = await check(url);
    expect(report.verdict).toBe('FAIL');
    expect(report.rowsChecked).toBe(5000);
    expect(report.failures[0]).toMatchObject({ check: 'FIXED_POINT', keys: [[4321n]] });
    expect(report.cellsChangedSince).toBe(1);
  });

  it('says INCONCLUSIVE, not PASS, when no completed run holds the table, or once its journal is pruned', async () => {
    const url = await fresh();
    await run(url);
    expect((await check(url)).verdict).toBe('PASS');
    // Every row is normal, but with no run recorded there is no journal to check it against.
    const copy = await fresh();
    await run(copy);
    write(copy, 'DELETE FROM semfilter_backfill_runs');
    // (Row 5's NULL style is required: the run skipped that row whole, as validate is told here.)
    expect(await check(copy, { table: 'items', required: ['style'] })).toMatchObject({ verdict: 'INCONCLUSIVE', run: null, failures: [], notChecked: [expect.stringMatching(/no completed run of table items/)] });
    await withStore(url, true, (store) => prune(store, { run: 'r' }));
    expect(await check(url)).toMatchObject({ verdict: 'INCONCLUSIVE', failures: [], notChecked: [expect.stringMatching(/pruned/)] });
  });

  it('names an unfinished run as not checked beside the rows it never reached', async () => {
    const url = await fresh();
    await withStore(url, true, (store) => apply(store, { table: 'items', required: ['style'], batchSize: 50, run: 'half', hooks: { afterCommit: (batch) => { if (batch === 2) throw new Error('stop here'); } } })).catch(() => undefined);
    const report = await check(url, { table: 'items', run: 'half' });
    expect(report.verdict).toBe('FAIL');
    expect(report.failures.map((failure) => failure.check)).toEqual(['FIXED_POINT']);
    expect(report.notChecked).toEqual([expect.stringMatching(/run "half" is running, not done/)]);
  });

  it('finds a file store’s run without --run (it printed PASS with "no completed run" before)', async () => {
    const file = await fileHarness('json').create(`validate_file_${process.pid}`, 30);
    await withStore(file, true, (store) => apply(store, { required: ['style'], run: 'f' }));
    expect(await check(file, { table: undefined })).toMatchObject({ verdict: 'PASS', run: 'f' });
  });

  it('finds the run under another spelling of the table', async () => {
    const url = await fresh();
    await run(url);
    const report = await check(url, { table: 'ITEMS' });
    expect(report).toMatchObject({ verdict: 'PASS', table: 'items', run: 'r' });
    expect(report.journalEntriesChecked).toBeGreaterThan(0);
  });

  it('fails a journal entry whose written value is not the normal form of the value before', async () => {
    const url = await fresh();
    await run(url);
    write(url, "UPDATE semfilter_backfill_cells SET before_value = 'Something Else' WHERE seq = 3");
    const report = await check(url);
    expect(report.verdict).toBe('FAIL');
    expect(report.failures.map((failure) => failure.check)).toEqual(['JOURNAL_ENTRY']);
  });
});

describe('prune', () => {
  it('drops a finished run’s journal, reports its size on disk, and refuses rollback after', async () => {
    const url = await fresh(2000);
    const applied = await run(url);
    const [line] = await withStore(url, false, (store) => status(store));
    expect(line!.journal.entries).toBe(applied.run.cellsChanged);
    // Measured on disk: at least the bytes of the before and written text it holds.
    expect(line!.journal.bytes).toBeGreaterThan(applied.run.cellsChanged * 10);
    const result = await withStore(url, true, (store) => prune(store, { run: 'r' }));
    expect(result.entries).toBe(applied.run.cellsChanged);
    const [after] = await withStore(url, false, (store) => status(store));
    expect(after).toMatchObject({ prunedAt: expect.any(String), journal: { entries: 0 } });
    await expect(withStore(url, true, (store) => rollback(store, { run: 'r' }))).rejects.toThrow(/was pruned .*cannot be rolled back/);
  });

  it('refuses to prune an unfinished run', async () => {
    const url = await fresh();
    await withStore(url, true, (store) => apply(store, { table: 'items', required: ['style'], batchSize: 50, run: 'half', hooks: { afterCommit: (batch) => { if (batch === 2) throw new Error('stop here'); } } })).catch(() => undefined);
    await expect(withStore(url, true, (store) => prune(store, { run: 'half' }))).rejects.toThrow(/is unfinished/);
  });
});
