import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteConfig, type RemoteConfigChange } from '@semfilter/core/rollout';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres-server.js';
import { PostgresStore } from '../src/store/postgres.js';
import { issueToken, type FleetServerOptions } from '../src/index.js';
import { clientSnapshot, manualClock, seeded, sendSnapshots, stagedConfig, startTestServer, type ClientProfile, type TestServer } from './support.js';

// Two (or more) real server instances, each on its own port over its own PostgresStore, sharing
// one real PostgreSQL database: what one instance changes, the others serve within a second
// (LISTEN/NOTIFY), and only one of them runs the guardrail evaluator (an advisory lock). Each
// describe works in a database of its own, so locks, channels and rows never meet.

let postgres: PostgresServer | undefined;
const running = new Set<TestServer>();
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await Promise.all([...running].map((t) => t.stop().catch(() => undefined)));
  running.clear();
  postgres?.stop();
});

function pgServer(): PostgresServer {
  if (postgres === undefined) throw new Error('the PostgreSQL test server did not start (see the beforeAll error above)');
  return postgres;
}

/** A server instance over a store of its own on the shared database (stopped after the file unless stopped before). */
async function instance(url: string, options: Partial<FleetServerOptions> = {}): Promise<TestServer> {
  // Every request here comes from 127.0.0.1, and polls run every 10 ms: no public rate limit in the way.
  const t = await startTestServer({ limits: { publicPerMinute: 1_000_000 }, ...options, store: new PostgresStore(url, { poolSize: 4 }) });
  running.add(t);
  return t;
}

async function stop(t: TestServer): Promise<void> {
  running.delete(t);
  await t.stop();
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000, everyMs = 10): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The status B answers a client key's config read with. */
async function readStatus(t: TestServer, flag: string, key: string): Promise<number> {
  const response = await fetch(`${t.url}/v1/flags/${flag}?key=${encodeURIComponent(key)}`);
  await response.arrayBuffer();
  return response.status;
}

/** Windows this instance evaluated itself (its Prometheus counter), for one flag. */
async function windowsEvaluatedBy(t: TestServer, flag: string): Promise<number> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('semfilter_guardrail_windows_total{') && line.includes(`flag="${flag}"`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

interface WindowView {
  readonly start: number;
  readonly end: number;
  readonly result: string;
  readonly semanticRuns: number;
  readonly clients: number;
}

/** A flag's windows through the API, oldest first. */
async function windowsOf(t: TestServer, flag: string): Promise<WindowView[]> {
  const response = await t.adminFetch(`/v1/flags/${flag}/windows?limit=1000`);
  expect(response.status).toBe(200);
  return ((await response.json()).windows as WindowView[]).reverse();
}

describe('a change through one instance is served by the other', () => {
  it('serves a kill switch POSTed through A from B within a second, and pushes it to an SSE client of B', async () => {
    const url = await pgServer().createDatabase('fanout');
    const a = await instance(url);
    const b = await instance(url);
    const created = await a.adminFetch('/v1/flags/fan', { method: 'PUT', body: { config: stagedConfig({ flag: 'fan' }), reason: 'canary' } });
    expect(created.status).toBe(201);
    const key = await a.token('client', 'shop', 'fan'); // through A's store; B reloads nothing by hand
    await waitFor('B to serve the new flag to the new key', async () => (await readStatus(b, 'fan', key)) === 200, 2_000);

    // A client of B that follows B's stream (polling only once, at start: a later change can come by the stream alone).
    let streamConnected = false;
    let polls = 0;
    const remote = createRemoteConfig({
      url: `${b.url}/v1/flags/fan?key=${key}`,
      stream: true,
      storage: null,
      refreshMs: 600_000,
      fetch: async (input, init) => {
        const isStream = String(input).includes('/stream');
        if (!isStream) polls++;
        const response = await fetch(input, init);
        if (isStream && response.ok) streamConnected = true;
        return response;
      },
    });
    let killedOnStreamAt: number | null = null;
    remote.addEventListener('change', (event) => {
      if ((event as CustomEvent<RemoteConfigChange>).detail.config.killSwitch) killedOnStreamAt ??= performance.now();
    });
    remote.start();
    cleanups.push(() => remote.stop());
    await waitFor("the SSE client to connect to B's stream", () => streamConnected && remote.source === 'remote', 2_000);
    expect(remote.config.killSwitch).toBe(false);
    const pollsBefore = polls;

    const sentAt = performance.now();
    const killed = await a.adminFetch('/v1/flags/fan/kill', { method: 'POST', body: { reason: 'incident 7' } });
    const answeredAt = performance.now();
    expect(killed.status).toBe(200);
    expect(await killed.json()).toMatchObject({ changed: true, config: { killSwitch: true } });

    // Poll B every 10 ms from A's 200 until it serves the kill switch.
    let servedAt = 0;
    let bEtag: string | null = null;
    await waitFor(
      'B to serve killSwitch true',
      async () => {
        const response = await fetch(`${b.url}/v1/flags/fan?key=${key}`);
        const body = await response.json();
        if (body.killSwitch !== true) return false;
        servedAt = performance.now();
        bEtag = response.headers.get('etag');
        return true;
      },
      1_000,
      10,
    );
    const fanoutMs = servedAt - answeredAt;
    expect(fanoutMs).toBeLessThan(1000);
    expect(bEtag).toBe(killed.headers.get('etag')); // the same version, the same bytes: the same strong ETag

    await waitFor("the kill switch on B's stream", () => killedOnStreamAt !== null, 1_000);
    const sseMs = killedOnStreamAt! - sentAt;
    expect(sseMs).toBeLessThan(1000);
    expect(remote.config.killSwitch).toBe(true);
    expect(polls).toBe(pollsBefore); // it came by the stream, not by a poll
    console.log(
      `fan-out A→B: B served killSwitch true ${fanoutMs.toFixed(1)} ms after A's 200 (polling B every 10 ms); ` +
        `B's SSE client had it ${sseMs.toFixed(1)} ms after the POST was sent to A (${(killedOnStreamAt! - answeredAt).toFixed(1)} ms relative to A's 200; the POST itself took ${(answeredAt - sentAt).toFixed(1)} ms)`,
    );
  });
});

describe('the guardrail evaluator', () => {
  const WINDOW = 5 * 60_000;
  const HEALTHY: ClientProfile = { semanticRuns: 4, traditionalRuns: 4, semanticLatencyMs: 100, semanticFallbackRate: 0, passRate: 0.5 };

  it('runs on one instance only: each window is recorded once, by the leader; when the leader closes, the other takes over within one window', async () => {
    const url = await pgServer().createDatabase('leader');
    const clock = manualClock(Date.UTC(2026, 0, 1, 12));
    const a = await instance(url, { now: clock });
    const b = await instance(url, { now: clock });
    const flag = 'judged';
    const created = await a.adminFetch(`/v1/flags/${flag}`, { method: 'PUT', body: { config: stagedConfig({ flag, guardrails: { fleetWindowMs: WINDOW, minSamples: 20, minClients: 5, failingWindows: 2 } }) } });
    expect(created.status).toBe(201);
    const key = await a.token('client', 'shop', flag);
    await waitFor('B to serve the flag', async () => (await readStatus(b, flag, key)) === 200, 2_000);

    let seed = 0;
    /** Half a window on, `count` clients report through each given instance, then the window closes. */
    const runWindow = async (through: readonly TestServer[], count: number) => {
      clock.advance(WINDOW / 2);
      for (const t of through) {
        const random = seeded(++seed);
        const snapshots = Array.from({ length: count }, (_, i) => clientSnapshot(`client-${seed}-${String(i).padStart(8, '0')}`, { flag, version: 1, stage: 0, mode: 'on' }, HEALTHY, random, clock()));
        const response = await sendSnapshots(t.url, key, snapshots);
        expect(response.status).toBe(202);
      }
      clock.advance(WINDOW / 2);
    };

    // Three windows, both instances ticking several times at once after each.
    for (let w = 0; w < 3; w++) {
      await runWindow([a, b], 5);
      await Promise.all([a.server.tick(), b.server.tick(), a.server.tick(), b.server.tick()]);
      await Promise.all([b.server.tick(), a.server.tick()]);
    }
    await Promise.all([a.server.tick(), b.server.tick(), a.server.tick(), b.server.tick()]); // nothing new closed: nothing new recorded

    const windows = await windowsOf(a, flag);
    expect(windows).toHaveLength(3);
    const starts = windows.map((w) => w.start);
    expect(new Set(starts).size).toBe(3);
    expect(starts).toEqual([0, 1, 2].map((i) => Date.UTC(2026, 0, 1, 12) + i * WINDOW));
    expect(await windowsOf(b, flag)).toEqual(windows);
    // Each window sums what both instances ingested.
    for (const w of windows) expect([w.clients, w.semanticRuns]).toEqual([10, 10 * HEALTHY.semanticRuns]);

    const leads = [await a.server.store.lead(), await b.server.store.lead()];
    expect(leads.filter(Boolean)).toHaveLength(1);
    const [leader, follower] = leads[0] ? [a, b] : [b, a];
    expect([await windowsEvaluatedBy(leader, flag), await windowsEvaluatedBy(follower, flag)]).toEqual([3, 0]);

    // The leader closes; one window later the other instance's tick leads and evaluates it.
    await stop(leader);
    const closedAt = performance.now();
    await runWindow([follower], 5);
    let ticks = 0;
    await waitFor(
      'the other instance to evaluate the next window',
      async () => {
        ticks++;
        await follower.server.tick();
        return (await windowsOf(follower, flag)).length === 4;
      },
      5_000,
      10,
    );
    const handoverMs = performance.now() - closedAt;
    const after = await windowsOf(follower, flag);
    expect(after.slice(0, 3)).toEqual(windows);
    expect(after[3]).toMatchObject({ start: starts[2]! + WINDOW, end: starts[2]! + 2 * WINDOW, clients: 5, semanticRuns: 5 * HEALTHY.semanticRuns });
    expect(await follower.server.store.lead()).toBe(true);
    expect(await windowsEvaluatedBy(follower, flag)).toBe(1);
    console.log(
      `leader handover: after the leader's close() the other instance evaluated the next window on its tick #${ticks} (${handoverMs.toFixed(0)} ms of wall time, ` +
        `the window's snapshots sent in between); windows recorded: ${after.length}, starts all distinct: ${new Set(after.map((w) => w.start)).size === after.length}`,
    );
  });
});

describe('tokens across instances', () => {
  it('a client key created through A is accepted by B at once (NOTIFY), and a revoke through A is refused by B within a second', async () => {
    const url = await pgServer().createDatabase('tokens');
    const a = await instance(url);
    const b = await instance(url);
    const created = await a.adminFetch('/v1/flags/keyed', { method: 'PUT', body: { config: stagedConfig({ flag: 'keyed' }) } });
    expect(created.status).toBe(201);
    await waitFor('B to know the flag', async () => (await b.adminFetch('/v1/flags/keyed')).status === 200, 2_000);

    const issued = issueToken('client', 'shop', 'keyed', Date.now());
    expect(await readStatus(b, 'keyed', issued.token)).toBe(401);
    const insertedAt = performance.now();
    await a.server.store.insertToken(issued.record);
    let acceptedAt = 0;
    await waitFor(
      'B to accept the new key',
      async () => {
        if ((await readStatus(b, 'keyed', issued.token)) !== 200) return false;
        acceptedAt = performance.now();
        return true;
      },
      1_000,
      10,
    );
    const acceptMs = acceptedAt - insertedAt;
    expect(acceptMs).toBeLessThan(1000); // not the 10 s periodic reload

    expect(await a.server.store.revokeToken(issued.record.id, Date.now())).toBe(true);
    const revokedAt = performance.now();
    let refusedAt = 0;
    await waitFor(
      'B to refuse the revoked key',
      async () => {
        if ((await readStatus(b, 'keyed', issued.token)) !== 401) return false;
        refusedAt = performance.now();
        return true;
      },
      1_000,
      10,
    );
    const refuseMs = refusedAt - revokedAt;
    expect(refuseMs).toBeLessThan(1000);
    const refused = await fetch(`${b.url}/v1/metrics?key=${issued.token}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"snapshots":[]}' });
    expect(refused.status).toBe(401);
    console.log(`tokens across instances: a key inserted through A's store was accepted by B ${acceptMs.toFixed(1)} ms later; revoked through A, refused by B ${refuseMs.toFixed(1)} ms later`);
  });
});
