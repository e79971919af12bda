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
  /** The provider's flagMetadata: a semfilter provider's bucket, stage, stageIndex and configVersion. */
  readonly flagMetadata?: Readonly<Record<string, string | number | boolean>> | undefined;
}

/** The part of an invocation hook the adapter passes: `before` sees the evaluation context the provider is given. */
export interface OpenFeatureContextHook {
  before(hookContext: { readonly context: { readonly targetingKey?: string | undefined } }): void;
}

/** Evaluation options: the adapter passes one invocation hook, to learn which targeting key was evaluated. */
export interface OpenFeatureEvaluationOptions {
  readonly hooks?: OpenFeatureContextHook[];
}

/** The part of an OpenFeature web SDK `Client` the adapter uses: its synchronous details API. */
export interface OpenFeatureClientLike {
  getBooleanDetails(flagKey: string, defaultValue: boolean, options?: OpenFeatureEvaluationOptions): OpenFeatureDetails<boolean>;
  getStringDetails(flagKey: string, defaultValue: string, options?: OpenFeatureEvaluationOptions): OpenFeatureDetails<string>;
}

/**
 * How to read the flag. The flag is evaluated with the client's own evaluation context (the web
 * SDK's static-context model). The decision's bucket is only ever the bucket of the targeting key
 * the provider evaluated (seen through an invocation hook): a semfilter provider's own
 * flagMetadata.bucket, else that key's GrowthBook bucket; null when the key is unknown, missing, or
 * not `userId` (the context belongs to someone else than the rollout's user).
 */
export interface OpenFeatureDecisionContext {
  /** A boolean flag (semantic on or off), or a string flag `on`, `shadow` or `off` (default boolean). */
  readonly type?: 'boolean' | 'string';
  /** The rollout's user: when the evaluated targeting key is another id, the decision has no bucket (a number compares as GrowthBook stringifies it). */
  readonly userId?: string | number | null;
  /** The seed for the bucket when the provider reports none (default: the flag key, as GrowthBook's rule seed defaults to it). */
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
  // The targeting key the provider is given, read by an invocation hook; undefined when the hook did not run.
  let evaluated: { key: unknown } | undefined;
  const options: OpenFeatureEvaluationOptions = { hooks: [{ before: (hookContext) => void (evaluated = { key: hookContext?.context?.targetingKey }) }] };
  let details: OpenFeatureDetails<boolean | string>;
  try {
    // The "off" answer is the default, so an evaluation error serves the traditional filter.
    details = type === 'string' ? client.getStringDetails(flagKey, 'off', options) : client.getBooleanDetails(flagKey, false, options);
  } catch (error) {
    // The SDK itself never throws from evaluation; a host's wrapper or stub might.
    details = { value: false, reason: 'ERROR', errorCode: 'GENERAL', errorMessage: error instanceof Error ? error.message : String(error) };
  }
  const metadata = details.flagMetadata ?? {};
  const numberIn = (key: string): number | null => (typeof metadata[key] === 'number' && Number.isFinite(metadata[key]) ? (metadata[key] as number) : null);
  const bucket = bucketFor(evaluated, context, flagKey, numberIn('bucket'));
  const openFeature = { flagKey, reason: details.reason ?? null, variant: details.variant ?? null, errorCode: details.errorCode ?? null };
  const decision = (reason: RolloutReason, mode: 'on' | 'shadow' | 'off', issue?: string): RolloutDecision => ({
    semantic: mode === 'on',
    shadow: mode === 'shadow',
    reason,
    bucket,
    stage: numberIn('stage'),
    stageIndex: numberIn('stageIndex'),
    configVersion: numberIn('configVersion'),
    ...(issue === undefined ? {} : { issues: [{ path: `openfeature.${flagKey}`, message: issue }] }),
    openFeature,
  });

  if (openFeature.errorCode !== null) return decision('INVALID_CONFIG', 'off', `${openFeature.errorCode}${details.errorMessage ? `: ${details.errorMessage}` : ''}`);
  if (openFeature.reason === 'DISABLED') return decision('KILL_SWITCH', 'off');
  const mode = modeOf(details.value);
  if (mode === null) return decision('INVALID_CONFIG', 'off', `expected true, false or one of ${STRING_MODES.join(', ')}, got ${JSON.stringify(details.value).slice(0, 100)}`);
  return decision(mode === 'off' ? 'OUT_OF_ROLLOUT' : 'IN_ROLLOUT', mode);
}

/** The evaluated key's bucket, or null: key unknown or unusable, or not the rollout's user. */
function bucketFor(evaluated: { key: unknown } | undefined, context: OpenFeatureDecisionContext, flagKey: string, reported: number | null): number | null {
  if (evaluated === undefined) return null;
  const key = userIdOf(evaluated.key);
  if (key === null) return null;
  if (context.userId !== undefined && context.userId !== null && userIdOf(context.userId) !== key) return null;
  return reported ?? bucketOf(context.seed ?? flagKey, key);
}

function modeOf(value: unknown): 'on' | 'shadow' | 'off' | null {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return (STRING_MODES as readonly unknown[]).includes(value) ? (value as 'on' | 'shadow' | 'off') : null;
}
