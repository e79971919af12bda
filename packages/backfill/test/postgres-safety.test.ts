import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { apply, BackfillError, plan, rollback, validate, type ApplyOptions } from '@semfilter/backfill';
import { postgresForFile } from './support/postgres-for-file.js';
import { withStore } from './support/with-store.js';

// Issue 15 on PostgreSQL, one test (or group) per finding: keys of every type (6), per-cell
// rollback (2), one lock per table identity (4), rows the database refuses (5) and store errors
// as named errors (10). A real server; a fresh database per test.
const server = postgresForFile();

let counter = 0;

/** A fresh database with `setup` run in it; its URL. */
async function fresh(setup: string): Promise<string> {
  const url = await server().createDatabase(`safety_${process.pid}_${(counter += 1)}`);
  await sql(url, setup);
  return url;
}

async function sql<R extends pg.QueryResultRow = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every row in key order as PostgreSQL renders it, byte for byte. */
async function dump(url: string, order: string, table = 'items'): Promise<string[]> {
  return (await sql<{ line: string }>(url, `SELECT r::text AS line FROM ${table} r ORDER BY ${order}`)).map((row) => row.line);
}

const applyTo = (url: string, options: ApplyOptions) => withStore(url, true, (store) => apply(store, options));
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a BackfillError, got success'); }, (error: unknown) => error as BackfillError);

// Every row gets tags of its own (numbered by `name`), so a row written with another row's values shows.
const TAGS = `'item ' || i, 'Tag_' || i, ARRAY['Work_' || i, 'WEEKEND'], to_jsonb('Calm_' || i)`;
const NORMALIZED = `style = 'tag ' || substr(name, 6) AND occasion = ARRAY['work ' || substr(name, 6), 'weekend'] AND mood = to_jsonb('calm ' || substr(name, 6))`;

const KEYS = [
  // 2^63 - 1 - i and -2^63 + 1 + i: a JavaScript number would merge neighbours (above 2^53).
  { kind: 'bigint near 2^63', columns: 'k bigint PRIMARY KEY', key: `CASE WHEN i % 2 = 0 THEN 9223372036854775807 - i ELSE -9223372036854775807 + i END`, order: 'k' },
  // text order of these differs from numeric order ('-1.25' < '10' < '2'): PostgreSQL must compare.
  { kind: 'numeric', columns: 'k numeric PRIMARY KEY', key: `((i - 20) * 7.125 + i / 1000000000000.0)::numeric`, order: 'k' },
  { kind: 'uuid', columns: 'k uuid PRIMARY KEY', key: `md5(i::text)::uuid`, order: 'k' },
  { kind: 'timestamptz', columns: 'k timestamptz PRIMARY KEY', key: `timestamptz '2024-03-31 00:30:00.123456+00' + i * interval '37 minutes 1.000001 seconds'`, order: 'k' },
  { kind: 'timestamp', columns: 'k timestamp PRIMARY KEY', key: `timestamp '2024-10-27 01:00:00' + i * interval '1 day 1 microsecond'`, order: 'k' },
  { kind: 'date', columns: 'k date PRIMARY KEY', key: `date '2024-02-27' + i`, order: 'k' },
  // quotes, commas, parentheses and non-ASCII in key text
  { kind: 'text', columns: 'k text PRIMARY KEY', key: `CASE i % 4 WHEN 0 THEN 'Key ' || i WHEN 1 THEN 'key"' || i WHEN 2 THEN 'ü-' || i ELSE '(' || i || ',x)' END`, order: 'k' },
  { kind: 'composite (int, text)', columns: 'a integer, b text, PRIMARY KEY (a, b)', key: `i % 5, 'b' || i`, order: 'a, b' },
] as const;

describe('PostgreSQL: keys of every type, compared and ordered by the database (finding 6)', () => {
  for (const { kind, columns, key, order } of KEYS) {
    it(`${kind} key: apply in batches of 7, interrupted and resumed, normalizes every row; rollback is byte-identical`, async () => {
      // The database's own TimeZone is not UTC: a timestamptz key renders with an offset either way.
      const url = await fresh(`CREATE TABLE items (${columns}, name text, style text, occasion text[], mood jsonb); INSERT INTO items SELECT ${key}, ${TAGS} FROM generate_series(1, 40) AS i`);
      await sql(url, `ALTER DATABASE ${new URL(url).pathname.slice(1)} SET TimeZone = 'America/New_York'`);
      const before = await dump(url, order);
      let batches = 0;
      const interrupted = await failure(applyTo(url, { table: 'items', batchSize: 7, run: 'keys', hooks: { afterCommit: () => { if ((batches += 1) === 3) throw new BackfillError('STORE', 'simulated interruption after batch 3'); } } }));
      expect(interrupted.message).toMatch(/simulated interruption/);
      expect((await withStore(url, false, (store) => store.readRuns()))[0]).toMatchObject({ status: 'running', rowsScanned: 21 });
      const resumed = await applyTo(url, { table: 'items', batchSize: 7, run: 'keys' });
      expect(resumed.mode).toBe('resumed');
      expect(resumed.run).toMatchObject({ status: 'done', rowsScanned: 40, rowsChanged: 40, cellsChanged: 120, rowsRefused: 0 });
      expect(await sql(url, `SELECT count(*)::int AS n FROM items WHERE ${NORMALIZED}`)).toEqual([{ n: 40 }]);
      expect((await withStore(url, false, (store) => validate(store, { table: 'items', run: 'keys', all: true }))).verdict).toBe('PASS');
      const undone = await withStore(url, true, (store) => rollback(store, { run: 'keys', batchSize: 5 }));
      expect(undone).toMatchObject({ restored: 120, conflictCount: 0 });
      expect(await dump(url, order)).toEqual(before);
    });
  }

  it('lastKey is the largest key in PostgreSQL order (no max(uuid)), and --id takes several columns', async () => {
    const url = await fresh(`CREATE TABLE items (a uuid NOT NULL, b numeric NOT NULL, name text, style text, UNIQUE (b, a)); INSERT INTO items SELECT md5(i::text)::uuid, i % 3 + 0.5, 'item ' || i, 'Tag_' || i FROM generate_series(1, 12) AS i`);
    const expected = await sql<{ a: string; b: string }>(url, `SELECT a::text AS a, b::text AS b FROM items ORDER BY a DESC, b DESC LIMIT 1`);
    await withStore(url, false, async (store) => {
      const shape = await store.describe('items', { id: ['a', 'b'], columns: ['style'] });
      expect(shape.keyColumns).toEqual(['a', 'b']);
      expect(await store.lastKey(shape)).toEqual([expected[0]!.a, expected[0]!.b]);
      await expect(store.describe('items', { id: ['a'], columns: ['style'] })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/neither the primary key nor/) });
    });
  });
});

describe('PostgreSQL: rollback is per cell and knows rows rewritten since (finding 2)', () => {
  it('restores every untouched cell and lists each other cell with its column and reason', async () => {
    // A column named t: the row version must digest the whole row, not that column (ROW(t.*), not t).
    const url = await fresh(`CREATE TABLE items (id integer PRIMARY KEY, name text, style text, occasion text[], mood jsonb, t text DEFAULT 'same'); INSERT INTO items SELECT i, ${TAGS} FROM generate_series(1, 10) AS i`);
    const before = await dump(url, 'id');
    const applied = await applyTo(url, { table: 'items', run: 'cells' });
    expect(applied.run.cellsChanged).toBe(30);
    const normalized = await dump(url, 'id');
    await sql(url, `UPDATE items SET style = 'App Style' WHERE id = 1`); // one tag cell edited
    await sql(url, `UPDATE items SET name = 'renamed' WHERE id = 2`); // a non-tag column edited
    await sql(url, `DELETE FROM items WHERE id = 3`);
    await sql(url, `WITH gone AS (DELETE FROM items WHERE id = 4 RETURNING *) INSERT INTO items SELECT * FROM gone`); // re-inserted with the backfill's own values
    await sql(url, `UPDATE items SET style = style, occasion = occasion, mood = mood WHERE id = 5`); // re-saved by an application as it read it
    // Batches of 2 split each row's three cells across batches.
    const result = await withStore(url, true, (store) => rollback(store, { run: 'cells', batchSize: 2 }));
    expect(result.restored).toBe(2 + 3 + 5 * 3);
    expect(result.conflictCount).toBe(10);
    const conflicts = result.conflicts.map((conflict) => `${conflict.key.join(',')} ${conflict.column} ${conflict.reason} ${JSON.stringify(conflict.found)}`).sort();
    expect(conflicts).toEqual(
      [
        `1 style CHANGED "App Style"`,
        ...['style', 'occasion', 'mood'].map((column) => `3 ${column} ROW_DELETED null`),
        `4 style REWRITTEN "tag 4"`,
        `4 occasion REWRITTEN "{\\"work 4\\",weekend}"`,
        `4 mood REWRITTEN "\\"calm 4\\""`,
        `5 style REWRITTEN "tag 5"`,
        `5 occasion REWRITTEN "{\\"work 5\\",weekend}"`,
        `5 mood REWRITTEN "\\"calm 5\\""`,
      ].sort(),
    );
    expect(result.conflicts.find((conflict) => conflict.key[0] === '1')).toMatchObject({ column: 'style', written: 'tag 1', found: 'App Style' });
    const after = await sql<{ id: number; line: string }>(url, `SELECT id, r::text AS line FROM items r ORDER BY id`);
    const line = (id: number) => after.find((row) => row.id === id)?.line;
    expect(line(1)).toBe(before[0]!.replace('Tag_1', '"App Style"'));
    expect(line(2)).toBe(before[1]!.replace('"item 2"', 'renamed'));
    expect(line(3)).toBeUndefined();
    expect(line(4)).toBe(normalized[3]);
    expect(line(5)).toBe(normalized[4]);
    for (let id = 6; id <= 10; id += 1) expect(line(id), `row ${id}`).toBe(before[id - 1]);
  });
});

describe('PostgreSQL: one lock per table identity (finding 4)', () => {
  it('two, public.two and "two" are one table: one run history and one lock', async () => {
    const url = await fresh(`CREATE TABLE two (id integer PRIMARY KEY, style text); INSERT INTO two SELECT i, 'Tag_' || i FROM generate_series(1, 30) AS i`);
    await withStore(url, false, async (store) => {
      // Schema-qualified, so the name reaches this table from a session with any search_path.
      for (const spelling of ['two', 'public.two', '"two"', 'PUBLIC.TWO']) expect((await store.describe(spelling, {})).table).toBe('public.two');
    });
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const holding = new Promise<void>((resolve) => (inside = resolve));
    const first = applyTo(url, { table: 'two', run: 'one', batchSize: 10, hooks: { beforeCommit: async () => { inside(); await paused; } } });
    await holding;
    try {
      for (const spelling of ['public.two', '"two"']) {
        const error = await failure(applyTo(url, { table: spelling, run: `other ${spelling}` }));
        expect(error).toBeInstanceOf(BackfillError);
        expect(error.code, error.message).toBe('LOCKED');
        expect(error.message).toMatch(/locked by another backfill/);
        expect(error.message).toMatch(/one apply or rollback per table at a time/);
      }
      await withStore(url, false, async (store) => {
        expect(await store.isLocked('two')).toBe(true);
        expect(await store.isLocked('public.two')).toBe(true);
      });
    } finally {
      release();
    }
    expect((await first).run).toMatchObject({ status: 'done', table: 'public.two', rowsChanged: 30 });
    expect(await withStore(url, false, (store) => store.isLocked('two'))).toBe(false);
  });

  it('names a table schema-qualified and quoted where needed', async () => {
    const url = await fresh(`CREATE SCHEMA "My Schema"; CREATE TABLE "My Schema"."Items" (id integer PRIMARY KEY, style text)`);
    await withStore(url, false, async (store) => {
      expect((await store.describe('"My Schema"."Items"', {})).table).toBe('"My Schema"."Items"');
    });
  });

  it("a run's table is found again from a session whose search_path puts another schema's table of that name first", async () => {
    // Same rows in both; alice's already hold the values apply writes to public's, so restoring into
    // the wrong table would show in either.
    const url = await fresh(
      `CREATE SCHEMA alice;
       CREATE TABLE public.items (id integer PRIMARY KEY, name text, style text, occasion text[], mood jsonb); INSERT INTO public.items SELECT i, ${TAGS} FROM generate_series(1, 10) AS i;
       CREATE TABLE alice.items (LIKE public.items INCLUDING ALL); INSERT INTO alice.items SELECT i, 'item ' || i, 'tag ' || i, ARRAY['work ' || i, 'weekend'], to_jsonb('calm ' || i) FROM generate_series(1, 10) AS i`,
    );
    // node-postgres passes the URL's `options` to the server as the startup parameter.
    const aliceFirst = `${url}?options=-csearch_path%3Dalice,public`;
    expect(await withStore(aliceFirst, false, (store) => store.describe('items', {}))).toMatchObject({ table: 'alice.items' });
    const before = await dump(url, 'id', 'public.items');
    const aliceBefore = await dump(url, 'id', 'alice.items');
    const applied = await applyTo(url, { table: 'items', run: 'pub' });
    expect(applied.run).toMatchObject({ table: 'public.items', cellsChanged: 30 });
    expect(await dump(url, 'id', 'public.items')).not.toEqual(before);
    expect((await withStore(aliceFirst, false, (store) => store.readRuns())).find((run) => run.name === 'pub')?.table).toBe('public.items');
    expect((await withStore(aliceFirst, false, (store) => validate(store, { run: 'pub', all: true }))).verdict).toBe('PASS');
    expect(await withStore(aliceFirst, false, (store) => store.isLocked('public.items'))).toBe(false);
    const undone = await withStore(aliceFirst, true, (store) => rollback(store, { run: 'pub' }));
    expect(undone).toMatchObject({ run: { table: 'public.items' }, restored: 30, conflictCount: 0 });
    expect(await dump(url, 'id', 'public.items')).toEqual(before);
    expect(await dump(url, 'id', 'alice.items')).toEqual(aliceBefore);
  });
});

// Rows the database refuses: 2 and 3 both normalize to "smart casual" under UNIQUE (style); 5's
// normal form "boho" breaks CHECK (char_length(style) >= 6); 6's occasion "weekends..." overflows varchar(10).
const REFUSING = `CREATE TABLE items (id integer PRIMARY KEY, style text UNIQUE CONSTRAINT style_min_length CHECK (char_length(style) >= 6), occasion varchar(10), mood jsonb, shout text GENERATED ALWAYS AS (upper(style)) STORED);
  INSERT INTO items (id, style, occasion, mood) VALUES (1, 'CASUAL', 'Work', '"Calm"'), (2, 'Smart_Casual', 'Work', '"Calm"'), (3, 'SMART-CASUAL', 'Office', '"Happy"'), (4, 'Classic', 'Date_Night', '"calm"'), (5, ' Boho ', 'Party', '"Calm"'), (6, 'Business', 'Weekends…', '"Calm"'), (7, 'Formal', 'WORK', '"Focused"')`;

describe('PostgreSQL: rows the database refuses (finding 5)', () => {
  it('plan foresees the varchar and CHECK rows and the unique collision; apply skips the refused rows with the database words and finishes', async () => {
    const url = await fresh(REFUSING);
    const before = await sql<{ id: number; line: string }>(url, `SELECT id, r::text AS line FROM items r ORDER BY id`);
    const columns = ['style', 'occasion', 'mood'];
    const report = await withStore(url, false, async (store) => {
      const shape = await store.describe('items', { columns });
      expect(await store.uniqueIndexes(shape)).toEqual([{ name: 'items_style_key', columns: ['style'] }]);
      const foreseen = await store.foresee(shape, [
        { key: ['5'], values: { style: 'boho' } },
        { key: ['6'], values: { occasion: 'weekends...' } },
        { key: ['7'], values: { style: 'formal', occasion: 'work' } },
      ]);
      expect(foreseen).toEqual([
        { key: ['5'], message: 'new row for relation "items" violates check constraint "style_min_length"' },
        { key: ['6'], message: 'value too long for type character varying(10)' },
      ]);
      return plan(store, shape);
    });
    expect(report.refusals.foreseen.map((refusal) => refusal.key)).toEqual([['5'], ['6']]);
    expect(report.refusals.collisions).toMatchObject([{ index: 'items_style_key', keys: [['2'], ['3']], size: 2 }]);

    const result = await applyTo(url, { table: 'items', columns, run: 'refusals', batchSize: 100 });
    expect(result.run).toMatchObject({ status: 'done', rowsScanned: 7, rowsRefused: 3 });
    const refusals = await withStore(url, false, (store) => store.readRefusals('refusals', 100));
    expect(refusals).toEqual([
      { key: ['3'], message: expect.stringMatching(/^duplicate key value violates unique constraint "items_style_key" \(Key \(style\)=\(smart casual\) already exists\.\)$/) },
      { key: ['5'], message: 'new row for relation "items" violates check constraint "style_min_length"' },
      { key: ['6'], message: 'value too long for type character varying(10)' },
    ]);
    const after = await sql<{ id: number; line: string; style: string }>(url, `SELECT id, r::text AS line, style FROM items r ORDER BY id`);
    for (const id of [3, 5, 6]) expect(after[id - 1]!.line, `refused row ${id} untouched`).toBe(before[id - 1]!.line);
    expect(after.map((row) => row.style)).toEqual(['casual', 'smart casual', 'SMART-CASUAL', 'classic', ' Boho ', 'Business', 'formal']);
  });

  it("--on-refusal stop throws REFUSED naming the row's key, and the batch is not written", async () => {
    const url = await fresh(REFUSING);
    const before = await dump(url, 'id');
    const error = await failure(applyTo(url, { table: 'items', columns: ['style', 'occasion', 'mood'], run: 'stop', batchSize: 100, onRefusal: 'stop' }));
    expect(error).toBeInstanceOf(BackfillError);
    expect(error.code, error.message).toBe('REFUSED');
    expect(error.message).toContain('"3"');
    expect(error.message).toMatch(/duplicate key value violates unique constraint "items_style_key"/);
    expect(error.message).toMatch(/--on-refusal skip/);
    expect(await dump(url, 'id')).toEqual(before);
    expect((await withStore(url, false, (store) => store.readRuns()))[0]).toMatchObject({ cursor: null, rowsChanged: 0, cellsChanged: 0 });
  });

  it('a generated column named as a tag column is BAD_INPUT at describe', async () => {
    const url = await fresh(REFUSING);
    const error = await failure(applyTo(url, { table: 'items', columns: ['style', 'shout'], run: 'generated' }));
    expect(error.code, error.message).toBe('BAD_INPUT');
    expect(error.message).toMatch(/"shout" is generated/);
  });
});

describe('PostgreSQL: store errors are named errors (finding 10)', () => {
  it('a role that may only read gets READ_ONLY from apply, before and after the bookkeeping tables exist', async () => {
    const url = await fresh(`CREATE TABLE items (id integer PRIMARY KEY, style text); INSERT INTO items SELECT i, 'Tag_' || i FROM generate_series(1, 5) AS i;
      DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ro') THEN CREATE ROLE ro LOGIN; END IF; END $$; GRANT SELECT ON items TO ro`);
    const readOnly = url.replace('postgres://postgres@', 'postgres://ro@');
    const before = await dump(url, 'id');
    const first = await failure(applyTo(readOnly, { table: 'items', run: 'ro' }));
    expect(first).toBeInstanceOf(BackfillError);
    expect(first.code, first.message).toBe('READ_ONLY');
    expect(first.message).toMatch(/^postgres:\/\/ro@127\.0\.0\.1:\d+\/safety_\d+_\d+: /);
    expect(first.message).not.toMatch(/\n\s+at /);
    // Once a writer has created the bookkeeping tables, the refusal comes from writing them instead.
    await applyTo(url, { table: 'items', run: 'writer' });
    await sql(url, `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ro`);
    const second = await failure(applyTo(readOnly, { table: 'items', run: 'ro' }));
    expect(second.code, second.message).toBe('READ_ONLY');
    expect(await dump(url, 'id')).not.toEqual(before);
  });

  it('a connection lost mid-run is STORE naming the store and what was kept; the run resumes', async () => {
    const url = await fresh(`CREATE TABLE items (id integer PRIMARY KEY, style text); INSERT INTO items SELECT i, 'Tag_' || i FROM generate_series(1, 30) AS i`);
    const label = url;
    const error = await failure(
      applyTo(url, {
        table: 'items',
        run: 'cut',
        batchSize: 10,
        hooks: {
          // The server ends the store's backend while batch 2 is open (as a restart or failover would).
          beforeCommit: async (batch) => {
            if (batch === 2) await sql(url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle in transaction'`);
          },
        },
      }),
    );
    expect(error).toBeInstanceOf(BackfillError);
    expect(error.code, error.message).toBe('STORE');
    expect(error.message.startsWith(`${label}: `), error.message).toBe(true);
    expect(error.message).toMatch(/nothing past the last committed batch was written/);
    expect((await withStore(url, false, (store) => store.readRuns()))[0]).toMatchObject({ status: 'running', rowsScanned: 10, cursor: ['10'] });
    expect((await applyTo(url, { table: 'items', run: 'cut', batchSize: 10 })).run).toMatchObject({ status: 'done', rowsScanned: 30, rowsChanged: 30 });
  });

  it('a read-only session (default_transaction_read_only) gets READ_ONLY', async () => {
    const url = await fresh(`CREATE TABLE items (id integer PRIMARY KEY, style text); INSERT INTO items SELECT i, 'Tag_' || i FROM generate_series(1, 5) AS i`);
    await sql(url, `ALTER DATABASE ${new URL(url).pathname.slice(1)} SET default_transaction_read_only = on`);
    const error = await failure(applyTo(url, { table: 'items', run: 'standby' }));
    expect(error.code, error.message).toBe('READ_ONLY');
    expect(error.message).toMatch(/read-only transaction/);
  });
});
