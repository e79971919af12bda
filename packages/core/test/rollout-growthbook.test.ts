import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bucketOf, decide, fnv1a32, growthbookHash, userIdOf } from '@semfilter/core/rollout';

// GrowthBook's own cross-SDK cases (test/fixtures/growthbook-cases.json: source and licence beside it).
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CASES = JSON.parse(readFileSync(resolve(ROOT, 'test/fixtures/growthbook-cases.json'), 'utf8')) as {
  hash: [seed: string, value: string, version: number, expected: number | null][];
  feature: [name: string, context: GrowthBookContext, key: string, expected: { value: unknown; on: boolean; source: string }][];
};

interface GrowthBookRule {
  force?: unknown;
  coverage?: number;
  hashVersion?: number;
  hashAttribute?: string;
  seed?: string;
  [key: string]: unknown;
}
interface GrowthBookContext {
  attributes?: Record<string, unknown>;
  features?: Record<string, { defaultValue?: unknown; rules?: GrowthBookRule[]; [key: string]: unknown }>;
  [key: string]: unknown;
}

describe('GrowthBook hash vectors', () => {
  it.each(CASES.hash)('hash(%j, %j, v%j) = %j', (seed, value, version, expected) => {
    // Exact equality: both sides are the correctly rounded double of the same 3- or 4-decimal fraction.
    expect(growthbookHash(seed, value, version)).toBe(expected);
    if (version === 2) expect(bucketOf(seed, value)).toBe(expected);
    if (version === 1 || version === 2) expect(bucketOf(seed, value, version)).toBe(expected);
  });

  it('covers both versions, non-ASCII text and an unknown version', () => {
    expect(new Set(CASES.hash.map((row) => row[2]))).toEqual(new Set([1, 2, 99]));
    expect(CASES.hash.length).toBeGreaterThanOrEqual(15);
  });

  it('hashes UTF-16 code units, not UTF-8 bytes', () => {
    // "é" is one code unit (0xE9) but two UTF-8 bytes; a byte-wise FNV would give fnv("\xC3\xA9").
    expect(fnv1a32('é')).toBe(Math.imul(0x811c9dc5 ^ 0xe9, 0x01000193) >>> 0);
    expect(fnv1a32('')).toBe(0x811c9dc5);
  });
});

/*
 * Which `feature` rows a boolean flag with coverage can express. Our rollout is one GrowthBook force
 * rule: a flag whose default is off and whose single rule forces it on for `coverage` of users,
 * bucketed by the user id with hash v1 or v2. So a row is selected when
 *  - its context holds only attributes and features (no forced variations, URL, sticky buckets…),
 *  - the feature has only defaultValue and rules, and exactly one rule,
 *  - that rule is a force rule with a numeric coverage and nothing else that changes inclusion
 *    (no range, condition, variations, filters, namespace, parentConditions): only force, coverage,
 *    hashVersion, hashAttribute, seed and id keys,
 *  - and its hash version is one we take: 1, 2, or none (GrowthBook's SDK hashes a rule without one
 *    with v1, as `semfilter rollout import-growthbook` does), or its outcome does not depend on the
 *    hash version: coverage 0 or a missing or empty hash attribute. Rows with a bad version are left out.
 * The flag's GrowthBook values are arbitrary (force 1 over default 2 is "on" both ways), so the
 * comparison is whether the rule applied (`source: "force"`), which for a boolean flag defaulting to
 * off is exactly on/off. The id goes to decide() as GrowthBook got it (the number 3 as a number).
 */
const RULE_KEYS = new Set(['force', 'coverage', 'hashVersion', 'hashAttribute', 'seed', 'id']);

function expressibleRule(context: GrowthBookContext, key: string): GrowthBookRule | null {
  if (Object.keys(context).some((k) => k !== 'attributes' && k !== 'features')) return null;
  const feature = context.features?.[key];
  if (feature === undefined || Object.keys(feature).some((k) => k !== 'defaultValue' && k !== 'rules')) return null;
  const rules = feature.rules ?? [];
  if (rules.length !== 1) return null;
  const rule = rules[0]!;
  if (!('force' in rule) || typeof rule.coverage !== 'number' || Object.keys(rule).some((k) => !RULE_KEYS.has(k))) return null;
  const hashValue = context.attributes?.[rule.hashAttribute ?? 'id'];
  const versionFree = rule.coverage === 0 || hashValue === undefined || hashValue === null || hashValue === '';
  return [undefined, 1, 2].includes(rule.hashVersion) || versionFree ? rule : null;
}

const SELECTED = CASES.feature.flatMap(([name, context, key, expected]) => {
  const rule = expressibleRule(context, key);
  return rule === null ? [] : [{ name, context, key, rule, on: expected.source === 'force' }];
});

describe('GrowthBook feature cases a boolean flag with coverage can express', () => {
  it('selects some, with users both in and out, on both hash versions and with a numeric id', () => {
    expect(SELECTED.length).toBeGreaterThan(0);
    expect(new Set(SELECTED.map((row) => row.on))).toEqual(new Set([true, false]));
    expect(new Set(SELECTED.map((row) => row.rule.hashVersion ?? 1))).toEqual(new Set([1, 2]));
    expect(SELECTED.some((row) => typeof row.context.attributes?.[row.rule.hashAttribute ?? 'id'] === 'number')).toBe(true);
  });

  it.each(SELECTED.map((row) => [row.name, row] as const))('%s', (_, { context, key, rule, on }) => {
    const raw = context.attributes?.[rule.hashAttribute ?? 'id'];
    const id = raw === undefined ? null : (raw as string | number | null);
    // The rule's seed defaults to the feature key in GrowthBook, as ours defaults to the flag; its
    // hash version to 1 (`hashVersion || 1`), as import-growthbook writes it.
    const hashVersion = rule.hashVersion === 2 ? 2 : 1;
    const config = { schema: 1, version: 1, flag: key, ...(rule.seed === undefined ? {} : { seed: rule.seed }), hashVersion, mode: 'on', coverage: rule.coverage };
    const decision = decide(config, { id });
    expect(decision.semantic).toBe(on);
    expect(decision.reason).toBe(on ? 'IN_ROLLOUT' : userIdOf(id) === null ? 'NO_USER_ID' : 'OUT_OF_ROLLOUT');
  });
});
