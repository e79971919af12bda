import { evaluateTotals, fleetModeAccumulators, formatDuration, mergeThresholds, type GuardrailThresholds, type WindowTotals } from '@semfilter/core/metrics';
import { FleetError } from './errors.js';
import type { FlagService, ServedFlag } from './flags.js';
import { BUCKET_MS } from './store/rows.js';
import type { StageKey, Store, StoredWindow, WindowData } from './store/store.js';

/** Who the server's own changes are written as, in the history. */
export const GUARDRAILS_ACTOR = 'guardrails';
export const SCHEDULE_ACTOR = 'schedule';

/** Windows one tick evaluates per flag at most: after a long outage the evaluator catches up over several ticks instead of stalling. */
const MAX_WINDOWS_PER_TICK = 12;

/** What the evaluator tells the outside (webhooks, logs, metrics). */
export interface EvaluatorEvents {
  window(flag: string, window: StoredWindow): void;
  /** Judging one flag failed this tick (it is judged again on the next); the other flags were judged all the same. */
  failed(flag: string, error: unknown): void;
}

/**
 * Judges every running rollout on the fleet's windows and acts on them: after `failingWindows`
 * FAIL windows in a row (INCONCLUSIVE ones neither count nor forgive, as in Argo Rollouts) it rolls
 * the flag back for everyone; when a stage has run its scheduled time with the PASS windows it
 * needs and no FAIL, it promotes. Both are new config versions made against the version judged
 * (If-Match), so an operator's change in between wins and the evaluator simply looks again.
 */
export class FleetEvaluator {
  constructor(
    readonly flags: FlagService,
    readonly store: Store,
    readonly now: () => number,
    readonly events: EvaluatorEvents,
  ) {}

  /** Evaluates what has closed since the last tick, on the instance that leads. */
  async tick(): Promise<void> {
    if (!(await this.store.lead())) return;
    for (const served of this.flags.all()) {
      // One flag's failure (a bad row, a store error on its windows) must not keep a rollback of the next one from happening.
      try {
        await this.#judge(served);
      } catch (error) {
        this.events.failed(served.version.flag, error);
      }
    }
  }

  async #judge(served: ServedFlag): Promise<void> {
    const { config, settings } = served.version;
    if (config.mode === 'off' || config.killSwitch) return; // nobody runs semantic mode: nothing to judge
    const thresholds = mergeThresholds(config.guardrails);
    const key: StageKey = { flag: config.flag, stage: config.stage ?? -1, mode: config.mode };
    const windowMs = fleetWindowMs(thresholds);
    // Windows start on the first whole minute of the stage, so each covers whole minute buckets.
    const origin = Math.ceil(served.version.stageStartedAt / BUCKET_MS) * BUCKET_MS;
    const windows = await this.store.windows(key, origin);
    // The next window starts where the last one ended (not last start + today's length): a window
    // length changed mid-stage must neither judge the same minutes twice nor skip any.
    let start = windows.length === 0 ? origin : Math.max(origin, windows[windows.length - 1]!.end);
    for (let n = 0; n < MAX_WINDOWS_PER_TICK && start + windowMs <= this.now(); n++, start += windowMs) {
      const data = await this.store.windowData(key, start, start + windowMs);
      const evaluation = evaluateTotals(totalsOf(data), thresholds);
      const window: StoredWindow = { ...key, configVersion: config.version, start, end: start + windowMs, ...evaluation, clients: data.clients, evaluatedAt: this.now() };
      if (!(await this.store.insertWindow(window))) return; // another instance judged it: it acts on it
      windows.push(window);
      this.events.window(config.flag, window);
    }
    const failing = trailingFailures(windows);
    if (failing.length >= thresholds.failingWindows) {
      await this.#change(served, 'guardrail-rollback', GUARDRAILS_ACTOR, rollbackReason(failing, settings.onFail), { windows: failing });
      return;
    }
    const step = config.stage === undefined ? undefined : settings.schedule?.[config.stage];
    if (step === undefined || settings.paused) return;
    // Catching up after downtime: windows still unjudged may hold a FAIL, so no promotion until they are judged.
    if (start + windowMs <= this.now()) return;
    const passes = windows.filter((w) => w.result === 'PASS').length;
    const dwelt = this.now() - served.version.stageStartedAt;
    if (dwelt >= step.minDurationMs && passes >= step.passWindows && !windows.some((w) => w.result === 'FAIL')) {
      const reason = `stage ${config.stage} held for ${formatDuration(dwelt)} with ${passes} PASS window(s) and no FAIL (the schedule asks ${formatDuration(step.minDurationMs)} and ${step.passWindows})`;
      await this.#change(served, 'scheduled-promotion', SCHEDULE_ACTOR, reason, { windows: windows.slice(-Math.max(1, step.passWindows)) });
    }
  }

  async #change(served: ServedFlag, action: 'guardrail-rollback' | 'scheduled-promotion', actor: string, reason: string, evidence: unknown): Promise<void> {
    try {
      await this.flags.act(served.version.flag, action, { actor, reason, ifMatch: served.etag }, evidence);
    } catch (error) {
      // Someone changed the flag meanwhile: their version stands; the next tick judges it afresh.
      if (!(error instanceof FleetError && error.code === 'VERSION_MISMATCH')) throw error;
    }
  }
}

/** The fleet window in whole minutes (the buckets' size), at least one. */
export function fleetWindowMs(thresholds: GuardrailThresholds): number {
  return Math.max(1, Math.round(thresholds.fleetWindowMs / BUCKET_MS)) * BUCKET_MS;
}

/** Sums a window's buckets into what the guardrail rules read. */
export function totalsOf(data: WindowData): WindowTotals {
  const modes = fleetModeAccumulators();
  for (const mode of data.traditional) modes.traditional.merge(mode);
  for (const mode of data.semantic) modes.semantic.merge(mode);
  return { traditional: modes.traditional.totals(), semantic: modes.semantic.totals(), clients: data.clients };
}

/** The FAIL windows since the last PASS (INCONCLUSIVE ones skipped), oldest first. */
export function trailingFailures(windows: readonly StoredWindow[]): StoredWindow[] {
  const failing: StoredWindow[] = [];
  for (let i = windows.length - 1; i >= 0 && windows[i]!.result !== 'PASS'; i--) if (windows[i]!.result === 'FAIL') failing.unshift(windows[i]!);
  return failing;
}

/** The rollback in words: which checks failed, by how much, over how many clients. */
function rollbackReason(failing: readonly StoredWindow[], onFail: 'kill' | 'previousStage'): string {
  const last = failing[failing.length - 1]!;
  const breaches = last.checks
    .filter((c) => c.status === 'FAIL')
    .map((c) => `${c.metric} ${round(c.value)} ${c.bound === 'max' ? 'over' : 'under'} ${round(c.threshold)}`)
    .join(', ');
  const what = onFail === 'kill' ? 'kill switch on' : 'back one stage';
  return `${failing.length} FAIL window(s) in a row (${breaches}; ${last.semanticRuns} semantic runs from ${last.clients} clients): ${what}`;
}

function round(value: number | null): string {
  return value === null ? 'n/a' : String(Math.round(value * 1000) / 1000);
}

