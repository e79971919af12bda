import type { FleetMode, FleetSnapshot, GuardrailCheck, GuardrailResult } from '@semfilter/core/metrics';
import type { FlagVersion } from '../flag-document.js';
import type { TokenRecord } from '../tokens.js';

/** Which rollout a metric bucket and a guardrail window belong to. */
export interface StageKey {
  readonly flag: string;
  /** The stage index, or -1 for a config with coverage instead of stages. */
  readonly stage: number;
  /** The config's mode: 'on' or 'shadow' (an 'off' rollout has nothing to judge). */
  readonly mode: string;
}

/** The sums of every snapshot received in [from, to) for one stage key, and how many clients ran semantic mode in them. */
export interface WindowData {
  readonly traditional: FleetMode[];
  readonly semantic: FleetMode[];
  /** Distinct clients with at least one semantic run (the population the guardrails judge). */
  readonly clients: number;
  /** Snapshots counted (after de-duplication). */
  readonly snapshots: number;
}

/** One evaluated fleet window, as kept (and shown in history and on the dashboard). */
export interface StoredWindow extends StageKey {
  readonly configVersion: number;
  readonly start: number;
  readonly end: number;
  readonly result: GuardrailResult;
  readonly checks: readonly GuardrailCheck[];
  readonly semanticRuns: number;
  readonly traditionalRuns: number;
  readonly clients: number;
  readonly evaluatedAt: number;
}

/** A change another instance made. A flag of '*' means "re-read every flag" (sent after the store's listening connection came back: notices may have been missed). */
export type StoreChange = { readonly kind: 'flag'; readonly flag: string } | { readonly kind: 'tokens' };

/** What one ingest call did. */
export interface IngestResult {
  /** Snapshots counted now. */
  readonly accepted: number;
  /** Snapshots whose id was already counted (a retry): acknowledged, not counted again. */
  readonly duplicates: number;
}

/** A webhook subscription of one flag. The secret signs deliveries; it is never logged or served back. */
export interface WebhookRecord {
  readonly id: string;
  readonly flag: string;
  readonly url: string;
  readonly secret: string;
  readonly createdAt: number;
}

/** One attempt to deliver one event to one webhook. */
export interface DeliveryRecord {
  readonly webhookId: string;
  readonly eventId: string;
  readonly event: string;
  readonly attempt: number;
  readonly at: number;
  /** The receiver's HTTP status, or null when the request failed before one came back. */
  readonly status: number | null;
  readonly ok: boolean;
  readonly error: string | null;
}

/** A delivery a shutdown interrupted: resent from `attempt` at the next start, with the same event id (receivers de-duplicate on it) and body. */
export interface PendingDelivery {
  readonly webhookId: string;
  readonly eventId: string;
  readonly flag: string;
  readonly event: string;
  readonly body: string;
  readonly attempt: number;
  readonly savedAt: number;
}

/**
 * Where the server keeps everything (SQLite for one instance, PostgreSQL for several). Every method
 * is atomic on its own; a version is appended only if the flag's latest version is the one expected.
 */
export interface Store {
  /** A name for logs and /readyz: 'sqlite' or 'postgres'. */
  readonly kind: string;
  /** Brings the schema to the latest migration. */
  migrate(): Promise<void>;
  /** Answers when the store can take writes (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** Whether this instance runs the guardrail evaluator now (one instance at a time; always true for SQLite). */
  lead(): Promise<boolean>;
  /**
   * Hears changes made through other instances (PostgreSQL LISTEN/NOTIFY): a new flag version, or a
   * token created or revoked. SQLite has one instance, so it never calls back. Returns the stop function.
   */
  watch(listener: (change: StoreChange) => void): Promise<() => Promise<void>>;

  insertToken(record: TokenRecord): Promise<void>;
  listTokens(): Promise<TokenRecord[]>;
  /** Marks a token revoked by id; false when there is no live token with that id. */
  revokeToken(id: string, at: number): Promise<boolean>;

  /** The latest version of every flag. */
  latestVersions(): Promise<FlagVersion[]>;
  /** The latest version of one flag, or null. */
  latestVersion(flag: string): Promise<FlagVersion | null>;
  /** Appends a version if the flag's latest is `expected` (null: the flag must not exist yet); false on a conflict. */
  appendVersion(next: FlagVersion, expected: number | null): Promise<boolean>;
  /** A flag's versions, newest first. */
  history(flag: string, limit: number): Promise<FlagVersion[]>;

  /** Counts snapshots once each by id, into the minute bucket of `receivedAt`. */
  ingest(snapshots: readonly FleetSnapshot[], receivedAt: number): Promise<IngestResult>;
  /** The snapshots' sums received in [from, to) for one stage key. */
  windowData(key: StageKey, from: number, to: number): Promise<WindowData>;

  /** Records a window once: false if it was already recorded (by this or another instance). */
  insertWindow(window: StoredWindow): Promise<boolean>;
  /** A stage key's windows from `since` (their start), oldest first. */
  windows(key: StageKey, since: number): Promise<StoredWindow[]>;
  /** A flag's latest windows, newest first (any stage). */
  recentWindows(flag: string, limit: number): Promise<StoredWindow[]>;

  insertWebhook(record: WebhookRecord): Promise<void>;
  webhooks(flag: string): Promise<WebhookRecord[]>;
  deleteWebhook(flag: string, id: string): Promise<boolean>;
  insertDelivery(record: DeliveryRecord): Promise<void>;
  deliveries(flag: string, limit: number): Promise<(DeliveryRecord & { readonly url: string })[]>;
  /** Keeps a delivery a shutdown interrupted (once per webhook and event). */
  savePendingDelivery(record: PendingDelivery): Promise<void>;
  /** Removes and returns every kept delivery, oldest first: of instances starting at once, each gets a given one at most once. */
  takePendingDeliveries(): Promise<PendingDelivery[]>;

  /** Deletes snapshot ids and buckets received before `before`, and windows and deliveries older than `windowsBefore`. */
  prune(before: number, windowsBefore: number): Promise<void>;
}
