/**
 * Versioned schema changes, applied in order and recorded in `schema_migrations`. Append a new
 * entry for every change; never edit one that has shipped. Times are integers (ms since the epoch),
 * JSON is text: the same row readers serve both databases.
 */
export interface Migration {
  readonly version: number;
  readonly sqlite: string;
  readonly postgres: string;
}

const TABLES = (json: string, int: string, bool: string) => `
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('client', 'debug', 'admin')),
  flag TEXT,
  hash TEXT NOT NULL UNIQUE,
  created_at ${int} NOT NULL,
  revoked_at ${int}
);
CREATE TABLE flag_versions (
  flag TEXT NOT NULL,
  version ${int} NOT NULL,
  config ${json} NOT NULL,
  settings ${json} NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT,
  at ${int} NOT NULL,
  stage_started_at ${int} NOT NULL,
  evidence ${json},
  PRIMARY KEY (flag, version)
);
CREATE TABLE snapshots (
  snapshot_id TEXT PRIMARY KEY,
  received_at ${int} NOT NULL
);
CREATE INDEX snapshots_received_at ON snapshots (received_at);
CREATE TABLE metric_buckets (
  flag TEXT NOT NULL,
  stage INTEGER NOT NULL,
  mode TEXT NOT NULL,
  minute ${int} NOT NULL,
  instance TEXT NOT NULL,
  snapshots ${int} NOT NULL,
  traditional ${json} NOT NULL,
  semantic ${json} NOT NULL,
  PRIMARY KEY (flag, stage, mode, minute, instance)
);
CREATE TABLE bucket_clients (
  flag TEXT NOT NULL,
  stage INTEGER NOT NULL,
  mode TEXT NOT NULL,
  minute ${int} NOT NULL,
  client_id TEXT NOT NULL,
  PRIMARY KEY (flag, stage, mode, minute, client_id)
);
CREATE TABLE fleet_windows (
  flag TEXT NOT NULL,
  stage INTEGER NOT NULL,
  mode TEXT NOT NULL,
  window_start ${int} NOT NULL,
  window_end ${int} NOT NULL,
  config_version ${int} NOT NULL,
  result TEXT NOT NULL,
  checks ${json} NOT NULL,
  semantic_runs ${int} NOT NULL,
  traditional_runs ${int} NOT NULL,
  clients ${int} NOT NULL,
  evaluated_at ${int} NOT NULL,
  PRIMARY KEY (flag, stage, mode, window_start)
);
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  flag TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at ${int} NOT NULL
);
CREATE TABLE webhook_deliveries (
  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  event TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at ${int} NOT NULL,
  status INTEGER,
  ok ${bool} NOT NULL,
  error TEXT
);
CREATE INDEX webhook_deliveries_at ON webhook_deliveries (webhook_id, at);
`;

/** Webhook deliveries a shutdown interrupted, resumed at the next start (see WebhookDispatcher.stop). */
const PENDING_DELIVERIES = (int: string) => `
CREATE TABLE pending_deliveries (
  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  flag TEXT NOT NULL,
  event TEXT NOT NULL,
  body TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  saved_at ${int} NOT NULL,
  PRIMARY KEY (webhook_id, event_id)
);
`;

/** Every migration so far. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, sqlite: TABLES('TEXT', 'INTEGER', 'INTEGER'), postgres: TABLES('TEXT', 'BIGINT', 'BOOLEAN') },
  { version: 2, sqlite: PENDING_DELIVERIES('INTEGER'), postgres: PENDING_DELIVERIES('BIGINT') },
];
