import { z } from 'zod';
import { latencySketchSchema, SketchAccumulator } from './latency-sketch.js';
import type { RunMode, RunSample } from './run-sample.js';
import { fellBackOrFailed } from './sample-stats.js';
import { countsForGuardrails, type ModeTotals } from './window.js';

/*
 * What a browser sends the fleet server: the runs of one interval as sums that add across clients
 * and time (a sliding-window snapshot cannot be added: two overlapping windows count a run twice).
 * Numbers, codes and random ids only: the schema has no place for a user id, an item or a tag, and
 * strict objects refuse any field they do not name.
 */

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** A random id made by the client (a UUID fits): never derived from a user. */
const randomId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, { error: 'expected a random id of 16 to 64 letters, digits, - or _' });

/** One mode's runs in an interval, as sums. */
export const fleetModeSchema = z
  .strictObject({
    /** Runs that count for the guardrails (semantic runs answered while the model loaded are left out). */
    runs: count,
    /** Semantic runs answered while the model was still loading: reported, never judged. */
    loading: count,
    /** Of `runs`, those that returned a report. */
    answered: count,
    /** Sum of the answered runs' filter_pass_rate. */
    pass_rate_sum: z.number().nonnegative(),
    /** Of `runs`, those that fell back or failed. */
    failed: count,
    cache_hits: count,
    cache_lookups: count,
    /** Items the two modes decided differently, of the items both judged. */
    flipped: count,
    compared: count,
    /** Run times of `runs`, ms. */
    latency: latencySketchSchema,
  })
  .superRefine((mode, ctx) => {
    const atMost = (field: string, value: number, bound: number, of: string) => {
      if (value > bound) ctx.addIssue({ code: 'custom', path: [field], message: `expected at most ${of} (${bound})` });
    };
    atMost('answered', mode.answered, mode.runs, 'runs');
    atMost('failed', mode.failed, mode.runs, 'runs');
    // A pass rate is at most 1 per answered run; a little slack for the sum's rounding.
    atMost('pass_rate_sum', mode.pass_rate_sum, mode.answered + 1e-6, 'answered');
    atMost('cache_hits', mode.cache_hits, mode.cache_lookups, 'cache_lookups');
    atMost('flipped', mode.flipped, mode.compared, 'compared');
    if (mode.latency.count !== mode.runs) ctx.addIssue({ code: 'custom', path: ['latency', 'count'], message: `expected one latency per run (${mode.runs})` });
  });

/** One mode's runs in an interval (see fleetModeSchema). */
export type FleetMode = z.infer<typeof fleetModeSchema>;

/** The longest interval one snapshot may cover: a client sends at least this often while it runs. */
export const MAX_SNAPSHOT_SPAN_MS = 60 * 60 * 1000;

/** One client's runs under one flag, config version, stage and rollout mode, over one interval. */
export const fleetSnapshotSchema = z
  .strictObject({
    schema: z.literal(1, { error: 'expected 1 (the only snapshot schema so far)' }),
    /** Unique per snapshot: a retried send carries the same id and is counted once. */
    snapshot_id: randomId,
    /** Unique per page session (random, kept in memory): lets the server count distinct clients. */
    client_id: randomId,
    flag: z.string().min(1).max(100),
    config_version: count,
    /** The stage index the client was served, or null for a config with coverage instead of stages. */
    stage: z.number().int().min(0).max(99).nullable(),
    rollout_mode: z.enum(['off', 'shadow', 'on']),
    start_ms: count,
    end_ms: count,
    modes: z.strictObject({ traditional: fleetModeSchema, semantic: fleetModeSchema }),
  })
  .superRefine((snapshot, ctx) => {
    const span = snapshot.end_ms - snapshot.start_ms;
    if (span < 0 || span > MAX_SNAPSHOT_SPAN_MS) ctx.addIssue({ code: 'custom', path: ['end_ms'], message: `expected from start_ms to start_ms + ${MAX_SNAPSHOT_SPAN_MS} ms` });
  });

/** One client's interval of runs (see fleetSnapshotSchema). */
export type FleetSnapshot = z.infer<typeof fleetSnapshotSchema>;

/** The most snapshots one POST may carry: a reporter's whole bounded buffer fits in one beacon. */
export const MAX_SNAPSHOTS_PER_BATCH = 50;

/** The body of POST /v1/metrics. */
export const fleetBatchSchema = z.strictObject({
  snapshots: z.array(fleetSnapshotSchema).min(1).max(MAX_SNAPSHOTS_PER_BATCH, { error: `expected at most ${MAX_SNAPSHOTS_PER_BATCH} snapshots per request` }),
});

/** The body of POST /v1/metrics (see fleetBatchSchema). */
export type FleetBatch = z.infer<typeof fleetBatchSchema>;

/**
 * Adds up one mode's runs: a client adds its samples as they come, the server adds clients'
 * snapshots. Both end in the same sums and the same sketch, so a fleet window and a browser window
 * are judged on figures of the same kind.
 */
export class FleetModeAccumulator {
  #runs = 0;
  #loading = 0;
  #answered = 0;
  #passRateSum = 0;
  #failed = 0;
  #cacheHits = 0;
  #cacheLookups = 0;
  #flipped = 0;
  #compared = 0;
  readonly #latency = new SketchAccumulator();

  /** Runs added so far, loading ones included. */
  get size(): number {
    return this.#runs + this.#loading;
  }

  /** Adds one run (the recorder has already cleaned it). */
  addSample(sample: RunSample): void {
    if (!countsForGuardrails(sample)) {
      this.#loading++;
      return;
    }
    this.#runs++;
    if (sample.error !== true) {
      this.#answered++;
      this.#passRateSum += sample.passRate;
    }
    if (fellBackOrFailed(sample)) this.#failed++;
    this.#cacheHits += sample.cache?.hits ?? 0;
    this.#cacheLookups += sample.cache?.lookups ?? 0;
    this.#flipped += sample.flips?.flipped ?? 0;
    this.#compared += sample.flips?.compared ?? 0;
    this.#latency.add(sample.latencyMs);
  }

  /** Adds a validated snapshot's mode. */
  merge(mode: FleetMode): void {
    this.#runs += mode.runs;
    this.#loading += mode.loading;
    this.#answered += mode.answered;
    this.#passRateSum += mode.pass_rate_sum;
    this.#failed += mode.failed;
    this.#cacheHits += mode.cache_hits;
    this.#cacheLookups += mode.cache_lookups;
    this.#flipped += mode.flipped;
    this.#compared += mode.compared;
    this.#latency.merge(mode.latency);
  }

  /** The wire form. */
  toJSON(): FleetMode {
    return {
      runs: this.#runs,
      loading: this.#loading,
      answered: this.#answered,
      pass_rate_sum: this.#passRateSum,
      failed: this.#failed,
      cache_hits: this.#cacheHits,
      cache_lookups: this.#cacheLookups,
      flipped: this.#flipped,
      compared: this.#compared,
      latency: this.#latency.toJSON(),
    };
  }

  /** What the guardrail rules read (p95 from the sketch). */
  totals(): ModeTotals {
    return {
      runs: this.#runs,
      answered: this.#answered,
      passRateSum: this.#passRateSum,
      failed: this.#failed,
      cacheHits: this.#cacheHits,
      cacheLookups: this.#cacheLookups,
      latencySumMs: this.#latency.sum,
      latencyP95Ms: this.#latency.quantile(0.95),
    };
  }
}

/** A pair of accumulators, one per run mode. */
export function fleetModeAccumulators(): Record<RunMode, FleetModeAccumulator> {
  return { traditional: new FleetModeAccumulator(), semantic: new FleetModeAccumulator() };
}
