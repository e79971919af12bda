import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bucketOf, coverageOf, decide, DEFAULT_ROLLOUT_CONFIG, hashListEntry, hashVersionOf, parseRolloutConfig, simulatePopulation, usableUserId, userIdOf, type RolloutConfig } from '@semfilter/core/rollout';

function parsed(value: unknown): RolloutConfig {
  const result = parseRolloutConfig(value);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

describe('hashListEntry', () => {
  it('is the hex SHA-256 of UTF-8 seed + newline + value (checked against node:crypto)', () => {
    for (const [seed, value] of [['semantic-filter', 'alice@example.com'], ['s', 'José 🙂'], ['', '']]) {
      const reference = createHash('sha256').update(`${seed}\n${value}`, 'utf8').digest('hex');
      expect(hashListEntry(seed!, value!)).toBe(reference);
    }
  });

  it('differs by seed, so one flag’s lists do not match another’s', () => {
    expect(hashListEntry('a', 'alice')).not.toBe(hashListEntry('b', 'alice'));
  });
});

describe('usableUserId', () => {
  it('takes 1–256 characters without control characters', () => {
    expect(['a', 'u'.repeat(256), 'José', 'id with spaces'].every(usableUserId)).toBe(true);
    expect(['', 'u'.repeat(257), 'a\tb', 'a\u0000', 'a\u009f', 7, null, undefined].some(usableUserId)).toBe(false);
  });
});

describe('userIdOf', () => {
  it('takes usable strings as they are and finite non-zero numbers as String(id)', () => {
    expect(['alice', ' padded ', '0'].map(userIdOf)).toEqual(['alice', ' padded ', '0']);
    expect([42, -1, 0.5, 1e21].map(userIdOf)).toEqual(['42', '-1', '0.5', '1e+21']);
    expect([0, -0, NaN, Infinity, -Infinity, '', 'a\nb', 'u'.repeat(257), true, 1n, {}, [], null, undefined].map(userIdOf).every((id) => id === null)).toBe(true);
  });
});

describe('hashVersion', () => {
  const config = { schema: 1, version: 1, flag: 'f', mode: 'on', coverage: 0.5 };

  it('is 2 unless the config says 1; anything else is invalid', () => {
    expect(hashVersionOf(parsed(config))).toBe(2);
    expect(hashVersionOf(parsed({ ...config, hashVersion: 1 }))).toBe(1);
    for (const hashVersion of [0, 3, '1', null]) {
      const result = parseRolloutConfig({ ...config, hashVersion });
      expect(!result.ok && result.issues).toEqual([{ path: 'config.hashVersion', message: expect.stringMatching(/expected 1 or 2/) }]);
    }
  });

  it('decide() and simulatePopulation() bucket with it', () => {
    const v1 = parsed({ ...config, hashVersion: 1 });
    expect(decide(v1, { id: 'alice' }).bucket).toBe(bucketOf('f', 'alice', 1));
    expect(decide(parsed(config), { id: 'alice' }).bucket).toBe(bucketOf('f', 'alice', 2));
    expect(bucketOf('f', 'alice', 1)).not.toBe(bucketOf('f', 'alice', 2));
    let semantic = 0;
    for (let i = 0; i < 5000; i++) if (decide(v1, { id: `user-${i}` }).semantic) semantic += 1;
    expect(simulatePopulation(v1, 5000).current.share).toBe(semantic / 5000);
  });
});

describe('parseRolloutConfig', () => {
  const config = { schema: 1, version: 2, flag: 'semantic-filter', mode: 'shadow', stages: [0.05, 0.5, 1], stage: 1, guardrails: { p95LatencyMs: 800 } };

  it('fills defaults and freezes the result, deeply', () => {
    const value = parsed(config);
    expect(value).toMatchObject({ killSwitch: false, allowlist: { users: [], groups: [] }, denylist: { users: [], groups: [] }, guardrails: { p95LatencyMs: 800 } });
    expect(Object.isFrozen(value) && Object.isFrozen(value.stages) && Object.isFrozen(value.allowlist.users)).toBe(true);
    expect(coverageOf(value)).toBe(0.5);
    expect(parseRolloutConfig(value)).toEqual({ ok: true, value }); // a parsed config parses to itself
  });

  it('checks guardrail overrides with the guardrail thresholds schema', () => {
    const result = parseRolloutConfig({ ...config, guardrails: { p95LatencyMs: -1, notAThreshold: 1 } });
    expect(!result.ok && result.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['config.guardrails.p95LatencyMs', 'config.guardrails']));
  });

  it('the default config is off for everyone', () => {
    expect(decide(DEFAULT_ROLLOUT_CONFIG, { id: 'alice' })).toMatchObject({ semantic: false, shadow: false, reason: 'OUT_OF_ROLLOUT' });
    expect(parseRolloutConfig(JSON.parse(JSON.stringify(DEFAULT_ROLLOUT_CONFIG))).ok).toBe(true);
  });
});

describe('simulatePopulation', () => {
  const config = parsed({ schema: 1, version: 1, flag: 'semantic-filter', mode: 'on', stages: [0.05, 0.25, 0.5, 0.75, 1], stage: 2 });

  it('agrees with decide() on the same synthetic ids, stage by stage', () => {
    const users = 20_000;
    const simulation = simulatePopulation(config, users, { bins: 10 });
    simulation.stages.forEach((stage, index) => {
      const atStage = parsed({ ...config, stage: index });
      let semantic = 0;
      for (let i = 0; i < users; i++) if (decide(atStage, { id: `user-${i}` }).semantic) semantic += 1;
      expect(stage).toEqual({ index, coverage: config.stages![index], share: semantic / users, deviation: semantic / users - config.stages![index]! });
    });
    expect(simulation.current.index).toBe(2);
    expect(simulation.histogram).toHaveLength(10);
    expect(simulation.histogram.reduce((a, b) => a + b, 0)).toBe(users);
    expect(simulation.maxDeviation).toBe(Math.max(...simulation.stages.map((s) => Math.abs(s.deviation))));
  });

  it('stays within 0.5 points of every stage at 100,000 users, with an even histogram', () => {
    const simulation = simulatePopulation(config, 100_000);
    expect(simulation.maxDeviation).toBeLessThan(0.005);
    for (const count of simulation.histogram) expect(Math.abs(count / 100_000 - 0.05)).toBeLessThan(0.005);
  });

  it('a plain coverage is one stage, index 0', () => {
    const simulation = simulatePopulation(parsed({ schema: 1, version: 1, flag: 'f', mode: 'on', coverage: 0.3 }), 1000);
    expect(simulation.stages).toHaveLength(1);
    expect(simulation.current).toMatchObject({ index: 0, coverage: 0.3 });
  });

  it('refuses a user count out of range (a programmer error)', () => {
    expect(() => simulatePopulation(config, 0)).toThrow(RangeError);
    expect(() => simulatePopulation(config, 1.5)).toThrow(/expected an integer from 1 to/);
  });
});
