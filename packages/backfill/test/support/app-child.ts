/**
 * An application writing to the wardrobe table while a backfill runs: it updates tag and other
 * cells, inserts rows, deletes rows and deletes then re-inserts rows under the same id, until it is
 * sent SIGTERM; then it prints what it left in each row it touched (its shadow copy) as JSON.
 * node --conditions=@semfilter/source --import tsx app-child.ts sqlite|postgres URL MAX_ID SEED
 */
import Database from 'better-sqlite3';
import pg from 'pg';

const [kind, url, maxIdText, seedText] = process.argv.slice(2) as ['sqlite' | 'postgres', string, string, string];
const maxId = Number(maxIdText);
let seed = Number(seedText);
/** A small seeded generator, so a failing run can be replayed with its seed. */
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
const pick = (n: number) => Math.floor(random() * n);

/** What the app left: per id, either deleted or the cells it wrote last (as it passed them). */
const shadow: Record<number, { deleted: boolean; cells: Record<string, unknown> }> = {};
const touch = (id: number) => (shadow[id] ??= { deleted: false, cells: {} });

// Values the app writes are never a normal form, so an app write can never look like the backfill's.
let counter = 0;
const value = (column: string): unknown => {
  counter += 1;
  if (column === 'name') return `renamed ${counter}`;
  if (column === 'style') return `App_Style_${counter}`;
  if (column === 'occasion') return [`App_Occasion_${counter}`, 'WEEKEND'];
  return `App Mood ${counter}`;
};

interface Writer {
  update(id: number, column: string, cell: unknown): Promise<boolean>;
  insert(id: number, cells: Record<string, unknown>): Promise<void>;
  remove(id: number): Promise<boolean>;
  close(): Promise<void>;
}

async function sqliteWriter(): Promise<Writer> {
  const db = new Database(url.slice('sqlite:'.length));
  db.pragma('busy_timeout = 20000');
  const text = (column: string, cell: unknown) => (column === 'occasion' ? JSON.stringify(cell) : cell);
  return {
    async update(id, column, cell) {
      return db.prepare(`UPDATE items SET ${column} = ? WHERE id = ?`).run(text(column, cell), id).changes === 1;
    },
    async insert(id, cells) {
      db.prepare('INSERT INTO items (id, name, style, occasion, mood) VALUES (?, ?, ?, ?, ?)').run(id, cells.name, cells.style, text('occasion', cells.occasion), cells.mood);
    },
    async remove(id) {
      return db.prepare('DELETE FROM items WHERE id = ?').run(id).changes === 1;
    },
    async close() {
      db.close();
    },
  };
}

async function postgresWriter(): Promise<Writer> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const param = (column: string, cell: unknown) => (column === 'mood' ? JSON.stringify(cell) : cell);
  const cast = (column: string) => (column === 'mood' ? '::jsonb' : '');
  return {
    async update(id, column, cell) {
      return (await client.query(`UPDATE items SET ${column} = $1${cast(column)} WHERE id = $2`, [param(column, cell), id])).rowCount === 1;
    },
    async insert(id, cells) {
      await client.query('INSERT INTO items (id, name, style, occasion, mood) VALUES ($1, $2, $3, $4, $5::jsonb)', [id, cells.name, cells.style, cells.occasion, JSON.stringify(cells.mood)]);
    },
    async remove(id) {
      return (await client.query('DELETE FROM items WHERE id = $1', [id])).rowCount === 1;
    },
    async close() {
      await client.end();
    },
  };
}

const writer = kind === 'sqlite' ? await sqliteWriter() : await postgresWriter();
let stopping = false;
process.on('SIGTERM', () => (stopping = true));
process.stdout.write('ready\n');
const COLUMNS = ['name', 'style', 'occasion', 'mood'];
let nextId = maxId + 1;
while (!stopping) {
  const id = 1 + pick(maxId);
  const op = pick(10);
  if (op < 5) {
    const column = COLUMNS[pick(COLUMNS.length)]!;
    const cell = value(column);
    if (await writer.update(id, column, cell)) touch(id).cells[column] = cell;
  } else if (op < 7) {
    const cells = Object.fromEntries(COLUMNS.map((column) => [column, value(column)]));
    await writer.insert(nextId, cells);
    shadow[nextId] = { deleted: false, cells };
    nextId += 1;
  } else if (op < 8) {
    if (await writer.remove(id)) shadow[id] = { deleted: true, cells: {} };
  } else {
    // Deleted and re-inserted under the same id with the app's own values.
    await writer.remove(id);
    const cells = Object.fromEntries(COLUMNS.map((column) => [column, value(column)]));
    await writer.insert(id, cells);
    shadow[id] = { deleted: false, cells };
  }
  await new Promise((resolve) => setTimeout(resolve, 1));
}
await writer.close();
process.stdout.write(`${JSON.stringify(shadow)}\n`);
