import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { GUARDRAIL_METRICS } from '@semfilter/core/metrics';
import type { ServedFlag } from './flags.js';
import type { StoredWindow } from './store/store.js';

const RESULT_VALUE = { PASS: 1, INCONCLUSIVE: 0, FAIL: -1 } as const;

/**
 * The server's Prometheus metrics, on a registry of its own (several servers in one process, as in
 * tests, never share counters). Labels are flags, stages, modes, checks and outcomes only: never a
 * client id, a token or anything a user sent. Names follow Prometheus practice: a `semfilter_`
 * prefix, base units in the name, `_total` on counters.
 */
export class FleetMetrics {
  readonly registry = new Registry();
  readonly ingested = new Counter({ name: 'semfilter_ingest_snapshots_total', help: 'Snapshots received, by result (accepted, duplicate, rejected)', labelNames: ['result'], registers: [this.registry] });
  readonly transitions = new Counter({ name: 'semfilter_rollout_transitions_total', help: 'New config versions, by flag and what made them', labelNames: ['flag', 'action'], registers: [this.registry] });
  readonly windows = new Counter({ name: 'semfilter_guardrail_windows_total', help: 'Fleet guardrail windows evaluated, by flag and result', labelNames: ['flag', 'result'], registers: [this.registry] });
  readonly streams = new Gauge({ name: 'semfilter_sse_clients', help: 'Open config streams (Server-Sent Events)', registers: [this.registry] });
  readonly #version = new Gauge({ name: 'semfilter_config_version', help: 'The config version this instance serves, per flag (instances that disagree for long are out of sync)', labelNames: ['flag'], registers: [this.registry] });
  readonly #stage = new Gauge({ name: 'semfilter_rollout_stage', help: 'The stage index served (-1: coverage, no stages), per flag', labelNames: ['flag'], registers: [this.registry] });
  readonly #share = new Gauge({ name: 'semfilter_rollout_share', help: 'The share of users in the rollout now (0 when the kill switch is on or the mode is off)', labelNames: ['flag'], registers: [this.registry] });
  readonly #status = new Gauge({ name: 'semfilter_guardrail_status', help: 'The last fleet window: 1 PASS, 0 INCONCLUSIVE, -1 FAIL', labelNames: ['flag', 'stage', 'mode'], registers: [this.registry] });
  readonly #check = new Gauge({ name: 'semfilter_guardrail_value', help: "The last fleet window's value per check (pass_rate, fallback_or_error_rate, mean_latency_ms, p95_latency_ms, cache_hit_rate)", labelNames: ['flag', 'stage', 'mode', 'check'], registers: [this.registry] });
  readonly #clients = new Gauge({ name: 'semfilter_window_clients', help: 'Distinct clients in the last fleet window', labelNames: ['flag', 'stage', 'mode'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'semfilter_process_' });
  }

  /** Records the version a flag is served at. */
  served(flag: ServedFlag): void {
    const { config } = flag.version;
    this.#version.set({ flag: config.flag }, config.version);
    this.#stage.set({ flag: config.flag }, config.stage ?? -1);
    const share = config.killSwitch || config.mode === 'off' ? 0 : (config.coverage ?? config.stages?.[config.stage ?? 0] ?? 0);
    this.#share.set({ flag: config.flag }, share);
  }

  /** Records an evaluated window. */
  window(window: StoredWindow): void {
    const labels = { flag: window.flag, stage: String(window.stage), mode: window.mode };
    this.windows.inc({ flag: window.flag, result: window.result });
    this.#status.set(labels, RESULT_VALUE[window.result]);
    this.#clients.set(labels, window.clients);
    for (const check of window.checks) {
      if (check.value !== null && Object.values(GUARDRAIL_METRICS).includes(check.metric)) this.#check.set({ ...labels, check: check.metric }, check.value);
    }
  }
}
