import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDbArgument, parsePostgresUrl, redactSecrets, redactUrl, secretsOf } from '@semfilter/backfill';
import { freePort, startPostgres, type PostgresServer } from '../../../test/support/postgres-server.js';

// The built command, as `npx semfilter` runs it (`npm test` builds first), as in cli.test.ts.
const BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));

function semfilter(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [BIN, 'backfill', ...args], { encoding: 'utf8', env: { ...process.env, PGPASSWORD: '', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every piece of the test passwords that would show a leak, whole or in part (`s3c@retpw` once leaked as `***@retpw`). */
const LEAK = /s3c|retpw|cret|re@t/i;

/** Asserts that `text` holds none of `secret`'s forms and no piece of a test password. */
function expectNoSecret(text: string, secret: string): void {
  for (const form of [secret, encodeURIComponent(secret), decodeURIComponentOr(secret)]) expect(text).not.toContain(form);
  expect(text).not.toMatch(LEAK);
}

function decodeURIComponentOr(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `--db` forms, each with its password as written and the label messages must show. */
const FORMS = (port: number): readonly { readonly url: string; readonly secret: string; readonly label: string }[] => {
  const at = `127.0.0.1:${port}/db`;
  return [
    { url: `postgres://u:s3cretpw@${at}`, secret: 's3cretpw', label: `postgres://u:***@${at}` },
    { url: `postgres://:s3cretpw@${at}`, secret: 's3cretpw', label: `postgres://:***@${at}` },
    { url: `postgres://u@${at}?password=s3cretpw`, secret: 's3cretpw', label: `postgres://u@${at}?password=***` },
    { url: `postgresql://u@${at}?sslmode=disable&password=s3cretpw`, secret: 's3cretpw', label: `postgresql://u@${at}?sslmode=disable&password=***` },
    { url: `postgres://u@${at}?sslpassword=s3cretpw&Auth_Token=s3cretpw`, secret: 's3cretpw', label: `postgres://u@${at}?sslpassword=***&Auth_Token=***` },
    { url: `postgres://u:s3c@retpw@${at}`, secret: 's3c@retpw', label: `postgres://u:***@${at}` },
    { url: `postgres://u:s3c/retpw@${at}`, secret: 's3c/retpw', label: `postgres://u:***@${at}` },
    { url: `postgres://u:s3c#retpw@${at}`, secret: 's3c#retpw', label: `postgres://u:***@${at}` },
    { url: `postgres://u:s3c%retpw@${at}`, secret: 's3c%retpw', label: `postgres://u:***@${at}` },
    { url: `postgres://u:s3c:retpw@${at}`, secret: 's3c:retpw', label: `postgres://u:***@${at}` },
    { url: `postgres://u:s3c%40retpw@${at}`, secret: 's3c%40retpw', label: `postgres://u:***@${at}` },
    { url: `postgres://u:s3c?retpw@${at}`, secret: 's3c?retpw', label: `postgres://u:***@${at}` },
  ];
};

describe('credentials in --db: redactUrl, secretsOf, redactSecrets', () => {
  it('masks every password form and keeps the user, host and other parameters', () => {
    for (const { url, secret, label } of FORMS(5432)) {
      expect(redactUrl(url), url).toBe(label);
      expect(secretsOf(url), url).toEqual(expect.arrayContaining([secret, decodeURIComponentOr(secret)]));
      expect(parsePostgresUrl(url).label, url).toBe(label);
    }
    expect(redactUrl('sqlite:/home/me/@work/wardrobe.db')).toBe('sqlite:/home/me/@work/wardrobe.db');
    expect(redactUrl('mysql://u:s3cretpw@h/db')).toBe('mysql://u:***@h/db');
    expect(redactUrl('postgres://u:pw@h/db?application_name=a@b')).toBe('postgres://u:***@h/db?application_name=a@b');
  });

  it('shows nothing of a URL it cannot read that has an @ in it', () => {
    expect(redactUrl('postgres://u:s3c?re=tpw@h/db')).toBe('postgres://***');
    expect(() => parsePostgresUrl('postgres://u:s3c?re=tpw@h/db')).toThrow(/^--db postgres:\/\/\*\*\*: cannot read the host and port; expected postgres:\/\/USER:PASSWORD@HOST:PORT\/DATABASE/);
  });

  it('writes the password percent-encoded for node-postgres, whatever it holds', () => {
    const raw = 's3c/re@t#pw:%?x';
    expect(parsePostgresUrl(`postgres://u:${raw}@h:5/db`).connectionString).toBe(`postgres://u:${encodeURIComponent(raw)}@h:5/db`);
    expect(parsePostgresUrl(`postgres://u:${encodeURIComponent(raw)}@h:5/db`).connectionString).toBe(`postgres://u:${encodeURIComponent(raw)}@h:5/db`);
  });

  it('scrubs text and keeps JSON valid', () => {
    expect(redactSecrets('refused "s3c/retpw" and s3c%2Fretpw', secretsOf('postgres://u:s3c/retpw@h/db'))).toBe('refused "***" and ***');
    const json = `${JSON.stringify({ store: 'postgres://u:***@h/db', note: 'pw 1234', rows: 1234 }, null, 2)}\n`;
    expect(JSON.parse(redactSecrets(json, ['1234']))).toEqual({ store: 'postgres://u:***@h/db', note: 'pw ***', rows: 1234 });
    // the label is masked already: a user named like the password still shows in it
    expect(redactSecrets('postgres://postgres:***@h/db: postgres said no', secretsOf('postgres://postgres:postgres@h/db'), ['postgres://postgres:***@h/db'])).toBe('postgres://postgres:***@h/db: *** said no');
  });

  it('prints a copyable --db for the undo command: the masked password left out, quoted for a shell', () => {
    expect(commandDbArgument('postgres://u:***@h/db')).toEqual({ text: 'postgres://u@h/db', hidden: true });
    expect(commandDbArgument('postgres://u@h/db?sslmode=disable&password=***')).toEqual({ text: `'postgres://u@h/db?sslmode=disable'`, hidden: true });
    expect(commandDbArgument('sqlite:wardrobe.db')).toEqual({ text: 'sqlite:wardrobe.db', hidden: false });
  });
});

describe('semfilter backfill with a password in --db and no server', () => {
  it('exits 2 naming the store, with no password in any form and no stack trace', async () => {
    const port = await freePort();
    for (const { url, secret, label } of FORMS(port)) {
      for (const args of [['plan', '--table', 'items'], ['apply', '--table', 'items', '--run', 'r1'], ['validate', '--table', 'items'], ['status'], ['rollback', '--run', 'r1'], ['plan', '--table', 'items', '--json']]) {
        const [sub, ...rest] = args;
        const result = semfilter([sub!, '--db', url, ...rest]);
        const what = `${args.join(' ')} --db ${url}`;
        expect([result.status, result.stdout], what).toEqual([2, '']);
        expect(result.stderr, what).toContain(`semfilter backfill ${sub}: ${label}: cannot connect`);
        expect(result.stderr, what).not.toMatch(/^\s+at /m);
        expectNoSecret(result.stderr, secret);
      }
    }
  });

  it('exits 2 without a stack trace or the password for a URL it cannot read', () => {
    for (const url of ['postgres://u:s3c?re=tpw@127.0.0.1:1/db', 'postgres://u:s3cretpw@127.0.0.1:abc/db', 'mysql://u:s3cretpw@127.0.0.1/db']) {
      const result = semfilter(['plan', '--db', url, '--table', 'items']);
      expect([result.status, result.stdout], url).toEqual([2, '']);
      expect(result.stderr, url).toMatch(/^semfilter backfill plan: --db (postgres|mysql):\/\//);
      expect(result.stderr, url).not.toMatch(/^\s+at /m);
      expect(result.stderr, url).not.toMatch(LEAK);
    }
  });
});

// A real server (Debian's postgresql) whose pg_hba asks every role but postgres for a scram password,
// so a password that arrives mangled fails: the test proves the right password reaches the server.
describe('semfilter backfill on PostgreSQL with a password that needs encoding', () => {
  const PASSWORD = 's3c/re@t#pw:%?x';
  let server: PostgresServer | undefined;
  let port = 0;
  beforeAll(async () => {
    server = await startPostgres();
    port = Number(new URL(server.url).port);
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      const [{ hba_file: hba }] = (await admin.query<{ hba_file: string }>('SHOW hba_file')).rows as [{ hba_file: string }];
      await admin.query(`COPY (SELECT unnest(ARRAY['local all all trust', 'host all postgres 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 scram-sha-256'])) TO '${hba}'`);
      await admin.query(`CREATE ROLE tagger LOGIN PASSWORD '${PASSWORD}'`);
      await admin.query('CREATE DATABASE creds OWNER tagger');
      await admin.query('SELECT pg_reload_conf()');
    } finally {
      await admin.end();
    }
    const config = { host: '127.0.0.1', port, user: 'tagger', database: 'creds' };
    // the reload is a signal: wait until a wrong password is refused
    for (let tries = 0; ; tries += 1) {
      const probe = new pg.Client({ ...config, password: 'wrong' });
      const refused = await probe.connect().then(() => false, () => true);
      await probe.end().catch(() => undefined);
      if (refused) break;
      if (tries > 50) throw new Error('pg_hba.conf was not reloaded: a wrong password still connects');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const owner = new pg.Client({ ...config, password: PASSWORD });
    await owner.connect();
    await owner.query('CREATE TABLE items (id integer PRIMARY KEY, name text, style text)');
    await owner.query(`INSERT INTO items VALUES (1, 'a', 'Smart_Casual'), (2, 'b', ' smart casual '), (3, 'c', 'SMART-CASUAL'), (4, 'd', 'casual')`);
    await owner.end();
  }, 120_000);
  afterAll(() => server?.stop());

  const raw = () => `postgres://tagger:${PASSWORD}@127.0.0.1:${port}/creds`;
  const encoded = () => `postgres://tagger:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/creds`;

  it('connects with the password as written or percent-encoded, and prints it nowhere', () => {
    for (const url of [raw(), encoded()]) {
      for (const json of [[], ['--json']]) {
        const result = semfilter(['plan', '--db', url, '--table', 'items', '--columns', 'style', ...json]);
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toContain(`postgres://tagger:***@127.0.0.1:${port}/creds`);
        expectNoSecret(result.stdout + result.stderr, PASSWORD);
      }
    }
    const wrong = semfilter(['status', '--db', `postgres://tagger:s3c-wrong@127.0.0.1:${port}/creds`]);
    expect([wrong.status, wrong.stdout]).toEqual([2, '']);
    expect(wrong.stderr).toMatch(/cannot connect \(password authentication failed for user "tagger"\)/);
    expectNoSecret(wrong.stderr, 's3c-wrong');
  });

  it('applies, stores no password in its tables, and prints an undo command that works with PGPASSWORD', async () => {
    const apply = semfilter(['apply', '--db', raw(), '--table', 'items', '--columns', 'style', '--run', 'r1']);
    expect(apply.status, apply.stderr).toBe(0);
    expectNoSecret(apply.stdout + apply.stderr, PASSWORD);
    const undo = /^undo with: semfilter backfill (rollback --db (\S+) --run r1) \(the password is not shown: pass the same --db, or set PGPASSWORD\)$/m.exec(apply.stdout);
    expect(undo?.[2], apply.stdout).toBe(`postgres://tagger@127.0.0.1:${port}/creds`);

    for (const args of [['validate', '--table', 'items', '--columns', 'style'], ['status'], ['status', '--json']]) {
      const result = semfilter([args[0]!, '--db', encoded(), ...args.slice(1)]);
      expect(result.status, result.stderr).toBe(0);
      expectNoSecret(result.stdout + result.stderr, PASSWORD);
    }

    const client = new pg.Client({ host: '127.0.0.1', port, user: 'tagger', password: PASSWORD, database: 'creds' });
    await client.connect();
    try {
      const tables = (await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE tablename LIKE 'semfilter_backfill_%' ORDER BY 1`)).rows.map((row) => row.name);
      // every bookkeeping table, whatever the journal's tables are called
      expect(tables).toContain('semfilter_backfill_runs');
      expect(tables.length).toBeGreaterThan(1);
      for (const table of tables) {
        const rows = (await client.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`)).rows.map((row) => row.row).join('\n');
        if (table === 'semfilter_backfill_runs') expect(rows).toContain('r1');
        expectNoSecret(rows, PASSWORD);
      }
    } finally {
      await client.end();
    }

    const rollback = semfilter(undo![1]!.split(' '), { PGPASSWORD: PASSWORD });
    expect(rollback.status, rollback.stderr).toBe(0);
    expect(rollback.stdout).toMatch(/run "r1" on public\.items: rolled back/);
    expectNoSecret(rollback.stdout + rollback.stderr, PASSWORD);
  });
});
