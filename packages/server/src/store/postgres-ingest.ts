import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { FleetSnapshot } from '@semfilter/core/metrics';
import { addToBucket, BucketCache, type Bucket, type BucketRow } from './bucket-cache.js';
import { transaction } from './postgres-connection.js';
import { bucketOf, modeFromColumn, stageKeyOf } from './rows.js';
import type { IngestResult, StageKey } from './store.js';

/** A bucket_clients row: flag, stage, mode, minute, client id. */
type ClientRow = [string, number, string, number, string];
/** A metric_buckets row but its instance: flag, stage, mode, minute, snapshots, traditional, semantic. */
type BucketParams = [string, number, string, number, number, string, string];

/** This instance's ingests (see PostgresStore.ingest): one after the other, each in one transaction. */
export class PostgresIngest {
  readonly #pool: pg.Pool;
  readonly #buckets = new BucketCache();
  /** This process's bucket rows: every instance writes only its own (windows sum them all). */
  readonly #instance = randomUUID();
  /** The tail of this instance's ingests, which run one after the other (see PostgresStore.ingest). */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Counts a batch once the ingests before it are done. */
  run(snapshots: readonly FleetSnapshot[], receivedAt: number): Promise<IngestResult> {
    const run = this.#tail.then(() => this.#ingest(snapshots, receivedAt));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #ingest(snapshots: readonly FleetSnapshot[], receivedAt: number): Promise<IngestResult> {
    if (snapshots.length === 0) return { accepted: 0, duplicates: 0 };
    const touched = new Set<Bucket>();
    const minute = bucketOf(receivedAt);
    try {
      return await transaction(this.#pool, async (client): Promise<IngestResult> => {
        const ids = [...new Set(snapshots.map((snapshot) => snapshot.snapshot_id))].sort(compareText);
        const claimed = await client.query<{ snapshot_id: string }>(
          'INSERT INTO snapshots (snapshot_id, received_at) SELECT id, $2 FROM unnest($1::text[]) WITH ORDINALITY AS u (id, n) ORDER BY n ON CONFLICT DO NOTHING RETURNING snapshot_id',
          [ids, receivedAt],
        );
        const fresh = new Set(claimed.rows.map((row) => row.snapshot_id));
        // The first snapshot with a claimed id counts; a repeat in the same batch is a duplicate.
        const accepted = snapshots.filter((snapshot) => fresh.delete(snapshot.snapshot_id));
        if (accepted.length === 0) return { accepted: 0, duplicates: snapshots.length };

        const clients = new Map<string, ClientRow>();
        for (const snapshot of accepted) {
          // One at a time: a missed bucket is loaded once and cached before the next snapshot looks
          // it up (looked up all at once, each would load, and count into, a bucket of its own).
          const bucket = await this.#buckets.bucketFor(snapshot, receivedAt, (key, at) => this.#loadBucket(client, key, at));
          addToBucket(bucket, snapshot);
          touched.add(bucket);
          // The population judged is the clients that ran semantic mode (as in the SQLite store).
          if (snapshot.modes.semantic.runs === 0) continue;
          const key = stageKeyOf(snapshot);
          const row: ClientRow = [key.flag, key.stage, key.mode, minute, snapshot.client_id];
          clients.set(row.join('\u0000'), row);
        }

        const clientRows = [...clients.values()].sort(compareRows);
        await client.query(
          'INSERT INTO bucket_clients (flag, stage, mode, minute, client_id) ' +
            'SELECT flag, stage, mode, minute, client_id FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[], $5::text[]) WITH ORDINALITY AS u (flag, stage, mode, minute, client_id, n) ORDER BY n ' +
            'ON CONFLICT DO NOTHING',
          columnsOf(clientRows, 5),
        );

        const bucketRows = [...touched]
          .map((bucket): BucketParams => [bucket.key.flag, bucket.key.stage, bucket.key.mode, bucket.minute, bucket.snapshots, JSON.stringify(bucket.modes.traditional), JSON.stringify(bucket.modes.semantic)])
          .sort(compareRows);
        await client.query(
          'INSERT INTO metric_buckets (flag, stage, mode, minute, instance, snapshots, traditional, semantic) ' +
            'SELECT flag, stage, mode, minute, $8, snapshots, traditional, semantic ' +
            'FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[]) WITH ORDINALITY AS u (flag, stage, mode, minute, snapshots, traditional, semantic, n) ORDER BY n ' +
            'ON CONFLICT (flag, stage, mode, minute, instance) DO UPDATE SET snapshots = excluded.snapshots, traditional = excluded.traditional, semantic = excluded.semantic',
          [...columnsOf(bucketRows, 7), this.#instance],
        );
        return { accepted: accepted.length, duplicates: snapshots.length - accepted.length };
      });
    } catch (error) {
      this.#buckets.forget(touched); // their sums ran ahead of the rolled-back rows
      throw error;
    } finally {
      this.#buckets.evict(receivedAt);
    }
  }

  async #loadBucket(client: pg.ClientBase, key: StageKey, minute: number): Promise<BucketRow | null> {
    const { rows } = await client.query<Record<string, unknown>>('SELECT snapshots, traditional, semantic FROM metric_buckets WHERE flag = $1 AND stage = $2 AND mode = $3 AND minute = $4 AND instance = $5', [
      key.flag,
      key.stage,
      key.mode,
      minute,
      this.#instance,
    ]);
    const row = rows[0];
    return row === undefined ? null : { snapshots: Number(row.snapshots), traditional: modeFromColumn(row.traditional), semantic: modeFromColumn(row.semantic) };
  }
}

/** Rows to column arrays, for unnest(). */
function columnsOf(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  return Array.from({ length: width }, (_, column) => rows.map((row) => row[column]));
}

/** Code-unit order, the same in every instance (the lock order of multi-row writes), whatever the database's collation. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareRows(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : compareText(String(x), String(y));
    if (order !== 0) return order;
  }
  return 0;
}
