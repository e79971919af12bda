/**
 * `npm run bench:backfill [-- --rows N --batch N]`: applies the normalization backfill to N rows
 * (default 1,000,000) in a SQLite file and in a real PostgreSQL server (Debian's, started on a
 * temporary data directory with its default durability, and stopped at the end), then prints rows
 * per second, the journal's size on disk (as the store measures it and as the file or relation grew)
 * and validate's verdict.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { apply, openStore, validate } from '@semfilter/backfill';
import { startPostgres } from '../test/support/postgres-server.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, batch: { type: 'string', default: '1000' } } });
const rows = Number(values.rows);
const batchSize = Number(values.batch);
// Tags as feeds write them: 5 of these 8 change under normalization.
const STYLES = ['Smart_Casual', 'casual', ' Classic ', 'business', 'STREETWEAR', 'minimalist', 'Boho-Chic', 'formal'];
const MOODS = ['["Calm","RELAXED"]', '["calm"]', '["Happy"]', '["focused","calm"]'];
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const n = (value: number) => Math.round(value).toLocaleString('en-US');

async function run(label: string, url: string, journalOnDisk: () => Promise<number>): Promise<void> {
  const store = await openStore(url, { writable: true });
  try {
    const result = await apply(store, { table: 'items', batchSize, run: 'bench' });
    const disk = await journalOnDisk();
    const check = await validate(store, { table: 'items', sampleSize: 1000 });
    console.log(`${label.padEnd(11)} ${n(result.run.rowsScanned).padStart(10)} rows, ${n(result.run.rowsChanged).padStart(9)} changed (${n(result.run.cellsChanged)} cells) in ${result.seconds.toFixed(1).padStart(6)} s: ${n(result.rowsPerSecond).padStart(7)} rows/s; journal ${n(result.journal.entries)} entries, ${mb(result.journal.bytes ?? 0)} on disk as the store measures it, ${mb(disk)} of growth; validate ${check.verdict}`);
  } finally {
    await store.close();
  }
}

console.log(`semfilter bench:backfill: ${n(rows)} rows, batches of ${n(batchSize)}, Node ${process.version}, ${availableParallelism()} CPUs`);
const dir = mkdtempSync(join(tmpdir(), 'semfilter-bench-backfill-'));
try {
  const path = join(dir, 'bench.db');
  const db = new Database(path);
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, style TEXT, occasion TEXT, mood TEXT)');
  const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let id = 1; id <= rows; id += 1) insert.run(id, `item ${id}`, STYLES[id % 8], id % 3 === 0 ? 'Work' : 'weekend', MOODS[id % 4]);
  })();
  db.close();
  const sizeBefore = statSync(path).size;
  await run('SQLite', `sqlite:${path}`, async () => statSync(path).size - sizeBefore);

  const server = await startPostgres({ durable: true });
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE TABLE items (id integer PRIMARY KEY, name text, style text, occasion text[], mood jsonb)');
    await client.query(
      `INSERT INTO items SELECT i, 'item ' || i, ($2::text[])[1 + i % 8], CASE WHEN i % 3 = 0 THEN ARRAY['Work'] ELSE ARRAY['weekend'] END, (($3::text[])[1 + i % 4])::jsonb FROM generate_series(1, $1::int) AS i`,
      [rows, STYLES, MOODS],
    );
    await client.query('VACUUM ANALYZE items');
    await run('PostgreSQL', server.url, async () => Number((await client.query<{ size: string }>(`SELECT pg_total_relation_size('semfilter_backfill_cells') AS size`)).rows[0]!.size));
    await client.end();
  } finally {
    server.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
