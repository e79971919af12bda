import { createGuardrails, type GuardrailWindow, type Guardrails } from '../metrics/guardrails.js';
import { mergeThresholds, type GuardrailThresholds } from '../metrics/thresholds.js';
import { createMetricsRecorder, type MetricsRecorder } from '../metrics/recorder.js';
import type { FilterReport } from '../report/filter-report.js';
import type { FilterOptionsInput } from '../input/schemas.js';
import { DEFAULT_ROLLOUT_CONFIG, parseRolloutConfig, type RolloutConfig } from './config.js';
import { decide, type RollbackLatch, type RolloutDecision, type RolloutUser } from './decide.js';
import type { RemoteConfig, RemoteConfigChange } from './remote-config.js';
import { createRolloutRunner, type RolloutFilter, type RolloutRunner, type Schedule } from './runner.js';
import { browserStorage, memoryStorage, type KeyValueStorage } from '../metrics/key-value-storage.js';

/** Options of createRollout. */
export interface RolloutOptions {
  /**
   * A fixed config, or a remote one whose `change` events the rollout follows (the host calls its
   * start()). Optional with `decide`: without one the built-in DEFAULT_ROLLOUT_CONFIG (mode off)
   * scopes the guardrails, under `flag` when given.
   */
  readonly config?: RolloutConfig | RemoteConfig;
  /** Without `config`: the flag the guardrails' rollback is kept under (default `semantic-filter`), e.g. the host's OpenFeature flag key. */
  readonly flag?: string;
  readonly user: RolloutUser;
  /** What runs the filters: the browser SemanticFilter, or anything with its filter() (and optionally stats()). */
  readonly filter: RolloutFilter;
  /** Where a guardrail rollback is kept across reloads. Default: localStorage, else memory. */
  readonly storage?: KeyValueStorage;
  /** Default: a new recorder (window of 500 runs). */
  readonly recorder?: MetricsRecorder;
  /** Host overrides of DEFAULT_GUARDRAILS; a served config's `guardrails` override these in turn. */
  readonly thresholds?: Partial<GuardrailThresholds>;
  /** An epoch-milliseconds clock (Date.now-like) for latencies, windows and the rollback time. Default: performance.now for latencies, Date.now for the rest. */
  readonly now?: () => number;
  /** How background comparisons are deferred (see defaultSchedule). */
  readonly schedule?: Schedule;
  /**
   * The host's own decider, in place of decide(config, …): e.g. `(user) => openFeatureDecision(client,
   * 'semantic-filter', { userId: user.id })`. The guardrails still apply: after a rollback the
   * decision is GUARDRAIL_ROLLBACK until re-armed. Call refresh() when the host's flag changes, or
   * let `followOpenFeature(rollout, client)` (`@semfilter/core/openfeature`) call it on the
   * provider's Ready, ConfigurationChanged and ContextChanged events.
   */
  readonly decide?: (user: RolloutUser) => RolloutDecision;
}

/** Detail of the `decision` event. */
export interface DecisionChange {
  readonly decision: RolloutDecision;
  readonly previous: RolloutDecision;
}

/** The events a Rollout dispatches, by type: `rollout.addEventListener('decision', (e) => e.detail.decision.reason)` is typed. */
export interface RolloutEventMap {
  /** The decision changed (config, user, rollback, re-arm). */
  decision: CustomEvent<DecisionChange>;
  /** An evaluation window closed. */
  guardrail: CustomEvent<GuardrailWindow>;
  /** Guardrails rolled semantic mode back. */
  rollback: CustomEvent<RollbackLatch>;
}

/**
 * A rollout for one user on this client: decides the mode, serves it, measures both modes and
 * rolls semantic mode back when guardrails fail.
 * @fires decision - CustomEvent<DecisionChange> when the decision changes (config, user, rollback, re-arm).
 * @fires guardrail - CustomEvent<GuardrailWindow> for every closed evaluation window.
 * @fires rollback - CustomEvent<RollbackLatch> when guardrails roll semantic mode back.
 */
export interface Rollout extends EventTarget {
  addEventListener<K extends keyof RolloutEventMap>(type: K, listener: (this: Rollout, ev: RolloutEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListener | EventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof RolloutEventMap>(type: K, listener: (this: Rollout, ev: RolloutEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListener | EventListenerObject | null, options?: boolean | EventListenerOptions): void;
  readonly decision: RolloutDecision;
  readonly config: RolloutConfig;
  readonly recorder: MetricsRecorder;
  readonly guardrails: Guardrails;
  /** Serves the decided mode (recording it) and compares with the other mode in the background. Never rejects. */
  run(items: unknown, request: unknown, options?: FilterOptionsInput): Promise<FilterReport>;
  /** Resolves once the background comparisons started so far are recorded. */
  settled(): Promise<void>;
  setUser(user: RolloutUser): void;
  /** Decides again, e.g. after the host's own flag (the `decide` option) changed. */
  refresh(): void;
  /** A person re-arms semantic mode after a rollback. */
  rearm(): void;
  /** Stops following the remote config and the recorder. */
  dispose(): void;
}

/** Creates a rollout controller. Throws only for invalid `thresholds` (a programmer error at setup). */
export function createRollout(options: RolloutOptions): Rollout {
  return new RolloutController(options);
}

function isRemote(config: RolloutConfig | RemoteConfig | undefined): config is RemoteConfig {
  return typeof config === 'object' && config !== null && typeof (config as RemoteConfig).refresh === 'function' && typeof (config as RemoteConfig).addEventListener === 'function';
}

/** The config of a rollout created without one: the default (mode off), under the host's flag if it names one. */
function defaultConfigFor(flag: string | undefined): RolloutConfig {
  if (flag === undefined) return DEFAULT_ROLLOUT_CONFIG;
  const parsed = parseRolloutConfig({ ...DEFAULT_ROLLOUT_CONFIG, flag });
  return parsed.ok ? parsed.value : DEFAULT_ROLLOUT_CONFIG;
}

/** The parsed (frozen, defaulted) config; an invalid one is kept as it is, so decide() reports INVALID_CONFIG with its issues. */
function validated(config: RolloutConfig): RolloutConfig {
  const parsed = parseRolloutConfig(config);
  return parsed.ok ? parsed.value : config;
}

/** The flag and version a latch is scoped to; an invalid config gets the default flag and version 0 (its decision is INVALID_CONFIG anyway). */
function latchScope(config: RolloutConfig): { flag: string; configVersion: number } {
  const parsed = parseRolloutConfig(config);
  const valid = parsed.ok ? parsed.value : DEFAULT_ROLLOUT_CONFIG;
  return { flag: valid.flag, configVersion: valid.version };
}

/** The decision fields that matter to a host; a change in any of them is a `decision` event. */
function sameDecision(a: RolloutDecision, b: RolloutDecision): boolean {
  return a.semantic === b.semantic && a.shadow === b.shadow && a.reason === b.reason && a.bucket === b.bucket && a.stage === b.stage && a.stageIndex === b.stageIndex && a.configVersion === b.configVersion;
}

class RolloutController extends EventTarget implements Rollout {
  readonly recorder: MetricsRecorder;
  readonly guardrails: Guardrails;
  readonly #remote: RemoteConfig | undefined;
  readonly #hostThresholds: Partial<GuardrailThresholds> | undefined;
  readonly #runner: RolloutRunner;
  readonly #hostDecide: ((user: RolloutUser) => RolloutDecision) | undefined;
  readonly #cleanups: (() => void)[] = [];
  #config: RolloutConfig;
  #user: RolloutUser;
  #decision: RolloutDecision;

  constructor(options: RolloutOptions) {
    super();
    this.#remote = isRemote(options.config) ? options.config : undefined;
    this.#config = this.#remote?.config ?? (options.config === undefined ? defaultConfigFor(options.flag) : validated(options.config as RolloutConfig));
    this.#user = options.user;
    this.#hostThresholds = options.thresholds;
    this.#hostDecide = options.decide;
    this.recorder = options.recorder ?? createMetricsRecorder(options.now === undefined ? {} : { now: options.now });
    this.guardrails = createGuardrails({
      recorder: this.recorder,
      thresholds: this.#thresholdsFor(this.#config),
      storage: options.storage ?? browserStorage() ?? memoryStorage(),
      ...latchScope(this.#config),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    this.#runner = createRolloutRunner({ filter: options.filter, recorder: this.recorder, ...(options.now === undefined ? {} : { now: options.now }), ...(options.schedule === undefined ? {} : { schedule: options.schedule }) });
    this.#decision = this.#decide();

    this.#listen(this.guardrails, 'guardrail', (event) => this.#redispatch<GuardrailWindow>('guardrail', event));
    this.#listen(this.guardrails, 'rollback', (event) => {
      this.#redispatch<RollbackLatch>('rollback', event);
      this.#recompute();
    });
    if (this.#remote) this.#listen(this.#remote, 'change', (event) => this.#setConfig((event as CustomEvent<RemoteConfigChange>).detail?.config ?? this.#remote!.config));
  }

  get decision(): RolloutDecision {
    return this.#decision;
  }

  get config(): RolloutConfig {
    return this.#config;
  }

  run(items: unknown, request: unknown, options?: FilterOptionsInput): Promise<FilterReport> {
    return this.#runner.run(items, request, this.#decision, options);
  }

  settled(): Promise<void> {
    return this.#runner.settled();
  }

  setUser(user: RolloutUser): void {
    this.#user = user;
    this.#recompute();
  }

  refresh(): void {
    this.#recompute();
  }

  rearm(): void {
    this.guardrails.rearm();
    this.#recompute();
  }

  dispose(): void {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.guardrails.dispose();
  }

  #setConfig(config: RolloutConfig): void {
    this.#config = config;
    try {
      // A new flag or version starts the guardrails afresh and clears an older version's latch.
      this.guardrails.update({ ...latchScope(config), thresholds: this.#thresholdsFor(config) });
    } catch {
      // A served config's guardrails are validated with it; should they not merge, keep the thresholds in force.
      this.guardrails.update(latchScope(config));
    }
    this.#recompute();
  }

  /** Host thresholds, then the served config's: the served config changes without a deploy, so it has the last word. */
  #thresholdsFor(config: RolloutConfig): Partial<GuardrailThresholds> {
    const served = parseRolloutConfig(config).ok ? (config.guardrails as Partial<GuardrailThresholds> | undefined) : undefined;
    return mergeThresholds(this.#hostThresholds, served);
  }

  #decide(): RolloutDecision {
    const latch = this.guardrails.status().latch;
    if (this.#hostDecide === undefined) return decide(this.#config, this.#user, latch);
    let decision: RolloutDecision;
    try {
      decision = this.#hostDecide(this.#user);
    } catch (error) {
      // The host's decider is host code: a throw serves the traditional filter and says why, never reaches the page.
      const message = `the decide option threw (${error instanceof Error ? error.message : String(error)})`;
      decision = { semantic: false, shadow: false, reason: 'INVALID_CONFIG', bucket: null, stage: null, stageIndex: null, configVersion: null, issues: [{ path: 'decide', message }] };
    }
    return latch === null ? decision : { ...decision, semantic: false, shadow: false, reason: 'GUARDRAIL_ROLLBACK' };
  }

  #recompute(): void {
    const previous = this.#decision;
    const decision = this.#decide();
    this.#decision = decision;
    if (!sameDecision(previous, decision)) this.dispatchEvent(new CustomEvent<DecisionChange>('decision', { detail: { decision, previous } }));
  }

  #redispatch<T>(type: string, event: Event): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail: (event as CustomEvent<T>).detail }));
  }

  #listen(target: EventTarget, type: string, listener: (event: Event) => void): void {
    target.addEventListener(type, listener);
    this.#cleanups.push(() => target.removeEventListener(type, listener));
  }
}
