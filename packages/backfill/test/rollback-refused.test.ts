import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { apply, formatRollback, openStore, rollback } from '@semfilter/backfill';
import { postgresForFile } from './support/postgres-for-file.js';

// Issue 15, finding 5 on the way back: a cell whose old value the database now refuses (the
// application took that spelling under a unique index since apply) is a conflict with the
// database's words; rollback goes on with every other cell instead of failing on each retry.
const server = postgresForFile();

describe('rollback when the database refuses an old value', () => {
  it('SQLite: the refused cell is a REFUSED conflict, the rest is restored', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'semfilter-refused-')), 'w.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, style TEXT UNIQUE, mood TEXT);
      INSERT INTO items VALUES (1, 'Smart_Casual', 'Calm'), (2, 'Boho-Chic', 'HAPPY'), (3, 'classic', 'Focused');`);
    db.close();
    const store = await openStore(`sqlite:${path}`, { writable: true });
    await apply(store, { table: 'items', batchSize: 2, run: 'r' });
    await store.close();
    const app = new Database(path);
    app.exec(`INSERT INTO items VALUES (4, 'Smart_Casual', 'calm')`);
    app.close();
    const back = await openStore(`sqlite:${path}`, { writable: true });
    const result = await rollback(back, { run: 'r', batchSize: 3 });
    await back.close();
    expect(result.conflicts).toEqual([expect.objectContaining({ key: [1n], column: 'style', reason: 'REFUSED', found: 'smart casual', message: expect.stringMatching(/UNIQUE constraint failed: items.style/) })]);
    expect(formatRollback(result)).toMatch(/conflict REFUSED: 1 style: the database refused to put the old value back \(UNIQUE constraint failed: items.style\); it keeps "smart casual"/);
    const rows = new Database(path, { readonly: true }).prepare('SELECT id, style, mood FROM items ORDER BY id').all();
    expect(rows).toEqual([
      { id: 1, style: 'smart casual', mood: 'Calm' },
      { id: 2, style: 'Boho-Chic', mood: 'HAPPY' },
      { id: 3, style: 'classic', mood: 'Focused' },
      { id: 4, style: 'Smart_Casual', mood: 'calm' },
    ]);
  });

  it('PostgreSQL: the refused cell is a REFUSED conflict, the rest is restored', async () => {
    const url = await server().createDatabase(`refused_${process.pid}`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE TABLE items (id int PRIMARY KEY, style text UNIQUE, mood text);
      INSERT INTO items VALUES (1, 'Smart_Casual', 'Calm'), (2, 'Boho-Chic', 'HAPPY'), (3, 'classic', 'Focused');`);
    const store = await openStore(url, { writable: true });
    await apply(store, { table: 'items', batchSize: 2, run: 'r' });
    await store.close();
    await client.query(`INSERT INTO items VALUES (4, 'Smart_Casual', 'calm')`);
    const back = await openStore(url, { writable: true });
    const result = await rollback(back, { run: 'r', batchSize: 3 });
    await back.close();
    expect(result.conflicts).toEqual([expect.objectContaining({ key: ['1'], column: 'style', reason: 'REFUSED', found: 'smart casual', message: expect.stringMatching(/duplicate key value violates unique constraint/) })]);
    const { rows } = await client.query('SELECT id, style, mood FROM items ORDER BY id');
    await client.end();
    expect(rows).toEqual([
      { id: 1, style: 'smart casual', mood: 'Calm' },
      { id: 2, style: 'Boho-Chic', mood: 'HAPPY' },
      { id: 3, style: 'classic', mood: 'Focused' },
      { id: 4, style: 'Smart_Casual', mood: 'calm' },
    ]);
  });
});
