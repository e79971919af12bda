import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRemoteConfig, decide, DEFAULT_ROLLOUT_CONFIG, memoryStorage, type KeyValueStorage, type RemoteConfig, type RemoteConfigChange } from '@semfilter/core/rollout';

const URL_ = 'https://config.example/rollout.json';
const KEY = 'semfilter-rollout-config';
const ON = { schema: 1, version: 1, flag: 'semantic-filter', mode: 'on', coverage: 1 };
const KILLED = { ...ON, version: 2, killSwitch: true };
const user = { id: 'alice' };

/**
 * A config server behind the injected fetch (a stand-in for the network, which these tests are not
 * about): it answers with whatever `serve` holds now, and counts requests.
 */
function server() {
  const state = { serve: (): Promise<Response> => Promise.resolve(new Response(JSON.stringify(ON))), requests: 0, signals: [] as AbortSignal[] };
  const fetch = ((_url: string, init?: RequestInit) => {
    state.requests += 1;
    if (init?.signal) state.signals.push(init.signal);
    return state.serve();
  }) as typeof globalThis.fetch;
  const json = (value: unknown) => () => Promise.resolve(new Response(JSON.stringify(value)));
  const hang = () => new Promise<Response>(() => undefined); // ignores the abort signal on purpose
  return { state, fetch, json, hang };
}

function events(remote: RemoteConfig) {
  const changes: RemoteConfigChange[] = [];
  const errors: string[] = [];
  remote.addEventListener('change', (e) => changes.push((e as CustomEvent<RemoteConfigChange>).detail));
  remote.addEventListener('error', (e) => errors.push((e as CustomEvent<{ message: string }>).detail.message));
  return { changes, errors };
}

function stored(storage: KeyValueStorage, savedAt: number, config: unknown = ON): void {
  storage.setItem(KEY, JSON.stringify({ savedAt, config }));
}

describe('createRemoteConfig', () => {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 1_700_000_000_000;
  });
  afterEach(() => vi.useRealTimers());

  it('starts on the built-in default (off) with neither a served nor a stored config', () => {
    const remote = createRemoteConfig({ url: URL_, fetch: server().fetch, storage: memoryStorage(), now });
    expect(remote.config).toBe(DEFAULT_ROLLOUT_CONFIG);
    expect(remote.source).toBe('default');
    expect(decide(remote.config, user).semantic).toBe(false);
  });

  it('a timeout keeps the last good config, and says so', async () => {
    const { state, fetch, hang } = server();
    const remote = createRemoteConfig({ url: URL_, fetch, storage: memoryStorage(), now, timeoutMs: 5000 });
    const { errors } = events(remote);
    await remote.refresh();
    expect([remote.source, decide(remote.config, user).reason]).toEqual(['remote', 'IN_ROLLOUT']);
    state.serve = hang;
    const pending = remote.refresh();
    await vi.advanceTimersByTimeAsync(4999);
    expect(errors).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(errors).toEqual([`fetching ${URL_} timed out after 5000 ms`]);
    expect(remote.lastError).toBe(errors[0]);
    expect(state.signals.at(-1)!.aborted).toBe(true);
    expect([remote.source, decide(remote.config, user).reason]).toEqual(['remote', 'IN_ROLLOUT']);
  });

  it('a kill switch in the served config takes effect within one refresh', async () => {
    const { state, fetch, json } = server();
    const remote = createRemoteConfig({ url: URL_, fetch, storage: memoryStorage(), now, refreshMs: 60_000 });
    const { changes } = events(remote);
    remote.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(decide(remote.config, user).reason).toBe('IN_ROLLOUT');
    state.serve = json(KILLED);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(decide(remote.config, user).reason).toBe('IN_ROLLOUT');
    await vi.advanceTimersByTimeAsync(1);
    expect(decide(remote.config, user)).toMatchObject({ semantic: false, reason: 'KILL_SWITCH', configVersion: 2 });
    expect(changes.map((c) => [c.source, c.config.killSwitch])).toEqual([['remote', false], ['remote', true]]);
    expect(state.requests).toBe(2);
    remote.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(state.requests).toBe(2);
  });

  it('an older version answered after a newer one (a lagging server instance) is refused: the kill switch stays', async () => {
    const { state, fetch, json } = server();
    const storage = memoryStorage();
    const remote = createRemoteConfig({ url: URL_, fetch, storage, now });
    const { changes, errors } = events(remote);
    state.serve = json(KILLED);
    await remote.refresh();
    state.serve = json(ON); // version 1, from before the kill switch
    await remote.refresh();
    expect(decide(remote.config, user)).toMatchObject({ reason: 'KILL_SWITCH', configVersion: 2 });
    expect(errors).toEqual(['the served config is version 1, older than version 2 in force: kept 2 (a server instance behind the others?)']);
    expect(changes).toHaveLength(1);
    // Not stored either: the next page load starts on the kill switch.
    expect(createRemoteConfig({ url: URL_, fetch, storage, now }).config).toMatchObject({ version: 2, killSwitch: true });
  });

  it('a stored copy newer than what the server serves does not hold: a server whose versions started again is followed', async () => {
    const { fetch } = server(); // serves ON, version 1
    const storage = memoryStorage();
    stored(storage, clock, { ...KILLED, version: 7 });
    const remote = createRemoteConfig({ url: URL_, fetch, storage, now });
    expect(remote.config.version).toBe(7);
    await remote.refresh();
    expect(remote.config).toMatchObject(ON);
    expect(remote.lastError).toBeNull();
  });

  it('an invalid served config keeps the last good one and fires error', async () => {
    const { state, fetch, json } = server();
    const remote = createRemoteConfig({ url: URL_, fetch, storage: memoryStorage(), now });
    const { changes, errors } = events(remote);
    await remote.refresh();
    for (const bad of [json({ ...ON, coverage: 1.5 }), () => Promise.resolve(new Response('{"schema": 1, "vers')), () => Promise.resolve(new Response('down', { status: 503 })), () => Promise.reject(new TypeError('network down'))]) {
      state.serve = bad;
      await remote.refresh();
    }
    expect(errors).toEqual([
      'the served config is invalid: config.coverage: expected a share from 0 to 1',
      'the served config is not valid JSON',
      `fetching ${URL_} gave HTTP 503`,
      'network down',
    ]);
    expect(changes).toHaveLength(1);
    expect(remote.config).toMatchObject(ON);
  });

  it('change fires only when the content changes, not on every refresh or key order', async () => {
    const { state, fetch, json } = server();
    const remote = createRemoteConfig({ url: URL_, fetch, storage: memoryStorage(), now });
    const { changes } = events(remote);
    await remote.refresh();
    await remote.refresh();
    state.serve = () => Promise.resolve(new Response(`{"coverage":1,"mode":"on","flag":"semantic-filter","version":1,"schema":1,"killSwitch":false}`));
    await remote.refresh();
    expect(changes).toHaveLength(1);
    state.serve = json({ ...ON, coverage: 0.5 });
    await remote.refresh();
    expect(changes.map((c) => c.config.coverage)).toEqual([1, 0.5]);
  });

  it('concurrent refreshes share one fetch, and refresh never rejects', async () => {
    const { state, fetch } = server();
    const remote = createRemoteConfig({ url: URL_, fetch, storage: memoryStorage(), now });
    await Promise.all([remote.refresh(), remote.refresh(), remote.refresh()]);
    expect(state.requests).toBe(1);
    const throwing = createRemoteConfig({ url: URL_, fetch: (() => { throw new Error('sync boom'); }) as typeof fetch, storage: memoryStorage(), now });
    await expect(throwing.refresh()).resolves.toBeUndefined();
    expect(throwing.lastError).toBe('sync boom');
  });

  describe('the stored copy', () => {
    it('is written on a good fetch and used by the next client (a reload) before any fetch', async () => {
      const storage = memoryStorage();
      const { state, fetch, json } = server();
      state.serve = json(KILLED);
      await createRemoteConfig({ url: URL_, fetch, storage, now }).refresh();
      const reloaded = createRemoteConfig({ url: URL_, fetch, storage, now });
      expect(reloaded.source).toBe('stored');
      expect(decide(reloaded.config, user).reason).toBe('KILL_SWITCH');
    });

    it.each([
      ['corrupt JSON', (s: KeyValueStorage) => s.setItem(KEY, '{"savedAt": 17000000')],
      ['a stored value that is not a copy', (s: KeyValueStorage) => s.setItem(KEY, '"on"')],
      ['an invalid config', (s: KeyValueStorage) => stored(s, 1_700_000_000_000 - 1000, { ...ON, mode: 'always' })],
      ['a copy older than maxAgeMs', (s: KeyValueStorage) => stored(s, 1_700_000_000_000 - 24 * 60 * 60 * 1000 - 1)],
      ['a copy stamped in the future', (s: KeyValueStorage) => stored(s, 1_700_000_000_000 + 60_000)],
      ['a copy without a time', (s: KeyValueStorage) => s.setItem(KEY, JSON.stringify({ config: ON }))],
    ])('%s is ignored (and removed): the default is served', (_, prepare) => {
      const storage = memoryStorage();
      prepare(storage);
      const remote = createRemoteConfig({ url: URL_, fetch: server().fetch, storage, now });
      expect([remote.source, remote.config]).toEqual(['default', DEFAULT_ROLLOUT_CONFIG]);
      expect(storage.getItem(KEY)).toBeNull();
    });

    it('a copy just within maxAgeMs is used', () => {
      const storage = memoryStorage();
      stored(storage, clock - 1000 * 60 * 60);
      const remote = createRemoteConfig({ url: URL_, fetch: server().fetch, storage, now, maxAgeMs: 1000 * 60 * 60 });
      expect(remote.source).toBe('stored');
      expect(decide(remote.config, user).reason).toBe('IN_ROLLOUT');
    });

    it('a storage that throws is treated as empty', async () => {
      const broken: KeyValueStorage = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); }, removeItem: () => undefined };
      const remote = createRemoteConfig({ url: URL_, fetch: server().fetch, storage: broken, now });
      await remote.refresh();
      expect([remote.source, remote.lastError]).toEqual(['remote', null]);
    });
  });
});

describe('createRemoteConfig with the real fetch', () => {
  it('fetches from an HTTP server, and a server that stops answering keeps the last good config', async () => {
    let body = JSON.stringify(ON);
    let stall = false;
    const http = createServer((_, response) => {
      if (!stall) response.end(body);
      // A stalled server never answers; the client's timeout must abort the real request.
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/rollout.json`;
      const remote = createRemoteConfig({ url, storage: memoryStorage(), timeoutMs: 300 });
      await remote.refresh();
      expect([remote.source, remote.lastError, decide(remote.config, user).reason]).toEqual(['remote', null, 'IN_ROLLOUT']);
      body = JSON.stringify(KILLED);
      await remote.refresh();
      expect(decide(remote.config, user).reason).toBe('KILL_SWITCH');
      stall = true;
      await remote.refresh();
      expect(remote.lastError).toBe(`fetching ${url} timed out after 300 ms`);
      expect(decide(remote.config, user).reason).toBe('KILL_SWITCH');
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
