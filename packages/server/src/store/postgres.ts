import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { FleetSnapshot } from '@semfilter/core/metrics';
import type { FlagVersion } from '../flag-document.js';
import type { TokenRecord } from '../tokens.js';
import { addToBucket, BucketCache, type Bucket, type BucketRow } from './bucket-cache.js';
import { MIGRATIONS } from './migrations.js';
import { bucketOf, deliveryFromRow, modeFromColumn, stageKeyOf, tokenFromRow, versionColumns, versionFromRow, webhookFromRow, windowColumns, windowFromRow } from './rows.js';
import type { DeliveryRecord, IngestResult, StageKey, Store, StoreChange, StoredWindow, WebhookRecord, WindowData } from './store.js';

type Row = Record<string, unknown>;

/** NOTIFY channel of new flag versions; the payload is the flag. */
export const CONFIG_CHANNEL = 'semfilter_config';
/** NOTIFY channel of token changes (created or revoked); no payload. */
export const TOKENS_CHANNEL = 'semfilter_tokens';
/**
 * The flag of the change `watch` reports after its connection came back: notifications sent while
 * it was down are lost, so the listener must re-read every flag (and the tokens, reported beside it).
 */
export const ALL_FLAGS = '*';

/**
 * The session-level advisory lock whose holder runs the guardrail evaluator ("semfiltr" in ASCII).
 * Advisory locks are per database: the instances of one fleet share theirs. An operator finds the
 * leader's backend with `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND
 * ((classid::bigint << 32) | objid::bigint) = 8315172573632296050`.
 */
export const LEADER_LOCK_KEY = 0x73656d66696c7472n;
/** The transaction lock that serializes migrations ("semf_mig"). */
const MIGRATION_LOCK_KEY = 0x73656d665f6d6967n;

/** Reconnection backoff of the dedicated connections: 1 s, doubling, at most 30 s. */
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;
/**
 * A dedicated connection runs `SELECT 1` this often: a connection that died without a FIN (a
 * network partition) is noticed within a heartbeat and its timeout, not after the OS's keepalive.
 */
const HEARTBEAT_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
/** An unreachable server fails a connection attempt after this long (pg's default is to wait forever). */
const CONNECT_TIMEOUT_MS = 5_000;

const APPLICATION = 'semfilter-server';

/** Options of PostgresStore. */
export interface PostgresStoreOptions {
  /** Pooled connections for queries and transactions. Default 10. The watch and the leader lock use one dedicated connection each, besides. */
  readonly poolSize?: number;
}

/**
 * The store of a fleet of server instances: one PostgreSQL database that they all share. Queries
 * and transactions go through a pool; `watch` (LISTEN) and `lead` (a session-level advisory lock)
 * each hold a dedicated connection outside it, because a pooled connection is handed to other work
 * between queries: a LISTEN on it would hear nothing once released, and a session lock would stay
 * with whichever request borrows it next (and never be released when this instance stops leading).
 *
 * Errors are the pg driver's own (its messages name neither the connection string nor a password);
 * nothing here logs.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly #config: pg.ClientConfig;
  readonly #pool: pg.Pool;
  readonly #buckets = new BucketCache();
  /** This process's bucket rows: every instance writes only its own (windows sum them all). */
  readonly #instance = randomUUID();
  /** The tail of this instance's ingests, which run one after the other (see ingest). */
  #ingestTail: Promise<unknown> = Promise.resolve();
  readonly #watches = new Set<Watch>();
  readonly #leader: LeaderLock;
  #closed = false;

  /** `url`: a libpq-style connection URL (postgres://user:password@host:port/database?…). Connects lazily. */
  constructor(url: string, options: PostgresStoreOptions = {}) {
    // TCP keepalive probes from 10 s idle (the OS default is 2 h): a pooled connection whose peer
    // vanished without a FIN fails instead of hanging for hours.
    this.#config = { connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };
    this.#pool = new pg.Pool({ ...this.#config, application_name: APPLICATION, max: options.poolSize ?? 10 });
    // An idle pooled connection that dies (a server restart) is dropped by the pool; without a
    // listener its 'error' would crash the process. The next query connects anew, or rejects.
    this.#pool.on('error', () => undefined);
    this.#leader = new LeaderLock(() => dedicatedClient(this.#config, `${APPLICATION} leader`));
  }

  async migrate(): Promise<void> {
    for (const migration of MIGRATIONS) {
      // One transaction per migration, under a transaction lock: of two instances starting at once,
      // the second waits, then finds the migration applied. CREATE TABLE IF NOT EXISTS alone is not
      // enough: two at once can still collide in the catalog (a unique violation on pg_type).
      await this.#transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
        const applied = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
        if (applied.rowCount !== 0) return;
        await client.query(migration.postgres);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [migration.version, Date.now()]);
      });
    }
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  /**
   * True while this instance holds the leader lock on its dedicated connection. Holding it costs
   * nothing (no query); not holding it, each call tries once (one query). When that connection
   * dies, PostgreSQL frees the lock (another instance's next call takes it) and this instance
   * answers false, reconnecting with backoff (1 s doubling to 30 s) on later calls, and leads again
   * only when it wins the lock again. Never rejects: an unreachable database answers false.
   */
  async lead(): Promise<boolean> {
    return this.#closed ? false : this.#leader.lead();
  }

  /**
   * LISTENs on a dedicated connection: `{ kind: 'flag', flag }` after a version of `flag` is
   * committed (by any instance, this one included), `{ kind: 'tokens' }` after a token is created or
   * revoked. NOTIFY is delivered at commit, so only committed changes are heard, in commit order.
   * When the connection drops, it reconnects with backoff (1 s doubling to 30 s); once listening
   * again it reports `{ kind: 'tokens' }` and `{ kind: 'flag', flag: ALL_FLAGS }` ('*': re-read every
   * flag), since anything sent meanwhile was lost. Rejects if the first connection fails.
   * A listener that throws does not stop the watch (the error becomes a process warning).
   */
  async watch(listener: (change: StoreChange) => void): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error('the store is closed');
    const watch = new Watch(() => dedicatedClient(this.#config, `${APPLICATION} watch`), listener);
    await watch.start();
    if (this.#closed) {
      await watch.stop();
      throw new Error('the store is closed');
    }
    this.#watches.add(watch);
    return async () => {
      this.#watches.delete(watch);
      await watch.stop();
    };
  }

  /** Ends the pool (after the queries in flight) and both dedicated connections, which releases the leader lock. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const watches = [...this.#watches];
    this.#watches.clear();
    await Promise.all([...watches.map((watch) => watch.stop()), this.#leader.close()]);
    await this.#pool.end();
  }

  async insertToken(record: TokenRecord): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query('INSERT INTO tokens (id, name, scope, flag, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        record.id,
        record.name,
        record.scope,
        record.flag,
        record.hash,
        record.createdAt,
        record.revokedAt,
      ]);
      await client.query('SELECT pg_notify($1, $2)', [TOKENS_CHANNEL, '']);
    });
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (await this.#pool.query<Row>('SELECT * FROM tokens ORDER BY created_at, id')).rows.map(tokenFromRow);
  }

  async revokeToken(id: string, at: number): Promise<boolean> {
    return this.#transaction(async (client) => {
      const revoked = await client.query('UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id]);
      if (revoked.rowCount !== 1) return false;
      await client.query('SELECT pg_notify($1, $2)', [TOKENS_CHANNEL, '']);
      return true;
    });
  }

  async latestVersions(): Promise<FlagVersion[]> {
    return (await this.#pool.query<Row>('SELECT DISTINCT ON (flag) * FROM flag_versions ORDER BY flag, version DESC')).rows.map(versionFromRow);
  }

  async latestVersion(flag: string): Promise<FlagVersion | null> {
    const { rows } = await this.#pool.query<Row>('SELECT * FROM flag_versions WHERE flag = $1 ORDER BY version DESC LIMIT 1', [flag]);
    return rows[0] === undefined ? null : versionFromRow(rows[0]);
  }

  async appendVersion(next: FlagVersion, expected: number | null): Promise<boolean> {
    try {
      return await this.#transaction(async (client) => {
        // A lock per flag for the check and the insert together (the row to lock does not exist
        // yet): a second writer waits, then sees the first one's version and finds a mismatch.
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('semfilter_flag:' || $1::text))`, [next.flag]);
        const { rows } = await client.query<Row>('SELECT MAX(version) AS version FROM flag_versions WHERE flag = $1', [next.flag]);
        const latest = rows[0]?.version;
        const current = latest === null || latest === undefined ? null : Number(latest);
        if (current !== expected) return false;
        await client.query(
          'INSERT INTO flag_versions (flag, version, config, settings, action, actor, reason, at, stage_started_at, evidence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
          versionColumns(next),
        );
        // Delivered at commit, so watchers only ever hear of committed versions.
        await client.query('SELECT pg_notify($1, $2)', [CONFIG_CHANNEL, next.flag]);
        return true;
      });
    } catch (error) {
      if (isUniqueViolation(error)) return false; // (flag, version) exists: a conflict like any other
      throw error;
    }
  }

  async history(flag: string, limit: number): Promise<FlagVersion[]> {
    return (await this.#pool.query<Row>('SELECT * FROM flag_versions WHERE flag = $1 ORDER BY version DESC LIMIT $2', [flag, limit])).rows.map(versionFromRow);
  }

  /**
   * As SqliteStore.ingest, in one transaction of four statements whatever the batch's size: claim
   * the ids (a duplicate claims nothing), add the new snapshots to this instance's buckets in memory,
   * record their clients, write the touched buckets' rows. Multi-row statements take their rows in
   * one sorted order, so two instances claiming the same ids or clients cannot deadlock.
   *
   * This instance's ingests run one after the other: each writes its buckets' whole sums, so two at
   * once could write older sums over newer ones, or sums of a batch that then rolls back.
   */
  async ingest(snapshots: readonly FleetSnapshot[], receivedAt: number): Promise<IngestResult> {
    const run = this.#ingestTail.then(() => this.#ingest(snapshots, receivedAt));
    this.#ingestTail = run.catch(() => undefined);
    return run;
  }

  async #ingest(snapshots: readonly FleetSnapshot[], receivedAt: number): Promise<IngestResult> {
    if (snapshots.length === 0) return { accepted: 0, duplicates: 0 };
    const touched = new Set<Bucket>();
    const minute = bucketOf(receivedAt);
    try {
      return await this.#transaction(async (client): Promise<IngestResult> => {
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
    const { rows } = await client.query<Row>('SELECT snapshots, traditional, semantic FROM metric_buckets WHERE flag = $1 AND stage = $2 AND mode = $3 AND minute = $4 AND instance = $5', [
      key.flag,
      key.stage,
      key.mode,
      minute,
      this.#instance,
    ]);
    const row = rows[0];
    return row === undefined ? null : { snapshots: Number(row.snapshots), traditional: modeFromColumn(row.traditional), semantic: modeFromColumn(row.semantic) };
  }

  async windowData(key: StageKey, from: number, to: number): Promise<WindowData> {
    const where = 'flag = $1 AND stage = $2 AND mode = $3 AND minute >= $4 AND minute < $5';
    const args = [key.flag, key.stage, key.mode, from, to];
    const [buckets, clients] = await Promise.all([
      this.#pool.query<Row>(`SELECT snapshots, traditional, semantic FROM metric_buckets WHERE ${where}`, args),
      this.#pool.query<Row>(`SELECT COUNT(DISTINCT client_id) AS clients FROM bucket_clients WHERE ${where}`, args),
    ]);
    return {
      traditional: buckets.rows.map((row) => modeFromColumn(row.traditional)),
      semantic: buckets.rows.map((row) => modeFromColumn(row.semantic)),
      clients: Number(clients.rows[0]?.clients ?? 0),
      snapshots: buckets.rows.reduce((sum, row) => sum + Number(row.snapshots), 0),
    };
  }

  async insertWindow(window: StoredWindow): Promise<boolean> {
    const sql =
      'INSERT INTO fleet_windows (flag, stage, mode, window_start, window_end, config_version, result, checks, semantic_runs, traditional_runs, clients, evaluated_at) ' +
      'VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING';
    return (await this.#pool.query(sql, windowColumns(window))).rowCount === 1;
  }

  async windows(key: StageKey, since: number): Promise<StoredWindow[]> {
    const sql = 'SELECT * FROM fleet_windows WHERE flag = $1 AND stage = $2 AND mode = $3 AND window_start >= $4 ORDER BY window_start';
    return (await this.#pool.query<Row>(sql, [key.flag, key.stage, key.mode, since])).rows.map(windowFromRow);
  }

  async recentWindows(flag: string, limit: number): Promise<StoredWindow[]> {
    return (await this.#pool.query<Row>('SELECT * FROM fleet_windows WHERE flag = $1 ORDER BY window_end DESC, stage DESC LIMIT $2', [flag, limit])).rows.map(windowFromRow);
  }

  async insertWebhook(record: WebhookRecord): Promise<void> {
    await this.#pool.query('INSERT INTO webhooks (id, flag, url, secret, created_at) VALUES ($1, $2, $3, $4, $5)', [record.id, record.flag, record.url, record.secret, record.createdAt]);
  }

  async webhooks(flag: string): Promise<WebhookRecord[]> {
    return (await this.#pool.query<Row>('SELECT * FROM webhooks WHERE flag = $1 ORDER BY created_at, id', [flag])).rows.map(webhookFromRow);
  }

  async deleteWebhook(flag: string, id: string): Promise<boolean> {
    return (await this.#pool.query('DELETE FROM webhooks WHERE flag = $1 AND id = $2', [flag, id])).rowCount === 1;
  }

  async insertDelivery(record: DeliveryRecord): Promise<void> {
    await this.#pool.query('INSERT INTO webhook_deliveries (webhook_id, event_id, event, attempt, at, status, ok, error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      record.webhookId,
      record.eventId,
      record.event,
      record.attempt,
      record.at,
      record.status,
      record.ok,
      record.error,
    ]);
  }

  async deliveries(flag: string, limit: number): Promise<(DeliveryRecord & { readonly url: string })[]> {
    const sql = 'SELECT d.*, w.url FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.flag = $1 ORDER BY d.at DESC, d.attempt DESC LIMIT $2';
    return (await this.#pool.query<Row>(sql, [flag, limit])).rows.map(deliveryFromRow);
  }

  async prune(before: number, windowsBefore: number): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query('DELETE FROM snapshots WHERE received_at < $1', [before]);
      await client.query('DELETE FROM metric_buckets WHERE minute < $1', [before]);
      await client.query('DELETE FROM bucket_clients WHERE minute < $1', [before]);
      await client.query('DELETE FROM fleet_windows WHERE window_end < $1', [windowsBefore]);
      await client.query('DELETE FROM webhook_deliveries WHERE at < $1', [windowsBefore]);
    });
  }

  /** Runs `work` in a transaction on one pooled connection: COMMIT after it, ROLLBACK if anything throws. */
  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError; // the connection is gone or unusable: the pool must not hand it out again
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** A bucket_clients row: flag, stage, mode, minute, client id. */
type ClientRow = [string, number, string, number, string];
/** A metric_buckets row but its instance: flag, stage, mode, minute, snapshots, traditional, semantic. */
type BucketParams = [string, number, string, number, number, string, string];

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

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** A connected client for a dedicated connection. Its 'error' is always heard (an unheard one crashes the process). */
async function dedicatedClient(config: pg.ClientConfig, applicationName: string): Promise<pg.Client> {
  const client = new pg.Client({ ...config, application_name: applicationName });
  client.on('error', () => undefined); // the owner's handlers decide; this one only keeps the process up
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** Runs `SELECT 1` on `client` every HEARTBEAT_MS; calls `dead` when one fails or takes too long. Returns the stop function. */
function heartbeat(client: pg.Client, dead: () => void): () => void {
  let pending = false;
  const timer = setInterval(() => {
    if (pending) return;
    pending = true;
    let timeout: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timeout = setTimeout(() => reject(new Error('heartbeat timed out')), HEARTBEAT_TIMEOUT_MS);
    });
    Promise.race([client.query('SELECT 1'), late])
      .then(() => undefined, dead)
      .finally(() => {
        clearTimeout(timeout);
        pending = false;
      });
  }, HEARTBEAT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** One dedicated connection and what was set up on it. */
interface Connection {
  readonly client: pg.Client;
  dead: boolean;
  stopHeartbeat: () => void;
}

/** Ends a connection without waiting: on a dead socket, pg destroys it. */
function drop(connection: Connection): void {
  connection.dead = true;
  connection.stopHeartbeat();
  connection.client.end().catch(() => undefined);
}

/** One `watch`: LISTEN on a dedicated connection, reconnecting with backoff until stopped. */
class Watch {
  #connection: Connection | null = null;
  #stopped = false;
  #delay = RECONNECT_MIN_MS;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connect: () => Promise<pg.Client>,
    private readonly listener: (change: StoreChange) => void,
  ) {}

  /** The first connection: its failure rejects. */
  async start(): Promise<void> {
    await this.#open();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const connection = this.#connection;
    this.#connection = null;
    if (connection === null) return;
    connection.dead = true;
    connection.stopHeartbeat();
    await connection.client.end().catch(() => undefined);
  }

  /** Connects and LISTENs; false if stopped meanwhile. */
  async #open(): Promise<boolean> {
    const client = await this.connect();
    const connection: Connection = { client, dead: false, stopHeartbeat: () => undefined };
    const lost = () => {
      if (connection.dead) return;
      drop(connection);
      if (this.#connection !== connection) return; // still setting up (the LISTEN rejects), or stopped
      this.#connection = null;
      if (!this.#stopped) this.#reconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel === CONFIG_CHANNEL) this.#emit({ kind: 'flag', flag: message.payload ?? '' });
      else if (message.channel === TOKENS_CHANNEL) this.#emit({ kind: 'tokens' });
    });
    try {
      await client.query(`LISTEN ${CONFIG_CHANNEL}; LISTEN ${TOKENS_CHANNEL}`);
    } catch (error) {
      drop(connection);
      throw error;
    }
    if (connection.dead) throw new Error('the connection closed while it started to listen');
    if (this.#stopped) {
      drop(connection);
      return false;
    }
    this.#connection = connection;
    connection.stopHeartbeat = heartbeat(client, lost);
    return true;
  }

  #reconnect(): void {
    const delay = this.#delay;
    this.#delay = Math.min(this.#delay * 2, RECONNECT_MAX_MS);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#stopped) return;
      this.#open().then(
        (listening) => {
          if (!listening) return;
          this.#delay = RECONNECT_MIN_MS;
          // Whatever was sent while the connection was down is lost: everything must be re-read.
          this.#emit({ kind: 'tokens' });
          this.#emit({ kind: 'flag', flag: ALL_FLAGS });
        },
        () => {
          if (!this.#stopped) this.#reconnect();
        },
      );
    }, delay);
    this.#timer.unref();
  }

  #emit(change: StoreChange): void {
    if (this.#stopped) return;
    try {
      this.listener(change);
    } catch (error) {
      process.emitWarning(`a store watch listener threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The leader lock's connection: `holding` while its session holds the lock. */
interface LockConnection extends Connection {
  holding: boolean;
}

/** The leader lock on its dedicated connection (see PostgresStore.lead). */
class LeaderLock {
  #connection: LockConnection | null = null;
  #attempt: Promise<boolean> | null = null;
  /** No connection attempt before this time (backoff after a lost or failed connection). */
  #retryAt = 0;
  #delay = RECONNECT_MIN_MS;
  #closed = false;

  constructor(private readonly connect: () => Promise<pg.Client>) {}

  lead(): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (this.#connection?.holding === true) return Promise.resolve(true); // the common case: no query
    this.#attempt ??= this.#try().finally(() => {
      this.#attempt = null;
    });
    return this.#attempt;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = null;
    if (connection === null) return;
    connection.dead = true;
    connection.holding = false;
    connection.stopHeartbeat();
    // Ending the session releases its locks: the next instance's lead() takes over at once.
    await connection.client.end().catch(() => undefined);
  }

  async #try(): Promise<boolean> {
    if (this.#connection === null) {
      if (Date.now() < this.#retryAt) return false;
      try {
        this.#connection = await this.#open();
      } catch {
        this.#backoff();
        return false;
      }
      if (this.#closed) {
        drop(this.#connection);
        this.#connection = null;
        return false;
      }
      this.#delay = RECONNECT_MIN_MS;
    }
    const connection = this.#connection;
    try {
      const { rows } = await connection.client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS held', [LEADER_LOCK_KEY.toString()]);
      // The connection may have died while the answer came back: then the lock died with it.
      if (connection.dead) return false;
      connection.holding = rows[0]?.held === true;
      return connection.holding;
    } catch {
      this.#lost(connection);
      return false;
    }
  }

  async #open(): Promise<LockConnection> {
    const client = await this.connect();
    const connection: LockConnection = { client, dead: false, holding: false, stopHeartbeat: () => undefined };
    const lost = () => this.#lost(connection);
    client.on('error', lost);
    client.on('end', lost);
    connection.stopHeartbeat = heartbeat(client, lost);
    return connection;
  }

  /** The connection died (or cannot be trusted): PostgreSQL frees the lock; reconnect after the backoff. */
  #lost(connection: LockConnection): void {
    if (connection.dead) return;
    connection.holding = false;
    drop(connection);
    if (this.#connection !== connection) return;
    this.#connection = null;
    if (!this.#closed) this.#backoff();
  }

  #backoff(): void {
    this.#retryAt = Date.now() + this.#delay;
    this.#delay = Math.min(this.#delay * 2, RECONNECT_MAX_MS);
  }
}
