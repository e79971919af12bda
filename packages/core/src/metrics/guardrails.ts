import type { KeyValueStorage } from './key-value-storage.js';
import { readLatch, writeLatch, type RollbackLatch } from './latch.js';
import type { MetricsRecorder } from './recorder.js';
import type { RunSample } from './run-sample.js';
import { mergeThresholds, type GuardrailThresholds } from './thresholds.js';
import { evaluateWindow, type WindowEvaluation } from './window.js';

/** A closed window, as the `guardrail` event carries it. */
export interface GuardrailWindow extends WindowEvaluation {
  /** 1 for the first window since creation, re-arm or a new config version. */
  readonly index: number;
  /** When it closed (the guardrails' clock, ms). */
  readonly closedAt: number;
  /** FAIL windows in a row after this one (INCONCLUSIVE windows leave the count as it was). */
  readonly consecutiveFailures: number;
}

/** Where the guardrails stand. */
export interface GuardrailStatus {
  readonly consecutiveFailures: number;
  readonly lastWindow: GuardrailWindow | null;
  /** The rollback in force for this flag and config version, or null. */
  readonly latch: RollbackLatch | null;
  /** Runs collected in the open window. */
  readonly pending: { readonly semantic: number; readonly traditional: number };
}

/** Options of createGuardrails. */
export interface GuardrailsOptions {
  readonly recorder: MetricsRecorder;
  /** Overrides of DEFAULT_GUARDRAILS. */
  readonly thresholds?: Partial<GuardrailThresholds> | undefined;
  /** Where the latch survives reloads; without one it lasts as long as the page. */
  readonly storage?: KeyValueStorage | undefined;
  /** The rollout flag the latch stops. */
  readonly flag: string;
  /** The config version the latch stops; a latch of an older version is cleared. */
  readonly configVersion: number;
  /** Milliseconds clock. Default Date.now. */
  readonly now?: () => number;
}

/** What update() may change when a new config arrives. */
export interface GuardrailsUpdate {
  readonly flag?: string;
  readonly configVersion?: number;
  readonly thresholds?: Partial<GuardrailThresholds> | undefined;
}

/**
 * Watches a recorder window by window and rolls semantic mode back for this client after
 * `failingWindows` FAIL windows in a row. Dispatches `guardrail` (detail: GuardrailWindow) for every
 * closed window and `rollback` (detail: the latch) once; the latch is stored so it outlives reloads.
 */
export interface Guardrails extends EventTarget {
  /** The thresholds in force (defaults merged with overrides). */
  readonly thresholds: GuardrailThresholds;
  status(): GuardrailStatus;
  /** Closes the open window now (e.g. on a timer of the host's); null when it holds no run or a rollback is in force. */
  closeWindow(): GuardrailWindow | null;
  /** A person re-arms semantic mode: clears the latch (stored too) and starts counting afresh. */
  rearm(): void;
  /** A new config: a new flag or version starts afresh and clears a stored latch of an older version. */
  update(changes: GuardrailsUpdate): void;
  /** Stops watching the recorder. */
  dispose(): void;
}

/** Creates guardrails over a recorder; reads a stored latch for this flag and version at once. */
export function createGuardrails(options: GuardrailsOptions): Guardrails {
  return new RecorderGuardrails(options);
}

/*
 * Consecutive failures follow Argo Rollouts: an INCONCLUSIVE window (too few runs, no baseline)
 * neither counts as a failure nor forgives one; only a PASS resets the count. A quiet spell between
 * two bad windows says nothing about health, so it should not wipe out the first one.
 */
class RecorderGuardrails extends EventTarget implements Guardrails {
  #thresholds: GuardrailThresholds;
  readonly #storage: KeyValueStorage | undefined;
  readonly #now: () => number;
  readonly #unsubscribe: () => void;
  #flag: string;
  #version: number;
  #latch: RollbackLatch | null = null;
  #window: RunSample[] = [];
  #openedAt: number | null = null;
  #consecutive = 0;
  #index = 0;
  #last: GuardrailWindow | null = null;

  constructor(options: GuardrailsOptions) {
    super();
    this.#thresholds = mergeThresholds(options.thresholds);
    this.#storage = options.storage;
    this.#now = options.now ?? Date.now;
    this.#flag = options.flag;
    this.#version = options.configVersion;
    this.#loadLatch();
    this.#unsubscribe = options.recorder.subscribeSamples((sample) => this.#add(sample));
  }

  get thresholds(): GuardrailThresholds {
    return this.#thresholds;
  }

  status(): GuardrailStatus {
    const semantic = this.#window.filter((s) => s.mode === 'semantic').length;
    return { consecutiveFailures: this.#consecutive, lastWindow: this.#last, latch: this.#latch, pending: { semantic, traditional: this.#window.length - semantic } };
  }

  closeWindow(): GuardrailWindow | null {
    if (this.#latch !== null || this.#window.length === 0) return null;
    const evaluation = evaluateWindow(this.#window, this.#thresholds);
    this.#window = [];
    this.#openedAt = null;
    if (evaluation.result === 'FAIL') this.#consecutive++;
    else if (evaluation.result === 'PASS') this.#consecutive = 0;
    const closed: GuardrailWindow = { ...evaluation, index: ++this.#index, closedAt: this.#now(), consecutiveFailures: this.#consecutive };
    this.#last = closed;
    this.dispatchEvent(new CustomEvent<GuardrailWindow>('guardrail', { detail: closed }));
    if (evaluation.result === 'FAIL' && this.#consecutive >= this.#thresholds.failingWindows) this.#rollBack(closed);
    return closed;
  }

  rearm(): void {
    writeLatch(this.#storage, this.#flag, null);
    this.#latch = null;
    this.#restart();
  }

  update(changes: GuardrailsUpdate): void {
    if (changes.thresholds !== undefined) this.#thresholds = mergeThresholds(changes.thresholds);
    const flag = changes.flag ?? this.#flag;
    const version = changes.configVersion ?? this.#version;
    if (flag === this.#flag && version === this.#version) return;
    this.#flag = flag;
    this.#version = version;
    this.#restart();
    this.#loadLatch();
  }

  dispose(): void {
    this.#unsubscribe();
  }

  #add(sample: RunSample): void {
    if (this.#latch !== null) return; // rolled back: hold until a person re-arms or a new version comes
    const now = this.#now();
    if (this.#openedAt !== null && now - this.#openedAt >= this.#thresholds.windowMs) this.closeWindow();
    if (this.#latch !== null) return;
    this.#openedAt ??= now;
    this.#window.push(sample);
    const semantic = this.#window.filter((s) => s.mode === 'semantic').length;
    if (semantic >= this.#thresholds.windowRuns) this.closeWindow();
  }

  #rollBack(window: GuardrailWindow): void {
    const breach = window.checks.find((c) => c.status === 'FAIL')!;
    const latch: RollbackLatch = {
      flag: this.#flag,
      configVersion: this.#version,
      at: new Date(this.#now()).toISOString(),
      metric: breach.metric,
      value: breach.value ?? 0,
      threshold: breach.threshold ?? 0,
    };
    this.#latch = latch;
    // A storage that refuses (quota, privacy mode) still leaves the rollback in force for this page.
    writeLatch(this.#storage, this.#flag, latch);
    this.dispatchEvent(new CustomEvent<RollbackLatch>('rollback', { detail: latch }));
  }

  #restart(): void {
    this.#window = [];
    this.#openedAt = null;
    this.#consecutive = 0;
    this.#index = 0;
    this.#last = null;
  }

  #loadLatch(): void {
    const stored = readLatch(this.#storage, this.#flag);
    if (stored !== null && stored.configVersion < this.#version) writeLatch(this.#storage, this.#flag, null); // a new version re-arms
    this.#latch = stored !== null && stored.configVersion === this.#version ? stored : null;
  }
}
