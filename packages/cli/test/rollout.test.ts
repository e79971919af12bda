import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decide, hashListEntry, type PopulationSimulation } from '@semfilter/core/rollout';

// The built command, as `npx semfilter` runs it (`npm test` builds first).
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEMO = 'demo/rollout.json';
const dir = mkdtempSync(join(tmpdir(), 'semfilter-rollout-'));

function semfilter(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const demo = JSON.parse(readFileSync(join(ROOT, DEMO), 'utf8')) as { seed: string; stages: number[]; stage: number };

describe('semfilter rollout simulate', () => {
  it('prints every stage of demo/rollout.json within 0.5 points of its target at 100,000 users', () => {
    const { status, stdout, stderr } = semfilter(['rollout', 'simulate', '--config', DEMO, '--users', '100000']);
    expect([status, stderr]).toEqual([0, '']);
    const rows = [...stdout.matchAll(/^\s+(\d+)\s+([\d.]+)%\s+([\d.]+)%\s+([+-][\d.]+)/gm)];
    expect(rows.map((row) => Number(row[2]) / 100)).toEqual(demo.stages);
    for (const [, , target, share] of rows) expect(Math.abs(Number(share) - Number(target))).toBeLessThan(0.5);
    expect(stdout).toMatch(/100000 synthetic users/);
    expect(stdout).toMatch(new RegExp(`^\\s+${demo.stage}\\s.*\\(current stage\\)$`, 'm'));
    expect(stdout).toMatch(/^largest deviation: 0\.[0-4]\d percentage points$/m);
  });

  it('--json gives the simulation as data', () => {
    const { status, stdout } = semfilter(['rollout', 'simulate', '--config', DEMO, '--users', '5000', '--json']);
    expect(status).toBe(0);
    const simulation = JSON.parse(stdout) as PopulationSimulation;
    expect(simulation.users).toBe(5000);
    expect(simulation.histogram.reduce((a, b) => a + b, 0)).toBe(5000);
    expect(simulation.current.index).toBe(demo.stage);
  });

  it('refuses a user count that is not a whole number in range', () => {
    for (const users of ['0', '1e5', 'many', '10000001']) {
      const { status, stdout, stderr } = semfilter(['rollout', 'simulate', '--config', DEMO, '--users', users]);
      expect([status, stdout]).toEqual([2, '']);
      expect(stderr).toMatch(/--users: expected a whole number from 1 to 10000000/);
    }
  });
});

describe('semfilter rollout decide', () => {
  const config = JSON.parse(readFileSync(join(ROOT, DEMO), 'utf8'));
  it.each([
    ['an allowlisted demo tester', ['--user', 'tester-1'], 'ALLOWLIST'],
    ['a denied user', ['--user', 'opted-out'], 'DENYLIST'],
    ['an allowlisted group', ['--user', 'someone', '--group', 'wardrobe-lab'], 'ALLOWLIST'],
    ['an empty id', ['--user', ''], 'NO_USER_ID'],
    ['an ordinary user', ['--user', 'someone'], null],
  ])('%s', (_, args, reason) => {
    const { status, stdout } = semfilter(['rollout', 'decide', '--config', DEMO, ...args]);
    expect(status).toBe(0);
    const group = args[3];
    const expected = decide(config, { id: args[1]!, attributes: group === undefined ? {} : { business: group } });
    expect(JSON.parse(stdout)).toEqual(expected);
    if (reason !== null) expect(expected.reason).toBe(reason);
  });

  it('needs --user, and a groupAttribute for --group', () => {
    expect(semfilter(['rollout', 'decide', '--config', DEMO]).stderr).toMatch(/--user ID is required/);
    const plain = file('plain.json', JSON.stringify({ schema: 1, version: 1, flag: 'f', mode: 'on', coverage: 1 }));
    const grouped = semfilter(['rollout', 'decide', '--config', plain, '--user', 'a', '--group', 'g']);
    expect([grouped.status, grouped.stdout]).toEqual([2, '']);
    expect(grouped.stderr).toMatch(/--group needs a config with "groupAttribute"/);
  });
});

describe('semfilter rollout hash-ids', () => {
  it('hashes one id per line with the config’s seed, from a file or stdin', () => {
    const ids = ['tester-1', 'José', 'opted-out'];
    const expected = ids.map((id) => `${hashListEntry(demo.seed, id)}\n`).join('');
    expect(semfilter(['rollout', 'hash-ids', '--config', DEMO, file('ids.txt', `${ids.join('\r\n')}\r\n`)]).stdout).toBe(expected);
    expect(semfilter(['rollout', 'hash-ids', '--config', DEMO], ids.join('\n')).stdout).toBe(expected);
    expect(semfilter(['rollout', 'hash-ids', '--config', DEMO, '-'], `${ids.join('\n')}\n`).stdout).toBe(expected);
  });

  it('the demo config holds the hashes of its demo ids, never the ids', () => {
    const text = readFileSync(join(ROOT, DEMO), 'utf8');
    expect(text).toContain(hashListEntry(demo.seed, 'tester-1'));
    expect(text).not.toMatch(/tester-1|opted-out|wardrobe-lab/);
  });

  it('refuses a line decide() could never match, naming it', () => {
    const { status, stdout, stderr } = semfilter(['rollout', 'hash-ids', '--config', DEMO], 'alice\n\nbob\n');
    expect([status, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/^stdin: line 2: expected an id of 1 to 256 characters without control characters/);
  });
});

describe('semfilter rollout: a bad config is exit 2, naming the file and field', () => {
  it.each([
    ['stages.json', { schema: 1, version: 1, flag: 'f', mode: 'on', stages: [0.05, 0.25, 0.2], stage: 0 }, /stages\.json: config\.stages\[2\]: expected a share above the previous stage's 0\.25/],
    ['raw-id.json', { schema: 1, version: 1, flag: 'f', mode: 'on', coverage: 1, allowlist: { users: ['alice@example.com'] } }, /raw-id\.json: config\.allowlist\.users\[0\]: .*`semfilter rollout hash-ids`, never a raw id/],
    ['mode.json', { schema: 1, version: 1, flag: 'f', mode: 'maybe', coverage: 1 }, /mode\.json: config\.mode: expected one of off, shadow, on/],
  ])('%s', (name, config, message) => {
    const path = file(name, JSON.stringify(config));
    for (const args of [['decide', '--user', 'a'], ['simulate'], ['hash-ids']]) {
      const { status, stdout, stderr } = semfilter(['rollout', args[0]!, '--config', path, ...args.slice(1)], 'a\n');
      expect([status, stdout]).toEqual([2, '']);
      expect(stderr).toMatch(message);
    }
  });

  it('a missing --config, a missing file, broken JSON or an unknown subcommand', () => {
    expect(semfilter(['rollout', 'simulate']).stderr).toMatch(/--config FILE is required/);
    expect(semfilter(['rollout', 'simulate', '--config', join(dir, 'nope.json')]).stderr).toMatch(/nope\.json: cannot read the file/);
    expect(semfilter(['rollout', 'simulate', '--config', file('broken.json', '{"schema": 1,')]).stderr).toMatch(/broken\.json: line 1: the JSON ends early/);
    const unknown = semfilter(['rollout', 'launch']);
    expect([unknown.status, unknown.stderr]).toEqual([2, 'semfilter rollout: expected one of decide, simulate, hash-ids, import-growthbook, received "launch"\n']);
  });

  it('the usage lists the rollout commands', () => {
    expect(semfilter(['--help']).stdout).toMatch(/rollout simulate --config FILE \[--users N\]/);
  });
});
