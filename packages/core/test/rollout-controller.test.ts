import { describe, expect, it } from 'vitest';
import { FakeRemoteConfig } from './fake-remote-config.js';
import { filterItems, type FilterOptionsInput, type FilterRequest, type Item } from '@semfilter/core';
import { DEFAULT_GUARDRAILS, type GuardrailWindow } from '@semfilter/core/metrics';
import { createRemoteConfig, createRollout, hashListEntry, memoryStorage, parseRolloutConfig, type DecisionChange, type RolloutConfig, type RolloutFilter } from '@semfilter/core/rollout';

const wardrobe: Item[] = [
  { id: 'tee', style: 'casual', occasion: 'work' },
  { id: 'gown', style: 'glam', occasion: 'gala' },
];
const request = { style: 'casual' };

/** The core filters without a model, logging each run's mode. */
function coreFilter(log: string[] = []): RolloutFilter {
  return {
    filter: async (items, req, options) => {
      log.push(options?.semantic ? 'semantic' : 'traditional');
      return filterItems(items as Item[], req as FilterRequest, options as FilterOptionsInput);
    },
  };
}

function config(fields: object = {}): RolloutConfig {
  const parsed = parseRolloutConfig({ schema: 1, version: 1, flag: 'semantic-filter', mode: 'on', coverage: 1, ...fields });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}


const changes = (target: EventTarget) => {
  const seen: DecisionChange[] = [];
  target.addEventListener('decision', (e) => seen.push((e as CustomEvent<DecisionChange>).detail));
  return seen;
};

describe('createRollout', () => {
  it('decides for the user and serves that mode: in rollout semantic, with a traditional baseline behind it', async () => {
    const log: string[] = [];
    const rollout = createRollout({ config: config(), user: { id: 'user-1' }, filter: coreFilter(log), storage: memoryStorage() });
    expect(rollout.decision).toMatchObject({ semantic: true, shadow: false, reason: 'IN_ROLLOUT', configVersion: 1, stage: 1 });
    expect(rollout.config.flag).toBe('semantic-filter');
    await rollout.run(wardrobe, request);
    await rollout.settled();
    expect(log).toEqual(['semantic', 'traditional']);
    expect(rollout.recorder.snapshot().runs).toMatchObject({ by_role: { served: 1, shadow: 1 } });
  });

  it('recomputes on a user change and fires `decision` only when the decision changes', () => {
    const rollout = createRollout({ config: config(), user: { id: 'user-1' }, filter: coreFilter(), storage: memoryStorage() });
    const seen = changes(rollout);
    rollout.setUser({ id: 'user-1' });
    expect(seen).toEqual([]);
    rollout.setUser({ id: '' });
    expect(seen.map((c) => [c.previous.reason, c.decision.reason])).toEqual([['IN_ROLLOUT', 'NO_USER_ID']]);
    expect(rollout.decision.semantic).toBe(false);
  });

  it('follows a remote config: a kill switch takes semantic mode away at once, and runs go traditional', async () => {
    const remote = new FakeRemoteConfig(config({ mode: 'shadow' }));
    const log: string[] = [];
    const rollout = createRollout({ config: remote, user: { id: 'user-1' }, filter: coreFilter(log), storage: memoryStorage() });
    expect(rollout.decision).toMatchObject({ semantic: false, shadow: true, reason: 'IN_ROLLOUT' });
    const seen = changes(rollout);
    remote.serve(config({ version: 2, mode: 'shadow', killSwitch: true }));
    expect(seen.map((c) => c.decision.reason)).toEqual(['KILL_SWITCH']);
    expect(rollout.config.version).toBe(2);
    await rollout.run(wardrobe, request);
    await rollout.settled();
    expect(log).toEqual(['traditional']);
    rollout.dispose();
    remote.serve(config({ version: 3 }));
    expect(seen).toHaveLength(1); // disposed: no longer following
  });

  it('works with the real remote config client: a served config change reaches the decision', async () => {
    let served: object = { schema: 1, version: 1, flag: 'semantic-filter', mode: 'off', coverage: 0 };
    const fakeFetch = (async () => new Response(JSON.stringify(served), { status: 200, headers: { 'content-type': 'application/json' } })) as typeof fetch;
    const remote = createRemoteConfig({ url: 'https://config.test/rollout.json', fetch: fakeFetch, storage: memoryStorage() });
    await remote.refresh();
    const rollout = createRollout({ config: remote, user: { id: 'user-1' }, filter: coreFilter(), storage: memoryStorage() });
    expect(rollout.decision.reason).toBe('OUT_OF_ROLLOUT');
    const seen = changes(rollout);
    served = { ...served, version: 2, mode: 'on', coverage: 1 };
    await remote.refresh();
    expect(seen.map((c) => c.decision.reason)).toEqual(['IN_ROLLOUT']);
    rollout.dispose();
  });

  it('merges thresholds: defaults, then the host\'s, then the served config\'s `guardrails`', () => {
    const remote = new FakeRemoteConfig(config({ guardrails: { p95LatencyMs: 800 } }));
    const rollout = createRollout({ config: remote, user: { id: 'u' }, filter: coreFilter(), storage: memoryStorage(), thresholds: { p95LatencyMs: 300, minSamples: 7 } });
    expect(rollout.guardrails.thresholds).toEqual({ ...DEFAULT_GUARDRAILS, p95LatencyMs: 800, minSamples: 7 });
    remote.serve(config({ version: 2 }));
    expect(rollout.guardrails.thresholds).toEqual({ ...DEFAULT_GUARDRAILS, p95LatencyMs: 300, minSamples: 7 });
    expect(() => createRollout({ config: config(), user: {}, filter: coreFilter(), thresholds: { windowRuns: -1 } })).toThrow(/thresholds\.windowRuns/);
  });

  it('re-dispatches guardrail windows, and turns a rollback into a GUARDRAIL_ROLLBACK decision', async () => {
    const rollout = createRollout({ config: config(), user: { id: 'user-1' }, filter: coreFilter(), storage: memoryStorage(), thresholds: { minSamples: 2, windowRuns: 2, failingWindows: 1 } });
    const windows: GuardrailWindow[] = [];
    rollout.addEventListener('guardrail', (e) => windows.push((e as CustomEvent<GuardrailWindow>).detail));
    const seen = changes(rollout);
    for (let i = 0; i < 2; i++) {
      await rollout.run(wardrobe, request); // semantic without a model: MODEL_UNAVAILABLE every time
      await rollout.settled();
    }
    expect(windows).toHaveLength(1);
    expect(windows[0]!.checks.find((c) => c.metric === 'fallback_or_error_rate')).toMatchObject({ value: 1, threshold: 0.05, status: 'FAIL' });
    expect(seen.map((c) => [c.previous.reason, c.decision.reason])).toEqual([['IN_ROLLOUT', 'GUARDRAIL_ROLLBACK']]);
    expect(rollout.decision.semantic).toBe(false);
  });

  it('an allowlisted user keeps semantic mode through a rollback (the list outranks guardrails)', async () => {
    const storage = memoryStorage();
    storage.setItem('semfilter-rollback:semantic-filter', JSON.stringify({ flag: 'semantic-filter', configVersion: 1, at: '2025-01-01T00:00:00.000Z', metric: 'p95_latency_ms', value: 900, threshold: 500 }));
    const listed = config({ allowlist: { users: [hashListEntry('semantic-filter', 'tester')], groups: [] } });
    expect(createRollout({ config: listed, user: { id: 'tester' }, filter: coreFilter(), storage }).decision.reason).toBe('ALLOWLIST');
    expect(createRollout({ config: listed, user: { id: 'someone' }, filter: coreFilter(), storage }).decision.reason).toBe('GUARDRAIL_ROLLBACK');
  });

  it('an invalid config gives INVALID_CONFIG and traditional runs, never a throw', async () => {
    const log: string[] = [];
    const rollout = createRollout({ config: { schema: 1, mode: 'sideways' } as unknown as RolloutConfig, user: { id: 'u' }, filter: coreFilter(log), storage: memoryStorage() });
    expect(rollout.decision.reason).toBe('INVALID_CONFIG');
    expect(rollout.decision.issues!.length).toBeGreaterThan(0);
    expect((await rollout.run(wardrobe, request)).fallback_reason).toBe('DISABLED');
    await rollout.settled();
    expect(log).toEqual(['traditional']);
  });
});
