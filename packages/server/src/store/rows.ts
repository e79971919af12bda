// Row mapping shared by the SQLite and PostgreSQL stores: both keep JSON as text and times as
// integers (ms), so one set of readers serves both.
import { fleetModeSchema, type FleetMode, type FleetSnapshot, type GuardrailCheck, type GuardrailResult } from '@semfilter/core/metrics';
import { parseRolloutConfig } from '@semfilter/core/rollout';
import { fleetSettingsSchema, type FlagVersion, type VersionAction } from '../flag-document.js';
import type { TokenRecord, TokenScope } from '../tokens.js';
import type { DeliveryRecord, PendingDelivery, StageKey, StoredWindow, WebhookRecord } from './store.js';

/** Minute buckets: snapshots are counted in the minute the server received them (clients' clocks are not trusted). */
export const BUCKET_MS = 60_000;

/** The start of the minute bucket holding `at`. */
export function bucketOf(at: number): number {
  return Math.floor(at / BUCKET_MS) * BUCKET_MS;
}

/** The stage key a snapshot counts under. */
export function stageKeyOf(snapshot: FleetSnapshot): StageKey {
  return { flag: snapshot.flag, stage: snapshot.stage ?? -1, mode: snapshot.rollout_mode };
}

type Row = Record<string, unknown>;
const num = (value: unknown): number => Number(value);
const text = (value: unknown): string => String(value);
const nullableNum = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export function tokenFromRow(row: Row): TokenRecord {
  return {
    id: text(row.id),
    name: text(row.name),
    scope: text(row.scope) as TokenScope,
    flag: row.flag === null ? null : text(row.flag),
    hash: text(row.hash),
    createdAt: num(row.created_at),
    revokedAt: nullableNum(row.revoked_at),
  };
}

/** A stored version; its config and settings were validated when written, and are re-validated here so a hand-edited row cannot serve a bad config. */
export function versionFromRow(row: Row): FlagVersion {
  const config = parseRolloutConfig(JSON.parse(text(row.config)));
  if (!config.ok) throw new Error(`stored config of ${text(row.flag)} v${text(row.version)} is invalid: ${config.issues[0]?.path}: ${config.issues[0]?.message}`);
  return {
    flag: text(row.flag),
    version: num(row.version),
    config: config.value,
    settings: fleetSettingsSchema.parse(JSON.parse(text(row.settings))),
    action: text(row.action) as VersionAction,
    actor: text(row.actor),
    reason: row.reason === null ? null : text(row.reason),
    at: num(row.at),
    stageStartedAt: num(row.stage_started_at),
    evidence: row.evidence === null || row.evidence === undefined ? null : JSON.parse(text(row.evidence)),
  };
}

/** The columns of a version row, in the order both stores insert them. */
export function versionColumns(version: FlagVersion): unknown[] {
  return [
    version.flag,
    version.version,
    JSON.stringify(version.config),
    JSON.stringify(version.settings),
    version.action,
    version.actor,
    version.reason,
    version.at,
    version.stageStartedAt,
    version.evidence === null || version.evidence === undefined ? null : JSON.stringify(version.evidence),
  ];
}

export function windowFromRow(row: Row): StoredWindow {
  return {
    flag: text(row.flag),
    stage: num(row.stage),
    mode: text(row.mode),
    configVersion: num(row.config_version),
    start: num(row.window_start),
    end: num(row.window_end),
    result: text(row.result) as GuardrailResult,
    checks: JSON.parse(text(row.checks)) as GuardrailCheck[],
    semanticRuns: num(row.semantic_runs),
    traditionalRuns: num(row.traditional_runs),
    clients: num(row.clients),
    evaluatedAt: num(row.evaluated_at),
  };
}

/** The columns of a window row, in the order both stores insert them. */
export function windowColumns(window: StoredWindow): unknown[] {
  return [
    window.flag,
    window.stage,
    window.mode,
    window.start,
    window.end,
    window.configVersion,
    window.result,
    JSON.stringify(window.checks),
    window.semanticRuns,
    window.traditionalRuns,
    window.clients,
    window.evaluatedAt,
  ];
}

/** A bucket's stored mode sums (written by us from validated snapshots). */
export function modeFromColumn(value: unknown): FleetMode {
  return fleetModeSchema.parse(JSON.parse(text(value)));
}

export function webhookFromRow(row: Row): WebhookRecord {
  return { id: text(row.id), flag: text(row.flag), url: text(row.url), secret: text(row.secret), createdAt: num(row.created_at) };
}

export function deliveryFromRow(row: Row): DeliveryRecord & { readonly url: string } {
  return {
    webhookId: text(row.webhook_id),
    url: text(row.url),
    eventId: text(row.event_id),
    event: text(row.event),
    attempt: num(row.attempt),
    at: num(row.at),
    status: nullableNum(row.status),
    ok: row.ok === true || row.ok === 1 || row.ok === '1',
    error: row.error === null ? null : text(row.error),
  };
}

export function pendingDeliveryFromRow(row: Row): PendingDelivery {
  return { webhookId: text(row.webhook_id), eventId: text(row.event_id), flag: text(row.flag), event: text(row.event), body: text(row.body), attempt: num(row.attempt), savedAt: num(row.saved_at) };
}
