// Data of `npm run bench:server`: the config served, and snapshots as a browser's reporter sends them.
import { randomUUID } from 'node:crypto';
import { fleetModeAccumulators, type FleetSnapshot } from '@semfilter/core/metrics';
export { seededRandom as seeded } from '@semfilter/core';

/** The demo's staged rollout config, as the benchmark serves it. */
export const BENCH_CONFIG = { schema: 1, version: 0, flag: 'semantic-filter', mode: 'on', stages: [0.05, 0.25, 0.5, 0.75, 1], stage: 1, guardrails: { p95LatencyMs: 800 } } as const;

/** One client's minute: 10 semantic and 10 traditional runs with log-normal latencies. */
export function benchSnapshot(clientId: string, at: number, random: () => number): FleetSnapshot {
  const modes = fleetModeAccumulators();
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  for (let i = 0; i < 10; i++) {
    modes.semantic.addSample({ mode: 'semantic', role: 'served', passRate: 0.4 + 0.2 * random(), latencyMs: 120 * Math.exp(0.6 * normal()), fallbackReason: random() < 0.01 ? 'TIMEOUT' : null, cache: { hits: 18, lookups: 20 } });
    modes.traditional.addSample({ mode: 'traditional', role: 'served', passRate: 0.4 + 0.2 * random(), latencyMs: 3 * Math.exp(0.3 * normal()), fallbackReason: 'DISABLED' });
  }
  return {
    schema: 1,
    snapshot_id: randomUUID(),
    client_id: clientId,
    flag: BENCH_CONFIG.flag,
    config_version: 1,
    stage: BENCH_CONFIG.stage,
    rollout_mode: 'on',
    start_ms: at - 60_000,
    end_ms: at,
    modes: { traditional: modes.traditional.toJSON(), semantic: modes.semantic.toJSON() },
  };
}
