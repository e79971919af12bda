import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fleetModeAccumulators, type FleetSnapshot, type RunSample } from '@semfilter/core/metrics';
import { seededRandom } from '@semfilter/core';
import { createFleetServer, issueToken, SqliteStore, type FleetServer, type FleetServerOptions, type Store, type TokenScope } from '../src/index.js';

/** A clock the test moves by hand: windows and schedules run without waiting. */
export interface ManualClock {
  (): number;
  advance(ms: number): void;
  set(ms: number): void;
}

/** A manual clock starting at a whole hour (so minute buckets and windows line up predictably). */
export function manualClock(start = Date.UTC(2026, 0, 1, 12)): ManualClock {
  let now = start;
  const clock = (() => now) as ManualClock;
  clock.advance = (ms) => void (now += ms);
  clock.set = (ms) => void (now = ms);
  return clock;
}

/** A real server on 127.0.0.1 over a real SQLite file in a temporary folder, with an admin token. */
export interface TestServer {
  readonly server: FleetServer;
  readonly url: string;
  readonly admin: string;
  readonly dir: string;
  /** Issues a token of a scope straight into the store. */
  token(scope: TokenScope, name: string, flag?: string | null): Promise<string>;
  /** fetch against the server with the admin token (JSON bodies). */
  adminFetch(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startTestServer(options: Partial<FleetServerOptions> & { readonly store?: Store; readonly dir?: string } = {}): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'semfilter-server-'));
  const store = options.store ?? new SqliteStore(join(dir, 'fleet.db'));
  const server = await createFleetServer({ evaluateEveryMs: 0, ...options, store });
  const url = await server.listen(0);
  const token = async (scope: TokenScope, name: string, flag: string | null = null) => {
    const issued = issueToken(scope, name, flag, Date.now());
    await store.insertToken(issued.record);
    await server.reloadTokens();
    return issued.token;
  };
  const admin = await token('admin', 'alice');
  return {
    server,
    url,
    admin,
    dir,
    token,
    adminFetch: (path, init = {}) =>
      fetch(url + path, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${admin}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
    async stop() {
      await server.close();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A staged rollout config of the demo flag. */
export function stagedConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { schema: 1, version: 0, flag: 'semantic-filter', mode: 'on', stages: [0.01, 0.05, 0.25, 1], stage: 0, ...overrides };
}

/** What one simulated client's runs look like over an interval. */
export interface ClientProfile {
  readonly semanticRuns: number;
  readonly traditionalRuns: number;
  /** Semantic run time, ms (each run gets this ± 20%). */
  readonly semanticLatencyMs: number;
  /** Share of semantic runs that fall back (MODEL_UNAVAILABLE). */
  readonly semanticFallbackRate: number;
  readonly passRate: number;
  readonly semanticPassRate?: number;
}

/** A deterministic PRNG: simulated fleets are the same on every run. */
export const seeded = seededRandom;

/** One client's snapshot of an interval, built the way the browser reporter builds it (from run samples). */
export function clientSnapshot(clientId: string, config: { flag: string; version: number; stage: number | null; mode: 'on' | 'shadow' | 'off' }, profile: ClientProfile, random: () => number, at: number): FleetSnapshot {
  const modes = fleetModeAccumulators();
  const add = (sample: RunSample) => modes[sample.mode].addSample(sample);
  for (let i = 0; i < profile.semanticRuns; i++) {
    const fellBack = random() < profile.semanticFallbackRate;
    add({
      mode: 'semantic',
      role: 'served',
      passRate: profile.semanticPassRate ?? profile.passRate,
      latencyMs: profile.semanticLatencyMs * (0.8 + 0.4 * random()),
      fallbackReason: fellBack ? 'MODEL_UNAVAILABLE' : null,
      cache: { hits: 9, lookups: 10 },
    });
  }
  for (let i = 0; i < profile.traditionalRuns; i++) add({ mode: 'traditional', role: 'served', passRate: profile.passRate, latencyMs: 2 + random(), fallbackReason: 'DISABLED' });
  return {
    schema: 1,
    snapshot_id: randomUUID(),
    client_id: clientId,
    flag: config.flag,
    config_version: config.version,
    stage: config.stage,
    rollout_mode: config.mode,
    start_ms: at - 60_000,
    end_ms: at,
    modes: { traditional: modes.traditional.toJSON(), semantic: modes.semantic.toJSON() },
  };
}

/** POSTs snapshots as a browser's reporter does (text/plain, key in the query). */
export async function sendSnapshots(url: string, key: string, snapshots: readonly FleetSnapshot[]): Promise<Response> {
  return fetch(`${url}/v1/metrics?key=${encodeURIComponent(key)}`, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ snapshots }) });
}
