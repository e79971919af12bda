import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteConfig } from '@semfilter/core/rollout';
import { clientSnapshot, manualClock, seeded, sendSnapshots, stagedConfig, startTestServer, type ClientProfile, type TestServer } from './support.js';

// A simulated fleet: 500 clients in this process, each sending its own snapshot over real HTTP
// every window, against a real server on a real SQLite file. Time is injected: the server's clock
// and the evaluator's ticks are driven by the test, so a day of schedule runs in seconds.

const CLIENTS = 500;
const WINDOW_MS = 5 * 60_000;
const HOUR = 60 * 60_000;
const clock = manualClock();
let t: TestServer;

const HEALTHY: ClientProfile = { semanticRuns: 4, traditionalRuns: 4, semanticLatencyMs: 120, semanticFallbackRate: 0, passRate: 0.5, semanticPassRate: 0.55 };
const SLOW: ClientProfile = { ...HEALTHY, semanticLatencyMs: 900 };
const FAILING: ClientProfile = { ...HEALTHY, semanticFallbackRate: 0.3 };

beforeAll(async () => {
  // 500 clients share one address here; a real fleet's are its users' own.
  t = await startTestServer({ now: clock, limits: { publicPerMinute: 1_000_000 } });
});
afterAll(async () => t.stop());

const GUARDRAILS = { fleetWindowMs: WINDOW_MS, minSamples: 200, minClients: 50, failingWindows: 2 };

/** Creates a flag with the demo's stages, the test's guardrails and a schedule; returns its client key. */
async function createFlag(flag: string, settings: Record<string, unknown>): Promise<string> {
  const response = await t.adminFetch(`/v1/flags/${flag}`, { method: 'PUT', body: { config: stagedConfig({ flag, guardrails: GUARDRAILS }), settings, reason: 'start the canary' } });
  expect(response.status).toBe(201);
  return t.token('client', `${flag}-app`, flag);
}

async function served(flag: string): Promise<{ version: number; stage: number; killSwitch: boolean }> {
  return (await t.adminFetch(`/v1/flags/${flag}`)).json();
}

/**
 * One window of traffic: `clients` clients each send one snapshot of their runs in the middle of
 * the window, then the clock reaches the window's end and the evaluator runs.
 */
async function runWindow(flag: string, key: string, profile: ClientProfile, clients = CLIENTS, seed = 1): Promise<void> {
  const random = seeded(seed + Math.floor(clock() / WINDOW_MS));
  const config = await served(flag);
  const windowStart = Math.floor(clock() / WINDOW_MS) * WINDOW_MS;
  clock.set(windowStart + WINDOW_MS / 2);
  const snapshots = Array.from({ length: clients }, (_, i) =>
    clientSnapshot(`${flag}-client-${String(i).padStart(8, '0')}`, { flag, version: config.version, stage: config.stage, mode: 'on' }, profile, random, clock()),
  );
  // Sent 50 at a time, as 50 clients' beacons in flight at once.
  for (let i = 0; i < snapshots.length; i += 50) {
    const responses = await Promise.all(snapshots.slice(i, i + 50).map((snapshot) => sendSnapshots(t.url, key, [snapshot])));
    for (const response of responses) expect(response.status).toBe(202);
  }
  clock.set(windowStart + WINDOW_MS);
  await t.server.tick();
}

async function history(flag: string): Promise<{ version: number; action: string; actor: string; reason: string | null; at: string; config: { stage: number; killSwitch: boolean }; evidence: unknown }[]> {
  return (await (await t.adminFetch(`/v1/flags/${flag}/history`)).json()).versions;
}

async function windows(flag: string): Promise<{ result: string; stage: number; clients: number; semanticRuns: number }[]> {
  return (await (await t.adminFetch(`/v1/flags/${flag}/windows?limit=1000`)).json()).windows;
}

/** A version's time as minutes since the flag was created. */
function minutesSince(start: string, at: string): number {
  return Math.round((Date.parse(at) - Date.parse(start)) / 60_000);
}

describe('a simulated fleet of 500 clients', () => {
  it('promotes a healthy canary through the schedule, each stage after its dwell and PASS windows', async () => {
    clock.set(Date.UTC(2026, 0, 1, 12));
    const schedule = [0, 1, 2].map(() => ({ minDurationMs: HOUR, passWindows: 6 }));
    const key = await createFlag('healthy', { schedule });
    for (let i = 0; i < 60 && (await served('healthy')).stage < 3; i++) await runWindow('healthy', key, HEALTHY);
    const versions = (await history('healthy')).reverse();
    const promotions = versions.filter((v) => v.action === 'scheduled-promotion');
    expect(promotions.map((v) => v.config.stage)).toEqual([1, 2, 3]);
    const created = versions[0]!.at;
    // Each promotion waited for its hour (stages start on the next whole window after the previous promotion).
    let stageStart = created;
    for (const promotion of promotions) {
      expect(minutesSince(stageStart, promotion.at)).toBeGreaterThanOrEqual(60);
      expect(promotion.actor).toBe('schedule');
      stageStart = promotion.at;
    }
    expect((await windows('healthy')).every((w) => w.result === 'PASS' && w.clients === CLIENTS)).toBe(true);
    console.log(`healthy canary timeline (minutes after creation): ${promotions.map((p) => `stage ${p.config.stage} at +${minutesSince(created, p.at)} min`).join(', ')}`);
  });

  it('rolls a slow canary back for everyone after 2 FAIL windows, with the evidence in the history; clients follow on their next refresh', async () => {
    clock.set(Date.UTC(2026, 0, 2, 12));
    const key = await createFlag('slow', { schedule: [0, 1, 2].map(() => ({ minDurationMs: HOUR, passWindows: 6 })) });
    const remote = createRemoteConfig({ url: `${t.url}/v1/flags/slow?key=${key}`, storage: null });
    await remote.refresh();
    expect(remote.config.killSwitch).toBe(false);
    await runWindow('slow', key, HEALTHY);
    await runWindow('slow', key, SLOW);
    expect((await served('slow')).killSwitch).toBe(false); // one FAIL is not yet a rollback
    await runWindow('slow', key, SLOW);
    const rollback = (await history('slow'))[0]!;
    expect(rollback).toMatchObject({ action: 'guardrail-rollback', actor: 'guardrails', config: { killSwitch: true } });
    expect(rollback.reason).toContain('p95_latency_ms');
    const evidence = rollback.evidence as { windows: { result: string; clients: number; semanticRuns: number; checks: { metric: string; value: number; threshold: number; baseline: number | null; status: string }[] }[] };
    expect(evidence.windows).toHaveLength(2);
    const p95 = evidence.windows[1]!.checks.find((c) => c.metric === 'p95_latency_ms')!;
    expect(p95).toMatchObject({ status: 'FAIL', threshold: 500 });
    expect(p95.value).toBeGreaterThan(900);
    expect(evidence.windows[1]).toMatchObject({ clients: CLIENTS, semanticRuns: CLIENTS * SLOW.semanticRuns });
    await remote.refresh();
    expect(remote.config.killSwitch).toBe(true);
    const windowsSeen = await windows('slow');
    console.log(`slow canary timeline: ${windowsSeen.reverse().map((w) => w.result).join(' → ')} → rollback (kill switch) after ${windowsSeen.length} windows`);
  });

  it('goes back one stage (onFail: previousStage) when semantic runs fall back, and holds there (paused) instead of promoting again', async () => {
    clock.set(Date.UTC(2026, 0, 3, 12));
    const key = await createFlag('failing', { onFail: 'previousStage', schedule: [0, 1, 2].map(() => ({ minDurationMs: 0, passWindows: 1 })) });
    await runWindow('failing', key, HEALTHY); // PASS: promoted to stage 1 at once (no dwell asked)
    expect((await served('failing')).stage).toBe(1);
    await runWindow('failing', key, FAILING);
    await runWindow('failing', key, FAILING);
    const state = await (await t.adminFetch('/v1/flags/failing')).json();
    expect(state).toMatchObject({ stage: 0, killSwitch: false });
    const latest = (await history('failing'))[0]!;
    expect(latest.action).toBe('guardrail-rollback');
    expect(latest.reason).toContain('fallback_or_error_rate');
    const list = await (await t.adminFetch('/v1/flags')).json();
    expect(list.flags.find((f: { flag: string }) => f.flag === 'failing').settings.paused).toBe(true);
    for (let i = 0; i < 3; i++) await runWindow('failing', key, HEALTHY);
    expect((await served('failing')).stage).toBe(0); // paused after the rollback: a person resumes it
  });

  it('is INCONCLUSIVE with too few clients, however bad their numbers: never a rollback', async () => {
    clock.set(Date.UTC(2026, 0, 4, 12));
    const key = await createFlag('few', {});
    for (let i = 0; i < 4; i++) await runWindow('few', key, { ...FAILING, semanticRuns: 100 }, 10);
    expect((await windows('few')).map((w) => w.result)).toEqual(['INCONCLUSIVE', 'INCONCLUSIVE', 'INCONCLUSIVE', 'INCONCLUSIVE']);
    expect((await served('few')).killSwitch).toBe(false);
    expect((await history('few')).length).toBe(1);
  });

  it('does not flap the stage on a flapping metric: no rollback (never two FAILs in a row), no promotion (a FAIL at this stage)', async () => {
    clock.set(Date.UTC(2026, 0, 5, 12));
    const key = await createFlag('flapping', { schedule: [0, 1, 2].map(() => ({ minDurationMs: 0, passWindows: 2 })) });
    for (let i = 0; i < 6; i++) await runWindow('flapping', key, i % 2 === 0 ? SLOW : HEALTHY);
    expect((await windows('flapping')).map((w) => w.result).reverse()).toEqual(['FAIL', 'PASS', 'FAIL', 'PASS', 'FAIL', 'PASS']);
    const state = await served('flapping');
    expect(state).toMatchObject({ stage: 0, killSwitch: false });
    expect((await history('flapping')).length).toBe(1);
  });
});
