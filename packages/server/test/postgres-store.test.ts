import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetModeAccumulators, type FleetMode, type FleetSnapshot } from '@semfilter/core/metrics';
import { startPostgres, type PostgresServer } from '../../../test/support/postgres-server.js';
import { DEFAULT_FLEET_SETTINGS, type FlagVersion } from '../src/flag-document.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { ALL_FLAGS, LEADER_LOCK_KEY, PostgresStore } from '../src/store/postgres.js';
import type { StageKey, StoreChange, StoredWindow } from '../src/store/store.js';
import type { TokenRecord } from '../src/tokens.js';

// One real PostgreSQL server for the file (Debian's, as packages/backfill's tests use it); each
// describe works in a database of its own, so locks, channels and rows never meet. The last test
// stops the server.

let server: PostgresServer | undefined;
const stores: PostgresStore[] = [];

beforeAll(async () => {
  server = await startPostgres();
}, 120_000);

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close().catch(() => undefined)));
  server?.stop();
});

function pgServer(): PostgresServer {
  if (server === undefined) throw new Error('the PostgreSQL test server did not start (see the beforeAll error above)');
  return server;
}

let databases = 0;
/** A fresh database's URL. */
async function database(): Promise<string> {
  return pgServer().createDatabase(`store_${++databases}`);
}

/** A store on `url`, closed after the file. */
async function open(url: string, migrate = true): Promise<PostgresStore> {
  const store = new PostgresStore(url, { poolSize: 4 });
  stores.push(store);
  if (migrate) await store.migrate();
  return store;
}

/** Runs one statement on its own connection (as an operator at psql would). */
async function sql<R extends Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000, everyMs = 10): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function version(flag: string, number: number, actor = 'alice'): FlagVersion {
  return {
    flag,
    version: number,
    config: {
      schema: 1,
      version: number,
      flag,
      mode: 'on',
      stages: [0.01, 0.1, 1],
      stage: 0,
      killSwitch: false,
      allowlist: { users: [], groups: [] },
      denylist: { users: [], groups: [] },
    },
    settings: DEFAULT_FLEET_SETTINGS,
    action: number === 1 ? 'create' : 'update',
    actor,
    reason: null,
    at: 1_000 + number,
    stageStartedAt: 1_000,
    evidence: number === 1 ? null : { windows: [number] },
  };
}

/** A snapshot of `runs` traditional and `runs` semantic runs, built as a browser builds one. */
function snapshot(client: string, options: { id?: string; flag?: string; stage?: number | null; mode?: 'on' | 'shadow'; runs?: number } = {}): FleetSnapshot {
  const modes = fleetModeAccumulators();
  for (let i = 0; i < (options.runs ?? 2); i++) {
    modes.traditional.addSample({ mode: 'traditional', role: 'served', passRate: 0.5, latencyMs: 5 + i, fallbackReason: 'DISABLED' });
    modes.semantic.addSample({ mode: 'semantic', role: 'shadow', passRate: 0.75, latencyMs: 40 + i, fallbackReason: null });
  }
  return {
    schema: 1,
    snapshot_id: options.id ?? randomUUID(),
    client_id: client,
    flag: options.flag ?? 'search',
    config_version: 1,
    stage: options.stage === undefined ? 0 : options.stage,
    rollout_mode: options.mode ?? 'on',
    start_ms: 0,
    end_ms: 60_000,
    modes: { traditional: modes.traditional.toJSON(), semantic: modes.semantic.toJSON() },
  };
}

const runsOf = (modes: readonly FleetMode[]) => modes.reduce((sum, mode) => sum + mode.runs, 0);
const latencyCountOf = (modes: readonly FleetMode[]) => modes.reduce((sum, mode) => sum + mode.latency.count, 0);

const MINUTE = 60_000;
/** A received-at time 30 s into a minute. */
const T0 = Date.UTC(2030, 0, 1, 12, 0, 30);
const M0 = T0 - 30_000;

describe('migrate', () => {
  it('applies every migration once, however many instances start at once', async () => {
    const url = await database();
    const [a, b, c] = await Promise.all([open(url, false), open(url, false), open(url, false)]);
    await Promise.all([a!.migrate(), b!.migrate(), c!.migrate()]);
    await a!.migrate(); // and again: a no-op
    const applied = await sql<{ version: number }>(url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(applied.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(await b!.listTokens()).toEqual([]);
    await expect(c!.ping()).resolves.toBeUndefined();
  });
});

describe('appendVersion', () => {
  it('lets exactly one of two concurrent appends with the same expected version win', async () => {
    const url = await database();
    const [a, b] = [await open(url), await open(url)];
    const first = await Promise.all([a.appendVersion(version('search', 1, 'alice'), null), b.appendVersion(version('search', 1, 'bob'), null)]);
    expect(first.filter(Boolean)).toHaveLength(1);
    const second = await Promise.all([a.appendVersion(version('search', 2, 'alice'), 1), b.appendVersion(version('search', 2, 'bob'), 1)]);
    expect(second.filter(Boolean)).toHaveLength(1);
    const winner = second[0] ? 'alice' : 'bob';
    expect(await b.latestVersion('search')).toMatchObject({ version: 2, actor: winner, evidence: { windows: [2] } });

    // Many at once, through both instances: still exactly one.
    const many = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).appendVersion(version('search', 3, `w${i}`), 2)));
    expect(many.filter(Boolean)).toHaveLength(1);
    expect((await a.history('search', 10)).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it('answers false, never throws, on a stale expected version or an existing (flag, version)', async () => {
    const url = await database();
    const store = await open(url);
    expect(await store.appendVersion(version('x', 1), 0)).toBe(false); // no row yet: only null matches
    expect(await store.appendVersion(version('x', 1), null)).toBe(true);
    expect(await store.appendVersion(version('x', 2), null)).toBe(false);
    expect(await store.appendVersion(version('x', 2), 1)).toBe(true);
    expect(await store.appendVersion(version('x', 2), 1)).toBe(false);
    // The expected version matches, but the row (x, 1) exists: the unique violation is a conflict.
    expect(await store.appendVersion(version('x', 1), 2)).toBe(false);
    expect(await store.appendVersion(version('y', 1), null)).toBe(true);
    expect((await store.latestVersions()).map((v) => [v.flag, v.version])).toEqual([
      ['x', 2],
      ['y', 1],
    ]);
    expect(await store.latestVersion('nope')).toBeNull();
    expect((await store.history('x', 1)).map((v) => v.version)).toEqual([2]);
  });
});

describe('watch', () => {
  it("hears a version appended through another instance within a second, and only committed ones", async () => {
    const url = await database();
    const [a, b] = [await open(url), await open(url)];
    const heard: { change: StoreChange; at: number }[] = [];
    const stop = await a.watch((change) => heard.push({ change, at: performance.now() }));

    expect(await b.appendVersion(version('fan', 1), 7)).toBe(false); // rolled back: no NOTIFY
    const sent = performance.now();
    expect(await b.appendVersion(version('fan', 1), null)).toBe(true);
    await waitFor('the flag change', () => heard.some((h) => h.change.kind === 'flag'), 1_000, 1);
    const ms = heard.find((h) => h.change.kind === 'flag')!.at - sent;
    console.log(`fan-out: a version appended through instance B was heard by instance A's watch after ${ms.toFixed(1)} ms (append call to listener)`);
    expect(ms).toBeLessThan(1_000);
    expect(heard.map((h) => h.change)).toEqual([{ kind: 'flag', flag: 'fan' }]);

    // Tokens: created and revoked through B; a revoke that changes nothing sends nothing.
    const token: TokenRecord = { id: 'abcdef123456', name: 'ci', scope: 'admin', flag: null, hash: 'ab'.repeat(32), createdAt: 5, revokedAt: null };
    await b.insertToken(token);
    await waitFor('the token change', () => heard.length === 2);
    expect(await b.revokeToken('abcdef123456', 9)).toBe(true);
    expect(await b.revokeToken('abcdef123456', 10)).toBe(false);
    expect(await b.revokeToken('missing', 10)).toBe(false);
    await waitFor('the revoke', () => heard.length === 3);
    expect(await a.listTokens()).toEqual([{ ...token, revokedAt: 9 }]);

    // An instance hears its own writes too (LISTEN is on another connection).
    expect(await a.appendVersion(version('fan', 2), 1)).toBe(true);
    await waitFor('its own change', () => heard.length === 4);
    await sleep(200);
    expect(heard.map((h) => h.change)).toEqual([{ kind: 'flag', flag: 'fan' }, { kind: 'tokens' }, { kind: 'tokens' }, { kind: 'flag', flag: 'fan' }]);

    await stop();
    expect(await b.appendVersion(version('fan', 3), 2)).toBe(true);
    await sleep(200);
    expect(heard).toHaveLength(4);
  });

  it('reconnects after its connection is killed, then reports tokens and every flag (*)', async () => {
    const url = await database();
    const [a, b] = [await open(url), await open(url)];
    const heard: StoreChange[] = [];
    await a.watch((change) => heard.push(change));
    const killedAt = performance.now();
    const killed = await sql(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'semfilter-server watch' AND datname = current_database()");
    expect(killed).toHaveLength(1);
    await waitFor('the re-read after reconnecting', () => heard.length === 2);
    console.log(`watch reconnect: listening again and re-read requested ${(performance.now() - killedAt).toFixed(0)} ms after its connection was terminated (first backoff 1 s)`);
    expect(heard).toEqual([{ kind: 'tokens' }, { kind: 'flag', flag: ALL_FLAGS }]);
    // The new connection listens.
    expect(await b.appendVersion(version('after', 1), null)).toBe(true);
    await waitFor('a change on the new connection', () => heard.length === 3);
    expect(heard[2]).toEqual({ kind: 'flag', flag: 'after' });
  });
});

describe('lead', () => {
  /** The backend pid holding the leader lock in this database, or null. */
  async function holder(url: string): Promise<number | null> {
    const rows = await sql<{ pid: number }>(
      url,
      "SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint",
      [LEADER_LOCK_KEY.toString()],
    );
    return rows[0]?.pid ?? null;
  }

  it('lets exactly one instance lead, and hands over when the leader dies or closes', async () => {
    const url = await database();
    const [a, b] = [await open(url), await open(url)];
    const first = await Promise.all([a.lead(), b.lead()]);
    expect(first.filter(Boolean)).toHaveLength(1);
    const [leader, follower] = first[0] ? [a, b] : [b, a];
    expect(await follower.lead()).toBe(false);
    expect(await holder(url)).not.toBeNull();

    // Holding the lock, lead() asks nothing of the database.
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) if (!(await leader.lead())) throw new Error('lost the lead');
    const perCall = ((performance.now() - started) * 1_000) / 10_000;
    console.log(`lead() while holding the lock: ${perCall.toFixed(2)} µs per call (no query)`);
    expect(perCall).toBeLessThan(50);

    // The leader's lock connection is killed: PostgreSQL frees the lock, the follower takes it.
    const killedAt = performance.now();
    await sql(url, 'SELECT pg_terminate_backend($1)', [await holder(url)]);
    await waitFor('the follower to lead', () => follower.lead());
    console.log(`handover after pg_terminate_backend of the leader's lock connection: ${(performance.now() - killedAt).toFixed(0)} ms until the other instance's lead() answered true`);
    expect(await leader.lead()).toBe(false);
    // After its backoff (1 s) the old leader reconnects, tries, and still does not lead.
    await sleep(1_200);
    expect(await leader.lead()).toBe(false);
    expect(await sql(url, "SELECT 1 FROM pg_stat_activity WHERE application_name = 'semfilter-server leader' AND datname = current_database()")).toHaveLength(2);
    expect(await follower.lead()).toBe(true);

    // The new leader closes: its session ends, and the old leader takes over on its next call.
    const closedAt = performance.now();
    await follower.close();
    await waitFor('the old leader to lead again', () => leader.lead());
    console.log(`handover after close(): ${(performance.now() - closedAt).toFixed(0)} ms`);
    expect(await holder(url)).not.toBeNull();
  });
});

describe('ingest and windowData', () => {
  const key: StageKey = { flag: 'search', stage: 0, mode: 'on' };

  it('counts a snapshot id once, sums two instances (each writing its own rows) and counts distinct clients', async () => {
    const url = await database();
    const [a, b] = [await open(url), await open(url)];
    const s1 = snapshot('client-one-aaaaaaaa');
    // Three new snapshots of one new bucket in one batch: all three count.
    expect(await a.ingest([s1, snapshot('client-two-aaaaaaaa'), snapshot('client-one-aaaaaaaa')], T0)).toEqual({ accepted: 3, duplicates: 0 });
    // A retry of s1 through the other instance is acknowledged, not counted.
    expect(await b.ingest([s1, snapshot('client-three-aaaaaa')], T0 + 1_000)).toEqual({ accepted: 1, duplicates: 1 });
    // A repeat within one batch, and a whole batch of repeats.
    const s5 = snapshot('client-two-aaaaaaaa', { runs: 3 });
    expect(await a.ingest([s5, s5], T0 + 2_000)).toEqual({ accepted: 1, duplicates: 1 });
    expect(await b.ingest([s5, s1], T0 + 3_000)).toEqual({ accepted: 0, duplicates: 2 });
    // Other stage keys do not mix in.
    expect(await b.ingest([snapshot('client-four-aaaaaaa', { stage: null, mode: 'shadow' }), snapshot('client-five-aaaaaaa', { stage: 1 })], T0)).toEqual({ accepted: 2, duplicates: 0 });

    const window = await a.windowData(key, M0, M0 + MINUTE);
    expect(window.snapshots).toBe(5);
    expect(window.clients).toBe(3);
    expect(window.traditional).toHaveLength(2); // one row per instance
    expect(runsOf(window.traditional)).toBe(2 * 4 + 3);
    expect(latencyCountOf(window.semantic)).toBe(2 * 4 + 3);
    expect(await b.windowData(key, M0, M0 + MINUTE)).toEqual(window);
    expect(await a.windowData({ flag: 'search', stage: -1, mode: 'shadow' }, M0, M0 + MINUTE)).toMatchObject({ snapshots: 1, clients: 1 });

    // The next minute is a new bucket; a window over both sums both, the first alone is unchanged.
    expect(await a.ingest([snapshot('client-six-aaaaaaaa')], T0 + MINUTE)).toEqual({ accepted: 1, duplicates: 0 });
    expect((await a.windowData(key, M0, M0 + MINUTE)).snapshots).toBe(5);
    expect(await a.windowData(key, M0, M0 + 2 * MINUTE)).toMatchObject({ snapshots: 6, clients: 4 });
    expect(await a.windowData(key, M0 + 2 * MINUTE, M0 + 3 * MINUTE)).toEqual({ traditional: [], semantic: [], clients: 0, snapshots: 0 });
  });

  it("keeps every snapshot of one instance's concurrent ingests", async () => {
    const url = await database();
    const store = await open(url);
    const batches = Array.from({ length: 10 }, (_, i) => Array.from({ length: 5 }, (_, j) => snapshot(`client-${i}-${j}-aaaaaaaaaa`)));
    const results = await Promise.all(batches.map((batch) => store.ingest(batch, T0)));
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(50);
    expect(await store.windowData(key, M0, M0 + MINUTE)).toMatchObject({ snapshots: 50, clients: 50 });
    expect(runsOf((await store.windowData(key, M0, M0 + MINUTE)).traditional)).toBe(100);
  });

  it('rolls a failed batch back whole, and its buckets reload from their rows', async () => {
    const url = await database();
    const store = await open(url);
    expect(await store.ingest([snapshot('client-one-aaaaaaaa')], T0)).toEqual({ accepted: 1, duplicates: 0 });
    const retry = snapshot('client-two-aaaaaaaa');
    // A NUL byte is refused by PostgreSQL's text (the schema would refuse such an id long before):
    // the batch fails after its buckets were added to in memory.
    await expect(store.ingest([retry, snapshot('client-\u0000-aaaaaaaaaa')], T0)).rejects.toThrow(/0x00/);
    expect(await store.windowData(key, M0, M0 + MINUTE)).toMatchObject({ snapshots: 1, clients: 1 });
    expect(await store.ingest([retry], T0)).toEqual({ accepted: 1, duplicates: 0 }); // its id was rolled back too
    const window = await store.windowData(key, M0, M0 + MINUTE);
    expect(window).toMatchObject({ snapshots: 2, clients: 2 });
    expect(runsOf(window.traditional)).toBe(4);
  });

  it('bounds the ingest queue: beyond maxQueuedSnapshots a call is refused at once with 503 and Retry-After, the queued ones still count', async () => {
    const url = await database();
    const store = new PostgresStore(url, { poolSize: 4, maxQueuedSnapshots: 2 });
    stores.push(store);
    await store.migrate();
    // An operator's open transaction holds the table: the first ingest's transaction waits on it.
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE snapshots IN ACCESS EXCLUSIVE MODE');
    try {
      const running = store.ingest([snapshot('client-one-aaaaaaaa')], T0);
      const queued = store.ingest([snapshot('client-two-aaaaaaaa'), snapshot('client-three-aaaaaa')], T0);
      await expect(store.ingest([snapshot('client-four-aaaaaaa')], T0)).rejects.toMatchObject({ code: 'UNAVAILABLE', status: 503, retryAfterSeconds: expect.any(Number) });
      await blocker.query('COMMIT');
      expect(await running).toEqual({ accepted: 1, duplicates: 0 });
      expect(await queued).toEqual({ accepted: 2, duplicates: 0 });
      expect(await store.ingest([snapshot('client-four-aaaaaaa')], T0)).toEqual({ accepted: 1, duplicates: 0 }); // room again
    } finally {
      await blocker.end();
    }
  });

  it('counts 10,000 snapshots sent in 200 batches of 50 across three stages exactly (speed: npm run bench:server)', async () => {
    const url = await database();
    const store = await open(url);
    const batches = Array.from({ length: 200 }, (_, i) => Array.from({ length: 50 }, (_, j) => snapshot(`client-${(i * 50 + j) % 500}-aaaaaaaaaa`, { stage: j % 3 })));
    for (const batch of batches) await store.ingest(batch, T0);
    for (const stage of [0, 1, 2]) {
      const data = await store.windowData({ ...key, stage }, M0, M0 + MINUTE);
      expect(data.snapshots).toBe(batches.flat().filter((s) => s.stage === stage).length);
      expect(data.clients).toBe(new Set(batches.flat().filter((s) => s.stage === stage).map((s) => s.client_id)).size);
    }
  });
});

describe('windows, webhooks, deliveries and prune', () => {
  const window = (start: number, stage = 0): StoredWindow => ({
    flag: 'search',
    stage,
    mode: 'on',
    configVersion: 3,
    start,
    end: start + 5 * MINUTE,
    result: 'PASS',
    checks: [],
    semanticRuns: 120,
    traditionalRuns: 130,
    clients: 12,
    evaluatedAt: start + 5 * MINUTE + 1,
  });

  it('works as the SQLite store does', async () => {
    const url = await database();
    const [a, b] = [await open(url), await open(url)];
    expect(await a.insertWindow(window(M0))).toBe(true);
    expect(await b.insertWindow(window(M0))).toBe(false); // recorded once, whichever instance tries
    expect(await a.insertWindow(window(M0 + 5 * MINUTE))).toBe(true);
    expect(await a.insertWindow(window(M0 + 5 * MINUTE, 1))).toBe(true);
    expect((await b.windows({ flag: 'search', stage: 0, mode: 'on' }, M0 + MINUTE)).map((w) => w.start)).toEqual([M0 + 5 * MINUTE]);
    expect(await b.windows({ flag: 'search', stage: 0, mode: 'on' }, 0)).toEqual([window(M0), window(M0 + 5 * MINUTE)]);
    expect((await b.recentWindows('search', 2)).map((w) => [w.start, w.stage])).toEqual([
      [M0 + 5 * MINUTE, 1],
      [M0 + 5 * MINUTE, 0],
    ]);

    await a.insertWebhook({ id: 'hook-1', flag: 'search', url: 'https://example.com/a', secret: 's', createdAt: 1 });
    await a.insertWebhook({ id: 'hook-2', flag: 'search', url: 'https://example.com/b', secret: 't', createdAt: 2 });
    expect((await b.webhooks('search')).map((w) => w.id)).toEqual(['hook-1', 'hook-2']);
    await a.insertDelivery({ webhookId: 'hook-1', eventId: 'e1', event: 'flag.updated', attempt: 1, at: M0, status: null, ok: false, error: 'ECONNREFUSED' });
    await a.insertDelivery({ webhookId: 'hook-1', eventId: 'e1', event: 'flag.updated', attempt: 2, at: M0 + 1_000, status: 204, ok: true, error: null });
    expect(await b.deliveries('search', 10)).toEqual([
      { webhookId: 'hook-1', url: 'https://example.com/a', eventId: 'e1', event: 'flag.updated', attempt: 2, at: M0 + 1_000, status: 204, ok: true, error: null },
      { webhookId: 'hook-1', url: 'https://example.com/a', eventId: 'e1', event: 'flag.updated', attempt: 1, at: M0, status: null, ok: false, error: 'ECONNREFUSED' },
    ]);
    expect(await b.deleteWebhook('other', 'hook-2')).toBe(false);
    expect(await b.deleteWebhook('search', 'hook-2')).toBe(true);
    expect((await a.webhooks('search')).map((w) => w.id)).toEqual(['hook-1']);

    await a.ingest([snapshot('client-one-aaaaaaaa')], T0);
    await a.ingest([snapshot('client-two-aaaaaaaa')], T0 + MINUTE);
    await b.prune(M0 + MINUTE, M0 + 6 * MINUTE);
    expect(await a.windowData({ flag: 'search', stage: 0, mode: 'on' }, 0, M0 + 10 * MINUTE)).toMatchObject({ snapshots: 1, clients: 1 });
    expect(await sql(url, 'SELECT 1 FROM snapshots')).toHaveLength(1);
    expect((await a.recentWindows('search', 10)).map((w) => w.start)).toEqual([M0 + 5 * MINUTE, M0 + 5 * MINUTE]);
    expect(await a.deliveries('search', 10)).toEqual([]);
  });
});

describe('pending deliveries', () => {
  it('keeps a delivery a shutdown interrupted once, and hands it to one of two instances starting at once', async () => {
    const url = await database();
    const [a, b] = [await open(url), await open(url)];
    await a.insertWebhook({ id: 'hook-1', flag: 'search', url: 'https://example.com/a', secret: 's', createdAt: 1 });
    const kept = { webhookId: 'hook-1', eventId: 'evt_1', flag: 'search', event: 'kill', body: '{"text":"t"}', attempt: 2, savedAt: T0 };
    await a.savePendingDelivery(kept);
    await b.savePendingDelivery(kept); // the same delivery kept twice is kept once
    const taken = await Promise.all([a.takePendingDeliveries(), b.takePendingDeliveries()]);
    expect(taken.flat()).toEqual([kept]);
    await a.savePendingDelivery(kept);
    await a.deleteWebhook('search', 'hook-1'); // a deleted webhook takes its kept deliveries along
    expect(await b.takePendingDeliveries()).toEqual([]);
  });
});

// Last: stops the file's server.
describe('an unreachable database', () => {
  it('rejects queries (for the HTTP layer to answer 503) and stops leading', async () => {
    const url = await database();
    const store = await open(url);
    expect(await store.lead()).toBe(true);
    await store.windowData({ flag: 'f', stage: 0, mode: 'on' }, 0, 1); // a pooled connection to lose
    pgServer().stop();
    const error = await store.windowData({ flag: 'f', stage: 0, mode: 'on' }, 0, 1).then(
      () => null,
      (reason: unknown) => reason as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).not.toContain(url);
    await expect(store.ping()).rejects.toThrow();
    await expect(store.appendVersion(version('f', 1), null)).rejects.toThrow();
    await waitFor('the lead to be lost', async () => !(await store.lead()));
  });
});
