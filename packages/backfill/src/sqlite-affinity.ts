import Database from 'better-sqlite3';
import { quoteIdent as q } from './sql.js';

/** SQLite's column affinities (sqlite.org/datatype3.html, "Determination Of Column Affinity"). */
export type Affinity = 'TEXT' | 'NUMERIC' | 'INTEGER' | 'REAL' | 'BLOB';

// SQLite folds case in ASCII only: JavaScript's toUpperCase would turn "poınt" into "POINT" and
// find an INT that SQLite does not see.
const asciiUpper = (text: string): string => text.replace(/[a-z]/g, (letter) => letter.toUpperCase());

/**
 * The affinity SQLite gives a column of this declared type, by its own rules in their order. In a
 * STRICT table `ANY` keeps values as given (elsewhere it is NUMERIC, by the last rule).
 */
export function affinityOf(declared: string, strict: boolean): Affinity {
  const type = asciiUpper(declared);
  if (strict && type === 'ANY') return 'BLOB';
  if (type.includes('INT')) return 'INTEGER';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'TEXT';
  if (type.includes('BLOB') || type === '') return 'BLOB';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

const PROBE_COLUMN = { NUMERIC: 'n', INTEGER: 'i', REAL: 'r' } as const;

/**
 * Asks SQLite itself what a text becomes in a column of numeric affinity, in a private in-memory
 * database: its rules (spaces, exponents, hex, 64-bit overflow) are easy to get almost right in
 * JavaScript and this must be exact.
 */
export class AffinityProbe {
  private readonly db = new Database(':memory:');
  private readonly statements = new Map<string, Database.Statement>();

  constructor() {
    this.db.defaultSafeIntegers(true);
    this.db.exec('CREATE TABLE probe (n NUMERIC, i INTEGER, r REAL); INSERT INTO probe VALUES (NULL, NULL, NULL)');
  }

  /**
   * Why writing `text` into `column` would change its type (the words a refusal shows), or null
   * when it stays text.
   */
  conversion(column: string, affinity: Affinity, text: string): string | null {
    if (affinity === 'TEXT' || affinity === 'BLOB') return null; // a text stays text there
    const name = PROBE_COLUMN[affinity];
    let statement = this.statements.get(name);
    if (statement === undefined) this.statements.set(name, (statement = this.db.prepare(`UPDATE probe SET ${name} = ? RETURNING ${name} AS v, typeof(${name}) AS t`)));
    const stored = statement.get(text) as { v: unknown; t: string };
    if (stored.t === 'text') return null;
    const kind = stored.t === 'integer' ? 'the integer' : stored.t === 'real' ? 'the real number' : `a ${stored.t} value`;
    return `column ${column} has ${affinity} affinity: SQLite would store ${JSON.stringify(text)} as ${kind} ${String(stored.v)}; left as it was`;
  }

  /** The first of a row's writes that would change type (its refusal words), or null when all stay text. */
  firstConversion(affinity: Readonly<Record<string, Affinity>>, texts: Readonly<Record<string, string>>): string | null {
    for (const [column, text] of Object.entries(texts)) {
      const message = this.conversion(column, affinity[column] ?? 'BLOB', text);
      if (message !== null) return message;
    }
    return null;
  }

  close(): void {
    this.db.close();
  }
}

/** How a SQLite text column keeps tags: one tag as itself, a list as JSON text. */
export function cellTexts(values: Readonly<Record<string, string | readonly string[]>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([column, value]) => [column, typeof value === 'string' ? value : JSON.stringify(value)]));
}

/**
 * A copy of a table's definition in a private in-memory database, to ask SQLite whether a row
 * would pass the table's own CHECK, NOT NULL and STRICT type rules without writing the real file
 * (plan opens it read-only). Unique indexes, foreign keys and triggers are not copied: plan
 * groups colliding values itself, and the others depend on other rows and tables.
 */
export class RowChecker {
  private constructor(
    private readonly db: Database.Database,
    private readonly insert: Database.Statement,
    private readonly columns: readonly string[],
  ) {}

  /** Null when the definition cannot be rebuilt alone (a custom collation, a virtual table). */
  static create(createSql: string, table: string, columns: readonly string[]): RowChecker | null {
    const db = new Database(':memory:');
    try {
      db.defaultSafeIntegers(true);
      // prepare() runs one statement only: a definition cannot smuggle a second one in
      db.prepare(createSql).run();
      const insert = db.prepare(`INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      return new RowChecker(db, insert, columns);
    } catch {
      db.close();
      return null;
    }
  }

  /** The database's words when it would refuse this row, or null when it takes it (or cannot tell). */
  check(values: Readonly<Record<string, unknown>>): string | null {
    this.db.exec('BEGIN');
    try {
      this.insert.run(...this.columns.map((column) => values[column]));
      return null;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT') ? (error as Error).message : null;
    } finally {
      this.db.exec('ROLLBACK');
    }
  }

  close(): void {
    this.db.close();
  }
}
