import type { GuardrailStatus, GuardrailThresholds, MetricsSnapshot } from '@semfilter/core/metrics';
import { simulatePopulation, type PopulationSimulation, type Rollout, type RolloutConfig, type RolloutDecision } from '@semfilter/core/rollout';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { appendPoint, pointOf, type MetricPoint } from './history.js';
import { guardrailsTemplate, metricsTemplate, rollbackTemplate, type GuardrailView } from './status-templates.js';
import { rolloutPanelStyles } from './styles.js';
import { decisionTemplate, simulatorTemplate, stagesTemplate } from './templates.js';

/** The largest population the panel simulates: hashing 200,000 ids keeps the page responsive (tens of ms). */
export const PANEL_MAX_SIMULATED_USERS = 200_000;

/** Snapshots can arrive once per run; the charts take at most one every this many milliseconds. */
const SNAPSHOT_INTERVAL_MS = 150;

/** Detail of `semfilter-rearm`. */
export interface SemfilterRearmDetail {
  readonly metric: string;
}

/**
 * Shows a semantic-mode rollout (a `Rollout` from `@semfilter/core/rollout`): the current user's
 * decision and its reason, the stages, a population simulator, live metrics, the guardrails, and
 * after a rollback a notice with a button that re-arms semantic mode.
 *
 * @fires semfilter-rearm - the re-arm button was used and `rollout.rearm()` called; detail `{ metric }` (the metric that had rolled back)
 * @csspart decision - the current user's decision, reason, bucket and stage
 * @csspart stages - the config's stages, the current one marked
 * @csspart simulator - the population simulator: the form, shares per stage, the histogram
 * @csspart histogram - the bucket histogram (an svg)
 * @csspart metrics - the live charts: latency, pass rate per mode, fallback rate
 * @csspart guardrails - the guardrail table
 * @csspart rollback-notice - the live region holding the rollback notice
 * @csspart rearm - the re-arm button
 * @cssprop --semfilter-font - font shorthand
 * @cssprop --semfilter-text-color - text colour
 * @cssprop --semfilter-muted-color - secondary text colour
 * @cssprop --semfilter-pass-color - PASS, and buckets in the rollout
 * @cssprop --semfilter-reject-color - FAIL, the rollback notice, thresholds
 * @cssprop --semfilter-accent-color - the current stage, chart lines, focus ring
 * @cssprop --semfilter-border-color - borders
 * @cssprop --semfilter-surface-color - background
 */
export class SemfilterRolloutPanel extends LitElement {
  static override styles = rolloutPanelStyles;
  static override properties = {
    rollout: { attribute: false },
    userId: { attribute: 'user-id' },
    simulateUsers: { type: Number, attribute: 'simulate-users' },
    headingLevel: { type: Number, attribute: 'heading-level' },
    _decision: { state: true, attribute: false },
    _config: { state: true, attribute: false },
    _status: { state: true, attribute: false },
    _snapshot: { state: true, attribute: false },
    _history: { state: true, attribute: false },
  };

  /** The rollout to show; the panel follows its events and metrics while connected. */
  declare rollout: Rollout | undefined;
  /** The user id to print beside the decision, as text (the rollout itself never hands it out). Unset: not shown. */
  declare userId: string | null | undefined;
  /** How many synthetic users the simulator buckets (1 to PANEL_MAX_SIMULATED_USERS). */
  declare simulateUsers: number;
  /** The ARIA level of the panel's section headings, to fit the host page's outline. */
  declare headingLevel: number;
  declare private _decision: RolloutDecision | undefined;
  declare private _config: RolloutConfig | undefined;
  declare private _status: GuardrailStatus | undefined;
  declare private _snapshot: MetricsSnapshot | undefined;
  declare private _history: readonly MetricPoint[];
  #simulation: { config: RolloutConfig; users: number; result: PopulationSimulation | undefined } | undefined;
  #subscription: AbortController | undefined;
  #subscribed: Rollout | undefined;
  #pending: MetricsSnapshot | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.simulateUsers = 10_000;
    this.headingLevel = 2;
    this._history = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.rollout !== undefined) this.#subscribe(this.rollout);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe(); // a panel taken off the page holds no listener on a rollout that lives on
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('rollout') && this.isConnected && this.#subscribed !== this.rollout) {
      if (this.rollout === undefined) this.#unsubscribe();
      else this.#subscribe(this.rollout);
    }
  }

  protected override render() {
    const rollout = this.rollout;
    const decision = this._decision;
    const config = this._config;
    if (rollout === undefined || decision === undefined || config === undefined) return html`<p class="meta">No rollout to show.</p>`;
    const level = this.headingLevel;
    const latch = this._status?.latch ?? null;
    const users = clampUsers(this.simulateUsers);
    const thresholds = rollout.guardrails.thresholds;
    // An invalid config has no stages or seed to show or simulate: the decision lists its problems instead.
    // A decision read from an OpenFeature flag did not come from the rollout config, whose stages stay worth showing.
    const valid = decision.reason !== 'INVALID_CONFIG' || decision.openFeature !== undefined;
    return html`
      ${rollbackTemplate(latch, decision, this.#rearm)}
      <div class="grid">
        <div>
          ${decisionTemplate(decision, config.mode, this.userId, level)}
          ${valid ? guard([config, level], () => stagesTemplate(config, level)) : nothing}
        </div>
        ${guard([config, users, decision.bucket, level, valid], () =>
          simulatorTemplate(valid ? this.#simulate(config, users) : undefined, { users, max: PANEL_MAX_SIMULATED_USERS, onSubmit: this.#onSimulate }, decision.bucket, level),
        )}
      </div>
      ${guard([this._history, thresholds, level], () => metricsTemplate(this._snapshot, this._history, thresholds.p95LatencyMs, level))}
      ${guard([this._status, thresholds, level], () => guardrailsTemplate(this.#guardrailView(thresholds), level))}
    `;
  }

  /** The simulation for this config and population, computed once per change, never per snapshot. */
  #simulate(config: RolloutConfig, users: number): PopulationSimulation | undefined {
    const cached = this.#simulation;
    if (cached?.config === config && cached.users === users) return cached.result;
    let result: PopulationSimulation | undefined;
    try {
      result = simulatePopulation(config, users);
    } catch {
      result = undefined; // a config the simulator cannot read: the panel says so instead of throwing into the page
    }
    this.#simulation = { config, users, result };
    return result;
  }

  #guardrailView(thresholds: GuardrailThresholds): GuardrailView {
    const status = this._status;
    return { window: status?.lastWindow ?? null, failures: status?.consecutiveFailures ?? 0, pending: status?.pending.semantic ?? 0, thresholds };
  }

  #subscribe(rollout: Rollout): void {
    this.#unsubscribe();
    const controller = new AbortController();
    const { signal } = controller;
    this.#subscription = controller;
    this.#subscribed = rollout;
    const read = () => this.#read(rollout);
    // A new config or user, a rollback and a re-arm all change the decision; a closed window is a `guardrail`.
    for (const type of ['decision', 'guardrail', 'rollback']) rollout.addEventListener(type, read, { signal });
    const stop = rollout.recorder.subscribe((snapshot) => this.#onSnapshot(snapshot));
    signal.addEventListener('abort', stop, { once: true });
    this._history = [];
    this._snapshot = undefined;
    read();
    this.#onSnapshot(rollout.recorder.snapshot());
  }

  #unsubscribe(): void {
    this.#subscription?.abort();
    this.#subscription = undefined;
    this.#subscribed = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Re-reads what events announce; cheap, and each state property changes only when its value does. */
  #read(rollout: Rollout): void {
    this._decision = rollout.decision;
    this._config = rollout.config;
    this._status = rollout.guardrails.status();
  }

  /** Keeps the latest snapshot and draws at most one per interval: a burst of runs costs one render. */
  #onSnapshot(snapshot: MetricsSnapshot): void {
    this.#pending = snapshot;
    if (this.#timer !== undefined) return;
    const flush = () => {
      this.#timer = undefined;
      const latest = this.#pending;
      this.#pending = undefined;
      if (latest === undefined || this.#subscribed === undefined) return;
      this._snapshot = latest;
      this._history = appendPoint(this._history, pointOf(latest));
      this.#read(this.#subscribed); // the guardrails may have closed a window on this run
    };
    if (this._snapshot === undefined) flush();
    else this.#timer = setTimeout(flush, SNAPSHOT_INTERVAL_MS);
  }

  #onSimulate = (event: SubmitEvent): void => {
    event.preventDefault(); // the form only collects N; nothing is sent anywhere
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('users') as HTMLInputElement;
    if (!input.checkValidity()) return void input.reportValidity();
    this.simulateUsers = clampUsers(Number(input.value));
  };

  #rearm = (): void => {
    const rollout = this.rollout;
    const metric = this._status?.latch?.metric ?? '';
    if (rollout === undefined) return;
    rollout.rearm();
    this.#read(rollout);
    this.dispatchEvent(new CustomEvent<SemfilterRearmDetail>('semfilter-rearm', { detail: { metric }, bubbles: true, composed: true }));
    // The button goes away with the notice: keep keyboard focus in the panel, on the decision it changed.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#decision-heading')?.focus());
  };
}

function clampUsers(users: number): number {
  return Number.isFinite(users) ? Math.min(PANEL_MAX_SIMULATED_USERS, Math.max(1, Math.round(users))) : 10_000;
}
