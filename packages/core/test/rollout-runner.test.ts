import { describe, expect, it } from 'vitest';
import { createLayeredEmbedder, filterItems, type Embedder, type FilterOptionsInput, type FilterReport, type FilterRequest, type Item } from '@semfilter/core';
import { createMetricsRecorder } from '@semfilter/core/metrics';
import { countFlips, createRolloutRunner, type RolloutFilter } from '@semfilter/core/rollout';
import { vocabularyPack } from './support/vocabulary-pack.js';

const wardrobe: Item[] = [
  { id: 'blazer', name: 'Navy blazer', style: 'Classic', occasion: 'Work', mood: 'Calm' },
  { id: 'tee', name: 'White tee', style: 'Casual', occasion: 'work', mood: 'calm' },
  { id: 'gown', name: 'Sequin gown', style: 'Glam', occasion: 'Gala', mood: 'Bold' },
];
const request = { style: 'casual', occasion: 'work', mood: 'calm' };
const SHADOW = { semantic: false, shadow: true };
const ON = { semantic: true, shadow: false };
const OFF = { semantic: false, shadow: false };

/** A model that is never there, so semantic runs use the embedded vocabulary only (as a page before its model downloads). */
const absentModel: Embedder = { model: { id: 'Xenova/all-MiniLM-L6-v2', dtype: 'fp32' }, embed: async () => Promise.reject(new Error('no model in this test')) };

/**
 * The core filters as the browser facade runs them, minus the worker: the traditional filter, and
 * the semantic filter on the embedded vocabulary, with the facade's stats(). Timings are pinned to 0
 * so reports compare exactly. Logs which mode ran, in order.
 */
function coreFilter(log: string[] = []): RolloutFilter {
  const embedder = createLayeredEmbedder({ model: absentModel, vocabulary: vocabularyPack() });
  return {
    async filter(items, req, options) {
      log.push(options?.semantic ? 'semantic' : 'traditional');
      return filterItems(items as Item[], req as FilterRequest, options as FilterOptionsInput, { embedder, now: () => 0 });
    },
    stats: () => embedder.stats(),
  };
}

/** A schedule the test drains by hand, to see exactly when background work may start. */
function manualSchedule() {
  const tasks: (() => void)[] = [];
  return { schedule: (task: () => void) => void tasks.push(task), drain: () => tasks.splice(0).forEach((task) => task()), get size() {
    return tasks.length;
  } };
}

describe('the rollout runner', () => {
  it('shadow mode serves the traditional report, exactly as the traditional filter gives it', async () => {
    const recorder = createMetricsRecorder();
    const runner = createRolloutRunner({ filter: coreFilter(), recorder });
    const served = await runner.run(wardrobe, request, SHADOW);
    expect(served).toEqual(await filterItems(wardrobe, request, undefined, { now: () => 0 }));
    expect(served.semantic_mode_active).toBe(false);
    await runner.settled();
  });

  it('runs semantic mode only after the served promise resolves, then records it as shadow with its flips and cache hits', async () => {
    const log: string[] = [];
    const manual = manualSchedule();
    const recorder = createMetricsRecorder();
    const runner = createRolloutRunner({ filter: coreFilter(log), recorder, schedule: manual.schedule });
    const served = await runner.run(wardrobe, request, SHADOW);
    expect(log).toEqual(['traditional']);
    expect(manual.size).toBe(1);
    expect(recorder.samples()).toMatchObject([{ mode: 'traditional', role: 'served', fallbackReason: 'DISABLED' }]);
    manual.drain();
    await runner.settled();
    expect(log).toEqual(['traditional', 'semantic']);
    const shadow = recorder.samples()[1]!;
    expect(shadow).toMatchObject({ mode: 'semantic', role: 'shadow', fallbackReason: null, flips: { flipped: 1, compared: 3 } }); // the Classic blazer
    expect(shadow.cache!.lookups).toBeGreaterThan(0);
    expect(shadow.cache!.hits).toBe(shadow.cache!.lookups); // all from the vocabulary
    expect(shadow.passRate).toBeGreaterThan(served.filter_pass_rate);
    expect(recorder.snapshot().flip_rate).toBeCloseTo(1 / 3, 9);
  });

  it('with the default schedule too, nothing of semantic mode has started when the served promise resolves', async () => {
    const log: string[] = [];
    const runner = createRolloutRunner({ filter: coreFilter(log), recorder: createMetricsRecorder() });
    let seenAtResolve: string[] = [];
    await runner.run(wardrobe, request, SHADOW).then(() => (seenAtResolve = [...log]));
    expect(seenAtResolve).toEqual(['traditional']);
    await runner.settled();
    expect(log).toEqual(['traditional', 'semantic']);
  });

  it('mode on serves semantic and runs the traditional baseline in the background', async () => {
    const log: string[] = [];
    const recorder = createMetricsRecorder();
    const runner = createRolloutRunner({ filter: coreFilter(log), recorder });
    const served = await runner.run(wardrobe, request, ON);
    expect(served.semantic_mode_active).toBe(true);
    await runner.settled();
    expect(log).toEqual(['semantic', 'traditional']);
    expect(recorder.samples().map((s) => [s.mode, s.role, s.flips?.flipped ?? null])).toEqual([['semantic', 'served', null], ['traditional', 'shadow', 1]]);
    expect(recorder.samples()[0]!.cache).toBeDefined();
  });

  it('neither mode: one traditional run, nothing in the background', async () => {
    const log: string[] = [];
    const recorder = createMetricsRecorder();
    const runner = createRolloutRunner({ filter: coreFilter(log), recorder, schedule: () => expect.unreachable('nothing to schedule') });
    await runner.run(wardrobe, request, OFF);
    await runner.settled();
    expect(log).toEqual(['traditional']);
    expect(recorder.snapshot().runs.by_role).toEqual({ served: 1, shadow: 0 });
  });

  it('records a background failure as an errored shadow run, and never throws it', async () => {
    // A fake filter whose semantic mode crashes: this test is about the runner's handling, not semantics.
    const fakeCrashingSemantic: RolloutFilter = {
      filter: async (items, req, options) => {
        if (options?.semantic) throw new Error('worker died');
        return filterItems(items as Item[], req as FilterRequest, options as FilterOptionsInput);
      },
      stats: () => {
        throw new Error('stats broken too');
      },
    };
    const recorder = createMetricsRecorder();
    const runner = createRolloutRunner({ filter: fakeCrashingSemantic, recorder });
    const served = await runner.run(wardrobe, request, SHADOW);
    await runner.settled();
    expect(served.fallback_reason).toBe('DISABLED');
    expect(recorder.samples()[1]).toMatchObject({ mode: 'semantic', role: 'shadow', error: true, passRate: 0, fallbackReason: null });
    expect(recorder.snapshot().error_rate).toBe(0.5);
  });

  it('a served semantic run that rejects still gives the host the traditional report, and is recorded as an error', async () => {
    const fakeRejecting: RolloutFilter = { filter: async () => Promise.reject(new Error('broken facade')) };
    const recorder = createMetricsRecorder();
    const runner = createRolloutRunner({ filter: fakeRejecting, recorder });
    const served = await runner.run(wardrobe, request, ON);
    expect(served).toEqual({ ...(await filterItems(wardrobe, request)), timings_ms: served.timings_ms });
    expect(recorder.samples()).toMatchObject([{ mode: 'semantic', role: 'served', error: true }]);
    await runner.settled();
    expect(recorder.samples()).toHaveLength(1); // no comparison against a run that never answered
    expect((await runner.run('not a wardrobe', request, ON)).fallback_reason).toBe('INVALID_INPUT');
  });

  it('a scheduler that throws, or a full queue, costs a comparison, never the served report', async () => {
    const recorder = createMetricsRecorder();
    const throwing = createRolloutRunner({ filter: coreFilter(), recorder, schedule: () => {
      throw new Error('no scheduler');
    } });
    expect((await throwing.run(wardrobe, request, SHADOW)).fallback_reason).toBe('DISABLED');
    await throwing.settled();
    const manual = manualSchedule();
    const capped = createRolloutRunner({ filter: coreFilter(), recorder, schedule: manual.schedule, maxPending: 2 });
    for (let i = 0; i < 5; i++) await capped.run(wardrobe, request, SHADOW);
    expect(manual.size).toBe(2);
    manual.drain();
    await capped.settled();
    expect(recorder.snapshot().runs.by_role).toEqual({ served: 6, shadow: 2 });
  });

  it('countFlips compares items by id, over the items both reports judged', () => {
    const report = (items: [string, boolean][]) => ({ items: items.map(([id, passed]) => ({ id, passed })) }) as unknown as FilterReport;
    expect(countFlips(report([['a', true], ['b', false], ['c', true]]), report([['a', false], ['b', false], ['d', true]]))).toEqual({ flipped: 1, compared: 2 });
  });
});
