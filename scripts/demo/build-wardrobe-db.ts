/**
 * Writes demo/wardrobe.db: the sample wardrobe (demo/sample-wardrobe.json) as a SQLite table
 * `items`, tags exactly as the feeds wrote them, so `semfilter backfill` has a real database to
 * clean right after install:
 *
 *   npx tsx scripts/demo/build-wardrobe-db.ts
 *   npx semfilter backfill plan --db sqlite:demo/wardrobe.db --table items
 *
 * One tag stays text ("Smart_Casual"); several are a JSON array written as text
 * ('["Business","Polished"]'), the way apps without array columns keep lists; a missing tag is
 * NULL. The same input writes the same rows.
 *
 * Four rows are added to what the sample holds, so a plan has something to show in every section:
 * two items re-listed under new SKUs with their tags cased differently (identical after
 * normalization), and two rows a careless import would leave (a tab inside a tag, a JSON object
 * where a mood belongs) that the backfill must report and leave alone.
 */
import Database from 'better-sqlite3';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../demo/sample-wardrobe.json', import.meta.url));
const target = process.argv[2] ?? fileURLToPath(new URL('../../demo/wardrobe.db', import.meta.url));

interface SampleItem {
  readonly id: string;
  readonly name?: string;
  readonly brand?: string;
  readonly category?: string;
  readonly price_eur?: number;
  readonly style?: string | string[];
  readonly occasion?: string | string[];
  readonly mood?: string | string[];
}

const items = JSON.parse(readFileSync(source, 'utf8')) as SampleItem[];
const tag = (value: string | string[] | undefined): string | null => (value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value));

// Start from nothing: a half-written or backfilled database must not leak into the demo.
for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
const db = new Database(target);
db.exec(`CREATE TABLE items (
  id TEXT PRIMARY KEY,
  name TEXT,
  brand TEXT,
  category TEXT,
  price_eur REAL,
  style TEXT,
  occasion TEXT,
  mood TEXT
)`);
const insert = db.prepare('INSERT INTO items (id, name, brand, category, price_eur, style, occasion, mood) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
const upper = (value: string | string[] | undefined) => (typeof value === 'string' ? value.toUpperCase() : value?.map((one) => one.toUpperCase()));
const relisted = items.slice(0, 2).map((item, index) => ({ ...item, id: `SKU-R${index + 1}`, style: upper(item.style), occasion: upper(item.occasion), mood: upper(item.mood) }));
const row = (item: SampleItem) => [item.id, item.name ?? null, item.brand ?? null, item.category ?? null, item.price_eur ?? null, tag(item.style), tag(item.occasion), tag(item.mood)];
db.transaction(() => {
  for (const item of [...items, ...relisted]) insert.run(...row(item));
  const [first, second] = items as [SampleItem, SampleItem];
  insert.run(...row({ ...first, id: 'SKU-X1', style: 'Smart\tCasual' }));
  insert.run(...row({ ...second, id: 'SKU-X2' }).slice(0, 7), JSON.stringify({ primary: 'Calm', secondary: 'Focused' }));
})();
db.exec('VACUUM');
db.close();
console.log(`${target}: ${items.length + 4} items in table items`);
