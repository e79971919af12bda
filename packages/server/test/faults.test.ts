import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRecorder, fleetBatchSchema, type FleetMode, type FleetSnapshot, type RunSample } from '@semfilter/core/metrics';
import { createSnapshotReporter, parseRolloutConfig, type SnapshotReporter } from '@semfilter/core/rollout';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres-server.js';
import { PostgresStore } from '../src/store/postgres.js';
import type { StageKey } from '../src/store/store.js';
import { clientSnapshot, seeded, sendSnapshots, stagedConfig, startTestServer, type ClientProfile, type TestServer } from './support.js';

// Faults, on real HTTP over a real PostgreSQL of this file's own (durable: the last test stops it
// hard, `pg_ctl stop -m immediate`, and starts the same cluster again on the same port, so nothing
// committed may be lost on the way). Duplicates, bad bodies and bad tokens run first, against the
// same server; the outage last.

let postgres: PostgresServer | undefined;
let t: TestServer;
let databaseUrl: string;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  postgres = await startPostgres({ durable: true });
  databaseUrl = await postgres.createDatabase('faults');
  t = await startTestServer({ store: new PostgresStore(databaseUrl, { poolSize: 4 }), limits: { publicPerMinute: 1_000_000 } });
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await t?.stop().catch(() => undefined);
  try {
    postgres?.stop();
  } catch {
    // the cluster was already down (a failed restart): its directory is removed all the same
  }
});

const HEALTHY: ClientProfile = { semanticRuns: 6, traditionalRuns: 5, semanticLatencyMs: 90, semanticFallbackRate: 0, passRate: 0.5 };
const ALL_TIME = [0, Number.MAX_SAFE_INTEGER] as const;

/** Creates a flag (stage 0, mode on) and a client key for it. */
async function flagWithKey(flag: string): Promise<string> {
  const created = await t.adminFetch(`/v1/flags/${flag}`, { method: 'PUT', body: { config: stagedConfig({ flag }) } });
  expect(created.status).toBe(201);
  return t.token('client', `${flag}-app`, flag);
}

const keyOf = (flag: string): StageKey => ({ flag, stage: 0, mode: 'on' });
const runsOf = (modes: readonly FleetMode[]) => modes.reduce((sum, mode) => sum + mode.runs + mode.loading, 0);

async function counted(flag: string): Promise<{ snapshots: number; semantic: number; traditional: number; clients: number }> {
  const data = await t.server.store.windowData(keyOf(flag), ...ALL_TIME);
  return { snapshots: data.snapshots, semantic: runsOf(data.semantic), traditional: runsOf(data.traditional), clients: data.clients };
}

function snapshotFor(flag: string, client: string, seed: number): FleetSnapshot {
  return clientSnapshot(client, { flag, version: 1, stage: 0, mode: 'on' }, HEALTHY, seeded(seed), Date.now());
}

/** POSTs a raw body to the ingest route with a client key. */
function postRaw(key: string, body: string, contentType = 'text/plain;charset=UTF-8'): Promise<Response> {
  return fetch(`${t.url}/v1/metrics?key=${encodeURIComponent(key)}`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000, everyMs = 10): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

describe('a snapshot sent twice (PostgreSQL, over HTTP)', () => {
  it('is counted once: resent in a second POST, twice in one batch, or raced in five POSTs at once', async () => {
    const flag = 'dupes';
    const key = await flagWithKey(flag);
    const first = snapshotFor(flag, 'client-aaaaaaaaaaaaaaaa', 1);
    const sent = await sendSnapshots(t.url, key, [first]);
    expect([sent.status, await sent.json()]).toEqual([202, { accepted: 1, duplicates: 0 }]);
    const resent = await sendSnapshots(t.url, key, [first]);
    expect([resent.status, await resent.json()]).toEqual([202, { accepted: 0, duplicates: 1 }]);

    const second = snapshotFor(flag, 'client-bbbbbbbbbbbbbbbb', 2);
    const twiceInOne = await sendSnapshots(t.url, key, [second, second]);
    expect([twiceInOne.status, await twiceInOne.json()]).toEqual([202, { accepted: 1, duplicates: 1 }]);
    const mixed = await sendSnapshots(t.url, key, [first, second, second]);
    expect(await mixed.json()).toEqual({ accepted: 0, duplicates: 3 });

    const third = snapshotFor(flag, 'client-cccccccccccccccc', 3);
    const raced = await Promise.all(Array.from({ length: 5 }, () => sendSnapshots(t.url, key, [third]).then((response) => response.json())));
    expect(raced.reduce((sum, answer) => sum + answer.accepted, 0)).toBe(1);
    expect(raced.reduce((sum, answer) => sum + answer.duplicates, 0)).toBe(4);

    expect(await counted(flag)).toEqual({ snapshots: 3, semantic: 3 * HEALTHY.semanticRuns, traditional: 3 * HEALTHY.traditionalRuns, clients: 3 });
  });
});

describe('bodies the ingest refuses (PostgreSQL)', () => {
  it('answers 413 for an oversized body and 400 for bad JSON, extra fields and ids, storing nothing of any of them', async () => {
    const flag = 'bodies';
    const key = await flagWithKey(flag);
    const good = () => snapshotFor(flag, 'client-dddddddddddddddd', Math.random() * 1e9);
    const before = await counted(flag);

    const big = await postRaw(key, JSON.stringify({ snapshots: [good()], pad: 'x'.repeat(70_000) }));
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('BODY_TOO_LARGE');

    for (const [body, contentType] of [
      ['{"snapshots": [', 'text/plain;charset=UTF-8'],
      ['{"snapshots": [', 'application/json'],
      ['not json at all', 'text/plain'],
    ] as const) {
      const broken = await postRaw(key, body, contentType);
      expect(broken.status).toBe(400);
      expect((await broken.json()).error).toMatchObject({ code: 'INVALID_BODY', message: 'the body is not valid JSON' });
    }

    const snapshot = good();
    const refusals: [string, unknown, string][] = [
      ['an extra top-level field', { snapshots: [snapshot], sent_by: 'page' }, 'body'],
      ['an extra snapshot field', { snapshots: [{ ...snapshot, note: 'x' }] }, 'body.snapshots[0]'],
      ['a user id', { snapshots: [{ ...snapshot, user_id: 'u-42' }] }, 'body.snapshots[0]'],
      ['an item id in a mode', { snapshots: [{ ...snapshot, modes: { ...snapshot.modes, semantic: { ...snapshot.modes.semantic, item_id: 'item-7' } } }] }, 'body.snapshots[0].modes.semantic'],
      ['a tags array', { snapshots: [{ ...snapshot, tags: ['boho', 'summer'] }] }, 'body.snapshots[0]'],
      // A good snapshot beside a bad one: the batch is refused whole.
      ['a good snapshot beside one with a user id', { snapshots: [good(), { ...good(), user_id: 'u-43' }] }, 'body.snapshots[1]'],
    ];
    for (const [what, body, path] of refusals) {
      const response = await postRaw(key, JSON.stringify(body));
      expect(response.status, what).toBe(400);
      const answer = await response.json();
      expect(answer.error.code, what).toBe('INVALID_BODY');
      expect(answer.error.issues.map((issue: { path: string }) => issue.path), what).toContain(path);
    }
    expect(await counted(flag)).toEqual(before);
    expect(before.snapshots).toBe(0);
  });
});

describe('tokens (PostgreSQL)', () => {
  it('401 for missing, unknown and revoked tokens, with the same body for unknown and revoked; 403 for the wrong scope; 412 for a stale If-Match', async () => {
    const flag = 'guarded';
    const key = await flagWithKey(flag);
    const body = JSON.stringify({ snapshots: [snapshotFor(flag, 'client-eeeeeeeeeeeeeeee', 5)] });
    const post = (headers: Record<string, string>, query = '') => fetch(`${t.url}/v1/metrics${query}`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body });

    const missing = await post({});
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBe('UNAUTHORIZED');
    expect((await fetch(`${t.url}/v1/flags/${flag}`)).status).toBe(401);
    expect((await t.adminFetch(`/v1/flags/${flag}/history`, { headers: { authorization: '' } })).status).toBe(401);

    const unknownKey = 'sf_ck_' + 'A'.repeat(43);
    const revokedKey = await t.token('client', 'old-app', flag);
    const record = (await t.server.store.listTokens()).find((r) => r.name === 'old-app')!;
    expect((await post({}, `?key=${revokedKey}`)).status).toBe(202); // live: it works
    expect(await t.server.store.revokeToken(record.id, Date.now())).toBe(true);
    await t.server.reloadTokens();

    const unknown = await post({}, `?key=${unknownKey}`);
    const revoked = await post({}, `?key=${revokedKey}`);
    expect([unknown.status, revoked.status]).toEqual([401, 401]);
    const [unknownBody, revokedBody] = [await unknown.text(), await revoked.text()];
    expect(revokedBody).toBe(unknownBody); // byte for byte: nothing tells a revoked key from a made-up one
    expect(JSON.parse(revokedBody)).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(revokedBody).not.toContain(revokedKey);
    expect(revokedBody).not.toContain(record.id);
    expect(unknown.headers.get('content-type')).toBe(revoked.headers.get('content-type'));
    // The same on the config route, and for an unknown admin token against a revoked one.
    const [unknownRead, revokedRead] = await Promise.all([fetch(`${t.url}/v1/flags/${flag}?key=${unknownKey}`), fetch(`${t.url}/v1/flags/${flag}?key=${revokedKey}`)]);
    expect([unknownRead.status, revokedRead.status]).toEqual([401, 401]);
    expect(await revokedRead.text()).toBe(await unknownRead.text());
    const revokedAdmin = await t.token('admin', 'bob');
    const bob = (await t.server.store.listTokens()).find((r) => r.name === 'bob')!;
    await t.server.store.revokeToken(bob.id, Date.now());
    await t.server.reloadTokens();
    const [unknownAdmin, revokedAdminAnswer] = await Promise.all(
      ['sf_adm_' + 'B'.repeat(43), revokedAdmin].map((token) => fetch(`${t.url}/v1/flags/${flag}/history`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => [r.status, await r.text()])),
    );
    expect(revokedAdminAnswer).toEqual(unknownAdmin);
    expect(revokedAdminAnswer![0]).toBe(401);

    // The wrong scope: 403.
    const adminOnIngest = await post({ authorization: `Bearer ${t.admin}` });
    expect(adminOnIngest.status).toBe(403);
    expect((await adminOnIngest.json()).error.code).toBe('FORBIDDEN');
    expect((await fetch(`${t.url}/v1/flags/${flag}/history`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);
    const debugToken = await t.token('debug', 'dev');
    expect((await fetch(`${t.url}/v1/flags/${flag}/kill`, { method: 'POST', headers: { authorization: `Bearer ${debugToken}` } })).status).toBe(403);
    const otherKey = await flagWithKey('other');
    expect((await fetch(`${t.url}/v1/flags/${flag}?key=${otherKey}`)).status).toBe(403);

    // A stale If-Match: 412, and the version in force stays.
    const etag = (await t.adminFetch(`/v1/flags/${flag}`)).headers.get('etag')!;
    const promoted = await t.adminFetch(`/v1/flags/${flag}/promote`, { method: 'POST', headers: { 'if-match': etag } });
    expect(promoted.status).toBe(200);
    const stalePut = await t.adminFetch(`/v1/flags/${flag}`, { method: 'PUT', body: { config: stagedConfig({ flag, stage: 3 }) }, headers: { 'if-match': etag } });
    expect(stalePut.status).toBe(412);
    expect((await stalePut.json()).error.code).toBe('VERSION_MISMATCH');
    const staleKill = await t.adminFetch(`/v1/flags/${flag}/kill`, { method: 'POST', headers: { 'if-match': etag } });
    expect(staleKill.status).toBe(412);
    expect(await (await t.adminFetch(`/v1/flags/${flag}`)).json()).toMatchObject({ version: 2, stage: 1, killSwitch: false });
  });
});

/** Stops and starts this file's cluster in place: the helper's own stop() also deletes it, so it cannot come back. */
async function clusterControl(server: PostgresServer) {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const data = String((await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory);
  await client.end();
  const dir = dirname(data);
  const port = new URL(server.url).port;
  // As the helper runs it: PostgreSQL refuses to run as root.
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? (spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody') : undefined;
  const pgCtl = (args: string[]) => {
    const command = [join(server.bin, 'pg_ctl'), ...args];
    const full = user === undefined ? command : ['runuser', '-u', user, '--', ...command];
    const result = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`pg_ctl ${args.at(-1)} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  return {
    port,
    /** Kills the server at once (no checkpoint, sessions cut), as a crash or a failover does. */
    stop: () => pgCtl(['-D', data, '-m', 'immediate', '-w', 'stop']),
    /** The same cluster again, on the same port, after crash recovery. */
    start: () => pgCtl(['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']),
  };
}

/**
 * The reporter's timers: a POST's own timeout runs for real; the interval and the retries wait for
 * the test to run them (so the test sees the delay asked for, and nothing is sent behind its back).
 */
function reporterTimers(requestTimeoutMs: number) {
  const pending = new Map<number, { ms: number; callback: () => void }>();
  let next = 1;
  return {
    setTimeout: (callback: () => void, ms: number): unknown => {
      if (ms === requestTimeoutMs) return setTimeout(callback, ms);
      pending.set(next, { ms, callback });
      return next++;
    },
    clearTimeout: (handle: unknown) => {
      if (typeof handle === 'number') pending.delete(handle);
      else if (handle !== null && handle !== undefined) clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
    delays: () => [...pending.values()].map((timer) => timer.ms),
    run(ms: number) {
      const found = [...pending].find(([, timer]) => timer.ms === ms);
      if (found === undefined) throw new Error(`no timer of ${ms} ms among ${JSON.stringify([...pending.values()].map((timer) => timer.ms))}`);
      pending.delete(found[0]);
      found[1].callback();
    },
  };
}

describe('PostgreSQL stopped mid-run', () => {
  it('serves configs from memory, answers ingest 503 with Retry-After and readyz 503; the reporter keeps its snapshots and, once the database is back, each is counted once', async () => {
    const flag = 'outage';
    const key = await flagWithKey(flag);
    const cluster = await clusterControl(postgres!);

    // A real reporter: its own recorder, a fixed config, the real server; its retries are run by the test.
    const TIMEOUT_MS = 10_000;
    const INTERVAL_MS = 60 * 60_000;
    const timers = reporterTimers(TIMEOUT_MS);
    const parsed = parseRolloutConfig({ ...stagedConfig({ flag }), version: 1 });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const config = parsed.value;
    const recorder = createMetricsRecorder();
    let now = Date.now();
    const posts: { body: string; status: number }[] = [];
    const reporter: SnapshotReporter = createSnapshotReporter({
      url: `${t.url}/v1/metrics`,
      clientKey: key,
      recorder,
      config: () => config,
      intervalMs: INTERVAL_MS,
      timeoutMs: TIMEOUT_MS,
      now: () => now,
      random: () => 0,
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
      target: null,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        posts.push({ body: String(init?.body), status: response.status });
        return response;
      },
    });
    cleanups.push(() => reporter.dispose());
    const errors: string[] = [];
    reporter.addEventListener('error', (event) => errors.push((event as CustomEvent<{ message: string }>).detail.message));
    reporter.start();
    const run = (mode: 'semantic' | 'traditional', i: number): RunSample =>
      mode === 'semantic'
        ? { mode, role: 'served', passRate: 0.5, latencyMs: 80 + i, fallbackReason: null, cache: { hits: 9, lookups: 10 } }
        : { mode, role: 'shadow', passRate: 0.5, latencyMs: 3 + i, fallbackReason: 'DISABLED' };
    /** An interval of runs: `n` of each mode, a second apart. */
    const runs = (n: number) => {
      for (let i = 0; i < n; i++) {
        now += 1000;
        recorder.record(run('semantic', i));
        recorder.record(run('traditional', i));
      }
    };

    // Up: the first interval goes through.
    runs(3);
    await reporter.flush();
    expect(posts.map((p) => p.status)).toEqual([202]);
    expect(reporter.status).toMatchObject({ buffered: 0, sent: 1 });
    const served = await fetch(`${t.url}/v1/flags/${flag}?key=${key}`);
    expect(served.status).toBe(200);
    const etag = served.headers.get('etag')!;
    const servedBody = await served.text();

    cluster.stop();
    const stoppedAt = performance.now();

    // Configs are served from memory, with the same ETag; a conditional read still gets its 304.
    const during = await fetch(`${t.url}/v1/flags/${flag}?key=${key}`);
    expect(during.status).toBe(200);
    expect(during.headers.get('etag')).toBe(etag);
    expect(await during.text()).toBe(servedBody);
    const conditional = await fetch(`${t.url}/v1/flags/${flag}?key=${key}`, { headers: { 'if-none-match': etag } });
    expect(conditional.status).toBe(304);

    // Ingest: 503, Retry-After, a JSON error that names nothing of the database.
    const refused = await sendSnapshots(t.url, key, [snapshotFor(flag, 'client-ffffffffffffffff', 6)]);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.headers.get('content-type')).toContain('application/json');
    const refusedText = await refused.text();
    const refusedBody = JSON.parse(refusedText);
    expect(Object.keys(refusedBody)).toEqual(['error']);
    expect(Object.keys(refusedBody.error).sort()).toEqual(['code', 'message']);
    expect(refusedBody.error.code).toBe('UNAVAILABLE');
    for (const secret of [databaseUrl, 'postgres', cluster.port, 'ECONNREFUSED', '127.0.0.1', 'stack', '    at ', '.ts:', 'node_modules']) expect(refusedText).not.toContain(secret);

    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    const readyText = await ready.text();
    expect(JSON.parse(readyText)).toMatchObject({ status: 'unavailable', store: 'postgres' });
    for (const secret of [databaseUrl, cluster.port, 'ECONNREFUSED']) expect(readyText).not.toContain(secret);
    const health = await fetch(`${t.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);

    // The reporter: its send is refused with 503; it keeps the snapshot and waits the 5 s it was told.
    runs(2);
    await reporter.flush();
    expect(posts.map((p) => p.status)).toEqual([202, 503]);
    expect(reporter.status).toMatchObject({ buffered: 1, sent: 1, dropped: 0, rejected: 0, nextAttemptAt: now + 5000 });
    expect(errors.at(-1)).toBe('the server is busy (HTTP 503); retrying after 5000 ms');
    expect(timers.delays()).toContain(5000);
    // A later interval joins the buffer; no send before the retry.
    runs(1);
    await reporter.flush();
    expect(posts).toHaveLength(2);
    expect(reporter.status.buffered).toBe(2);
    // The retry while the database is still down: refused again, both kept, another 5 s.
    now += 5000;
    timers.run(5000);
    await waitFor('the retry to be refused', () => posts.length === 3 && timers.delays().includes(5000));
    expect(posts[2]!.status).toBe(503);
    expect(reporter.status).toMatchObject({ buffered: 2, sent: 1, dropped: 0 });

    // The same cluster comes back.
    cluster.start();
    await waitFor('readyz to answer 200', async () => (await fetch(`${t.url}/readyz`)).status === 200, 30_000, 50);
    const downMs = performance.now() - stoppedAt;

    now += 5000;
    timers.run(5000);
    await waitFor('the buffer to be delivered', () => reporter.status.buffered === 0);
    expect(reporter.status).toMatchObject({ buffered: 0, sent: 3, dropped: 0, rejected: 0, lastError: null, nextAttemptAt: null });
    expect(posts.map((p) => p.status)).toEqual([202, 503, 503, 202]);

    // What the reporter sent, each snapshot once (the retries carried the same ids, byte for byte).
    const batches = posts.map((p) => fleetBatchSchema.parse(JSON.parse(p.body)).snapshots);
    expect(batches[2]).toEqual(batches[3]);
    expect(batches[3]!.map((s) => s.snapshot_id)).toEqual([batches[1]![0]!.snapshot_id, expect.any(String)]);
    const distinct = new Map(batches.flat().map((s) => [s.snapshot_id, s]));
    expect(distinct.size).toBe(3);
    const recorded = recorder.snapshot().runs.by_mode;
    expect(recorded).toEqual({ semantic: 6, traditional: 6 });
    const expected = { snapshots: 3, semantic: recorded.semantic, traditional: recorded.traditional, clients: 1 };
    expect(await counted(flag)).toEqual(expected);

    // Everything sent again (a client that never heard the 202s): duplicates, counted nothing more.
    for (const batch of [batches[0]!, batches[3]!]) {
      const again = await sendSnapshots(t.url, key, batch);
      expect(await again.json()).toEqual({ accepted: 0, duplicates: batch.length });
    }
    expect(await counted(flag)).toEqual(expected);

    // And writes work again.
    const killed = await t.adminFetch(`/v1/flags/${flag}/kill`, { method: 'POST', headers: { 'if-match': etag } });
    expect(killed.status).toBe(200);
    console.log(
      `outage: PostgreSQL down ${downMs.toFixed(0)} ms (pg_ctl stop -m immediate, then start on the same data directory and port); ` +
        `the reporter's sends: ${posts.map((p) => p.status).join(', ')}; counted ${expected.snapshots} snapshots of ${distinct.size} sent, ${expected.semantic} semantic and ${expected.traditional} traditional runs`,
    );
  });
});
