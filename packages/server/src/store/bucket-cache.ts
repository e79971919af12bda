import { fleetModeAccumulators, type FleetMode, type FleetModeAccumulator, type FleetSnapshot } from '@semfilter/core/metrics';
import { BUCKET_MS, bucketOf, stageKeyOf } from './rows.js';
import type { StageKey } from './store.js';

/** One instance's running sums for one stage key and minute. */
export interface Bucket {
  readonly key: StageKey;
  readonly minute: number;
  snapshots: number;
  readonly modes: Record<'traditional' | 'semantic', FleetModeAccumulator>;
}

/** A bucket row as stored: the sums of one instance for one stage key and minute. */
export interface BucketRow {
  readonly snapshots: number;
  readonly traditional: FleetMode;
  readonly semantic: FleetMode;
}

/**
 * The buckets this instance is writing, kept in memory so an ingest adds to sums instead of reading
 * and re-parsing a row (a sketch per mode) for every snapshot. Each instance writes only its own
 * rows (the row key includes the instance id), so several instances never overwrite each other's
 * sums, and the row written after each ingest always holds everything counted so far.
 */
export class BucketCache {
  readonly #buckets = new Map<string, Bucket>();

  /**
   * The bucket a snapshot received at `receivedAt` adds to; on a miss, `load` gives the row as
   * stored (after a failed write, or a restart with the same instance id), so sums are never lost.
   * Callers must not look up the same bucket concurrently (two misses would make two buckets, and
   * the last write would win): the PostgreSQL store runs one ingest at a time per instance.
   */
  async bucketFor(snapshot: FleetSnapshot, receivedAt: number, load: (key: StageKey, minute: number) => Promise<BucketRow | null>): Promise<Bucket> {
    const key = stageKeyOf(snapshot);
    const minute = bucketOf(receivedAt);
    return this.#buckets.get(bucketId(key, minute)) ?? this.#create(key, minute, await load(key, minute));
  }

  /** bucketFor with a synchronous loader (SQLite): lookup, load and write in one synchronous transaction, so no other ingest runs in between. */
  bucketForSync(snapshot: FleetSnapshot, receivedAt: number, load: (key: StageKey, minute: number) => BucketRow | null): Bucket {
    const key = stageKeyOf(snapshot);
    const minute = bucketOf(receivedAt);
    return this.#buckets.get(bucketId(key, minute)) ?? this.#create(key, minute, load(key, minute));
  }

  #create(key: StageKey, minute: number, row: BucketRow | null): Bucket {
    const bucket: Bucket = { key, minute, snapshots: 0, modes: fleetModeAccumulators() };
    if (row !== null) {
      bucket.snapshots = row.snapshots;
      bucket.modes.traditional.merge(row.traditional);
      bucket.modes.semantic.merge(row.semantic);
    }
    this.#buckets.set(bucketId(key, minute), bucket);
    return bucket;
  }

  /** Forgets buckets, e.g. those a failed transaction touched: the next ingest reloads them from their rows. */
  forget(buckets: Iterable<Bucket>): void {
    for (const bucket of buckets) this.#buckets.delete(bucketId(bucket.key, bucket.minute));
  }

  /** Drops buckets older than two minutes before `now`: no snapshot received now can add to them. */
  evict(now: number): void {
    const oldest = bucketOf(now) - 2 * BUCKET_MS;
    for (const [id, bucket] of this.#buckets) if (bucket.minute < oldest) this.#buckets.delete(id);
  }
}

function bucketId(key: StageKey, minute: number): string {
  return `${key.flag}\u0000${key.stage}\u0000${key.mode}\u0000${minute}`;
}

/** Adds a snapshot's sums to a bucket. */
export function addToBucket(bucket: Bucket, snapshot: FleetSnapshot): void {
  bucket.snapshots++;
  bucket.modes.traditional.merge(snapshot.modes.traditional);
  bucket.modes.semantic.merge(snapshot.modes.semantic);
}
