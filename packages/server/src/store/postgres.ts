import pg from 'pg';
import type { FleetSnapshot } from '@semfilter/core/metrics';
import type { FlagVersion } from '../flag-document.js';
import type { TokenRecord } from '../tokens.js';
import { MIGRATIONS } from './migrations.js';
import { dedicatedClient, transaction } from './postgres-connection.js';
import { PostgresIngest } from './postgres-ingest.js';
import { LeaderLock } from './postgres-leader.js';
import { CONFIG_CHANNEL, TOKENS_CHANNEL, Watch } from './postgres-listener.js';
import { deliveryFromRow, modeFromColumn, pendingDeliveryFromRow, tokenFromRow, versionColumns, versionFromRow, webhookFromRow, windowColumns, windowFromRow } from './rows.js';
import type { DeliveryRecord, IngestResult, PendingDelivery, StageKey, Store, StoreChange, StoredWindow, WebhookRecord, WindowData } from './store.js';

export { LEADER_LOCK_KEY } from './postgres-leader.js';
export { ALL_FLAGS, CONFIG_CHANNEL, TOKENS_CHANNEL } from './postgres-listener.js';

type Row = Record<string, unknown>;

/** The transaction lock that serializes migrations ("semf_mig"). */
const MIGRATION_LOCK_KEY = 0x73656d665f6d6967n;
/** An unreachable server fails a connection attempt after this long (pg's default is to wait forever). */
const CONNECT_TIMEOUT_MS = 5_000;

const APPLICATION = 'semfilter-server';

/** Options of PostgresStore. */
export interface PostgresStoreOptions {
  /** Pooled connections for queries and transactions. Default 10. The watch and the leader lock use one dedicated connection each, besides. */
  readonly poolSize?: number;
  /** Snapshots that may wait for this instance's next ingest transaction; beyond it ingest answers 503 with Retry-After (default 20,000, some tens of MB). */
  readonly maxQueuedSnapshots?: number;
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
  readonly #ingest: PostgresIngest;
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
    this.#ingest = new PostgresIngest(this.#pool, options.maxQueuedSnapshots);
    this.#leader = new LeaderLock(() => dedicatedClient(this.#config, `${APPLICATION} leader`));
  }

  async migrate(): Promise<void> {
    for (const migration of MIGRATIONS) {
      // One transaction per migration, under a transaction lock: of two instances starting at once,
      // the second waits, then finds the migration applied. CREATE TABLE IF NOT EXISTS alone is not
      // enough: two at once can still collide in the catalog (a unique violation on pg_type).
      await transaction(this.#pool, async (client) => {
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
    await transaction(this.#pool, async (client) => {
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
    return transaction(this.#pool, async (client) => {
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
      return await transaction(this.#pool, async (client) => {
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
   * This instance's ingests run one transaction at a time (each writes its buckets' whole sums, so
   * two at once could write older sums over newer ones); calls that arrive meanwhile share the next
   * transaction (see PostgresIngest).
   */
  async ingest(snapshots: readonly FleetSnapshot[], receivedAt: number): Promise<IngestResult> {
    return this.#ingest.run(snapshots, receivedAt);
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

  async savePendingDelivery(record: PendingDelivery): Promise<void> {
    await this.#pool.query('INSERT INTO pending_deliveries (webhook_id, event_id, flag, event, body, attempt, saved_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING', [
      record.webhookId,
      record.eventId,
      record.flag,
      record.event,
      record.body,
      record.attempt,
      record.savedAt,
    ]);
  }

  async takePendingDeliveries(): Promise<PendingDelivery[]> {
    // DELETE … RETURNING: of two instances starting at once, each row goes to one of them.
    const { rows } = await this.#pool.query<Row>('DELETE FROM pending_deliveries RETURNING *');
    return rows.map(pendingDeliveryFromRow).sort((a, b) => a.savedAt - b.savedAt);
  }

  async prune(before: number, windowsBefore: number): Promise<void> {
    await transaction(this.#pool, async (client) => {
      await client.query('DELETE FROM snapshots WHERE received_at < $1', [before]);
      await client.query('DELETE FROM metric_buckets WHERE minute < $1', [before]);
      await client.query('DELETE FROM bucket_clients WHERE minute < $1', [before]);
      await client.query('DELETE FROM fleet_windows WHERE window_end < $1', [windowsBefore]);
      await client.query('DELETE FROM webhook_deliveries WHERE at < $1', [windowsBefore]);
    });
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
