import { bucketOf } from '../rollout/hash.js';
import { userIdOf } from '../rollout/ids.js';
import type { RolloutDecision, RolloutReason } from '../rollout/decide.js';

/**
 * What this adapter reads from an OpenFeature evaluation: the fields of the web SDK's
 * `EvaluationDetails`. Typed by shape, so @openfeature/web-sdk stays an optional peer that this
 * module never imports.
 */
export interface OpenFeatureDetails<T> {
  readonly value: T;
  readonly reason?: string | undefined;
  readonly variant?: string | undefined;
  readonly errorCode?: string | undefined;
  readonly errorMessage?: string | undefined;
}

/** The part of an OpenFeature web SDK `Client` the adapter uses: its synchronous details API. */
export interface OpenFeatureClientLike {
  getBooleanDetails(flagKey: string, defaultValue: boolean): OpenFeatureDetails<boolean>;
  getStringDetails(flagKey: string, defaultValue: string): OpenFeatureDetails<string>;
}

/**
 * How to read the flag. The flag is evaluated with the client's own evaluation context (the web
 * SDK's static-context model); `userId` only fills in the decision's bucket for display.
 */
export interface OpenFeatureDecisionContext {
  /** A boolean flag (semantic on or off), or a string flag `on`, `shadow` or `off` (default boolean). */
  readonly type?: 'boolean' | 'string';
  /** The user whose GrowthBook v2 bucket the decision reports (a number is bucketed as GrowthBook stringifies it); without one, bucket is null. */
  readonly userId?: string | number | null;
  /** The seed for that bucket (default: the flag key, as GrowthBook's rule seed defaults to it). */
  readonly seed?: string;
}

const STRING_MODES = ['on', 'shadow', 'off'] as const;

/**
 * Reads semantic mode from a host's OpenFeature flag and returns it as a RolloutDecision carrying
 * OpenFeature's reason, variant and error code. Never throws. An evaluation error (flag not found,
 * wrong type) is INVALID_CONFIG with an issue; a DISABLED flag is KILL_SWITCH; otherwise the value
 * decides between IN_ROLLOUT and OUT_OF_ROLLOUT.
 */
export function openFeatureDecision(client: OpenFeatureClientLike, flagKey: string, context: OpenFeatureDecisionContext = {}): RolloutDecision {
  const type = context.type ?? 'boolean';
  let details: OpenFeatureDetails<boolean | string>;
  try {
    // The "off" answer is the default, so an evaluation error serves the traditional filter.
    details = type === 'string' ? client.getStringDetails(flagKey, 'off') : client.getBooleanDetails(flagKey, false);
  } catch (error) {
    // The SDK itself never throws from evaluation; a host's wrapper or stub might.
    details = { value: false, reason: 'ERROR', errorCode: 'GENERAL', errorMessage: error instanceof Error ? error.message : String(error) };
  }
  const userId = userIdOf(context.userId);
  const bucket = userId === null ? null : bucketOf(context.seed ?? flagKey, userId);
  const openFeature = { flagKey, reason: details.reason ?? null, variant: details.variant ?? null, errorCode: details.errorCode ?? null };
  const decision = (reason: RolloutReason, mode: 'on' | 'shadow' | 'off', issue?: string): RolloutDecision => ({
    semantic: mode === 'on',
    shadow: mode === 'shadow',
    reason,
    bucket,
    stage: null,
    stageIndex: null,
    configVersion: null,
    ...(issue === undefined ? {} : { issues: [{ path: `openfeature.${flagKey}`, message: issue }] }),
    openFeature,
  });

  if (openFeature.errorCode !== null) return decision('INVALID_CONFIG', 'off', `${openFeature.errorCode}${details.errorMessage ? `: ${details.errorMessage}` : ''}`);
  if (openFeature.reason === 'DISABLED') return decision('KILL_SWITCH', 'off');
  const mode = modeOf(details.value);
  if (mode === null) return decision('INVALID_CONFIG', 'off', `expected true, false or one of ${STRING_MODES.join(', ')}, got ${JSON.stringify(details.value).slice(0, 100)}`);
  return decision(mode === 'off' ? 'OUT_OF_ROLLOUT' : 'IN_ROLLOUT', mode);
}

function modeOf(value: unknown): 'on' | 'shadow' | 'off' | null {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return (STRING_MODES as readonly unknown[]).includes(value) ? (value as 'on' | 'shadow' | 'off') : null;
}
