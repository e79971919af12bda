import type { GuardrailCheck, GuardrailResult } from '@semfilter/core/metrics';
import type { RolloutConfig } from '@semfilter/core/rollout';

// The admin API's answers, as the dashboard reads them (times are ISO 8601 strings, as served).

/** A flag's server settings: the promotion schedule, what a guardrail rollback does, whether promotion is paused. */
export interface FleetSettingsView {
  readonly schedule?: readonly { readonly minDurationMs: number; readonly passWindows: number }[];
  readonly onFail: 'kill' | 'previousStage';
  readonly paused: boolean;
}

/** One version of a flag (GET /v1/flags and …/history, and the live stream's `version` events). */
export interface FlagVersionView {
  readonly flag: string;
  readonly version: number;
  /** Present on the version in force (GET /v1/flags, pushes): what If-Match needs. */
  readonly etag?: string;
  readonly action: string;
  readonly actor: string;
  readonly reason: string | null;
  readonly at: string;
  readonly stageStartedAt: string;
  readonly config: RolloutConfig;
  readonly settings: FleetSettingsView;
  readonly evidence: unknown;
}

/** One judged guardrail window (…/windows, and the stream's `window` events). */
export interface WindowView {
  readonly flag: string;
  readonly stage: number;
  readonly mode: string;
  readonly configVersion: number;
  readonly start: number;
  readonly end: number;
  readonly result: GuardrailResult;
  readonly checks: readonly GuardrailCheck[];
  readonly semanticRuns: number;
  readonly traditionalRuns: number;
  readonly clients: number;
}

/** One point of a stage's time series (…/series). */
export interface SeriesPointView {
  readonly start: number;
  readonly end: number;
  readonly clients: number;
  readonly semanticRuns: number;
  readonly traditionalRuns: number;
  readonly passRate: { readonly semantic: number | null; readonly traditional: number | null };
  readonly result: GuardrailResult;
  readonly checks: readonly GuardrailCheck[];
}

/** A flag's per-stage series on one grid. */
export interface SeriesView {
  readonly flag: string;
  readonly stepMs: number;
  readonly stages: readonly { readonly stage: number; readonly mode: string; readonly points: readonly SeriesPointView[] }[];
}

/** One webhook delivery attempt (…/deliveries). */
export interface DeliveryView {
  readonly webhookId: string;
  readonly eventId: string;
  readonly event: string;
  readonly attempt: number;
  readonly at: number;
  readonly status: number | null;
  readonly ok: boolean;
  readonly error: string | null;
  readonly url: string;
}

/** The actions the dashboard offers, as the server names them (POST /v1/flags/:flag/:action). */
export const FLEET_ACTIONS = ['kill', 'promote', 'rollback', 'pause', 'resume'] as const;
/** One of FLEET_ACTIONS. */
export type FleetAction = (typeof FLEET_ACTIONS)[number];
