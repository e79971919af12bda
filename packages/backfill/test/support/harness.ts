import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import pg from 'pg';
import type { Key } from '@semfilter/backfill';
import type { PostgresServer } from '../../../../test/support/postgres-server.js';

/** One seeded wardrobe row, before it is written in a store's own way. */
export interface SeedRow {
  readonly id: number;
  readonly name: string;
  readonly style: unknown;
  readonly occasion: unknown;
  readonly mood: unknown;
}

/** Rows the backfill must report and leave alone, by id, with the problem code each should get. */
export const BAD_ROWS = { 5: 'NULL_REQUIRED', 6: 'NUMBER', 7: 'OBJECT', 8: 'TOO_LONG', 9: 'CONTROL_CHARACTER' } as const;
/** Two rows identical once their tags are normalized (they differ as written). */
export const TWINS = [20, 21] as const;
/** A row the backfill changes (its style is "Smart_Casual"), used for the edit-then-rollback test. */
export const EDITED_ROW = 1;

const STYLES = ['Smart_Casual', ' smart casual ', 'SMART-CASUAL', 'casual', 'Classic', 'business', 'Business  Casual', 'STREETWEAR'];
const OCCASIONS: unknown[] = [['Work'], ['work', 'Office'], ['WEEKEND', 'weekend'], ['date night'], ['Date_Night', 'Party']];
const MOODS: unknown[] = ['Calm', 'calm', ['Relaxed', 'HAPPY'], 'Confident ', ['focused']];

/** The seeded wardrobe: `size` rows, the bad rows and twins above among them. */
export function seedRows(size: number): SeedRow[] {
  const rows: SeedRow[] = [];
  for (let id = 1; id <= size; id += 1) {
    rows.push({ id, name: `item ${id}`, style: STYLES[(id - 1) % STYLES.length], occasion: OCCASIONS[id % OCCASIONS.length], mood: MOODS[id % MOODS.length] });
  }
  const set = (id: number, patch: Partial<SeedRow>) => (rows[id - 1] = { ...rows[id - 1]!, ...patch });
  set(5, { style: null });
  set(6, { mood: 42 });
  set(7, { mood: { primary: 'calm' } });
  set(8, { style: 'Very long '.repeat(30) });
  set(9, { occasion: ['Smart\u0007Casual'] });
  set(20, { name: 'twin', style: 'Smart_Casual', occasion: ['Work'], mood: 'Calm' });
  set(21, { name: 'twin', style: 'smart casual', occasion: ['WORK'], mood: 'calm' });
  return rows;
}

/** A store kind under test: how to seed it, dump its table byte for byte, and edit a row as an app would. */
export interface Harness {
  readonly kind: string;
  create(name: string, size: number): Promise<string>;
  /** The table's rows in key order, every column in the store's exact text. */
  dump(url: string): Promise<string[]>;
  /** A digest of everything stored (the database or the folder), for "plan writes nothing". */
  checksum(url: string): Promise<string>;
  edit(url: string, id: number, style: string): Promise<void>;
  /** The key the store gives the seeded row `id` (SQLite: a bigint; PostgreSQL: its text; files: the number). */
  key(id: number): Key;
}

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function folderChecksum(dir: string): string {
  return sha(readdirSync(dir).sort().map((name) => `${name}:${sha(readFileSync(join(dir, name)))}`).join('\n'));
}

/** SQLite: id INTEGER PRIMARY KEY, tags as TEXT (lists as JSON text); mood untyped, so a number stays one. */
export function sqliteHarness(): Harness {
  const root = mkdtempSync(join(tmpdir(), 'semfilter-backfill-sqlite-'));
  const pathOf = (url: string) => url.slice('sqlite:'.length);
  return {
    kind: 'sqlite',
    async create(name, size) {
      const path = join(root, name, 'wardrobe.db');
      execFileSync('mkdir', ['-p', dirname(path)]);
      const db = new Database(path);
      db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, style TEXT, occasion TEXT, mood)');
      const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?)');
      const cell = (value: unknown) => (value === null || typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value));
      db.transaction(() => seedRows(size).forEach((row) => insert.run(row.id, row.name, cell(row.style), cell(row.occasion), cell(row.mood))))();
      db.close();
      return `sqlite:${path}`;
    },
    async dump(url) {
      const db = new Database(pathOf(url), { readonly: true });
      const lines = (db.prepare("SELECT quote(id) || ',' || quote(name) || ',' || quote(style) || ',' || quote(occasion) || ',' || quote(mood) AS line FROM items ORDER BY rowid").all() as { line: string }[]).map((row) => row.line);
      db.close();
      return lines;
    },
    async checksum(url) {
      return folderChecksum(dirname(pathOf(url)));
    },
    async edit(url, id, style) {
      const db = new Database(pathOf(url));
      db.prepare('UPDATE items SET style = ? WHERE id = ?').run(style, id);
      db.close();
    },
    key: (id) => [BigInt(id)],
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** PostgreSQL: style text, occasion text[], mood jsonb; one database per test. */
export function postgresHarness(server: () => PostgresServer): Harness {
  return {
    kind: 'postgres',
    async create(name, size) {
      const url = await server().createDatabase(name.replace(/[^a-z0-9_]/gi, '_').toLowerCase());
      await withClient(url, async (client) => {
        await client.query('CREATE TABLE items (id integer PRIMARY KEY, name text, style text, occasion text[], mood jsonb)');
        for (const row of seedRows(size)) {
          const occasion = row.occasion === null ? null : Array.isArray(row.occasion) ? row.occasion : [row.occasion];
          await client.query('INSERT INTO items VALUES ($1, $2, $3, $4, $5::jsonb)', [row.id, row.name, row.style, occasion, JSON.stringify(row.mood)]);
        }
      });
      return url;
    },
    async dump(url) {
      return withClient(url, async (client) => (await client.query<{ line: string }>('SELECT t::text AS line FROM items t ORDER BY id')).rows.map((row) => row.line));
    },
    async checksum(url) {
      const pgDump = join(server().bin, 'pg_dump');
      const dump = execFileSync(pgDump, [url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      // pg_dump 15.14+ brackets its output with \restrict/\unrestrict and a random key, new each run.
      return sha(dump.split('\n').filter((line) => !/^\\(un)?restrict /.test(line)).join('\n'));
    },
    async edit(url, id, style) {
      await withClient(url, (client) => client.query('UPDATE items SET style = $1 WHERE id = $2', [style, id]));
    },
    key: (id) => [String(id)],
  };
}

/** JSON (an indented array, as people save them) or JSON lines. */
export function fileHarness(format: 'json' | 'jsonl'): Harness {
  const root = mkdtempSync(join(tmpdir(), `semfilter-backfill-${format}-`));
  const pathOf = (url: string) => url.slice('file:'.length);
  const serialize = (items: unknown[]) => (format === 'json' ? `${JSON.stringify(items, null, 1)}\n` : `${items.map((item) => JSON.stringify(item)).join('\n')}\n`);
  const parse = (text: string): Record<string, unknown>[] => (format === 'json' ? JSON.parse(text) : text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line)));
  return {
    kind: format,
    async create(name, size) {
      const path = join(root, name, `wardrobe.${format}`);
      execFileSync('mkdir', ['-p', dirname(path)]);
      writeFileSync(path, serialize(seedRows(size).map((row) => (row.style === null ? { id: row.id, name: row.name, occasion: row.occasion, mood: row.mood } : row))));
      return `file:${path}`;
    },
    async dump(url) {
      return readFileSync(pathOf(url), 'utf8').split('\n');
    },
    async checksum(url) {
      return folderChecksum(dirname(pathOf(url)));
    },
    async edit(url, id, style) {
      // An app edits the item and saves the file its own way.
      const path = pathOf(url);
      const items = parse(readFileSync(path, 'utf8'));
      items.find((item) => item.id === id)!.style = style;
      writeFileSync(path, serialize(items));
      if (!existsSync(path)) throw new Error(`${basename(path)} vanished`);
    },
    key: (id) => [id],
  };
}
