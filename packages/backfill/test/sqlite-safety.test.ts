import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { apply, BackfillError, examineCell, plan, rollback, showKey, SqliteStore, status, type ApplyOptions, type Store } from '@semfilter/backfill';
import { withStore as withStoreAt } from './support/with-store.js';

// Issue 15, SQLite: each test below failed on the store before the rewrite; the comment on each
// says which finding it covers. Real database files in a temporary folder, real child processes.

const root = mkdtempSync(join(tmpdir(), 'semfilter-sqlite-safety-'));
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
let counter = 0;
const children: ChildProcess[] = [];
afterAll(() => {
  children.forEach((child) => child.kill('SIGKILL'));
  rmSync(root, { recursive: true, force: true });
});

/** A new database file in its own folder, made by `setup`. */
function database(setup: (db: Database.Database) => void): string {
  const dir = join(root, `db${(counter += 1)}`);
  mkdirSync(dir);
  const path = join(dir, 'wardrobe.db');
  const db = new Database(path);
  db.defaultSafeIntegers(true);
  db.transaction(() => setup(db))();
  db.close();
  return path;
}

/** Every row of `table`, every column as SQLite quotes it (type included: '42' is not 42), in key order. */
function dump(path: string, table = 'items', order = 'rowid'): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((column) => `quote("${column.name}")`);
    return (db.prepare(`SELECT ${columns.join(` || '|' || `)} AS line FROM "${table}" ORDER BY ${order}`).all() as { line: string }[]).map((row) => row.line);
  } finally {
    db.close();
  }
}

function query<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  db.defaultSafeIntegers(true);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const withStore = <T>(path: string, writable: boolean, work: (store: Store) => Promise<T>): Promise<T> => withStoreAt(`sqlite:${path}`, writable, work);

const applyTo = (path: string, options: ApplyOptions) => withStore(path, true, (store) => apply(store, options));

/** What the backfill should make of a text cell, as stored (a list as JSON text). */
function normalized(raw: unknown): unknown {
  const verdict = examineCell(raw, 'text', false);
  if (verdict.kind !== 'tags') return raw;
  return typeof verdict.normalized === 'string' ? verdict.normalized : JSON.stringify(verdict.normalized);
}

/** Cells that differ between two dumps of the same rows (for "journal entries = cells changed"). */
function cellsDiffering(before: readonly string[], after: readonly string[]): number {
  let cells = 0;
  before.forEach((line, index) => {
    const a = line.split('|');
    const b = after[index]!.split('|');
    a.forEach((cell, column) => (cells += cell === b[column] ? 0 : 1));
  });
  return cells;
}

/** A node child that runs `script` with better-sqlite3 at hand and says "ready" when it holds what it should. */
function holder(script: string, ...args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', script, ...args], { cwd: PACKAGE, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (data: Buffer) => (err += data.toString()));
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`holder exited ${code}: ${err}`)));
  });
}

async function failure(work: Promise<unknown>): Promise<BackfillError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'expected a BackfillError').toBeInstanceOf(BackfillError);
  return error as BackfillError;
}

describe('finding 1: every key type exactly, 64-bit integers as BigInt', () => {
  const STYLES = ['Smart_Casual', 'BUSINESS', 'casual', ' Street-Wear '];
  /** A wardrobe whose row i carries tags of its own (Tag_i), so a row given another's tag shows. */
  function wardrobe(create: string, keyOf: (i: number) => unknown[]): string {
    return database((db) => {
      db.exec(create);
      const columns = (db.prepare('PRAGMA table_info(items)').all() as { name: string }[]).map((column) => column.name);
      const insert = db.prepare(`INSERT INTO items (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      for (let i = 0; i < 200; i += 1) {
        const mood = i % 5 === 0 ? null : `Mood_${i}`;
        insert.run(...keyOf(i), `Tag_${i}`, i % 3 === 0 ? STYLES[i % STYLES.length] : JSON.stringify([`Work_${i}`, 'WORK']), mood);
      }
    });
  }

  async function checkExact(path: string, order: string): Promise<void> {
    const before = dump(path, 'items', order);
    const original = query<Record<string, unknown>>(path, `SELECT * FROM items ORDER BY ${order}`);
    const result = await applyTo(path, { table: 'items', batchSize: 7, run: 'keys' });
    expect(result.run).toMatchObject({ status: 'done', rowsScanned: 200, rowsRefused: 0 });
    expect(result.batches).toBeLessThanOrEqual(Math.ceil(200 / 7) + 1); // no loop
    const after = query<Record<string, unknown>>(path, `SELECT * FROM items ORDER BY ${order}`);
    expect(after).toHaveLength(200);
    after.forEach((row, index) => {
      const was = original[index]!;
      for (const column of ['style', 'occasion', 'mood']) expect(row[column], `${column} of row ${index}`).toEqual(normalized(was[column]));
    });
    const changed = cellsDiffering(before, dump(path, 'items', order));
    expect(result.run.cellsChanged).toBe(changed);
    expect(result.journal.entries).toBe(changed);
    expect(result.journal.bytes).toBeGreaterThan(0);
    const journal = await withStore(path, false, (store) => store.readJournal('keys', 0, 10_000));
    expect(journal).toHaveLength(changed);
    expect(new Set(journal.map((entry) => `${showKey(entry.key)}/${entry.column}`)).size).toBe(changed);
    const back = await withStore(path, true, (store) => rollback(store, { run: 'keys', batchSize: 25 }));
    expect(back).toMatchObject({ restored: changed, conflictCount: 0 });
    expect(dump(path, 'items', order)).toEqual(before);
  }

  it('integer keys around 2^53: every row gets its own tags, rollback is byte-identical', async () => {
    const path = wardrobe('CREATE TABLE items (id INTEGER PRIMARY KEY, style TEXT, occasion TEXT, mood TEXT)', (i) => [9007199254740990n + BigInt(i)]);
    await checkExact(path, 'id');
  });

  it('integer keys around 1.23e18, unevenly spaced: no loop, no skipped row', async () => {
    const path = wardrobe('CREATE TABLE items (id INTEGER PRIMARY KEY, style TEXT, occasion TEXT, mood TEXT)', (i) => [1230000000000000000n + BigInt(i) * 7n + BigInt(i % 2)]);
    await checkExact(path, 'id');
  });

  it('text, blob, real and composite keys', async () => {
    await checkExact(wardrobe('CREATE TABLE items (sku TEXT PRIMARY KEY, style TEXT, occasion TEXT, mood TEXT)', (i) => [i % 2 === 0 ? `SKU-${i}` : `sku-${String(i).padStart(4, '0')}-é`]), 'sku');
    await checkExact(wardrobe('CREATE TABLE items (id BLOB PRIMARY KEY, style TEXT, occasion TEXT, mood TEXT) WITHOUT ROWID', (i) => [Buffer.from([i % 7, 255 - i, 0, i])]), 'id');
    await checkExact(wardrobe('CREATE TABLE items (id REAL PRIMARY KEY, style TEXT, occasion TEXT, mood TEXT)', (i) => [i / 10 + 0.05]), 'id');
    await checkExact(wardrobe('CREATE TABLE items (a TEXT, b INTEGER, style TEXT, occasion TEXT, mood TEXT, PRIMARY KEY (a, b))', (i) => [`shop-${i % 3}`, 9007199254740990n + BigInt(Math.floor(i / 3))]), 'a, b');
  });

  it('a table whose key holds NULL is refused at describe, with the count', async () => {
    const path = database((db) => {
      db.exec('CREATE TABLE items (sku TEXT PRIMARY KEY, style TEXT)');
      db.exec(`INSERT INTO items VALUES ('a', 'Casual'), (NULL, 'Smart_Casual'), (NULL, 'BUSINESS')`);
    });
    const error = await failure(applyTo(path, { table: 'items' }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(/2 rows have NULL in the key column sku/);
  });
});

describe('finding 2: rollback cell by cell', () => {
  it('restores every untouched cell and names each edited cell as a conflict', async () => {
    const path = database((db) => {
      db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, style TEXT, occasion TEXT, mood TEXT)');
      const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?)');
      for (let id = 1; id <= 30; id += 1) insert.run(id, `item ${id}`, 'Smart_Casual', JSON.stringify(['Work', 'OFFICE']), 'Calm');
    });
    const shadow = `${path}.shadow`;
    copyFileSync(path, shadow);
    await applyTo(path, { table: 'items', batchSize: 8, run: 'cells' });
    // The application's edits, made to the applied table and to the untouched shadow alike.
    const edit = (file: string) => {
      const db = new Database(file);
      db.exec(`UPDATE items SET style = 'Edited' WHERE id = 3;
        UPDATE items SET name = 'renamed' WHERE id = 4;
        DELETE FROM items WHERE id IN (5, 6);
        INSERT INTO items VALUES (6, 'again', 'Other', '["x"]', 'Happy');`);
      db.close();
    };
    edit(path);
    edit(shadow);
    const result = await withStore(path, true, (store) => rollback(store, { run: 'cells', batchSize: 4 }));
    expect(dump(path)).toEqual(dump(shadow));
    const conflicts = result.conflicts.map((conflict) => `${showKey(conflict.key)} ${conflict.column} ${conflict.reason} ${JSON.stringify(conflict.found)}`).sort();
    expect(conflicts).toEqual(
      [
        '3 style CHANGED "Edited"',
        '5 mood ROW_DELETED null',
        '5 occasion ROW_DELETED null',
        '5 style ROW_DELETED null',
        '6 mood CHANGED "Happy"',
        '6 occasion CHANGED "[\\"x\\"]"',
        '6 style CHANGED "Other"',
      ].sort(),
    );
    expect(result.conflictCount).toBe(7);
    expect(result.restored).toBe(30 * 3 - 3 * 3 + 2); // rows 3, 5 and 6 journaled 3 cells each; row 3 gets two back
  });

  it('a row deleted and re-inserted under the same text key with the backfill\'s own values is REWRITTEN, not overwritten', async () => {
    // A TEXT key: the rowid is not the key, so a re-inserted row has a new rowid.
    const path = database((db) => {
      db.exec('CREATE TABLE items (sku TEXT PRIMARY KEY, style TEXT, mood TEXT)');
      const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?)');
      for (let id = 1; id <= 10; id += 1) insert.run(`sku-${id}`, 'Smart_Casual', 'Calm');
    });
    await applyTo(path, { table: 'items', batchSize: 4, run: 'again' });
    const db = new Database(path);
    db.exec(`DELETE FROM items WHERE sku = 'sku-2'; INSERT INTO items VALUES ('sku-2', 'smart casual', 'calm');`);
    db.close();
    const result = await withStore(path, true, (store) => rollback(store, { run: 'again' }));
    expect(result.conflicts.map((conflict) => `${showKey(conflict.key)} ${conflict.column} ${conflict.reason}`).sort()).toEqual(['"sku-2" mood REWRITTEN', '"sku-2" style REWRITTEN']);
    expect(query<{ style: string }>(path, `SELECT style FROM items WHERE sku = 'sku-2'`)[0]!.style).toBe('smart casual');
    expect(query<{ style: string }>(path, `SELECT style FROM items WHERE sku = 'sku-3'`)[0]!.style).toBe('Smart_Casual');
  });
});

describe('finding 4: one lock per table identity', () => {
  it('a symlink or a hard link to the file and another spelling of the table are LOCKED while an apply holds it', async () => {
    const path = database((db) => {
      db.exec('CREATE TABLE Items (id INTEGER PRIMARY KEY, style TEXT)');
      const insert = db.prepare('INSERT INTO Items VALUES (?, ?)');
      for (let id = 1; id <= 40; id += 1) insert.run(id, 'Smart_Casual');
    });
    const link = join(dirname(path), 'link-to-wardrobe.db');
    symlinkSync(path, link);
    const hard = join(dirname(path), 'another-name.db');
    linkSync(path, hard);
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const holding = new Promise<void>((resolve) => (inside = resolve));
    // Held between batches (a write transaction held open would make the others wait on SQLite itself).
    const first = applyTo(path, { table: 'Items', run: 'one', batchSize: 10, hooks: { afterCommit: async () => (inside(), await paused) } });
    await holding;
    const errors = [
      await failure(applyTo(link, { table: 'items', run: 'two' })),
      await failure(applyTo(path, { table: 'ITEMS', run: 'three' })),
      await failure(applyTo(link, { table: 'Items', run: 'four' })),
      await failure(applyTo(hard, { table: 'items', run: 'five' })),
    ];
    const lines = await withStore(hard, false, (store) => status(store));
    release();
    await first;
    for (const error of errors) {
      expect(error.code).toBe('LOCKED');
      expect(error.message).toMatch(/locked by another backfill/);
      expect(error.message).toMatch(/one apply or rollback per table at a time/);
    }
    expect(lines[0]).toMatchObject({ name: 'one', state: 'running' }); // seen as held through the hard link too
    expect(query<{ style: string }>(path, 'SELECT DISTINCT style FROM items')).toEqual([{ style: 'smart casual' }]);
  });
});

describe('finding 5: rows the database refuses', () => {
  const refusing = () =>
    database((db) => {
      db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, style TEXT CHECK (style NOT GLOB '* *'), mood TEXT);
        CREATE UNIQUE INDEX items_style ON items (style);
        CREATE TRIGGER no_angry BEFORE UPDATE OF mood ON items WHEN NEW.mood = 'angry' BEGIN SELECT RAISE(ABORT, 'mood angry is not allowed'); END;`);
      const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?)');
      insert.run(1, 'Casual', 'Calm');
      insert.run(2, 'CASUAL', 'Calm'); // normalizes to row 1's style: the unique index refuses it
      insert.run(3, 'Smart_Casual', 'Calm'); // "smart casual" has a space: the CHECK refuses it
      insert.run(4, 'Boho', 'ANGRY'); // the trigger refuses the mood, so the style stays too
      for (let id = 5; id <= 20; id += 1) insert.run(id, `STREET${id}`, 'HAPPY');
    });

  it('skips them with the database words, records them, and does the other rows', async () => {
    const path = refusing();
    const before = dump(path);
    const foreseen = await withStore(path, false, async (store) => plan(store, await store.describe('items', {})));
    expect(foreseen.refusals.foreseen.map((refusal) => [showKey(refusal.key), refusal.message])).toEqual([['3', expect.stringMatching(/CHECK constraint failed/)]]);
    expect(foreseen.refusals.collisions[0]).toMatchObject({ index: 'items_style', size: 2 });
    const result = await applyTo(path, { table: 'items', batchSize: 6, run: 'skip' });
    expect(result.run).toMatchObject({ status: 'done', rowsScanned: 20, rowsRefused: 3, rowsChanged: 17 });
    const refusals = await withStore(path, false, (store) => store.readRefusals('skip', 100));
    expect(refusals.map((refusal) => [showKey(refusal.key), refusal.message])).toEqual([
      ['2', expect.stringMatching(/UNIQUE constraint failed: items\.style/)],
      ['3', expect.stringMatching(/CHECK constraint failed/)],
      ['4', expect.stringMatching(/mood angry is not allowed/)],
    ]);
    const after = dump(path);
    for (const index of [1, 2, 3]) expect(after[index], `refused row ${index + 1}`).toBe(before[index]);
    expect(after[0]).toBe(`1|'casual'|'calm'`);
    expect(after[19]).toBe(`20|'street20'|'happy'`);
    expect(result.journal.entries).toBe(result.run.cellsChanged);
    const back = await withStore(path, true, (store) => rollback(store, { run: 'skip' }));
    expect(back.conflictCount).toBe(0);
    expect(dump(path)).toEqual(before);
  });

  it('a conflict clause of the table (ON CONFLICT REPLACE, IGNORE) or a RAISE(IGNORE) trigger never deletes a row or fakes a write', async () => {
    for (const clause of ['REPLACE', 'IGNORE']) {
      const path = database((db) => {
        db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, style TEXT UNIQUE ON CONFLICT ${clause}, note TEXT, mood TEXT);
          CREATE TRIGGER keep_calm BEFORE UPDATE OF mood ON items WHEN NEW.mood = 'calm' BEGIN SELECT RAISE(IGNORE); END;`);
        const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?)');
        insert.run(1, 'casual', 'keep me', 'Happy');
        insert.run(2, 'Casual ', 'and me', 'Happy'); // normalizes to row 1's style
        insert.run(3, 'boho', 'me too', 'CALM'); // the trigger ignores the write of "calm"
      });
      const before = dump(path);
      const result = await applyTo(path, { table: 'items', columns: ['style', 'mood'], batchSize: 10, run: 'r' });
      expect(result.run, clause).toMatchObject({ rowsRefused: 2 });
      expect(result.refusals.map((refusal) => `${showKey(refusal.key)}: ${refusal.message}`), clause).toEqual([expect.stringMatching(/^2: UNIQUE constraint failed: items\.style/), expect.stringMatching(/^3: the write was ignored/)]);
      const after = dump(path);
      expect(after, clause).toHaveLength(3);
      expect(after[1], clause).toBe(before[1]);
      expect(after[2], clause).toBe(before[2]);
      expect(result.journal.entries, clause).toBe(result.run.cellsChanged);
      await withStore(path, true, (store) => rollback(store, { run: 'r' }));
      expect(dump(path), clause).toEqual(before);
    }
  });

  it('with --on-refusal stop: REFUSED naming the row, and the batch is left unwritten', async () => {
    const path = refusing();
    const before = dump(path);
    const error = await failure(applyTo(path, { table: 'items', batchSize: 50, run: 'stop', onRefusal: 'stop' }));
    expect(error.code).toBe('REFUSED');
    expect(error.message).toMatch(/row 2: UNIQUE constraint failed: items\.style/);
    expect(error.message).toMatch(/nothing of this batch was written/);
    expect(error.message).toMatch(/--on-refusal skip/);
    expect(dump(path)).toEqual(before);
    expect(query(path, 'SELECT * FROM semfilter_backfill_cells')).toEqual([]);
  });

  it('a trigger that rolls back the whole transaction costs only its row', async () => {
    const path = database((db) => {
      db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, style TEXT);
        CREATE TRIGGER veto BEFORE UPDATE ON items WHEN NEW.style = 'vetoed' BEGIN SELECT RAISE(ROLLBACK, 'vetoed by the application'); END;`);
      const insert = db.prepare('INSERT INTO items VALUES (?, ?)');
      for (let id = 1; id <= 10; id += 1) insert.run(id, id === 4 ? 'VETOED' : 'Smart_Casual');
    });
    const result = await applyTo(path, { table: 'items', batchSize: 10, run: 'veto' });
    expect(result.run).toMatchObject({ status: 'done', rowsChanged: 9, rowsRefused: 1 });
    expect(result.refusals).toEqual([{ key: [4n], message: 'vetoed by the application' }]);
  });

  it('a generated column named as a tag column is BAD_INPUT', async () => {
    const path = database((db) => db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, style TEXT, style_key TEXT GENERATED ALWAYS AS (lower(style)) VIRTUAL)`));
    const error = await failure(applyTo(path, { table: 'items', columns: ['style_key'] }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toMatch(/"style_key" is generated/);
  });
});

describe('finding 8: a write never turns text into a number', () => {
  it('"４２" in a NUMERIC column is refused, not stored as 42; rollback is clean and byte-identical', async () => {
    const path = database((db) => {
      db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, style TEXT, mood NUMERIC, grade INT)');
      const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?)');
      insert.run(1, 'Smart_Casual', '４２', 'Top_Grade');
      insert.run(2, 'BUSINESS', 'Calm', '４.５e3');
      insert.run(3, 'casual', ' Relaxed ', 'ok');
    });
    const before = dump(path);
    const foreseen = await withStore(path, false, async (store) => plan(store, await store.describe('items', { columns: ['style', 'mood', 'grade'] })));
    expect(foreseen.refusals.foreseen.map((refusal) => showKey(refusal.key))).toEqual(['1', '2']);
    const result = await applyTo(path, { table: 'items', columns: ['style', 'mood', 'grade'], run: 'affinity' });
    expect(result.refusals.map((refusal) => [showKey(refusal.key), refusal.message])).toEqual([
      ['1', 'column mood has NUMERIC affinity: SQLite would store "42" as the integer 42; left as it was'],
      ['2', 'column grade has INTEGER affinity: SQLite would store "4.5e3" as the integer 4500; left as it was'],
    ]);
    expect(query(path, `SELECT id FROM items WHERE typeof(mood) <> 'text' OR typeof(grade) <> 'text'`)).toEqual([]);
    expect(dump(path)[2]).toBe(`3|'casual'|'relaxed'|'ok'`);
    const back = await withStore(path, true, (store) => rollback(store, { run: 'affinity' }));
    expect(back.conflictCount).toBe(0);
    expect(dump(path)).toEqual(before);
  });
});

describe('finding 10: store errors are named, with what to do', () => {
  const small = () =>
    database((db) => {
      db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, style TEXT, occasion TEXT)');
      const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?)');
      for (let id = 1; id <= 2000; id += 1) insert.run(id, `Smart_Casual_${id % 50}`, JSON.stringify([`Date_Night_${id}`, 'Party']));
    });

  it('BUSY: names the process holding the file and --busy-timeout', async () => {
    const path = small();
    const child = await holder(`const db = new (require('better-sqlite3'))(process.argv[1]); db.exec('BEGIN EXCLUSIVE'); db.exec("UPDATE items SET style = style"); console.log('ready'); setInterval(() => {}, 1000);`, path);
    const started = Date.now();
    const error = await failure((async () => {
      const store = new SqliteStore(`sqlite:${path}`, path, true, { busyTimeoutMs: 200 });
      try {
        await apply(store, { table: 'items', run: 'busy' });
      } finally {
        await store.close();
      }
    })());
    child.kill('SIGKILL');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error.code).toBe('BUSY');
    expect(error.message).toContain(`pid ${child.pid}`);
    expect(error.message).toMatch(/--busy-timeout MS/);
    expect(error.message).toMatch(/200 ms/);
  });

  // As root, chmod 444 does not stop writes; the immutable attribute does (ext4, CAP_LINUX_IMMUTABLE).
  const chattr = (flag: '+i' | '-i', target: string) => spawnSync('chattr', [flag, target]).status === 0;

  it('READ_ONLY: an immutable file, and a folder where SQLite cannot make its rollback journal', async (context) => {
    const path = small();
    if (!chattr('+i', path)) return context.skip();
    try {
      const error = await failure(applyTo(path, { table: 'items', run: 'ro' }));
      expect(error.code).toBe('READ_ONLY');
      expect(error.message).toContain(path);
      expect(await withStore(path, false, (store) => status(store))).toEqual([]); // reading still works
    } finally {
      chattr('-i', path);
    }
    const folder = dirname(path);
    if (!chattr('+i', folder)) return context.skip();
    try {
      const error = await failure(applyTo(path, { table: 'items', run: 'ro' }));
      expect(error.code).toBe('READ_ONLY');
      expect(error.message).toContain(`its folder ${folder} is read-only (SQLite writes its rollback journal next to the file)`);
    } finally {
      chattr('-i', folder);
    }
  });

  it('DISK_FULL: nothing past the last committed batch, and the run resumes', async () => {
    const path = small();
    const reference = `${path}.reference`;
    copyFileSync(path, reference);
    await applyTo(reference, { table: 'items', batchSize: 50, run: 'full' });
    const pages = Number(query<{ n: bigint }>(path, 'SELECT page_count AS n FROM pragma_page_count()')[0]!.n);
    const store = new SqliteStore(`sqlite:${path}`, path, true, { maxPageCount: pages + 30 });
    const error = await failure(apply(store, { table: 'items', batchSize: 50, run: 'full' }).finally(() => store.close()));
    expect(error.code).toBe('DISK_FULL');
    expect(error.message).toMatch(/Nothing past the last committed batch was written/);
    const [run] = await withStore(path, false, (reader) => reader.readRuns());
    expect(run!.cursor).not.toBeNull();
    expect(error.message).toContain(`cursor at ${showKey(run!.cursor!)}`);
    const cursor = run!.cursor![0] as bigint;
    const lines = dump(path);
    const wanted = dump(reference);
    expect(lines).toHaveLength(2000);
    lines.forEach((line, index) => {
      if (BigInt(index + 1) <= cursor) expect(line).toBe(wanted[index]);
      else expect(line).toMatch(/Smart_Casual/);
    });
    const resumed = await applyTo(path, { table: 'items', batchSize: 50, run: 'full' });
    expect(resumed.mode).toBe('resumed');
    expect(dump(path)).toEqual(wanted);
  });

  it('a hot journal left by a kill: status and plan recover it instead of "attempt to write a readonly database"', async () => {
    const path = small();
    const before = dump(path);
    const child = await holder(`const db = new (require('better-sqlite3'))(process.argv[1]); db.pragma('journal_mode = DELETE'); db.pragma('cache_size = 2'); db.exec('BEGIN'); db.exec("UPDATE items SET occasion = occasion || '${'x'.repeat(200)}'"); console.log('ready'); setInterval(() => {}, 1000);`, path);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(`${path}-journal`)).toBe(true);
    // the situation the old store opened into: a read-only connection cannot roll the journal back
    expect(() => {
      const db = new Database(path, { readonly: true });
      try {
        db.prepare('SELECT count(*) FROM items').get();
      } finally {
        db.close();
      }
    }).toThrow(/readonly database/);
    expect(await withStore(path, false, (store) => status(store))).toEqual([]);
    const report = await withStore(path, false, async (store) => plan(store, await store.describe('items', {})));
    expect(report.rowsScanned).toBe(2000);
    expect(dump(path)).toEqual(before);
    // the read commands still cannot write
    await withStore(path, false, async (store) => expect((await failure(store.prepare())).code).toBe('READ_ONLY'));
  });
});
