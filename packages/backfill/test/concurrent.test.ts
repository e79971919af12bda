import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { apply, rollback } from '@semfilter/backfill';
import { withStore } from './support/with-store.js';
import { postgresHarness, sqliteHarness, type Harness } from './support/harness.js';
import { postgresForFile } from './support/postgres-for-file.js';

// Issue 15: an application updates, inserts, deletes and re-inserts rows while apply runs; after
// rollback every cell it did not touch is as it was before apply, and every cell it touched is as
// it left it (compared with the application's own shadow copy), on SQLite and on PostgreSQL.
const APP = fileURLToPath(new URL('./support/app-child.ts', import.meta.url));
const SIZE = 1500;
const COLUMNS = ['name', 'style', 'occasion', 'mood'] as const;

const server = postgresForFile();

type Rows = Map<number, Record<string, unknown>>;

/** Every row by id, each tag cell as the application reads and writes it. */
async function readRows(kind: 'sqlite' | 'postgres', url: string): Promise<Rows> {
  if (kind === 'sqlite') {
    const db = new Database(url.slice('sqlite:'.length), { readonly: true });
    const rows = db.prepare('SELECT id, name, style, occasion, mood FROM items').all() as Record<string, unknown>[];
    db.close();
    return new Map(rows.map((row) => [Number(row.id), { name: row.name, style: row.style, occasion: typeof row.occasion === 'string' && row.occasion.startsWith('[') ? JSON.parse(row.occasion) : row.occasion, mood: row.mood }]));
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<Record<string, unknown>>('SELECT id, name, style, occasion, mood FROM items');
  await client.end();
  return new Map(rows.map((row) => [Number(row.id), { name: row.name, style: row.style, occasion: row.occasion, mood: row.mood }]));
}

/** Starts the application; resolves once it writes, to a stop function that resolves to its shadow copy. */
function startApp(kind: string, url: string, seed: number): Promise<() => Promise<Record<string, { deleted: boolean; cells: Record<string, unknown> }>>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@semfilter/source', '--import', 'tsx', APP, kind, url, String(SIZE), String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const done = new Promise<string>((finish, fail) => child.on('exit', (code) => (code === 0 ? finish(out) : fail(new Error(`app exited ${code}: ${err}`)))));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out === 'ready\n') resolve(async () => {
        child.kill('SIGTERM');
        const text = await done;
        return JSON.parse(text.slice('ready\n'.length));
      });
    });
    child.on('error', reject);
  });
}

function concurrencySuite(kind: 'sqlite' | 'postgres', harness: Harness): void {
  it(`${kind}: rollback after apply under live writes restores exactly the cells the application did not touch`, async () => {
    const url = await harness.create(`concurrent_${kind}_${process.pid}`, SIZE);
    const before = await readRows(kind, url);
    const seed = Date.now() % 100_000;
    const stopApp = await startApp(kind, url, seed);
    const applied = await withStore(url, true, (store) => apply(store, { table: 'items', required: ['style'], batchSize: 10, throttleMs: 3, run: 'live' }));
    const shadow = await stopApp();
    const touched = Object.keys(shadow).length;
    expect(touched, 'the application wrote while apply ran').toBeGreaterThan(50);
    const result = await withStore(url, true, (store) => rollback(store, { run: 'live', batchSize: 13 }));
    const after = await readRows(kind, url);

    const expected: Rows = new Map(before);
    for (const [id, entry] of Object.entries(shadow)) {
      if (entry.deleted) expected.delete(Number(id));
      else expected.set(Number(id), { ...(expected.get(Number(id)) ?? {}), ...entry.cells });
    }
    const wrong: string[] = [];
    for (const id of new Set([...expected.keys(), ...after.keys()])) {
      for (const column of COLUMNS) {
        const want = expected.get(id)?.[column];
        const got = after.get(id)?.[column];
        if (JSON.stringify(want) !== JSON.stringify(got)) wrong.push(`id ${id} ${column}: expected ${JSON.stringify(want)}, found ${JSON.stringify(got)} (${shadow[id] === undefined ? 'not touched by the app' : 'touched by the app'})`);
      }
    }
    expect(wrong, `seed ${seed}; ${applied.run.cellsChanged} cells written, ${result.restored} restored, ${result.conflictCount} conflicts`).toEqual([]);
    expect(result.conflictCount).toBeGreaterThan(0);
  }, 300_000);
}

describe('backfill under an application writing at the same time', () => {
  concurrencySuite('sqlite', sqliteHarness());
  concurrencySuite(
    'postgres',
    postgresHarness(server),
  );
});
