import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { filterItems, type FilterOptionsInput, type FilterRequest, type Item } from '@semfilter/core';
import { createMetricsRecorder, fleetBatchSchema, fleetSnapshotSchema, type FleetSnapshot, type RunSample } from '@semfilter/core/metrics';
import { createRollout, createSnapshotReporter, MAX_BATCH_BYTES, MAX_RETRY_DELAY_MS, memoryStorage, parseRolloutConfig, type RolloutConfig, type SnapshotReporter, type SnapshotReporterOptions } from '@semfilter/core/rollout';

const KEY = 'pk_test_4f9c';
const T0 = 1_700_000_000_000;

function config(fields: object = {}): RolloutConfig {
  const parsed = parseRolloutConfig({ schema: 1, version: 1, flag: 'semantic-filter', mode: 'on', stages: [0.1, 1], stage: 1, ...fields });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

const semantic = (extra: Partial<RunSample> = {}): RunSample => ({ mode: 'semantic', role: 'served', passRate: 0.5, latencyMs: 120, fallbackReason: null, cache: { hits: 9, lookups: 10 }, ...extra });
const traditional = (extra: Partial<RunSample> = {}): RunSample => ({ mode: 'traditional', role: 'shadow', passRate: 0.4, latencyMs: 4, fallbackReason: 'DISABLED', flips: { flipped: 1, compared: 10 }, ...extra });

interface Received {
  readonly url: string;
  readonly contentType: string | undefined;
  readonly bytes: number;
  readonly snapshots: FleetSnapshot[];
}
interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** An ingest server on a real port: it keeps what it received and answers from `answers`, then 202 (counting repeated ids as duplicates). */
async function ingestServer() {
  const received: Received[] = [];
  const answers: ((request: Received) => Answer)[] = [];
  const seen = new Set<string>();
  const accept = (request: Received): Answer => {
    const duplicates = request.snapshots.filter((s) => seen.has(s.snapshot_id)).length;
    for (const s of request.snapshots) seen.add(s.snapshot_id);
    return { status: 202, body: { accepted: request.snapshots.length - duplicates, duplicates } };
  };
  const state = { fallback: accept };
  const http = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const entry: Received = { url: request.url ?? '', contentType: request.headers['content-type'], bytes: raw.length, snapshots: JSON.parse(raw.toString('utf8')).snapshots };
      received.push(entry);
      const answer = (answers.shift() ?? state.fallback)(entry);
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  servers.push(http);
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1/metrics`, received, answers, state, accept, ids: () => received.map((r) => r.snapshots.map((s) => s.snapshot_id)) };
}

/** Fake timers: nothing runs until the test says so, and the test sees each delay asked for. */
function fakeTimers() {
  const pending = new Map<number, { ms: number; callback: () => void }>();
  let next = 1;
  return {
    setTimeout: (callback: () => void, ms: number) => {
      pending.set(next, { ms, callback });
      return next++;
    },
    clearTimeout: (handle: unknown) => void pending.delete(handle as number),
    delays: () => [...pending.values()].map((timer) => timer.ms),
    run(ms: number) {
      const found = [...pending].find(([, timer]) => timer.ms === ms);
      if (found === undefined) throw new Error(`no timer of ${ms} ms among ${JSON.stringify([...pending.values()].map((t) => t.ms))}`);
      pending.delete(found[0]);
      found[1].callback();
    },
  };
}

/** Counting ids instead of random ones, so a test can name the snapshots it expects. */
function countingIds() {
  let n = 0;
  return () => `id-${String(++n).padStart(16, '0')}`;
}

const servers: ReturnType<typeof createServer>[] = [];
const reporters: SnapshotReporter[] = [];
afterEach(async () => {
  for (const reporter of reporters.splice(0)) reporter.dispose();
  for (const http of servers.splice(0)) {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
});

function reporter(options: SnapshotReporterOptions) {
  const created = createSnapshotReporter({ target: null, ...options });
  reporters.push(created);
  const errors: string[] = [];
  const sent: { accepted: number; duplicates: number }[] = [];
  created.addEventListener('error', (e) => errors.push((e as CustomEvent<{ message: string }>).detail.message));
  created.addEventListener('sent', (e) => sent.push((e as CustomEvent<{ accepted: number; duplicates: number }>).detail));
  return { reporter: created, errors, sent };
}

/** The recorder and a config the test can change, with a clock it moves by hand. */
function setup(extra: Partial<SnapshotReporterOptions> & { url: string }) {
  const recorder = createMetricsRecorder();
  const clock = { now: T0, config: config() };
  const timers = fakeTimers();
  const made = reporter({ clientKey: KEY, recorder, config: () => clock.config, now: () => clock.now, random: () => 0, randomId: countingIds(), setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout, ...extra });
  made.reporter.start();
  return { ...made, recorder, clock, timers };
}

describe('createSnapshotReporter', () => {
  it('sends what a rollout ran as schema-valid snapshots: numbers and random ids, nothing about the user or the items', async () => {
    const server = await ingestServer();
    const wardrobe: Item[] = [
      { id: 'item-secret-7f3a', style: 'casual', occasion: 'work' },
      { id: 'item-secret-9b21', style: 'glam', occasion: 'gala' },
    ];
    const filter = { filter: async (items: unknown, request: unknown, options?: FilterOptionsInput) => filterItems(items as Item[], request as FilterRequest, options) };
    const rollout = createRollout({ config: config(), user: { id: 'alice@example.com' }, filter, storage: memoryStorage() });
    const { reporter: sender, sent } = reporter({ url: server.url, clientKey: KEY, rollout });
    sender.start();
    for (let i = 0; i < 3; i++) {
      await rollout.run(wardrobe, { style: 'casual' });
      await rollout.settled();
    }
    await sender.flush();

    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request!.url).toBe(`/v1/metrics?key=${KEY}`);
    expect(request!.contentType).toBe('text/plain;charset=UTF-8');
    expect(fleetBatchSchema.safeParse({ snapshots: request!.snapshots }).success).toBe(true);
    const [snapshot] = request!.snapshots;
    expect(Object.keys(snapshot!).sort()).toEqual(Object.keys(fleetSnapshotSchema.shape).sort());
    expect(snapshot).toMatchObject({ schema: 1, flag: 'semantic-filter', config_version: 1, stage: 1, rollout_mode: 'on' });
    expect(snapshot!.modes.semantic.runs + snapshot!.modes.semantic.loading).toBe(3);
    expect(snapshot!.modes.traditional.runs).toBe(3);
    expect(snapshot!.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(snapshot!.snapshot_id).not.toBe(snapshot!.client_id);
    const text = JSON.stringify(request!.snapshots);
    for (const secret of ['alice', 'example.com', 'item-secret', 'casual', 'glam']) expect(text).not.toContain(secret);
    expect(sent).toEqual([{ accepted: 1, duplicates: 0 }]);
    expect(sender.status).toMatchObject({ buffered: 0, sent: 1, dropped: 0, rejected: 0, lastError: null, nextAttemptAt: null });
  });

  it('a new config version closes the open interval at once: one snapshot never mixes versions', async () => {
    const server = await ingestServer();
    const { reporter: sender, recorder, clock } = setup({ url: server.url });
    recorder.record(semantic());
    clock.now = T0 + 500;
    recorder.record(traditional());
    clock.now = T0 + 1000;
    clock.config = config({ version: 2, stage: 0 });
    recorder.record(semantic());
    expect(sender.status.buffered).toBe(1);
    clock.now = T0 + 1600;
    recorder.record(semantic());
    recorder.record(traditional());
    await sender.flush();

    const snapshots = server.received.flatMap((r) => r.snapshots);
    for (const s of snapshots) expect(fleetSnapshotSchema.safeParse(s).success).toBe(true);
    expect(snapshots.map((s) => [s.config_version, s.stage, s.start_ms, s.end_ms, s.modes.semantic.runs, s.modes.traditional.runs])).toEqual([
      [1, 1, T0, T0 + 1000, 1, 1],
      [2, 0, T0 + 1000, T0 + 1600, 2, 1],
    ]);
    expect(new Set(snapshots.map((s) => s.client_id)).size).toBe(1);
    expect(new Set(snapshots.map((s) => s.snapshot_id)).size).toBe(2);
  });

  it('every intervalMs the open interval is sent by itself, and a 202 empties the buffer', async () => {
    const server = await ingestServer();
    const recorder = createMetricsRecorder();
    const { reporter: sender, sent } = reporter({ url: server.url, clientKey: KEY, recorder, config: () => config(), intervalMs: 20 });
    sender.start();
    recorder.record(semantic());
    await expect.poll(() => server.received.length, { timeout: 5000 }).toBe(1);
    await expect.poll(() => sender.status).toMatchObject({ buffered: 0, sent: 1 });
    expect(sent).toEqual([{ accepted: 1, duplicates: 0 }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.received).toHaveLength(1); // intervals without runs send nothing
    sender.stop();
    recorder.record(semantic());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.received).toHaveLength(1);
  });

  it.each([503, 429])('a %i with Retry-After is retried after that long, with the same snapshot ids', async (status) => {
    const server = await ingestServer();
    server.answers.push(() => ({ status, headers: { 'retry-after': '7' }, body: { error: { code: 'busy', message: 'later' } } }));
    const { reporter: sender, recorder, clock, timers, errors } = setup({ url: server.url });
    recorder.record(semantic());
    await sender.flush();
    expect(sender.status).toMatchObject({ buffered: 1, sent: 0, nextAttemptAt: T0 + 7000 });
    expect(errors).toEqual([`the server is busy (HTTP ${status}); retrying after 7000 ms`]);
    expect(timers.delays()).toContain(7000);

    recorder.record(traditional());
    await sender.flush(); // before the time the server gave: buffered, not sent
    expect([server.received.length, sender.status.buffered]).toEqual([1, 2]);

    clock.now = T0 + 7000;
    timers.run(7000);
    await expect.poll(() => server.received.length).toBe(2);
    const [first, retry] = server.ids();
    expect(retry!.slice(0, 1)).toEqual(first);
    expect(retry).toHaveLength(2);
    await expect.poll(() => sender.status).toMatchObject({ buffered: 0, sent: 2, nextAttemptAt: null, lastError: null });
  });

  it('a 400 drops the batch and says why; it is never sent again', async () => {
    const server = await ingestServer();
    server.answers.push(() => ({ status: 400, body: { error: { code: 'invalid_batch', message: 'snapshots[0].flag: too long', issues: [] } } }));
    const { reporter: sender, recorder, timers, errors } = setup({ url: server.url });
    recorder.record(semantic());
    await sender.flush();
    expect(errors).toEqual(['the server refused 1 snapshot (HTTP 400, invalid_batch: snapshots[0].flag: too long); dropped, as a resend would fail again']);
    expect(sender.status).toMatchObject({ buffered: 0, sent: 0, rejected: 1, nextAttemptAt: null });
    expect(timers.delays()).toEqual([60_000]); // the interval only: no retry
    await sender.flush();
    expect(server.received).toHaveLength(1);
  });

  it('a refused key (401/403) keeps the snapshots and waits the long backoff', async () => {
    const server = await ingestServer();
    server.answers.push(() => ({ status: 401, body: { error: { code: 'bad_key', message: 'unknown key' } } }));
    const { reporter: sender, recorder, clock, timers, errors } = setup({ url: server.url });
    recorder.record(semantic());
    await sender.flush();
    expect(errors[0]).toMatch(/refused the client key \(HTTP 401\)/);
    expect(sender.status).toMatchObject({ buffered: 1, nextAttemptAt: T0 + MAX_RETRY_DELAY_MS });
    clock.now += MAX_RETRY_DELAY_MS;
    timers.run(MAX_RETRY_DELAY_MS);
    await expect.poll(() => sender.status.buffered).toBe(0);
    expect(server.ids()[1]).toEqual(server.ids()[0]);
  });

  it('a batch refused because a snapshot names another flag (FOREIGN_FLAG) is dropped, whatever the status; a 403 about the key keeps it', async () => {
    const server = await ingestServer();
    const foreign = { error: { code: 'FOREIGN_FLAG', message: 'body.snapshots[0].flag: this client key reports for "other" only' } };
    server.answers.push(() => ({ status: 403, body: foreign }), () => ({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'a debug token cannot do this' } } }));
    const { reporter: sender, recorder, clock, errors } = setup({ url: server.url });
    recorder.record(semantic());
    await sender.flush();
    expect(errors).toEqual(['the server refused 1 snapshot (HTTP 403, FOREIGN_FLAG: body.snapshots[0].flag: this client key reports for "other" only); dropped, as a resend would fail again']);
    expect(sender.status).toMatchObject({ buffered: 0, rejected: 1, nextAttemptAt: null });
    clock.now += 60_000;
    recorder.record(semantic());
    await sender.flush();
    expect(errors[1]).toMatch(/refused the client key \(HTTP 403\)/);
    expect(sender.status).toMatchObject({ buffered: 1, rejected: 1, nextAttemptAt: clock.now + MAX_RETRY_DELAY_MS });
  });

  it('while the server fails, retries back off exponentially and the bounded buffer drops the oldest, counting them', async () => {
    const server = await ingestServer();
    server.answers.push(() => ({ status: 500 }), () => ({ status: 502 }));
    const { reporter: sender, recorder, clock, timers, errors } = setup({ url: server.url, maxBuffered: 3 });
    for (let i = 0; i < 5; i++) {
      recorder.record(semantic());
      await sender.flush();
    }
    expect(server.received).toHaveLength(1); // the later flushes wait for the retry
    expect(sender.status).toMatchObject({ buffered: 3, dropped: 2, nextAttemptAt: T0 + 500 });
    expect(errors[0]).toBe('sending 1 snapshot gave HTTP 500');
    timers.run(500); // 1 s, jittered down to half with random() = 0
    await expect.poll(() => server.received.length).toBe(2);
    await expect.poll(() => timers.delays()).toContain(1000); // then 2 s, jittered to 1 s
    clock.now += 1000;
    timers.run(1000);
    await expect.poll(() => sender.status).toMatchObject({ buffered: 0, sent: 3, dropped: 2 });
    // The ids count up: 1 is the client id, 2…6 the snapshots; 2 and 3 were dropped.
    expect(server.ids().at(-1)).toEqual(['id-0000000000000004', 'id-0000000000000005', 'id-0000000000000006']);
  });

  it('a network error keeps the snapshots for a retry', async () => {
    const server = await ingestServer();
    const { reporter: sender, recorder, errors } = setup({ url: server.url.replace(/:\d+/, ':1') });
    recorder.record(semantic());
    await sender.flush();
    expect(sender.status).toMatchObject({ buffered: 1, nextAttemptAt: T0 + 500 });
    expect(errors[0]).toMatch(/^sending 1 snapshot failed/);
  });

  it('batches stay within 64 KB and 50 snapshots, split further when the server answers 413', async () => {
    const server = await ingestServer();
    const { reporter: sender, recorder, clock } = setup({ url: server.url });
    // Latencies one sketch bin apart fill ~1300 bins: a few KB of JSON per snapshot.
    const spread = Array.from({ length: 1300 }, (_, i) => 0.002 * 1.0202 ** i);
    for (let version = 1; version <= 30; version++) {
      clock.config = config({ version });
      for (const latencyMs of spread) recorder.record(semantic({ latencyMs }));
    }
    await sender.flush();
    // 30 snapshots are under the 50 a batch may hold, but not under 64 KB: more than one body.
    expect(server.received.reduce((sum, r) => sum + r.bytes, 0)).toBeGreaterThan(MAX_BATCH_BYTES);
    for (const request of server.received) expect(request.bytes).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expect(server.ids().flat()).toHaveLength(30);
    expect(new Set(server.ids().flat()).size).toBe(30);
    expect(sender.status).toMatchObject({ buffered: 0, sent: 30 });

    // A server whose limit is lower than ours: halve until the batches fit.
    server.state.fallback = (request) => (request.bytes > 12_000 ? { status: 413 } : server.accept(request));
    for (let version = 31; version <= 40; version++) {
      clock.config = config({ version });
      for (const latencyMs of spread) recorder.record(semantic({ latencyMs }));
    }
    server.received.length = 0;
    await sender.flush();
    expect(server.received.filter((r) => r.bytes > 12_000).length).toBeGreaterThan(0); // refused with 413 first
    const accepted = server.received.filter((r) => r.bytes <= 12_000);
    expect(accepted.flatMap((r) => r.snapshots.map((s) => s.config_version)).sort((a, b) => a - b)).toEqual([31, 32, 33, 34, 35, 36, 37, 38, 39, 40]);
    expect(sender.status).toMatchObject({ buffered: 0, sent: 40, rejected: 0 });
  });

  it('on pagehide the buffer goes out by beacon; what the beacon refuses stays for the next send', async () => {
    const server = await ingestServer();
    const beacons: { url: string; body: string }[] = [];
    let beaconAccepts = true;
    const fakeSendBeacon = (url: string, body: string) => {
      beacons.push({ url, body });
      return beaconAccepts;
    };
    const page = new EventTarget();
    const { reporter: sender, recorder } = setup({ url: server.url, sendBeacon: fakeSendBeacon, target: page });
    recorder.record(semantic());
    page.dispatchEvent(new Event('pagehide'));
    expect(beacons).toHaveLength(1);
    expect(beacons[0]!.url).toBe(`${server.url}?key=${KEY}`);
    expect(fleetBatchSchema.safeParse(JSON.parse(beacons[0]!.body)).success).toBe(true);
    expect(sender.status).toMatchObject({ buffered: 0, sent: 1 });

    beaconAccepts = false;
    recorder.record(traditional());
    page.dispatchEvent(new Event('pagehide'));
    expect(sender.status).toMatchObject({ buffered: 1, sent: 1 });
    const refused = JSON.parse(beacons[1]!.body).snapshots[0].snapshot_id;
    await sender.flush();
    expect(server.ids()).toEqual([[refused]]);
    expect(server.received).toHaveLength(1); // the first went by beacon only
  });

  it('when the document becomes hidden the buffer goes out by beacon too (mobile pages often never see pagehide)', async () => {
    const server = await ingestServer();
    const beacons: string[] = [];
    const fakeSendBeacon = (_url: string, body: string) => {
      beacons.push(body);
      return true;
    };
    const fakeDocument = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const fakeWindow = Object.assign(new EventTarget(), { document: fakeDocument });
    const { reporter: sender, recorder } = setup({ url: server.url, sendBeacon: fakeSendBeacon, target: fakeWindow });
    recorder.record(semantic());
    fakeDocument.dispatchEvent(new Event('visibilitychange')); // visible again: nothing to do
    expect(beacons).toHaveLength(0);

    fakeDocument.visibilityState = 'hidden';
    fakeDocument.dispatchEvent(new Event('visibilitychange'));
    expect(beacons).toHaveLength(1);
    expect(JSON.parse(beacons[0]!).snapshots.map((s: FleetSnapshot) => s.modes.semantic.runs)).toEqual([1]);
    expect(sender.status).toMatchObject({ buffered: 0, sent: 1 });

    fakeDocument.visibilityState = 'visible'; // the page comes back and runs on
    recorder.record(traditional());
    fakeWindow.dispatchEvent(new Event('pagehide'));
    expect(beacons).toHaveLength(2);

    sender.stop();
    recorder.record(semantic());
    fakeDocument.visibilityState = 'hidden';
    fakeDocument.dispatchEvent(new Event('visibilitychange'));
    expect(beacons).toHaveLength(2); // stopped: no longer listening
    expect(server.received).toHaveLength(0);
  });

  it('never throws into the page: a throwing fetch or an invalid config become error events', async () => {
    const throwingFetch = (() => {
      throw new Error('blocked by an extension');
    }) as typeof fetch;
    const { reporter: sender, recorder, clock, errors } = setup({ url: 'https://flags.example/v1/metrics', fetch: throwingFetch });
    recorder.record(semantic());
    await expect(sender.flush()).resolves.toBeUndefined();
    expect(errors).toEqual(['sending 1 snapshot failed (blocked by an extension)']);
    clock.config = { ...config(), flag: '' };
    expect(() => recorder.record(semantic())).not.toThrow();
    await sender.flush();
    expect(errors.at(-1)).toMatch(/^a snapshot could not be made and was left out \(flag: /);
    expect(sender.status.buffered).toBe(1);
  });
});
