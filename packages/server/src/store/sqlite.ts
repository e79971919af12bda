import Database from 'better-sqlite3';
import type { FleetSnapshot } from '@semfilter/core/metrics';
import type { FlagVersion } from '../flag-document.js';
import type { TokenRecord } from '../tokens.js';
import { MIGRATIONS } from './migrations.js';
import { SqliteIngest } from './sqlite-ingest.js';
import { deliveryFromRow, modeFromColumn, pendingDeliveryFromRow, tokenFromRow, versionColumns, versionFromRow, webhookFromRow, windowColumns, windowFromRow } from './rows.js';
import type { DeliveryRecord, IngestResult, PendingDelivery, StageKey, Store, StoredWindow, WebhookRecord, WindowData } from './store.js';

type Row = Record<string, unknown>;

/**
 * The single-instance store: one SQLite file (WAL, so reads never wait for the ingest's writes).
 * better-sqlite3 is synchronous; each method is one statement or one transaction, so every method
 * is atomic and the event loop is held only for the few hundred microseconds a write takes.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly #db: Database.Database;
  #ingest: SqliteIngest | undefined;

  constructor(readonly path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a committed ingest survives a crash of the process; only a power loss can
    // lose the last transactions, which clients resend (their ids make the resend count once).
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
  }

  async migrate(): Promise<void> {
    this.#db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const applied = new Set((this.#db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((row) => Number(row.version)));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      this.#db.transaction(() => {
        this.#db.exec(migration.sqlite);
        this.#db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(migration.version, Date.now());
      }).immediate();
    }
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async lead(): Promise<boolean> {
    return true; // one process owns the file
  }

  async watch(): Promise<() => Promise<void>> {
    return async () => undefined; // no other instance writes this file
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  async insertToken(record: TokenRecord): Promise<void> {
    this.#db
      .prepare('INSERT INTO tokens (id, name, scope, flag, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(record.id, record.name, record.scope, record.flag, record.hash, record.createdAt, record.revokedAt);
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (this.#db.prepare('SELECT * FROM tokens ORDER BY created_at, id').all() as Row[]).map(tokenFromRow);
  }

  async revokeToken(id: string, at: number): Promise<boolean> {
    return this.#db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes === 1;
  }

  async latestVersions(): Promise<FlagVersion[]> {
    const rows = this.#db.prepare('SELECT v.* FROM flag_versions v JOIN (SELECT flag, MAX(version) AS version FROM flag_versions GROUP BY flag) m ON m.flag = v.flag AND m.version = v.version ORDER BY v.flag').all() as Row[];
    return rows.map(versionFromRow);
  }

  async latestVersion(flag: string): Promise<FlagVersion | null> {
    const row = this.#db.prepare('SELECT * FROM flag_versions WHERE flag = ? ORDER BY version DESC LIMIT 1').get(flag) as Row | undefined;
    return row === undefined ? null : versionFromRow(row);
  }

  async appendVersion(next: FlagVersion, expected: number | null): Promise<boolean> {
    // IMMEDIATE: the check and the insert hold the write lock together, so two writers with the
    // same expected version cannot both succeed.
    return this.#db.transaction(() => {
      const latest = this.#db.prepare('SELECT MAX(version) AS version FROM flag_versions WHERE flag = ?').get(next.flag) as Row;
      const current = latest.version === null ? null : Number(latest.version);
      if (current !== expected) return false;
      this.#db.prepare('INSERT INTO flag_versions (flag, version, config, settings, action, actor, reason, at, stage_started_at, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(...versionColumns(next));
      return true;
    }).immediate();
  }

  async history(flag: string, limit: number): Promise<FlagVersion[]> {
    return (this.#db.prepare('SELECT * FROM flag_versions WHERE flag = ? ORDER BY version DESC LIMIT ?').all(flag, limit) as Row[]).map(versionFromRow);
  }

  async ingest(snapshots: readonly FleetSnapshot[], receivedAt: number): Promise<IngestResult> {
    // Made on first use: its statements need the tables, which exist only after migrate().
    this.#ingest ??= new SqliteIngest(this.#db);
    return this.#ingest.run(snapshots, receivedAt);
  }

  async windowData(key: StageKey, from: number, to: number): Promise<WindowData> {
    const where = 'flag = ? AND stage = ? AND mode = ? AND minute >= ? AND minute < ?';
    const args = [key.flag, key.stage, key.mode, from, to];
    const rows = this.#db.prepare(`SELECT snapshots, traditional, semantic FROM metric_buckets WHERE ${where}`).all(...args) as Row[];
    const clients = this.#db.prepare(`SELECT COUNT(DISTINCT client_id) AS clients FROM bucket_clients WHERE ${where}`).get(...args) as Row;
    return {
      traditional: rows.map((row) => modeFromColumn(row.traditional)),
      semantic: rows.map((row) => modeFromColumn(row.semantic)),
      clients: Number(clients.clients),
      snapshots: rows.reduce((sum, row) => sum + Number(row.snapshots), 0),
    };
  }

  async insertWindow(window: StoredWindow): Promise<boolean> {
    const sql =
      'INSERT INTO fleet_windows (flag, stage, mode, window_start, window_end, config_version, result, checks, semantic_runs, traditional_runs, clients, evaluated_at) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING';
    return this.#db.prepare(sql).run(...windowColumns(window)).changes === 1;
  }

  async windows(key: StageKey, since: number): Promise<StoredWindow[]> {
    const sql = 'SELECT * FROM fleet_windows WHERE flag = ? AND stage = ? AND mode = ? AND window_start >= ? ORDER BY window_start';
    return (this.#db.prepare(sql).all(key.flag, key.stage, key.mode, since) as Row[]).map(windowFromRow);
  }

  async recentWindows(flag: string, limit: number): Promise<StoredWindow[]> {
    return (this.#db.prepare('SELECT * FROM fleet_windows WHERE flag = ? ORDER BY window_end DESC, stage DESC LIMIT ?').all(flag, limit) as Row[]).map(windowFromRow);
  }

  async insertWebhook(record: WebhookRecord): Promise<void> {
    this.#db.prepare('INSERT INTO webhooks (id, flag, url, secret, created_at) VALUES (?, ?, ?, ?, ?)').run(record.id, record.flag, record.url, record.secret, record.createdAt);
  }

  async webhooks(flag: string): Promise<WebhookRecord[]> {
    return (this.#db.prepare('SELECT * FROM webhooks WHERE flag = ? ORDER BY created_at, id').all(flag) as Row[]).map(webhookFromRow);
  }

  async deleteWebhook(flag: string, id: string): Promise<boolean> {
    return this.#db.prepare('DELETE FROM webhooks WHERE flag = ? AND id = ?').run(flag, id).changes === 1;
  }

  async insertDelivery(record: DeliveryRecord): Promise<void> {
    this.#db
      .prepare('INSERT INTO webhook_deliveries (webhook_id, event_id, event, attempt, at, status, ok, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(record.webhookId, record.eventId, record.event, record.attempt, record.at, record.status, record.ok ? 1 : 0, record.error);
  }

  async deliveries(flag: string, limit: number): Promise<(DeliveryRecord & { readonly url: string })[]> {
    const sql = 'SELECT d.*, w.url FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.flag = ? ORDER BY d.at DESC, d.attempt DESC LIMIT ?';
    return (this.#db.prepare(sql).all(flag, limit) as Row[]).map(deliveryFromRow);
  }

  async savePendingDelivery(record: PendingDelivery): Promise<void> {
    this.#db
      .prepare('INSERT INTO pending_deliveries (webhook_id, event_id, flag, event, body, attempt, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(record.webhookId, record.eventId, record.flag, record.event, record.body, record.attempt, record.savedAt);
  }

  async takePendingDeliveries(): Promise<PendingDelivery[]> {
    return (this.#db.prepare('DELETE FROM pending_deliveries RETURNING *').all() as Row[]).map(pendingDeliveryFromRow).sort((a, b) => a.savedAt - b.savedAt);
  }

  async prune(before: number, windowsBefore: number): Promise<void> {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM snapshots WHERE received_at < ?').run(before);
      this.#db.prepare('DELETE FROM metric_buckets WHERE minute < ?').run(before);
      this.#db.prepare('DELETE FROM bucket_clients WHERE minute < ?').run(before);
      this.#db.prepare('DELETE FROM fleet_windows WHERE window_end < ?').run(windowsBefore);
      this.#db.prepare('DELETE FROM webhook_deliveries WHERE at < ?').run(windowsBefore);
    }).immediate();
  }
}
