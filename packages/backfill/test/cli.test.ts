import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The built command, as `npx semfilter` runs it (`npm test` builds first), on a copy of the demo database.
const BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
const DEMO = fileURLToPath(new URL('../../../demo/wardrobe.db', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'semfilter-backfill-cli-'));

function semfilter(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, 'backfill', ...args], { encoding: 'utf8', cwd: dir });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('semfilter backfill on demo/wardrobe.db', () => {
  it('plans without writing, applies, validates, shows status and rolls back', () => {
    copyFileSync(DEMO, join(dir, 'wardrobe.db'));
    const db = 'sqlite:wardrobe.db';
    const before = readFileSync(join(dir, 'wardrobe.db'));
    const plan = semfilter('plan', '--db', db, '--table', 'items');
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/nothing was written/);
    expect(plan.stdout).toMatch(/rows that would change: +\d+/);
    expect(plan.stdout).toMatch(/identical only after normalization/);
    expect(plan.stdout).toMatch(/"SKU-X1": style: control character U\+0009/);
    expect(readFileSync(join(dir, 'wardrobe.db')).equals(before)).toBe(true);

    const apply = semfilter('apply', '--db', db, '--table', 'items', '--run', 'demo', '--batch', '100');
    expect(apply.status, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/run "demo" on items: done/);
    expect(apply.stdout).toMatch(/rows\/s/);
    expect(apply.stderr.trim().split('\n').map((line) => JSON.parse(line).event)).toContain('progress');

    const validate = semfilter('validate', '--db', db, '--table', 'items', '--all');
    expect([validate.status, validate.stdout.split('\n')[0]]).toEqual([0, 'PASS: sqlite:wardrobe.db table items, run "demo"']);
    const status = semfilter('status', '--db', db, '--json');
    expect(JSON.parse(status.stdout)).toMatchObject([{ name: 'demo', table: 'items', state: 'done' }]);
    const rollback = semfilter('rollback', '--db', db, '--run', 'demo');
    expect(rollback.status, rollback.stderr).toBe(0);
    expect(rollback.stdout).toMatch(/rolled back; cells restored: \d+; conflicts \(cells left as they are\): 0/);
  });

  it('fails with exit 2 and a message naming the store, table or column', () => {
    copyFileSync(DEMO, join(dir, 'bad.db'));
    const cases: [string[], RegExp][] = [
      [['plan', '--db', 'mysql://x', '--table', 'items'], /--db mysql:\/\/x: expected sqlite:PATH, postgres:\/\//],
      [['plan', '--db', 'sqlite:nowhere.db', '--table', 'items'], /no such database file/],
      [['plan', '--db', 'sqlite:bad.db', '--table', 'clothes'], /no table "clothes"; expected one of: items/],
      [['plan', '--db', 'sqlite:bad.db', '--table', 'items', '--columns', 'style,colour'], /table items has no column "colour"; expected one of: id, name/],
      [['apply', '--db', 'sqlite:bad.db', '--table', 'items', '--batch', '0'], /--batch 0: expected a whole number, at least 1/],
      [['rollback', '--db', 'sqlite:bad.db', '--run', 'never'], /no backfill run named "never"/],
      [['frobnicate'], /unknown subcommand "frobnicate"; expected one of plan, apply, validate, rollback, status/],
    ];
    for (const [args, message] of cases) {
      const result = semfilter(...args);
      expect([result.status, result.stdout], args.join(' ')).toEqual([2, '']);
      expect(result.stderr).toMatch(message);
    }
  });

  it('exits 1 with the failing ids when validate finds rows that are not normalized', () => {
    copyFileSync(DEMO, join(dir, 'raw.db'));
    const result = semfilter('validate', '--db', 'sqlite:raw.db', '--table', 'items', '--all');
    expect([result.status, result.stdout]).toEqual([1, '']);
    expect(result.stderr).toMatch(/^FAIL: sqlite:raw.db table items\n/);
    expect(result.stderr).toMatch(/NOT CHECKED: no completed run of table items/);
    expect(result.stderr).toMatch(/FAIL FIXED_POINT: \d+ of 504 rows checked are not normalized: "SKU-/);
  });
});
