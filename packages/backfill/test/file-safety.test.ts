import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, statfsSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apply, BackfillError, plan, rollback, validate, type ApplyOptions } from '@semfilter/backfill';
import { withStore } from './support/with-store.js';

const applyTo = (url: string, options: Partial<ApplyOptions> = {}) => withStore(url, true, (store) => apply(store, { table: 'items', ...options }));
const rollbackOf = (url: string, run: string) => withStore(url, true, (store) => rollback(store, { run }));
const folder = () => mkdtempSync(join(tmpdir(), 'semfilter-file-safety-'));

/** What rejected, as the error itself (so a test can look at its code and message). */
async function failure(promise: Promise<unknown>): Promise<BackfillError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(BackfillError);
  return error as BackfillError;
}

// Items a, b, c change (7 cells: a style+occasion, b all three, c style+mood); d is normal already.
// Item a's occasion list spans lines, so its layout must survive apply and rollback byte for byte.
const WARDROBES = {
  json: `{
  "items": [
    {"id": "a", "name": "jacket", "style": "Smart_Casual", "occasion": [
        "Work",
        "OFFICE"
      ], "mood": "calm"},
    {"id": "b", "name": "scarf", "style": " smart casual ", "occasion": ["WEEKEND"], "mood": ["Relaxed", "HAPPY"]},
    {"id": "c", "name": "boots", "style": "STREETWEAR", "occasion": ["date night"], "mood": "Calm"},
    {"id": "d", "name": "tee", "style": "casual", "occasion": ["work"], "mood": "calm"}
  ]
}
`,
  jsonl: `{"id":"a","name":"jacket","style":"Smart_Casual","occasion":["Work","OFFICE"],"mood":"calm"}
{"id":"b","name":"scarf","style":" smart casual ","occasion":["WEEKEND"],"mood":["Relaxed","HAPPY"]}
{"id":"c","name":"boots","style":"STREETWEAR","occasion":["date night"],"mood":"Calm"}
{"id":"d","name":"tee","style":"casual","occasion":["work"],"mood":"calm"}
`,
} as const;

function wardrobe(format: 'json' | 'jsonl', text: string = WARDROBES[format]): { url: string; path: string; dir: string } {
  const dir = folder();
  const path = join(dir, `wardrobe.${format}`);
  writeFileSync(path, text);
  return { url: `file:${path}`, path, dir };
}

/** The application's edits, done on text: item a's style becomes "Edited By App", item b is deleted. */
function appEdits(text: string, styleNow: string): string {
  const edited = text.replace(new RegExp(`("style": ?)${JSON.stringify(styleNow)}`), '$1"Edited By App"');
  return edited.replace(/^.*"id": ?"b".*\n/m, '');
}

describe('per-cell rollback of a wardrobe file', () => {
  for (const format of ['json', 'jsonl'] as const) {
    it(`${format}: an edited member is the only CHANGED conflict of its item, a deleted item's cells are ROW_DELETED, everything else is back byte for byte`, async () => {
      const { url, path } = wardrobe(format);
      const before = readFileSync(path, 'utf8');
      const applied = await applyTo(url, { run: 'cells' });
      expect(applied.run).toMatchObject({ rowsChanged: 3, cellsChanged: 7, rowsRefused: 0 });
      expect(applied.journal.entries).toBe(7);
      const journal = await withStore(url, true, (store) => store.readJournal('cells', 0, 100));
      expect(journal.map((entry) => [entry.seq, entry.key, entry.column])).toEqual([
        [1, ['a'], 'style'], [2, ['a'], 'occasion'], [3, ['b'], 'style'], [4, ['b'], 'occasion'], [5, ['b'], 'mood'], [6, ['c'], 'style'], [7, ['c'], 'mood'],
      ]);
      // Journaled as the member's text in the file: a's list keeps its lines.
      expect(JSON.parse(journal[1]!.before as string)).toEqual(['Work', 'OFFICE']);
      expect(readFileSync(path, 'utf8')).toContain(journal[1]!.written as string);

      writeFileSync(path, appEdits(readFileSync(path, 'utf8'), 'smart casual'));
      const result = await rollbackOf(url, 'cells');
      expect(result).toMatchObject({ restored: 3, conflictCount: 4 });
      expect(result.conflicts.map((conflict) => [conflict.key, conflict.column, conflict.reason, conflict.found])).toEqual([
        [['b'], 'mood', 'ROW_DELETED', null],
        [['b'], 'occasion', 'ROW_DELETED', null],
        [['b'], 'style', 'ROW_DELETED', null],
        [['a'], 'style', 'CHANGED', '"Edited By App"'],
      ]);
      expect(result.conflicts.map((conflict) => JSON.parse(conflict.written as string))).toEqual([['relaxed', 'happy'], ['weekend'], 'smart casual', 'smart casual']);
      // a's occasion restored next to the app's style; c restored; b stays deleted; nothing else moved.
      expect(readFileSync(path, 'utf8')).toBe(appEdits(before, 'Smart_Casual'));
      const [run] = await withStore(url, true, (store) => store.readRuns());
      expect(run).toMatchObject({ status: 'rolled_back', cellsRestored: 3, conflicts: 4 });
    });
  }

  for (const point of ['duringWrite', 'beforeCommit'] as const) {
    it(`a rollback stopped ${point === 'duringWrite' ? 'while writing the file' : 'after writing the file, before its outcomes are saved'} and run again ends as one that was not`, async () => {
      const { url, path } = wardrobe('json');
      const before = readFileSync(path, 'utf8');
      await applyTo(url, { run: 'again' });
      writeFileSync(path, appEdits(readFileSync(path, 'utf8'), 'smart casual'));
      const crash = () => {
        throw new Error('crash');
      };
      await expect(withStore(url, true, (store) => rollback(store, { run: 'again', hooks: { [point]: crash } }))).rejects.toThrow('crash');
      const result = await rollbackOf(url, 'again');
      expect(result).toMatchObject({ restored: 3, conflictCount: 4, run: { status: 'rolled_back', cellsRestored: 3, conflicts: 4 } });
      expect(readFileSync(path, 'utf8')).toBe(appEdits(before, 'Smart_Casual'));
    });
  }

  it('a file the app saved again in its own layout: members equal to what apply wrote are restored, the one it changed is a conflict', async () => {
    const { url, path } = wardrobe('json');
    const original = JSON.parse(WARDROBES.json) as { items: Record<string, unknown>[] };
    await applyTo(url, { run: 'resaved' });
    const saved = JSON.parse(readFileSync(path, 'utf8')) as { items: Record<string, unknown>[] };
    saved.items.find((item) => item.id === 'c')!.mood = 'Sleepy';
    writeFileSync(path, JSON.stringify(saved, null, 4));
    const result = await rollbackOf(url, 'resaved');
    expect(result).toMatchObject({ restored: 6, conflictCount: 1 });
    expect(result.conflicts).toEqual([{ key: ['c'], column: 'mood', reason: 'CHANGED', written: '"calm"', found: '"Sleepy"' }]);
    original.items.find((item) => item.id === 'c')!.mood = 'Sleepy';
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(original);
  });

  it('keys of several fields (--id sku,size); a repeated key is a NO_KEY problem shown by its position', async () => {
    const { url, path } = wardrobe('jsonl', ['{"sku":"x","size":1,"style":"CASUAL"}', '{"sku":"x","size":2,"style":"Classic"}', '{"sku":"x","size":1,"style":"Business"}', ''].join('\n'));
    const before = readFileSync(path, 'utf8');
    const report = await withStore(url, true, async (store) => plan(store, await store.describe(undefined, { id: ['sku', 'size'], columns: ['style'] })));
    expect(report.problems.listed).toEqual([expect.objectContaining({ key: ['#2'], code: 'NO_KEY', message: expect.stringMatching(/item 2 repeats the key \(sku, size\) \("x", 1\) of item 0/) })]);
    const applied = await applyTo(url, { run: 'pair', id: ['sku', 'size'], columns: ['style'] });
    expect(applied.run).toMatchObject({ keyColumns: ['sku', 'size'], cellsChanged: 2, rowsSkipped: 1 });
    expect(readFileSync(path, 'utf8')).toBe(['{"sku":"x","size":1,"style":"casual"}', '{"sku":"x","size":2,"style":"classic"}', '{"sku":"x","size":1,"style":"Business"}', ''].join('\n'));
    expect((await rollbackOf(url, 'pair')).restored).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('a JSON array is one list, "items": another table name is refused instead of starting a second run on the same items', async () => {
    const { url } = wardrobe('jsonl');
    const error = await failure(applyTo(url, { table: 'clothes' }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(/single list of items.*--table items/);
  });
});

describe('one lock per wardrobe file, whatever path names it', () => {
  it('an apply through a symlink is LOCKED while another apply holds the file; a rollback through it finds the same run and keeps the symlink', async () => {
    const { url, path, dir } = wardrobe('json');
    const before = readFileSync(path, 'utf8');
    const link = join(dir, 'link.json');
    symlinkSync(path, link);
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const holding = new Promise<void>((resolve) => (inside = resolve));
    const first = applyTo(url, { run: 'one', hooks: { beforeCommit: async () => { inside(); await paused; } } });
    await holding;
    const locked = await withStore(`file:${link}`, true, (store) => store.isLocked('items'));
    const error = await failure(applyTo(`file:${link}`, { run: 'two' }));
    release();
    await first;
    expect(locked).toBe(true);
    expect(error.code).toBe('LOCKED');
    expect(error.message).toMatch(/locked by another backfill/);
    expect(error.message).toMatch(/one apply or rollback per table at a time/);

    const result = await rollbackOf(`file:${link}`, 'one');
    expect(result).toMatchObject({ restored: 7, conflictCount: 0 });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'wardrobe.json', 'wardrobe.json.backfill.json']);
  });
});

// Real errors, not fakes: root gets them from a tmpfs (read-only, or full); anyone else from chmod.
const ROOT = process.getuid?.() === 0;
const mount = (dir: string, options: string) => execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
const CAN_MOUNT =
  ROOT &&
  (() => {
    const probe = folder();
    try {
      mount(probe, 'size=64k');
      execFileSync('umount', [probe]);
      return true;
    } catch {
      return false;
    }
  })();

async function onTmpfs<T>(size: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = folder();
  mount(dir, `size=${size}`);
  try {
    return await work(dir);
  } finally {
    execFileSync('umount', [dir]);
  }
}

const many = (count: number) =>
  `${JSON.stringify(Array.from({ length: count }, (_, i) => ({ id: `sku-${i}`, name: `item ${i}`, style: ['Smart_Casual', 'STREETWEAR', ' classic '][i % 3], occasion: ['Work', 'Date_Night'], mood: i % 2 === 0 ? 'Calm' : ['HAPPY', 'relaxed'] })), null, 1)}\n`;

describe('write errors are named, and leave the file as it was', () => {
  it.skipIf(ROOT && !CAN_MOUNT)('a folder that cannot be written: READ_ONLY with the path, the file not changed', async () => {
    const check = async (dir: string, makeReadOnly: () => void) => {
      const path = join(dir, 'wardrobe.json');
      writeFileSync(path, WARDROBES.json);
      makeReadOnly();
      const error = await failure(applyTo(`file:${path}`, { run: 'ro' }));
      expect(error.code).toBe('READ_ONLY');
      expect(error.message).toContain(dir);
      expect(error.message).toMatch(/the file was not changed/);
      expect(error.stack).not.toMatch(/\n\s+at .*node:fs/);
      expect(readFileSync(path, 'utf8')).toBe(WARDROBES.json);
      expect(readdirSync(dir)).toEqual(['wardrobe.json']);
    };
    if (ROOT) await onTmpfs('1m', (dir) => check(dir, () => execFileSync('mount', ['-o', 'remount,ro', dir])));
    else {
      const dir = folder();
      try {
        await check(dir, () => chmodSync(dir, 0o555));
      } finally {
        chmodSync(dir, 0o755);
      }
    }
  });

  it.skipIf(!CAN_MOUNT)('a full disk: DISK_FULL with the path, the file not changed, and the run resumes to the uninterrupted result once there is room', async () => {
    const text = many(400);
    const reference = wardrobe('json', text);
    await applyTo(reference.url, { run: 'full' });
    await onTmpfs('2m', async (dir) => {
      const path = join(dir, 'wardrobe.json');
      writeFileSync(path, text);
      const { bavail, bsize } = statfsSync(dir);
      const filler = join(dir, 'filler');
      // Room for the lock and the run record, not for the journal (each cell's text twice) or a copy of the file.
      writeFileSync(filler, Buffer.alloc(bavail * bsize - 24 * 1024));
      const error = await failure(applyTo(`file:${path}`, { run: 'full' }));
      expect(error.code).toBe('DISK_FULL');
      expect(error.message).toContain(dir);
      expect(error.message).toMatch(/the file was not changed/);
      expect(readFileSync(path, 'utf8')).toBe(text);
      expect(readdirSync(dir).filter((name) => name.includes('backfill-tmp') || name.endsWith('.lock'))).toEqual([]);
      unlinkSync(filler);
      const resumed = await applyTo(`file:${path}`, { run: 'full' });
      expect(resumed.mode).toBe('resumed');
      expect(readFileSync(path, 'utf8')).toBe(readFileSync(reference.path, 'utf8'));
      expect((await withStore(`file:${path}`, true, (store) => validate(store, { table: 'items', run: 'full' }))).verdict).toBe('PASS');
    });
  });
});
