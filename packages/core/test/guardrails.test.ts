import { describe, expect, it } from 'vitest';
import { FakeRemoteConfig } from './fake-remote-config.js';
import { filterItems, type FilterOptionsInput, type FilterRequest, type Item } from '@semfilter/core';
import {
  createGuardrails,
  createMetricsRecorder,
  DEFAULT_GUARDRAILS,
  evaluateWindow,
  guardrailThresholdsSchema,
  latchKey,
  mergeThresholds,
  type GuardrailThresholds,
  type GuardrailWindow,
  type RunSample,
} from '@semfilter/core/metrics';
import { createRollout, memoryStorage, parseRolloutConfig, type RollbackLatch, type RolloutConfig, type RolloutFilter } from '@semfilter/core/rollout';

const T: GuardrailThresholds = { ...DEFAULT_GUARDRAILS };
const semantic = (extra: Partial<RunSample> = {}): RunSample => ({ mode: 'semantic', role: 'shadow', passRate: 0.5, latencyMs: 100, fallbackReason: null, cache: { hits: 9, lookups: 10 }, ...extra });
const traditional = (extra: Partial<RunSample> = {}): RunSample => ({ mode: 'traditional', role: 'served', passRate: 0.5, latencyMs: 5, fallbackReason: 'DISABLED', ...extra });
/** A healthy window of n paired runs; `tweak(i)` changes the i-th semantic run. */
function window(n: number, tweak: (i: number) => Partial<RunSample> = () => ({})): RunSample[] {
  return Array.from({ length: n }, (_, i) => [traditional(), semantic(tweak(i))]).flat();
}
const statusOf = (samples: RunSample[]) => Object.fromEntries(evaluateWindow(samples, T).checks.map((c) => [c.metric, c.status]));

describe('evaluateWindow', () => {
  it('is INCONCLUSIVE with fewer than minSamples semantic runs, however bad they look (values still shown)', () => {
    const evaluation = evaluateWindow(window(19, () => ({ latencyMs: 9000, fallbackReason: 'TIMEOUT', passRate: 0 })), T);
    expect(evaluation.result).toBe('INCONCLUSIVE');
    expect(evaluation.checks.every((c) => c.status === 'INCONCLUSIVE')).toBe(true);
    expect(evaluation.checks.find((c) => c.metric === 'mean_latency_ms')!.value).toBe(9000);
    expect(evaluateWindow([], T).result).toBe('INCONCLUSIVE');
    expect(evaluateWindow(window(20), T).result).toBe('PASS');
  });

  it('fires each threshold on its own, with its value, threshold and baseline', () => {
    const cases: [string, (i: number) => Partial<RunSample>, { value: number; threshold: number; baseline: number | null }][] = [
      ['pass_rate', () => ({ passRate: 0.4 }), { value: 0.4, threshold: 0.45, baseline: 0.5 }], // −20% relative to 0.5
      ['fallback_or_error_rate', (i) => (i < 2 ? { fallbackReason: 'MODEL_UNAVAILABLE' } : {}), { value: 0.1, threshold: 0.05, baseline: 0 }],
      ['mean_latency_ms', (i) => (i === 0 ? { latencyMs: 40_000 } : {}), { value: 2095, threshold: 2000, baseline: null }], // p95 stays 100
      ['p95_latency_ms', (i) => (i < 2 ? { latencyMs: 600 } : {}), { value: 600, threshold: 500, baseline: null }], // mean stays 150
      ['cache_hit_rate', () => ({ cache: { hits: 6, lookups: 10 } }), { value: 0.6, threshold: 0.7, baseline: null }],
    ];
    for (const [metric, tweak, expected] of cases) {
      const evaluation = evaluateWindow(window(20, tweak), T);
      expect(evaluation.result, metric).toBe('FAIL');
      const failing = evaluation.checks.filter((c) => c.status === 'FAIL');
      expect(failing.map((c) => c.metric), metric).toEqual([metric]);
      expect(failing[0]!.value).toBeCloseTo(expected.value, 9);
      expect(failing[0]!.threshold).toBeCloseTo(expected.threshold, 9);
      expect(failing[0]!.baseline).toBe(expected.baseline);
    }
  });

  it('leaves out runs answered while the model was still loading: a slow first download is not a failure, a failed one is', () => {
    const loading = window(40, (i) => (i < 30 ? { fallbackReason: 'MODEL_LOADING', passRate: 0.1, latencyMs: 2000, cache: { hits: 1, lookups: 10 } } : {}));
    const evaluation = evaluateWindow(loading, T);
    expect([evaluation.result, evaluation.semanticRuns]).toEqual(['INCONCLUSIVE', 10]);
    expect(evaluateWindow(window(40, (i) => (i < 30 ? { fallbackReason: 'MODEL_LOADING' } : {})).concat(window(10)), T).result).toBe('PASS');
    expect(evaluateWindow(window(40, (i) => (i < 30 ? { fallbackReason: 'MODEL_UNAVAILABLE' } : {})), T).result).toBe('FAIL');
  });

  it('holds at the threshold itself: a breach is strictly beyond it', () => {
    expect(statusOf(window(20, (i) => (i === 0 ? { fallbackReason: 'TIMEOUT' } : {})))['fallback_or_error_rate']).toBe('PASS'); // 5 points exactly
    expect(statusOf(window(20, () => ({ passRate: 0.45 })))['pass_rate']).toBe('PASS'); // 10% exactly
  });

  it('measures against the same window: no traditional runs → pass rate INCONCLUSIVE; no lookups → cache INCONCLUSIVE', () => {
    const onlySemantic = Array.from({ length: 20 }, () => semantic({ cache: { hits: 0, lookups: 0 } }));
    expect(statusOf(onlySemantic)).toEqual({ pass_rate: 'INCONCLUSIVE', fallback_or_error_rate: 'PASS', mean_latency_ms: 'PASS', p95_latency_ms: 'PASS', cache_hit_rate: 'INCONCLUSIVE' });
    expect(evaluateWindow(onlySemantic, T).result).toBe('PASS');
  });

  it('takes the traditional runs\' failures as the baseline: input both modes reject does not count against semantic mode', () => {
    const bad = (i: number) => i < 4;
    const samples = Array.from({ length: 20 }, (_, i) => [
      traditional(bad(i) ? { fallbackReason: 'INVALID_INPUT', passRate: 0 } : {}),
      semantic(bad(i) ? { fallbackReason: 'INVALID_INPUT', passRate: 0 } : {}),
    ]).flat();
    const check = evaluateWindow(samples, T).checks.find((c) => c.metric === 'fallback_or_error_rate')!;
    expect(check).toMatchObject({ value: 0.2, baseline: 0.2, status: 'PASS' });
    expect(check.threshold).toBeCloseTo(0.25, 9);
    const errors = window(20, (i) => (i < 3 ? { error: true } : {}));
    expect(evaluateWindow(errors, T).checks.find((c) => c.metric === 'fallback_or_error_rate')).toMatchObject({ value: 0.15, status: 'FAIL' });
  });
});

describe('thresholds', () => {
  it('default to the wardrobe teams\' numbers and merge layer over layer; bad values throw at setup, naming the field', () => {
    expect(DEFAULT_GUARDRAILS).toEqual({ passRateDrop: 0.1, fallbackRateIncrease: 0.05, meanLatencyMs: 2000, p95LatencyMs: 500, minCacheHitRate: 0.7, minSamples: 20, windowRuns: 50, windowMs: 60000, failingWindows: 2, fleetWindowMs: 300000, minClients: 5 });
    expect(mergeThresholds({ p95LatencyMs: 800 }, undefined, { minSamples: 5, p95LatencyMs: 900 })).toMatchObject({ p95LatencyMs: 900, minSamples: 5, meanLatencyMs: 2000 });
    expect(() => mergeThresholds({ minSamples: 0 })).toThrow(/thresholds\.minSamples/);
    expect(guardrailThresholdsSchema.partial().safeParse({ p95LatencyMs: 800 }).success).toBe(true);
    expect(guardrailThresholdsSchema.partial().safeParse({ p95: 800 }).success).toBe(false);
  });
});

describe('createGuardrails', () => {
  const small = { minSamples: 5, windowRuns: 5, failingWindows: 2 };
  const feed = (recorder: ReturnType<typeof createMetricsRecorder>, samples: RunSample[]) => samples.forEach((s) => recorder.record(s));

  it('closes a window every windowRuns semantic runs, rolls back after N FAIL windows in a row (not before), and stores the latch', () => {
    const recorder = createMetricsRecorder();
    const storage = memoryStorage();
    const guardrails = createGuardrails({ recorder, thresholds: small, storage, flag: 'semantic-filter', configVersion: 4, now: () => Date.UTC(2025, 0, 2) });
    const windows: GuardrailWindow[] = [];
    const rollbacks: RollbackLatch[] = [];
    guardrails.addEventListener('guardrail', (e) => windows.push((e as CustomEvent<GuardrailWindow>).detail));
    guardrails.addEventListener('rollback', (e) => rollbacks.push((e as CustomEvent<RollbackLatch>).detail));
    const slow = window(5, () => ({ latencyMs: 700 }));
    feed(recorder, slow);
    expect(windows.map((w) => [w.index, w.result, w.consecutiveFailures])).toEqual([[1, 'FAIL', 1]]);
    const p95 = windows[0]!.checks.find((c) => c.metric === 'p95_latency_ms')!;
    expect(p95).toMatchObject({ value: 700, threshold: 500, status: 'FAIL' });
    expect(rollbacks).toEqual([]);
    expect(storage.getItem(latchKey('semantic-filter'))).toBeNull();
    feed(recorder, slow);
    expect(windows.map((w) => w.result)).toEqual(['FAIL', 'FAIL']);
    const expected = { flag: 'semantic-filter', configVersion: 4, at: '2025-01-02T00:00:00.000Z', metric: 'p95_latency_ms', value: 700, threshold: 500 };
    expect(rollbacks).toEqual([expected]);
    expect(JSON.parse(storage.getItem('semfilter-rollback:semantic-filter')!)).toEqual(expected);
    expect(guardrails.status().latch).toEqual(expected);
    feed(recorder, slow.concat(slow)); // held: no more windows, no second rollback
    expect(windows).toHaveLength(2);
    expect(rollbacks).toHaveLength(1);
  });

  it('counts FAIL windows in a row: INCONCLUSIVE neither counts nor resets (as Argo), PASS resets', () => {
    const recorder = createMetricsRecorder();
    let clock = 0;
    const guardrails = createGuardrails({ recorder, thresholds: { ...small, failingWindows: 3, windowMs: 1000 }, storage: memoryStorage(), flag: 'f', configVersion: 1, now: () => clock });
    const results: [string, number][] = [];
    guardrails.addEventListener('guardrail', (e) => results.push([(e as CustomEvent<GuardrailWindow>).detail.result, (e as CustomEvent<GuardrailWindow>).detail.consecutiveFailures]));
    const failing = window(5, () => ({ fallbackReason: 'MODEL_UNAVAILABLE' }));
    feed(recorder, failing);
    feed(recorder, window(2)); // two runs, then the window times out: too few samples
    clock += 1000;
    feed(recorder, failing); // the first of these closes the quiet window by time
    feed(recorder, window(5));
    feed(recorder, failing);
    feed(recorder, failing);
    expect(results).toEqual([['FAIL', 1], ['INCONCLUSIVE', 1], ['FAIL', 2], ['PASS', 0], ['FAIL', 1], ['FAIL', 2]]);
    expect(guardrails.status().latch).toBeNull();
    feed(recorder, failing);
    expect(guardrails.status().latch).toMatchObject({ metric: 'fallback_or_error_rate', value: 1, threshold: 0.05 });
  });

  it('closeWindow() closes the open window on demand; an empty window stays open', () => {
    const recorder = createMetricsRecorder();
    const guardrails = createGuardrails({ recorder, thresholds: small, flag: 'f', configVersion: 1 });
    expect(guardrails.closeWindow()).toBeNull();
    feed(recorder, window(3));
    expect(guardrails.status().pending).toEqual({ semantic: 3, traditional: 3 });
    expect(guardrails.closeWindow()).toMatchObject({ result: 'INCONCLUSIVE', semanticRuns: 3, traditionalRuns: 3 });
  });

  it('ignores a corrupt or foreign stored latch, and clears one of an older config version', () => {
    const storage = memoryStorage();
    const recorder = createMetricsRecorder();
    storage.setItem(latchKey('f'), '{not json');
    expect(createGuardrails({ recorder, storage, flag: 'f', configVersion: 2 }).status().latch).toBeNull();
    storage.setItem(latchKey('f'), JSON.stringify({ flag: 'g', configVersion: 2, at: 'x', metric: 'm', value: 1, threshold: 0 }));
    expect(createGuardrails({ recorder, storage, flag: 'f', configVersion: 2 }).status().latch).toBeNull();
    storage.setItem(latchKey('f'), JSON.stringify({ flag: 'f', configVersion: 1, at: 'x', metric: 'm', value: 1, threshold: 0 }));
    expect(createGuardrails({ recorder, storage, flag: 'f', configVersion: 2 }).status().latch).toBeNull();
    expect(storage.getItem(latchKey('f'))).toBeNull();
  });
});

/** The core filters with no model: the traditional filter exactly; semantic runs fall back with MODEL_UNAVAILABLE, as on a page whose model is missing. */
const modelUnavailable: RolloutFilter = {
  filter: (items, request, options) => filterItems(items as Item[], request as FilterRequest, options as FilterOptionsInput),
};
const wardrobe: Item[] = [
  { id: 'tee', style: 'casual', occasion: 'work' },
  { id: 'gown', style: 'glam', occasion: 'gala' },
];
function config(version: number, extra: object = {}): RolloutConfig {
  const parsed = parseRolloutConfig({ schema: 1, version, flag: 'semantic-filter', mode: 'on', coverage: 1, ...extra });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

describe('rollback through the controller', () => {
  const thresholds = { minSamples: 5, windowRuns: 5, failingWindows: 2 };
  async function rollBack(storage = memoryStorage(), version = 7) {
    const rollout = createRollout({ config: config(version), user: { id: 'user-1' }, filter: modelUnavailable, storage, thresholds });
    const rollbacks: RollbackLatch[] = [];
    rollout.addEventListener('rollback', (e) => rollbacks.push((e as CustomEvent<RollbackLatch>).detail));
    for (let i = 0; i < 10; i++) {
      expect(rollbacks, `run ${i}`).toEqual([]);
      await rollout.run(wardrobe, { style: 'casual' });
      await rollout.settled();
    }
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]).toMatchObject({ flag: 'semantic-filter', configVersion: version, metric: 'fallback_or_error_rate', value: 1, threshold: 0.05 });
    return { rollout, storage };
  }

  it('rolls back after two failing windows; the latch is stored and a brand-new controller reads it (sticky)', async () => {
    const { rollout, storage } = await rollBack();
    expect(rollout.decision).toMatchObject({ semantic: false, reason: 'GUARDRAIL_ROLLBACK' });
    expect((await rollout.run(wardrobe, { style: 'casual' })).fallback_reason).toBe('DISABLED'); // served traditional now
    rollout.dispose();
    const again = createRollout({ config: config(7), user: { id: 'user-1' }, filter: modelUnavailable, storage, thresholds });
    expect(again.decision).toMatchObject({ semantic: false, reason: 'GUARDRAIL_ROLLBACK', configVersion: 7 });
    expect(again.guardrails.status().latch).toMatchObject({ metric: 'fallback_or_error_rate' });
    const report = await again.run(wardrobe, { style: 'casual' });
    await again.settled();
    expect(report.fallback_reason).toBe('DISABLED');
    expect(again.recorder.snapshot().runs.by_mode).toEqual({ traditional: 1, semantic: 0 }); // no background semantic run either
  });

  it('re-arm clears the stored latch and gives semantic mode back', async () => {
    const { rollout, storage } = await rollBack();
    const reasons: string[] = [];
    rollout.addEventListener('decision', (e) => reasons.push((e as CustomEvent<{ decision: { reason: string } }>).detail.decision.reason));
    rollout.rearm();
    expect(reasons).toEqual(['IN_ROLLOUT']);
    expect(storage.getItem(latchKey('semantic-filter'))).toBeNull();
    expect(createRollout({ config: config(7), user: { id: 'user-1' }, filter: modelUnavailable, storage }).decision.reason).toBe('IN_ROLLOUT');
  });

  it('a new config version clears the latch: at creation, and on a remote config change', async () => {
    const { storage } = await rollBack();
    const fresh = createRollout({ config: config(8), user: { id: 'user-1' }, filter: modelUnavailable, storage });
    expect(fresh.decision.reason).toBe('IN_ROLLOUT');
    expect(storage.getItem(latchKey('semantic-filter'))).toBeNull();

    const second = await rollBack(memoryStorage(), 7);
    const remote = fakeRemote(config(7));
    const live = createRollout({ config: remote, user: { id: 'user-1' }, filter: modelUnavailable, storage: second.storage });
    expect(live.decision.reason).toBe('GUARDRAIL_ROLLBACK');
    remote.serve(config(7, { guardrails: { p95LatencyMs: 900 } })); // same version: still rolled back
    expect(live.decision.reason).toBe('GUARDRAIL_ROLLBACK');
    expect(live.guardrails.thresholds.p95LatencyMs).toBe(900);
    remote.serve(config(8));
    expect(live.decision.reason).toBe('IN_ROLLOUT');
    expect(live.config.version).toBe(8);
    expect(second.storage.getItem(latchKey('semantic-filter'))).toBeNull();
  });
});

const fakeRemote = (initial: RolloutConfig) => new FakeRemoteConfig(initial);
