import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterItems, type FilterOptionsInput, type FilterRequest, type Item } from '@semfilter/core';
import type { FleetMode } from '@semfilter/core/metrics';
import { createRemoteConfig, createRollout, createSnapshotReporter, memoryStorage } from '@semfilter/core/rollout';
import { stagedConfig, startTestServer, type TestServer } from './support.js';

// End to end, in one process: a real rollout (the core filter, its config read from the server)
// → the real snapshot reporter → the real server (SQLite) over HTTP. What the recorder recorded is
// what the server counted.

let t: TestServer;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await t.stop();
});

const wardrobe: Item[] = [
  { id: 'item-1', style: 'casual', occasion: 'work' },
  { id: 'item-2', style: 'glam', occasion: 'gala' },
  { id: 'item-3', style: 'casual', occasion: 'weekend' },
  { id: 'item-4', style: 'sporty', occasion: 'weekend' },
];
const runsOf = (modes: readonly FleetMode[]) => modes.reduce((sum, mode) => sum + mode.runs + mode.loading, 0);

describe('a rollout reporting to the server', () => {
  it('sends what the recorder recorded; the server counts the same semantic and traditional runs, and the client once', async () => {
    const flag = 'semantic-filter';
    // Stage 3 of [1%, 5%, 25%, 100%]: every user runs semantic mode, with the traditional filter compared in the background.
    const created = await t.adminFetch(`/v1/flags/${flag}`, { method: 'PUT', body: { config: stagedConfig({ flag, stage: 3 }) } });
    expect(created.status).toBe(201);
    const key = await t.token('client', 'storefront', flag);

    const remote = createRemoteConfig({ url: `${t.url}/v1/flags/${flag}?key=${key}`, storage: null });
    await remote.refresh();
    expect(remote.source).toBe('remote');
    const filter = { filter: async (items: unknown, request: unknown, options?: FilterOptionsInput) => filterItems(items as Item[], request as FilterRequest, options) };
    const rollout = createRollout({ config: remote, user: { id: 'shopper-42' }, filter, storage: memoryStorage() });
    cleanups.push(() => rollout.dispose());
    expect(rollout.decision).toMatchObject({ semantic: true, stageIndex: 3, configVersion: 1 });

    const reporter = createSnapshotReporter({ url: `${t.url}/v1/metrics`, clientKey: key, rollout, target: null });
    cleanups.push(() => reporter.dispose());
    const sent: { accepted: number; duplicates: number }[] = [];
    reporter.addEventListener('sent', (event) => sent.push((event as CustomEvent<{ accepted: number; duplicates: number }>).detail));
    reporter.start();
    const RUNS = 7;
    for (let i = 0; i < RUNS; i++) {
      await rollout.run(wardrobe, { style: i % 2 === 0 ? 'casual' : 'glam' });
      await rollout.settled();
    }
    await reporter.flush();
    expect(reporter.status).toMatchObject({ buffered: 0, sent: 1, dropped: 0, rejected: 0, lastError: null });
    expect(sent).toEqual([{ accepted: 1, duplicates: 0 }]);

    const recorded = rollout.recorder.snapshot().runs.by_mode;
    expect(recorded).toEqual({ semantic: RUNS, traditional: RUNS });
    const data = await t.server.store.windowData({ flag, stage: 3, mode: 'on' }, 0, Number.MAX_SAFE_INTEGER);
    expect({ snapshots: data.snapshots, semantic: runsOf(data.semantic), traditional: runsOf(data.traditional) }).toEqual({ snapshots: 1, semantic: recorded.semantic, traditional: recorded.traditional });
    // The client is counted once (the population the guardrails judge: clients with semantic runs that count).
    expect(data.semantic.reduce((sum, mode) => sum + mode.runs, 0)).toBeGreaterThan(0);
    expect(data.clients).toBe(1);

    // A second interval from the same page: one more snapshot, the same client.
    for (let i = 0; i < 3; i++) {
      await rollout.run(wardrobe, { style: 'casual' });
      await rollout.settled();
    }
    await reporter.flush();
    expect(sent).toEqual([
      { accepted: 1, duplicates: 0 },
      { accepted: 1, duplicates: 0 },
    ]);
    const after = await t.server.store.windowData({ flag, stage: 3, mode: 'on' }, 0, Number.MAX_SAFE_INTEGER);
    expect({ snapshots: after.snapshots, semantic: runsOf(after.semantic), traditional: runsOf(after.traditional), clients: after.clients }).toEqual({ snapshots: 2, semantic: RUNS + 3, traditional: RUNS + 3, clients: 1 });
    expect(rollout.recorder.snapshot().runs.by_mode).toEqual({ semantic: RUNS + 3, traditional: RUNS + 3 });
  });
});
