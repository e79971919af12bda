import { coverageOf, hashVersionOf, seedOf, type RolloutConfig } from './config.js';
import { bucketOf } from './hash.js';

/** One stage of a simulated population: its target coverage, the share bucketed into it, and the gap. */
export interface SimulatedStage {
  /** Index into the config's stages; 0 for a config with a plain coverage. */
  readonly index: number;
  /** The target share (0.25 for 25%). */
  readonly coverage: number;
  /** The share of the synthetic users that decide() would put in the rollout at this stage. */
  readonly share: number;
  /** share − coverage, as a fraction (0.0012 is 0.12 percentage points). */
  readonly deviation: number;
}

/** What a population of synthetic users looks like under a config's bucketing. */
export interface PopulationSimulation {
  readonly users: number;
  /** Every stage of the config (one entry for a plain coverage). */
  readonly stages: readonly SimulatedStage[];
  /** The stage the config is at now. */
  readonly current: SimulatedStage;
  /** Users per bucket range: `histogram[i]` counts buckets in [i / bins, (i + 1) / bins). */
  readonly histogram: readonly number[];
  /** The largest |deviation| over all stages. */
  readonly maxDeviation: number;
}

/** Options of simulatePopulation. */
export interface SimulateOptions {
  /** Histogram bins (default 20: 5% each, the finest stage step teams use). */
  readonly bins?: number;
}

/** The most synthetic users a simulation takes: ten million hashes is a few seconds, more would freeze a page. */
export const MAX_SIMULATED_USERS = 10_000_000;

/**
 * Buckets synthetic ids `user-0 … user-(N-1)` with the config's seed and hash version and reports, per stage, the
 * share that falls in the rollout (GrowthBook's rule, as decide() applies it). Lists are left out:
 * they name specific users, not a share. Throws a RangeError for a user or bin count out of range
 * (a programmer error; the CLI checks its flags first).
 */
export function simulatePopulation(config: RolloutConfig, users: number, { bins = 20 }: SimulateOptions = {}): PopulationSimulation {
  if (!Number.isInteger(users) || users < 1 || users > MAX_SIMULATED_USERS) throw new RangeError(`users: expected an integer from 1 to ${MAX_SIMULATED_USERS}, got ${users}`);
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000) throw new RangeError(`bins: expected an integer from 1 to 1000, got ${bins}`);
  const seed = seedOf(config);
  const hashVersion = hashVersionOf(config);
  const targets = config.stages ?? [coverageOf(config)];
  const inStage = new Array<number>(targets.length).fill(0);
  const histogram = new Array<number>(bins).fill(0);
  for (let i = 0; i < users; i++) {
    const bucket = bucketOf(seed, `user-${i}`, hashVersion);
    histogram[Math.min(bins - 1, Math.floor(bucket * bins))]! += 1;
    targets.forEach((coverage, s) => {
      if (coverage > 0 && bucket <= coverage) inStage[s]! += 1;
    });
  }
  const stages = targets.map((coverage, index): SimulatedStage => {
    const share = inStage[index]! / users;
    return { index, coverage, share, deviation: share - coverage };
  });
  return {
    users,
    stages,
    current: stages[config.stages === undefined ? 0 : (config.stage ?? 0)]!,
    histogram,
    maxDeviation: Math.max(...stages.map((stage) => Math.abs(stage.deviation))),
  };
}
