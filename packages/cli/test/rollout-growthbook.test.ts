import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GrowthBook, type FeatureDefinition } from '@growthbook/growthbook';
import { describe, expect, it } from 'vitest';
import { decide, parseRolloutConfig } from '@semfilter/core/rollout';

// The built command, as `npx semfilter` runs it (`npm test` builds first).
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/growthbook-feature.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'semfilter-growthbook-'));

function semfilter(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [BIN, 'rollout', 'import-growthbook', ...args], { cwd: ROOT, encoding: 'utf8', input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

/** 10,000 ids of the kinds hosts have: sequential, emails, UUID-like, and numeric database ids as numbers. */
const IDS: (string | number)[] = Array.from({ length: 10_000 }, (_, i) => {
  if (i % 4 === 0) return `user-${i}`;
  if (i % 4 === 1) return `customer.${i}@example.com`;
  if (i % 4 === 2) return `${(i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0')}-4a1b-9c2d-${String(i).padStart(12, '0')}`;
  return i * 7919;
});

/** The imported config against GrowthBook's SDK on the unchanged feature: one instance per user, isOn. */
function compare(stdout: string, key: string, feature: FeatureDefinition) {
  const parsed = parseRolloutConfig(JSON.parse(stdout));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  let on = 0;
  const mismatches: string[] = [];
  for (const id of IDS) {
    const gbOn = new GrowthBook({ features: { [key]: feature }, attributes: { id } }).isOn(key);
    const decision = decide(parsed.value, { id });
    expect(decision.reason).not.toBe('NO_USER_ID');
    if (gbOn) on += 1;
    if (gbOn !== decision.semantic) mismatches.push(`${id}: GrowthBook ${gbOn}, ours ${decision.semantic}`);
  }
  return { mismatches, on };
}

describe('semfilter rollout import-growthbook', () => {
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as FeatureDefinition;

  it('turns the fixture (a rollout rule as GrowthBook serves it: no hashVersion) into a config that decides as the SDK for 10,000 ids', () => {
    const { status, stdout, stderr } = semfilter([FIXTURE, '--flag', 'semantic-filter']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ schema: 1, version: 1, flag: 'semantic-filter', seed: 'fr_19g61hlk5xe5w3', hashVersion: 1, mode: 'on', coverage: 0.25 });
    expect(stderr).toMatch(/note: rules\[0\] names no hashVersion, so GrowthBook's SDK hashes it with v1/);
    const { mismatches, on } = compare(stdout, 'semantic-filter', fixture);
    expect(mismatches).toEqual([]);
    expect(Math.abs(on / IDS.length - 0.25)).toBeLessThan(0.03);
  });

  it('an SDK payload: --flag picks the feature, whose key seeds a rule without a seed (not the rule id); hash v2', () => {
    const feature: FeatureDefinition = { defaultValue: false, rules: [{ id: 'fr_qa', condition: { qa: true }, force: true }, { id: 'fr_9x', coverage: 0.6, hashVersion: 2, force: true }] };
    const payload = { status: 200, features: { 'other-flag': { defaultValue: true }, 'semantic-search': feature } };
    const { status, stdout, stderr } = semfilter([file('payload.json', payload), '--flag', 'semantic-search']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ schema: 1, version: 1, flag: 'semantic-search', seed: 'semantic-search', hashVersion: 2, mode: 'on', coverage: 0.6 });
    expect(stderr).toMatch(/rules\[1\] names no seed: GrowthBook's SDK seeds it with the feature key "semantic-search", not with the rule id "fr_9x"/);
    expect(stderr).toMatch(/features\["semantic-search"\]\.rules\[0\] is not imported: GrowthBook evaluates it before the rollout rule/);
    // The QA rule matches nobody here (no qa attribute), so the whole feature decides as the rollout.
    expect(compare(stdout, 'semantic-search', feature).mismatches).toEqual([]);
  });

  it('a force rule without coverage (GrowthBook at 100%) is coverage 1, with a note on users without an id', () => {
    const { status, stdout, stderr } = semfilter([file('full.json', { features: { f: { defaultValue: false, rules: [{ force: true }] } } })]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ flag: 'f', seed: 'f', coverage: 1 });
    expect(stderr).toMatch(/has no coverage: GrowthBook serves it to everyone, users without an id included/);
  });

  it('--rule picks among several rollouts; --id-attribute accepts a rule hashed by another attribute', () => {
    const feature = { defaultValue: false, rules: [{ coverage: 0.1, force: true, seed: 'a' }, { coverage: 0.3, force: true, seed: 'b', hashAttribute: 'deviceId' }] };
    const path = file('two.json', feature);
    const neither = semfilter([path]);
    expect([neither.status, neither.stdout]).toEqual([2, '']);
    expect(neither.stderr).toMatch(/rules: rules 0, 1 are all rollouts \(force with coverage\): pick one with --rule N/);
    const refused = semfilter([path, '--rule', '1']);
    expect([refused.status, refused.stdout]).toEqual([2, '']);
    expect(refused.stderr).toMatch(/rules\[1\]\.hashAttribute: GrowthBook buckets this rule by the "deviceId" attribute.*--id-attribute deviceId/);
    const chosen = semfilter([path, '--rule', '1', '--id-attribute', 'deviceId']);
    expect(chosen.status).toBe(0);
    expect(JSON.parse(chosen.stdout)).toMatchObject({ seed: 'b', coverage: 0.3, flag: 'semantic-filter' });
    expect(semfilter([path, '--rule', '2']).stderr).toMatch(/--rule 2: expected an index from 0 to 1/);
    expect(semfilter([path, '--rule', 'last']).stderr).toMatch(/--rule: expected an index into the feature's rules, from 0, received "last"/);
  });

  it('a rollout rule with a condition is exit 2, naming it', () => {
    const { status, stdout, stderr } = semfilter([file('condition.json', { defaultValue: false, rules: [{ coverage: 0.5, force: true, seed: 's', condition: { country: 'FR' } }] })]);
    expect([status, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/condition\.json: rules\[0\]\.condition: a targeting condition cannot be expressed/);
  });

  it.each([
    ['an experiment', { variations: [false, true], weights: [0.5, 0.5], coverage: 1, seed: 's' }, /rules\[0\]\.force: expected a force rule[\s\S]*rules\[0\]\.variations: an experiment \(variations with weights\) cannot be expressed/],
    ['a fallback attribute', { force: true, coverage: 0.5, seed: 's', fallbackAttribute: 'deviceId' }, /rules\[0\]\.fallbackAttribute: GrowthBook buckets by "deviceId" when the hash attribute is missing/],
    ['hash version 3', { force: true, coverage: 0.5, seed: 's', hashVersion: 3 }, /rules\[0\]\.hashVersion: expected 1 or 2: GrowthBook has no hash version 3/],
    ['a range', { force: true, range: [0, 0.5], seed: 's' }, /rules\[0\]\.range: a bucket range cannot be expressed/],
    ['prerequisites', { force: true, coverage: 0.5, seed: 's', parentConditions: [{ id: 'parent', condition: { value: true } }] }, /rules\[0\]\.parentConditions: prerequisite flags cannot be expressed/],
    ['a rollout of off', { force: false, coverage: 0.5, seed: 's' }, /rules\[0\]\.force: false turns the feature off for the rollout's users/],
    ['coverage 1.5', { force: true, coverage: 1.5, seed: 's' }, /rules\[0\]\.coverage: expected a share from 0 to 1, received 1\.5/],
    ['no seed and no --flag', { force: true, coverage: 0.5 }, /rules\[0\]\.seed: absent, so GrowthBook seeds the rule with the feature key.*pass --flag KEY/],
  ])('%s is exit 2, naming the field', (name, rule, message) => {
    const { status, stdout, stderr } = semfilter([file(`${name.replaceAll(' ', '-')}.json`, { defaultValue: false, rules: [rule] }), '--rule', '0']);
    expect([status, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(message);
  });

  it('a default that is on, an encrypted payload, a payload of several features, a missing file', () => {
    expect(semfilter([file('default-on.json', { defaultValue: true, rules: [{ force: true, coverage: 0.5, seed: 's' }] })]).stderr).toMatch(/defaultValue: true is on for users outside the rollout/);
    expect(semfilter([file('encrypted.json', { encryptedFeatures: 'abc' })]).stderr).toMatch(/encryptedFeatures: the payload is encrypted/);
    expect(semfilter([file('many.json', { features: { a: {}, b: {} } })]).stderr).toMatch(/features: expected one feature, or --flag KEY to pick one of "a", "b"/);
    expect(semfilter([file('many2.json', { features: { a: {}, b: {} } }), '--flag', 'c']).stderr).toMatch(/features: no feature "c"/);
    const missing = semfilter([join(dir, 'nope.json')]);
    expect([missing.status, missing.stderr]).toEqual([2, expect.stringMatching(/nope\.json: cannot read the file/)]);
    expect(semfilter([]).stderr).toMatch(/expected one FEATURE\.json/);
  });

  it('reads stdin with -', () => {
    const { status, stdout } = semfilter(['-', '--flag', 'semantic-filter'], readFileSync(FIXTURE, 'utf8'));
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ seed: 'fr_19g61hlk5xe5w3', hashVersion: 1 });
  });
});
