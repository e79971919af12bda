// Type-only imports (erased under verbatimModuleSyntax): this module never loads @openfeature/core
// at run time, so neither SDK becomes a runtime dependency of @semfilter/core.
import type {
  AnyProviderEvent,
  ClientProviderEvents,
  ErrorCode,
  EvaluationContext,
  EventContext,
  EventHandler,
  FlagMetadata,
  JsonValue,
  Logger,
  ProviderEventEmitter,
  ProviderMetadata,
  ResolutionDetails,
} from '@openfeature/core';
import { DEFAULT_ROLLOUT_CONFIG, parseRolloutConfig, type RolloutConfig } from '../rollout/config.js';
import { decide, type RolloutDecision, type RolloutReason } from '../rollout/decide.js';
import type { RemoteConfig, RemoteConfigChange } from '../rollout/remote-config.js';

/** Options of createSemfilterProvider and the provider classes. */
export interface SemfilterProviderOptions {
  /** A fixed rollout config (see setConfig), or a remote one whose `change` events become ConfigurationChanged (the host calls its start()). */
  readonly config: RolloutConfig | RemoteConfig;
  /** The flag key the provider answers to (default: the config's `flag`); any other key is FLAG_NOT_FOUND. */
  readonly flag?: string;
}

/** The variants a semfilter flag resolves to: the rollout's three modes. */
export type SemfilterVariant = 'on' | 'shadow' | 'off';

/** The ResolutionDetails of a semfilter flag, with OpenFeature's reason and our own reason code in flagMetadata. */
export type SemfilterResolution<T> = ResolutionDetails<T>;

/** The OpenFeature reason for each of decide()'s reason codes (ERROR ones carry an error code). */
const OPENFEATURE_REASONS: Readonly<Record<RolloutReason, { readonly reason: string; readonly errorCode?: `${ErrorCode}` }>> = {
  INVALID_CONFIG: { reason: 'ERROR', errorCode: 'PARSE_ERROR' },
  KILL_SWITCH: { reason: 'DISABLED' },
  DENYLIST: { reason: 'TARGETING_MATCH' },
  ALLOWLIST: { reason: 'TARGETING_MATCH' },
  // decide() here has no latch (the provider is not a browser's rollout), so this is unreachable; kept total.
  GUARDRAIL_ROLLBACK: { reason: 'DISABLED' },
  NO_USER_ID: { reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' },
  IN_ROLLOUT: { reason: 'SPLIT' },
  OUT_OF_ROLLOUT: { reason: 'SPLIT' },
};

function isRemote(config: RolloutConfig | RemoteConfig): config is RemoteConfig {
  return typeof (config as RemoteConfig).refresh === 'function' && typeof (config as RemoteConfig).addEventListener === 'function';
}

/** The RolloutUser an evaluation context stands for: targetingKey as the id, string attributes as attributes. */
function userOf(context: EvaluationContext | undefined): { id: string | number | null; attributes: Record<string, string> } {
  const attributes: Record<string, string> = {};
  if (typeof context !== 'object' || context === null) return { id: null, attributes };
  for (const [key, value] of Object.entries(context)) if (typeof value === 'string') attributes[key] = value;
  const key: unknown = context.targetingKey;
  return { id: typeof key === 'string' || typeof key === 'number' ? key : null, attributes };
}

/**
 * Evaluates a semfilter flag for an OpenFeature evaluation context: decide() on the config with the
 * context's targetingKey (and string attributes, for the config's groupAttribute). Pure and
 * synchronous; both providers use it. `type` picks the value: a boolean (semantic mode on or not;
 * shadow is false, with variant `shadow`) or the mode string `on` / `shadow` / `off`.
 * Reasons: TARGETING_MATCH (allow or deny list), SPLIT (the stage's coverage), DISABLED (kill
 * switch, or mode off), ERROR with PARSE_ERROR (invalid config), TARGETING_KEY_MISSING (no
 * targetingKey) or INVALID_CONTEXT (an unusable one), FLAG_NOT_FOUND (another flag key).
 * flagMetadata: bucket, stage, stageIndex, configVersion (when known) and reason (our code).
 */
export function evaluateSemfilterFlag(config: unknown, flagKey: string, context: EvaluationContext | undefined, type: 'boolean', flag?: string): ResolutionDetails<boolean>;
export function evaluateSemfilterFlag(config: unknown, flagKey: string, context: EvaluationContext | undefined, type: 'string', flag?: string): ResolutionDetails<string>;
export function evaluateSemfilterFlag(config: unknown, flagKey: string, context: EvaluationContext | undefined, type: 'boolean' | 'string', flag?: string): ResolutionDetails<boolean | string>;
export function evaluateSemfilterFlag(config: unknown, flagKey: string, context: EvaluationContext | undefined, type: 'boolean' | 'string', flag?: string): ResolutionDetails<boolean | string> {
  const off = type === 'boolean' ? false : 'off';
  const parsed = parseRolloutConfig(config);
  const expected = flag ?? (parsed.ok ? parsed.value.flag : undefined);
  if (expected !== undefined && flagKey !== expected) {
    return { value: off, reason: 'ERROR', errorCode: errorCode('FLAG_NOT_FOUND'), errorMessage: `semfilter serves the flag "${expected}", not "${flagKey}"` };
  }
  const decision = decide(config, userOf(context));
  const flagMetadata = metadataOf(decision);
  const mapped = OPENFEATURE_REASONS[decision.reason];
  // Mode off is "disabled" in OpenFeature's terms: nobody is split, the flag is simply off.
  const reason = decision.reason === 'OUT_OF_ROLLOUT' && parsed.ok && parsed.value.mode === 'off' ? 'DISABLED' : mapped.reason;
  if (mapped.errorCode !== undefined) {
    let code = mapped.errorCode;
    let message: string;
    if (decision.reason === 'INVALID_CONFIG') {
      message = `the rollout config is invalid: ${(decision.issues ?? []).slice(0, 5).map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`;
    } else {
      const key: unknown = context?.targetingKey;
      const missing = key === undefined || key === null || key === '';
      if (!missing) code = 'INVALID_CONTEXT';
      message = missing ? 'no targetingKey in the evaluation context: semfilter buckets users by it' : 'the targetingKey is not a usable id (over 256 characters, control characters, or not a string or a non-zero finite number)';
    }
    return { value: off, reason: 'ERROR', errorCode: errorCode(code), errorMessage: message, flagMetadata };
  }
  const variant: SemfilterVariant = decision.semantic ? 'on' : decision.shadow ? 'shadow' : 'off';
  return { value: type === 'boolean' ? decision.semantic : variant, variant, reason, flagMetadata };
}

/** flagMetadata values are strings, numbers or booleans: unknown ones (null) are left out. */
function metadataOf(decision: RolloutDecision): FlagMetadata {
  const metadata: FlagMetadata = { reason: decision.reason };
  if (decision.bucket !== null) metadata['bucket'] = decision.bucket;
  if (decision.stage !== null) metadata['stage'] = decision.stage;
  if (decision.stageIndex !== null) metadata['stageIndex'] = decision.stageIndex;
  if (decision.configVersion !== null) metadata['configVersion'] = decision.configVersion;
  return metadata;
}

/** ErrorCode is a string enum known here by type only; its values are its names. */
function errorCode(code: `${ErrorCode}`): ErrorCode {
  return code as ErrorCode;
}

const CONFIGURATION_CHANGED = 'PROVIDER_CONFIGURATION_CHANGED' as ClientProviderEvents.ConfigurationChanged;
const READY = 'PROVIDER_READY' as ClientProviderEvents.Ready;

/** A minimal ProviderEventEmitter: the SDKs subscribe to it with addHandler. Handlers run synchronously, errors logged. */
class SemfilterEventEmitter implements ProviderEventEmitter<AnyProviderEvent> {
  readonly #handlers = new Map<string, Set<EventHandler>>();
  #logger: Logger | undefined;

  emit(eventType: AnyProviderEvent, context?: EventContext): void {
    for (const handler of [...(this.#handlers.get(eventType) ?? [])]) {
      try {
        const result = handler(context as Parameters<EventHandler>[0]);
        if (result instanceof Promise) result.catch((error: unknown) => this.#logger?.error('semfilter provider event handler failed', error));
      } catch (error) {
        this.#logger?.error('semfilter provider event handler failed', error);
      }
    }
  }

  addHandler(eventType: AnyProviderEvent, handler: EventHandler): void {
    let handlers = this.#handlers.get(eventType);
    if (handlers === undefined) this.#handlers.set(eventType, (handlers = new Set()));
    handlers.add(handler);
  }

  removeHandler(eventType: AnyProviderEvent, handler: EventHandler): void {
    this.#handlers.get(eventType)?.delete(handler);
  }

  removeAllHandlers(eventType?: AnyProviderEvent): void {
    if (eventType === undefined) this.#handlers.clear();
    else this.#handlers.delete(eventType);
  }

  getHandlers(eventType: AnyProviderEvent): EventHandler[] {
    return [...(this.#handlers.get(eventType) ?? [])];
  }

  setLogger(logger: Logger): this {
    this.#logger = logger;
    return this;
  }
}

/** What both providers share: the config in force, its events, and evaluation through evaluateSemfilterFlag. */
abstract class SemfilterProviderBase {
  readonly metadata: ProviderMetadata = { name: 'semfilter' };
  readonly events = new SemfilterEventEmitter();
  readonly #remote: RemoteConfig | undefined;
  readonly #flag: string | undefined;
  #config: RolloutConfig;
  #failed = false;
  readonly #onChange = (event: Event): void => {
    const detail = (event as CustomEvent<RemoteConfigChange>).detail;
    this.#replace(detail?.config ?? this.#remote!.config);
  };

  constructor(options: SemfilterProviderOptions) {
    this.#remote = isRemote(options.config) ? options.config : undefined;
    this.#config = this.#remote?.config ?? options.config as RolloutConfig;
    this.#flag = options.flag;
    this.#remote?.addEventListener('change', this.#onChange);
  }

  /** The config the provider evaluates now. */
  get config(): RolloutConfig {
    return this.#config;
  }

  /** The flag key served: the `flag` option, else the config's flag (the default config's when it is invalid). */
  get flag(): string {
    const parsed = parseRolloutConfig(this.#config);
    return this.#flag ?? (parsed.ok ? parsed.value : DEFAULT_ROLLOUT_CONFIG).flag;
  }

  /** Replaces a fixed config (a remote one does this on its own `change`); emits ConfigurationChanged. */
  setConfig(config: RolloutConfig): void {
    this.#replace(config);
  }

  /**
   * Ready at once with a fixed config, or a remote one served or stored; a remote one still on its
   * built-in default is fetched once first, and a failed fetch is an error (the provider becomes
   * Ready on the first config that arrives).
   */
  async initialize(): Promise<void> {
    const remote = this.#remote;
    if (remote === undefined || remote.source !== 'default') return;
    await remote.refresh();
    if (remote.source === 'default' && remote.lastError !== null) {
      this.#failed = true;
      throw new Error(`semfilter: no rollout config yet (${remote.lastError})`);
    }
  }

  async onClose(): Promise<void> {
    this.#remote?.removeEventListener('change', this.#onChange);
  }

  protected evaluate(flagKey: string, context: EvaluationContext | undefined, type: 'boolean' | 'string'): ResolutionDetails<boolean | string> {
    return evaluateSemfilterFlag(this.#config, flagKey, context, type, this.#flag);
  }

  protected typeMismatch<T>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    return { value: defaultValue, reason: 'ERROR', errorCode: errorCode('TYPE_MISMATCH'), errorMessage: `the semfilter flag "${flagKey}" is a boolean or a string (on, shadow, off)` };
  }

  #replace(config: RolloutConfig): void {
    const previous = this.flag;
    this.#config = config;
    const flagsChanged = [...new Set([previous, this.flag])];
    if (this.#failed) {
      this.#failed = false;
      this.events.emit(READY);
    }
    this.events.emit(CONFIGURATION_CHANGED, { flagsChanged });
  }
}

/** The semfilter provider for `@openfeature/web-sdk`: synchronous, evaluating the static context. */
export class SemfilterWebProvider extends SemfilterProviderBase {
  readonly runsOn = 'client' as const;

  resolveBooleanEvaluation(flagKey: string, _defaultValue: boolean, context: EvaluationContext): ResolutionDetails<boolean> {
    return this.evaluate(flagKey, context, 'boolean') as ResolutionDetails<boolean>;
  }

  resolveStringEvaluation(flagKey: string, _defaultValue: string, context: EvaluationContext): ResolutionDetails<string> {
    return this.evaluate(flagKey, context, 'string') as ResolutionDetails<string>;
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number): ResolutionDetails<number> {
    return this.typeMismatch(flagKey, defaultValue);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    return this.typeMismatch(flagKey, defaultValue);
  }
}

/** The semfilter provider for `@openfeature/server-sdk`: the same evaluation, per request context, as promises. */
export class SemfilterServerProvider extends SemfilterProviderBase {
  readonly runsOn = 'server' as const;

  async resolveBooleanEvaluation(flagKey: string, _defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return this.evaluate(flagKey, context, 'boolean') as ResolutionDetails<boolean>;
  }

  async resolveStringEvaluation(flagKey: string, _defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return this.evaluate(flagKey, context, 'string') as ResolutionDetails<string>;
  }

  async resolveNumberEvaluation(flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return this.typeMismatch(flagKey, defaultValue);
  }

  async resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    return this.typeMismatch(flagKey, defaultValue);
  }
}

/**
 * An OpenFeature provider evaluating semfilter's rollout config: `OpenFeature.setProvider(
 * createSemfilterProvider({ config }))` in the browser (web SDK, the default), `{ config, sdk:
 * 'server' }` for `@openfeature/server-sdk`.
 */
export function createSemfilterProvider(options: SemfilterProviderOptions & { readonly sdk?: 'web' }): SemfilterWebProvider;
export function createSemfilterProvider(options: SemfilterProviderOptions & { readonly sdk: 'server' }): SemfilterServerProvider;
export function createSemfilterProvider(options: SemfilterProviderOptions & { readonly sdk?: 'web' | 'server' }): SemfilterWebProvider | SemfilterServerProvider {
  return options.sdk === 'server' ? new SemfilterServerProvider(options) : new SemfilterWebProvider(options);
}
