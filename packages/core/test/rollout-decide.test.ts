import { describe, expect, it } from 'vitest';
import { bucketOf, decide, hashListEntry, parseRolloutConfig, ROLLOUT_REASONS, type RolloutConfig, type RollbackLatch, type RolloutDecision, type RolloutReason, type RolloutUser } from '@semfilter/core/rollout';

const SEED = 'semantic-filter';
const STAGES = [0.05, 0.25, 0.5, 0.75, 1];
const base = { schema: 1, version: 3, flag: 'semantic-filter', seed: SEED, mode: 'on', stages: STAGES, stage: 1, groupAttribute: 'business' };
const hash = (value: string) => hashListEntry(SEED, value);
const at = (stage: number, extra: object = {}) => ({ ...base, stage, ...extra });
const latch: RollbackLatch = { flag: 'semantic-filter', configVersion: 3, at: '2025-01-01T00:00:00.000Z', metric: 'p95LatencyMs', value: 900, threshold: 500 };

/** An id whose bucket is above `min`, so it is out of a rollout at lower coverage. */
function idWithBucket(test: (bucket: number) => boolean): string {
  for (let i = 0; ; i++) if (test(bucketOf(SEED, `probe-${i}`))) return `probe-${i}`;
}
const outsideId = idWithBucket((b) => b > 0.5);
const insideId = idWithBucket((b) => b <= 0.05);

describe('decide: staged rollout over 100,000 users', () => {
  const ids = Array.from({ length: 100_000 }, (_, i) => `customer-${i}@example.com`);
  // Parsed once, as a host or the remote client does; decide() then skips re-validating a frozen config.
  const parsed = (value: unknown): RolloutConfig => {
    const result = parseRolloutConfig(value);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.value;
  };
  const configs = STAGES.map((_, stage) => parsed(at(stage)));

  it('never takes semantic mode away from a user when the stage rises', () => {
    const lost: string[] = [];
    const counts = configs.map(() => 0);
    for (const id of ids) {
      let had = false;
      configs.forEach((config, stage) => {
        const semantic = decide(config, { id }).semantic;
        if (had && !semantic) lost.push(`${id} at stage ${stage}`);
        if (semantic) counts[stage]! += 1;
        had = semantic;
      });
    }
    expect(lost).toEqual([]);
    // And each step really adds users (an all-false decide would pass the check above).
    for (let s = 1; s < counts.length; s++) expect(counts[s]).toBeGreaterThan(counts[s - 1]!);
    expect(counts.at(-1)).toBe(ids.length);
  });

  it.each([0.05, 0.25, 0.5, 0.75])('puts %s of users in semantic mode, within 0.5 percentage points', (target) => {
    const config = configs[STAGES.indexOf(target)]!;
    const share = ids.filter((id) => decide(config, { id }).semantic).length / ids.length;
    expect(Math.abs(share - target)).toBeLessThan(0.005);
  });
});

describe('decide: the precedence table', () => {
  // Each row holds the conditions of its reason and of the next one down, and shows which wins.
  const rows: [RolloutReason, string, unknown, RolloutUser, RollbackLatch | null, boolean][] = [
    ['INVALID_CONFIG', 'beats KILL_SWITCH: a config with a kill switch and coverage 1.5', { ...base, stages: undefined, stage: undefined, coverage: 1.5, killSwitch: true }, { id: insideId }, null, false],
    ['KILL_SWITCH', 'beats DENYLIST and ALLOWLIST: a user on both lists under a kill switch', at(4, { killSwitch: true, allowlist: { users: [hash(insideId)] }, denylist: { users: [hash(insideId)] } }), { id: insideId }, null, false],
    ['DENYLIST', 'beats ALLOWLIST: a user allowed by id and denied by group', at(4, { allowlist: { users: [hash(insideId)] }, denylist: { groups: [hash('acme')] } }), { id: insideId, attributes: { business: 'acme' } }, null, false],
    ['ALLOWLIST', 'beats GUARDRAIL_ROLLBACK: an allowed group under a rollback latch, at stage 0', at(0, { allowlist: { groups: [hash('acme')] } }), { id: outsideId, attributes: { business: 'acme' } }, latch, true],
    ['GUARDRAIL_ROLLBACK', 'beats NO_USER_ID: a latch for this flag and version, and no id', at(4), { id: null }, latch, false],
    ['NO_USER_ID', 'beats IN_ROLLOUT: at 100% coverage, a user without an id stays out', at(4), {}, null, false],
    ['IN_ROLLOUT', 'beats OUT_OF_ROLLOUT: a bucket equal to the coverage is in (GrowthBook: bucket <= coverage)', { ...base, stages: undefined, stage: undefined, coverage: bucketOf(SEED, outsideId) }, { id: outsideId }, null, true],
    ['OUT_OF_ROLLOUT', 'the last word: a bucket just above the coverage', { ...base, stages: undefined, stage: undefined, coverage: bucketOf(SEED, outsideId) - 0.0001 }, { id: outsideId }, null, false],
  ];

  it('has one row per reason, in the order ROLLOUT_REASONS lists them', () => {
    expect(rows.map((row) => row[0])).toEqual(Object.keys(ROLLOUT_REASONS));
  });

  it.each(rows)('%s %s', (reason, _, config, user, rollback, semantic) => {
    const decision = decide(config, user, rollback);
    expect(decision.reason).toBe(reason);
    expect(decision.semantic).toBe(semantic);
  });

  it('mode off: out of rollout for everyone, allowlisted users included', () => {
    const decision = decide(at(4, { mode: 'off', allowlist: { users: [hash(insideId)] } }), { id: insideId });
    expect(decision).toMatchObject({ semantic: false, shadow: false, reason: 'OUT_OF_ROLLOUT' });
  });

  it('a latch for another config version or flag does not hold', () => {
    for (const other of [{ ...latch, configVersion: 2 }, { ...latch, flag: 'other-flag' }]) {
      expect(decide(at(4), { id: insideId }, other).reason).toBe('IN_ROLLOUT');
    }
  });

  it('mode shadow: users in the rollout or allowlisted get shadow, not semantic', () => {
    const shadow = at(0, { mode: 'shadow', allowlist: { users: [hash(outsideId)] } });
    expect(decide(shadow, { id: insideId })).toMatchObject({ semantic: false, shadow: true, reason: 'IN_ROLLOUT' });
    expect(decide(shadow, { id: outsideId })).toMatchObject({ semantic: false, shadow: true, reason: 'ALLOWLIST' });
    expect(decide(at(0, { mode: 'shadow' }), { id: outsideId })).toMatchObject({ semantic: false, shadow: false, reason: 'OUT_OF_ROLLOUT' });
  });

  it('reports bucket, stage, stage index and config version', () => {
    const decision: RolloutDecision = decide(at(2), { id: outsideId });
    expect(decision).toEqual({ semantic: false, shadow: false, reason: 'OUT_OF_ROLLOUT', bucket: bucketOf(SEED, outsideId), stage: 0.5, stageIndex: 2, configVersion: 3 });
    expect(String(decision.bucket).split('.')[1]!.length).toBeLessThanOrEqual(4);
    const plain = decide({ schema: 1, version: 7, flag: 'f', mode: 'on', coverage: 0.3 }, { id: 'x' });
    expect(plain).toMatchObject({ stage: 0.3, stageIndex: null, configVersion: 7, bucket: bucketOf('f', 'x') }); // seed defaults to the flag
  });
});

describe('decide: bad configs give INVALID_CONFIG with issues, never a throw', () => {
  const ok = { schema: 1, version: 1, flag: 'f', mode: 'on', coverage: 0.5 };
  const cases: [string, () => unknown, RegExp][] = [
    ['a string version', () => ({ ...ok, version: '3' }), /^config\.version$/],
    ['a boolean killSwitch as a string', () => ({ ...ok, killSwitch: 'false' }), /^config\.killSwitch$/],
    ['coverage 1.5', () => ({ ...ok, coverage: 1.5 }), /^config\.coverage$/],
    ['an unknown mode', () => ({ ...ok, mode: 'beta' }), /^config\.mode$/],
    ['schema 2', () => ({ ...ok, schema: 2 }), /^config\.schema$/],
    ['an allowlist entry of 1 MB', () => ({ ...ok, allowlist: { users: ['a'.repeat(1024 * 1024)] } }), /^config\.allowlist\.users\[0\]$/],
    ['a __proto__ key (JSON.parse makes it an own key)', () => JSON.parse('{"schema":1,"version":1,"flag":"f","mode":"on","coverage":0.5,"__proto__":{"killSwitch":true}}'), /^config$/],
    ['a nested __proto__ key', () => JSON.parse('{"schema":1,"version":1,"flag":"f","mode":"on","coverage":0.5,"allowlist":{"users":[],"__proto__":{"users":[]}}}'), /^config\.allowlist$/],
    ['a raw user id in the allowlist', () => ({ ...ok, allowlist: { users: ['alice@example.com'] } }), /^config\.allowlist\.users\[0\]$/],
    ['a raw group name in the denylist', () => ({ ...ok, denylist: { groups: ['acme'] } }), /^config\.denylist\.groups\[0\]$/],
    ['an uppercase hash', () => ({ ...ok, allowlist: { users: [hash('a').toUpperCase()] } }), /^config\.allowlist\.users\[0\]$/],
    ['a list of 10,001 hashes', () => ({ ...ok, allowlist: { users: Array.from({ length: 10_001 }, () => hash('a')) } }), /^config\.allowlist\.users$/],
    ['both coverage and stages', () => ({ ...ok, stages: [0.1, 1], stage: 0 }), /^config\.coverage$/],
    ['neither coverage nor stages', () => ({ schema: 1, version: 1, flag: 'f', mode: 'on' }), /^config\.stages$/],
    ['stages that go down', () => ({ ...ok, coverage: undefined, stages: [0.05, 0.25, 0.2], stage: 0 }), /^config\.stages\[2\]$/],
    ['a stage past the last', () => ({ ...ok, coverage: undefined, stages: [0.5, 1], stage: 2 }), /^config\.stage$/],
    ['an unknown key', () => ({ ...ok, covrage: 1 }), /^config$/],
    ['an over-long flag', () => ({ ...ok, flag: 'f'.repeat(101) }), /^config\.flag$/],
    ['null', () => null, /^config$/],
    ['an array', () => [ok], /^config$/],
    ['a proxy that throws on every read', () => new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } }), /^config$/],
  ];

  it.each(cases)('%s', (_, make, path) => {
    const config = make();
    let decision: RolloutDecision | undefined;
    expect(() => (decision = decide(config, { id: insideId }))).not.toThrow();
    expect(decision).toMatchObject({ semantic: false, shadow: false, reason: 'INVALID_CONFIG', bucket: null, stage: null, configVersion: null });
    expect(decision!.issues!.length).toBeGreaterThan(0);
    expect(decision!.issues!.map((issue) => issue.path)).toContainEqual(expect.stringMatching(path));
    expect(({} as Record<string, unknown>).killSwitch).toBeUndefined(); // no prototype was touched
  });

  it('says a list entry must be a hash from `semfilter rollout hash-ids`, without echoing the megabyte', () => {
    const decision = decide({ ...ok, allowlist: { users: ['x'.repeat(1024 * 1024)] } }, { id: 'a' });
    expect(decision.issues).toHaveLength(1); // one issue per bad entry, not one per check
    expect(decision.issues![0]!.message).toMatch(/SHA-256 from `semfilter rollout hash-ids`, never a raw id/);
    expect(JSON.stringify(decision).length).toBeLessThan(1000);
  });
});

describe('decide: user ids that cannot be bucketed give NO_USER_ID, never a throw', () => {
  const everyone = at(4);
  const bad: [string, unknown][] = [
    ['empty', ''],
    ['10 KB long', 'u'.repeat(10 * 1024)],
    ['257 characters', 'u'.repeat(257)],
    ['a NUL', 'ali\u0000ce'],
    ['a newline', 'alice\nadmin'],
    ['DEL', 'alice\u007f'],
    ['a C1 control', 'alice\u0085'],
    ['null', null],
    ['the number 0 (GrowthBook skips it too: falsy)', 0],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a boolean', true],
    ['a bigint', 42n],
    ['an object', { toString: () => 'alice' }],
  ];

  it.each(bad)('%s', (_, id) => {
    let decision: RolloutDecision | undefined;
    expect(() => (decision = decide(everyone, { id } as RolloutUser))).not.toThrow();
    expect(decision).toMatchObject({ semantic: false, reason: 'NO_USER_ID', bucket: null, stage: 1 });
  });

  it('a missing user, or one whose getters throw, is NO_USER_ID too', () => {
    const hostile = Object.defineProperty({}, 'id', { get: () => { throw new Error('boom'); } }) as RolloutUser;
    for (const user of [undefined, null, hostile]) expect(decide(everyone, user as unknown as RolloutUser).reason).toBe('NO_USER_ID');
  });

  it('a finite non-zero number is bucketed as String(id), as GrowthBook does', () => {
    for (const id of [42, -7, 1.5, 1e21, Number.MAX_SAFE_INTEGER + 2]) {
      const decision = decide(everyone, { id });
      expect(decision).toEqual(decide(everyone, { id: String(id) }));
      expect(decision.reason).toBe('IN_ROLLOUT');
    }
    const listed = at(0, { allowlist: { users: [hash('42')] } });
    expect(decide(listed, { id: 42 }).reason).toBe('ALLOWLIST');
  });

  it('a 256-character id and a non-ASCII id are usable', () => {
    expect(decide(everyone, { id: 'u'.repeat(256) }).reason).toBe('IN_ROLLOUT');
    expect(decide(everyone, { id: 'José Ñúñez 🙂' }).reason).toBe('IN_ROLLOUT');
  });

  it('a group attribute is read as an own property only', () => {
    const config = at(0, { groupAttribute: 'constructor', allowlist: { groups: [hash('function Object() { [native code] }')] } });
    expect(decide(config, { id: outsideId, attributes: {} }).reason).toBe('OUT_OF_ROLLOUT');
  });
});
