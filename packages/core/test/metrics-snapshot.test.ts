import { describe, expect, it } from 'vitest';
import { filterItems, type FilterOptionsInput, type FilterRequest, type Item } from '@semfilter/core';
import { createMetricsRecorder, metricsSnapshotSchema, type MetricsSnapshot, type RunSample } from '@semfilter/core/metrics';
import { createRollout, memoryStorage, parseRolloutConfig, type RolloutFilter } from '@semfilter/core/rollout';

const sample = (extra: Partial<RunSample> = {}): RunSample => ({ mode: 'semantic', role: 'served', passRate: 0.5, latencyMs: 10, fallbackReason: null, ...extra });

describe('the metrics snapshot', () => {
  it('validates against its schema and gives rates per mode, fallbacks by reason, errors, cache hits and flips', () => {
    const recorder = createMetricsRecorder({ now: () => 1234 });
    recorder.record(sample({ mode: 'traditional', passRate: 0.25, fallbackReason: 'DISABLED', latencyMs: 2 }));
    recorder.record(sample({ passRate: 0.75, cache: { hits: 9, lookups: 10 }, flips: { flipped: 1, compared: 4 } }));
    recorder.record(sample({ role: 'shadow', passRate: 0.25, fallbackReason: 'MODEL_UNAVAILABLE', cache: { hits: 1, lookups: 10 } }));
    recorder.record(sample({ role: 'shadow', passRate: 0, error: true, latencyMs: 40 }));
    const snapshot = recorder.snapshot();
    expect(metricsSnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot).toMatchObject({
      schema: 1,
      taken_at_ms: 1234,
      runs: { total: 4, by_mode: { traditional: 1, semantic: 3 }, by_role: { served: 2, shadow: 2 } },
      window: { size: 500, runs: 4 },
      pass_rate: { traditional: 0.25, semantic: 0.5 }, // the errored run has no pass rate
      fallback_by_reason: { MODEL_UNAVAILABLE: 1, TIMEOUT: 0, INVALID_INPUT: 0, MODEL_LOADING: 0 },
      error_rate: 0.25,
      cache_hit_rate: 0.5,
      flip_rate: 0.25,
    });
    expect(snapshot.fallback_rate).toBeCloseTo(1 / 2, 9);
    expect(snapshot.latency_ms.semantic).toEqual({ count: 3, mean: 20, p50: 10, p95: 40 });
  });

  it('is all nulls and zeros before any run, and after reset()', () => {
    const recorder = createMetricsRecorder();
    recorder.record(sample());
    recorder.reset();
    const snapshot = recorder.snapshot();
    expect(metricsSnapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(snapshot.runs.total).toBe(0);
    expect([snapshot.pass_rate.semantic, snapshot.fallback_rate, snapshot.error_rate, snapshot.cache_hit_rate, snapshot.flip_rate]).toEqual([null, null, null, null, null]);
  });

  it('streams a snapshot per run to subscribers and the telemetry hook; a throwing listener breaks nothing', () => {
    const hooked: MetricsSnapshot[] = [];
    const recorder = createMetricsRecorder({ onSnapshot: (s) => hooked.push(s) });
    const streamed: number[] = [];
    recorder.subscribe(() => {
      throw new Error('telemetry down');
    });
    const stop = recorder.subscribe((s) => streamed.push(s.runs.total));
    recorder.record(sample());
    recorder.record(sample());
    stop();
    recorder.record(sample());
    expect(streamed).toEqual([1, 2]);
    expect(hooked.map((s) => s.runs.total)).toEqual([1, 2, 3]);
  });

  it('keeps only known numeric fields: bad numbers are clamped, unknown codes dropped, extra fields ignored', () => {
    const recorder = createMetricsRecorder();
    recorder.record({ ...sample({ passRate: 7, latencyMs: Number.NaN, fallbackReason: 'secret-tag' as never }), name: 'Secret Jacket' } as RunSample);
    recorder.record({ mode: 'bogus', role: 'served' } as unknown as RunSample);
    const [kept] = recorder.samples();
    expect(recorder.samples()).toHaveLength(1);
    expect(kept).toMatchObject({ passRate: 1, latencyMs: 0, fallbackReason: null });
    expect(JSON.stringify(recorder.samples())).not.toMatch(/Secret|secret/);
  });

  it('recordReport reads the mode, pass rate, fallback and timing off a report', async () => {
    const recorder = createMetricsRecorder();
    const wardrobe: Item[] = [{ id: 'a', style: 'casual' }, { id: 'b', style: 'formal' }];
    recorder.recordReport(await filterItems(wardrobe, { style: 'casual' }), 'served');
    recorder.recordReport(await filterItems(wardrobe, { style: 'casual' }, { semantic: true }), 'shadow', { latencyMs: 12 });
    const [traditional, semantic] = recorder.samples();
    expect(traditional).toMatchObject({ mode: 'traditional', role: 'served', passRate: 0.5, fallbackReason: 'DISABLED' });
    expect(semantic).toMatchObject({ mode: 'semantic', role: 'shadow', fallbackReason: 'MODEL_UNAVAILABLE', latencyMs: 12 });
  });
});

// Strings that must never reach telemetry: item ids, names and tags, and user ids.
const SECRETS = {
  ids: ['sku-zanzibar-7731', 'sku-quokka-0042', 'sku-marzipan-9910', 'sku-obsidian-5518'],
  names: ['Aubergine Velvet Smoking Jacket', 'Heliotrope Mohair Cardigan', 'Saffron Linen Kaftan', 'Graphite Tweed Overcoat'],
  tags: ['Vorticist', 'Zanzibarian Soiree', 'Quixotic', 'Melancholywave', 'Brutalist', 'Moonlit Regatta'],
  users: ['user-xylophone-4471@example.test', 'customer-periwinkle-0193'],
};
const wardrobe: Item[] = [
  { id: SECRETS.ids[0]!, name: SECRETS.names[0]!, style: SECRETS.tags[0]!, occasion: SECRETS.tags[1]!, mood: SECRETS.tags[2]! },
  { id: SECRETS.ids[1]!, name: SECRETS.names[1]!, style: [SECRETS.tags[0]!, 'casual'], occasion: 'work', mood: SECRETS.tags[3]! },
  { id: SECRETS.ids[2]!, name: SECRETS.names[2]!, style: SECRETS.tags[4]!, occasion: SECRETS.tags[5]!, mood: 'calm' },
  { id: SECRETS.ids[3]!, name: SECRETS.names[3]!, style: 'casual', occasion: 'work', mood: 'calm' },
];
const requests: FilterRequest[] = [{ style: SECRETS.tags[0]! }, { style: 'casual', occasion: SECRETS.tags[1]! }, { mood: [SECRETS.tags[2]!, 'calm'] }, { occasion: SECRETS.tags[5]! }];

/** The core filters as they are (the traditional filter exactly; semantic without a model falls back). */
const coreFilter: RolloutFilter = {
  filter: (items, request, options) => filterItems(items as Item[], request as FilterRequest, options as FilterOptionsInput),
};

describe('privacy', () => {
  it('a snapshot of runs over a wardrobe with distinctive names, ids, tags and user ids contains none of them', async () => {
    const config = parseRolloutConfig({ schema: 1, version: 3, flag: 'semantic-filter', mode: 'shadow', coverage: 1 });
    if (!config.ok) throw new Error('test config');
    const snapshots: MetricsSnapshot[] = [];
    for (const user of SECRETS.users) {
      const rollout = createRollout({ config: config.value, user: { id: user }, filter: coreFilter, storage: memoryStorage(), thresholds: { minSamples: 1, windowRuns: 2 } });
      rollout.recorder.subscribe((s) => snapshots.push(s));
      for (const request of requests) {
        const report = await rollout.run(wardrobe, request);
        expect(JSON.stringify(report)).toContain(SECRETS.ids[0]); // the host's report does carry them; telemetry must not
      }
      await rollout.settled();
      snapshots.push(rollout.recorder.snapshot());
      expect(rollout.recorder.snapshot().runs.by_role).toEqual({ served: 4, shadow: 4 });
      const telemetry = JSON.stringify([snapshots, rollout.recorder.samples(), rollout.guardrails.status()]);
      for (const secret of Object.values(SECRETS).flat()) {
        expect(telemetry).not.toContain(secret);
        expect(telemetry.toLowerCase()).not.toContain(secret.toLowerCase());
      }
      rollout.dispose();
    }
    expect(snapshots.length).toBeGreaterThan(8);
    for (const snapshot of snapshots) expect(metricsSnapshotSchema.safeParse(snapshot).success).toBe(true);
  });
});
