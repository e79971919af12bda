import { formatDuration, type GuardrailCheck } from '@semfilter/core/metrics';
import type { RolloutConfig } from '@semfilter/core/rollout';
import type { FlagVersionView, FleetAction, SeriesView, WindowView } from './types.js';

// The dashboard's words, apart from its templates: every sentence an operator reads about a flag.

/** Check names as people say them. */
export const CHECK_LABELS: Readonly<Record<string, string>> = {
  pass_rate: 'pass rate',
  fallback_or_error_rate: 'fallback/error rate',
  mean_latency_ms: 'mean latency',
  p95_latency_ms: 'p95 latency',
  cache_hit_rate: 'cache hit rate',
};

/** A check's value in its unit: rates as percentages, latencies in ms. */
export function formatValue(metric: string, value: number | null): string {
  if (value === null) return '—';
  return metric.endsWith('_ms') ? `${Math.round(value).toLocaleString('en')} ms` : `${(value * 100).toFixed(1)}%`;
}

/** The share of users a config serves semantic mode to now (0 with the kill switch or mode off). */
export function servedShare(config: RolloutConfig): number {
  if (config.killSwitch || config.mode === 'off') return 0;
  return config.stages === undefined ? (config.coverage ?? 0) : (config.stages[config.stage ?? 0] ?? 0);
}

/** "stage 2 of 4 (25%)", or "coverage 10%". */
export function stageWords(config: RolloutConfig): string {
  if (config.stages === undefined) return `coverage ${percent(config.coverage ?? 0)}`;
  const stage = config.stage ?? 0;
  return `stage ${stage + 1} of ${config.stages.length} (${percent(config.stages[stage] ?? 0)})`;
}

/** How a version came about, as an operator says it: "kill switch set by alice", "rolled back by the guardrails". */
export function madeWords({ action, actor }: Pick<FlagVersionView, 'action' | 'actor'>): string {
  switch (action) {
    case 'create': return `created by ${actor}`;
    case 'update': return `config changed by ${actor}`;
    case 'kill': return `kill switch set by ${actor}`;
    case 'promote': return `promoted by ${actor}`;
    case 'rollback': return `rolled back by ${actor}`;
    case 'pause': return `promotion paused by ${actor}`;
    case 'resume': return `promotion resumed by ${actor}`;
    case 'abort': return `rollout aborted by ${actor}`;
    case 'guardrail-rollback': return 'rolled back by the guardrails';
    case 'scheduled-promotion': return 'promoted on schedule';
    default: return `${action} by ${actor}`; // an action a newer server added
  }
}

/** What users get now, in one line. */
export function stateWords(version: FlagVersionView): string {
  const { config, settings } = version;
  if (config.killSwitch) return 'Kill switch ON: semantic mode is off for everyone';
  if (config.mode === 'off') return 'Mode off: nobody runs semantic mode';
  const mode = config.mode === 'shadow' ? 'shadow mode (semantic runs in the background)' : 'semantic mode';
  return `${mode} for ${percent(servedShare(config))} of users, ${stageWords(config)}${settings.paused ? ', paused' : ''}`;
}

/** The schedule in words: one step per stage but the last. */
export function scheduleWords(version: FlagVersionView): string {
  const schedule = version.settings.schedule;
  if (schedule === undefined || schedule.length === 0) return 'no schedule: promotion by hand only';
  return schedule.map((step, i) => `stage ${i + 1}→${i + 2}: ${formatDuration(step.minDurationMs)} and ${step.passWindows} PASS window(s)`).join('; ');
}

/** When the schedule promotes next, and what it still waits for (windows: this flag's latest, newest first). */
export function nextPromotionWords(version: FlagVersionView, windows: readonly WindowView[], now: number): string {
  const { config, settings } = version;
  if (config.killSwitch) return 'none: the kill switch is on';
  if (config.stages === undefined || config.stage === undefined) return 'none: the config has coverage, not stages';
  if (config.stage + 1 >= config.stages.length) return 'none: this is the last stage';
  const step = settings.schedule?.[config.stage];
  if (step === undefined) return 'by hand only (no schedule)';
  if (settings.paused) return 'paused: no scheduled promotion until someone resumes';
  const since = Date.parse(version.stageStartedAt);
  const here = windows.filter((w) => w.stage === config.stage && w.start >= since - 60_000);
  if (here.some((w) => w.result === 'FAIL')) return 'held: a window at this stage FAILed (the schedule never promotes past a FAIL)';
  const passes = here.filter((w) => w.result === 'PASS').length;
  const waitMs = Math.max(0, since + step.minDurationMs - now);
  const target = `to stage ${config.stage + 2} (${percent(config.stages[config.stage + 1]!)})`;
  if (waitMs === 0 && passes >= step.passWindows) return `${target} at the next window`;
  return `${target} after ${waitMs === 0 ? 'the time asked' : `${formatDuration(waitMs)} more`} and ${Math.max(0, step.passWindows - passes)} more PASS window(s) (${passes} of ${step.passWindows} so far)`;
}

const MOVES = new Set(['guardrail-rollback', 'rollback', 'kill', 'abort', 'promote', 'scheduled-promotion']);

/** Why the latest promotion or rollback happened, in words, from the history (newest first); null when there was none. */
export function lastMoveWords(versions: readonly FlagVersionView[]): string | null {
  const move = versions.find((v) => MOVES.has(v.action));
  if (move === undefined) return null;
  const what: Record<string, string> = {
    'guardrail-rollback': 'The guardrails rolled it back',
    rollback: `${move.actor} rolled it back`,
    kill: `${move.actor} turned the kill switch on`,
    abort: `${move.actor} aborted the rollout`,
    promote: `${move.actor} promoted it`,
    'scheduled-promotion': 'The schedule promoted it',
  };
  const windows = evidenceWindows(move.evidence);
  const failed = windows.flatMap((w) => w.checks.filter((c) => c.status === 'FAIL').map((c) => `${CHECK_LABELS[c.metric] ?? c.metric} ${formatValue(c.metric, c.value)} against a threshold of ${formatValue(c.metric, c.threshold)}`));
  const seen = windows.length === 0 ? '' : ` It judged ${windows.length} window(s) of up to ${Math.max(...windows.map((w) => w.clients)).toLocaleString('en')} clients${failed.length === 0 ? '' : `: ${[...new Set(failed)].join('; ')}`}.`;
  return `${what[move.action]} to version ${move.version} on ${when(move.at)} (${stateWords(move)}). Why: ${move.reason ?? 'no reason given'}.${seen}`;
}

/** The windows a version's evidence names (the server's own changes carry them). */
export function evidenceWindows(evidence: unknown): WindowView[] {
  const windows = (evidence as { windows?: unknown } | null)?.windows;
  return Array.isArray(windows) ? (windows as WindowView[]) : [];
}

/** What the fleet's latest numbers say about its size: who reported, at which share, and the population that implies. */
export interface FleetEstimate {
  /** Distinct clients with semantic runs in the latest interval that had any. */
  readonly clients: number;
  /** The share of users the stage they reported from serves. */
  readonly share: number;
  /** Every client, estimated: those clients are `share` of them. */
  readonly population: number;
}

/**
 * Estimates the fleet from the series: the latest closed interval with semantic runs (the open one
 * if none), on any stage line
 * (right after a rollback the clients still report from the stage they left), scaled up by that
 * stage's share. Null when nobody reported lately, or the stage's share is unknown.
 */
export function fleetEstimate(version: FlagVersionView, series: SeriesView | null): FleetEstimate | null {
  const { config } = version;
  // The last interval is still filling (its clients trickle in): a closed one counts first.
  const latest = (closed: boolean) => {
    let best: { clients: number; stage: number; end: number } | null = null;
    for (const line of series?.stages ?? []) {
      line.points.forEach((point, i) => {
        const isClosed = i < line.points.length - 1;
        if (isClosed === closed && point.clients > 0 && (best === null || point.end > best.end)) best = { clients: point.clients, stage: line.stage, end: point.end };
      });
    }
    return best as { clients: number; stage: number; end: number } | null;
  };
  const best = latest(true) ?? latest(false);
  if (best === null) return null;
  const share = best.stage === -1 ? (config.coverage ?? 0) : (config.stages?.[best.stage] ?? 0);
  return share === 0 ? null : { clients: best.clients, share, population: Math.round(best.clients / share) };
}

/** The estimate in words, for the status line and the confirmations. */
export function estimateWords(estimate: FleetEstimate | null): string {
  if (estimate === null) return 'no clients reported semantic runs lately, so the fleet size is unknown';
  return `${estimate.clients.toLocaleString('en')} ${estimate.clients === 1 ? 'client' : 'clients'} reported semantic runs at ${percent(estimate.share)} in the latest interval: about ${estimate.population.toLocaleString('en')} clients in all`;
}

/** What an action will do, to how many users: the confirmation's words. */
export function impactWords(action: FleetAction | 'edit', version: FlagVersionView, estimate: FleetEstimate | null): string {
  const { config } = version;
  const share = servedShare(config);
  const users = (moved: number) => (estimate === null ? 'an unknown number of users' : `about ${Math.round(estimate.population * moved).toLocaleString('en')} users`);
  const basis = ` (estimated: ${estimateWords(estimate)})`;
  const nextShare = config.stages?.[(config.stage ?? 0) + 1];
  const previousShare = config.stage === undefined || config.stage === 0 ? undefined : config.stages?.[config.stage - 1];
  switch (action) {
    case 'kill':
      return `Semantic mode goes off for everyone now: ${users(share)} (${percent(share)}) get traditional filtering on their next refresh or push${basis}.`;
    case 'promote':
      return nextShare === undefined ? 'There is no next stage.' : `Semantic mode goes from ${percent(share)} to ${percent(nextShare)} of users: ${users(nextShare - share)} start running it${basis}.`;
    case 'rollback':
      return previousShare === undefined
        ? `This is the first stage, so a rollback turns the kill switch on: ${users(share)} go back to traditional filtering${basis}. Promotion pauses until someone resumes.`
        : `Semantic mode goes from ${percent(share)} back to ${percent(previousShare)} of users: ${users(share - previousShare)} go back to traditional filtering${basis}. Promotion pauses until someone resumes.`;
    case 'pause':
      return `No user changes mode now: ${users(share)} keep semantic mode${basis}; the schedule stops promoting until someone resumes.`;
    case 'resume':
      return `No user changes mode now; the schedule may promote again once this stage has its time and PASS windows, then ${nextShare === undefined ? 'nobody more' : users(nextShare - share)} start running semantic mode${basis}.`;
    case 'edit':
      return `A new version goes to every client on its next refresh or push: ${users(1)} read it${basis}.`;
  }
}

/** The changes from one version to the next, as `path: before → after` lines (config and settings). */
export function versionDiff(before: FlagVersionView | undefined, after: FlagVersionView): string[] {
  if (before === undefined) return ['created'];
  const a = flatten({ config: { ...before.config, version: undefined }, settings: before.settings });
  const b = flatten({ config: { ...after.config, version: undefined }, settings: after.settings });
  const lines: string[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) if (a.get(path) !== b.get(path)) lines.push(`${path}: ${a.get(path) ?? '(none)'} → ${b.get(path) ?? '(none)'}`);
  return lines.length === 0 ? ['no change to the config or settings'] : lines;
}

/** A JSON value as leaf paths (`config.stages[1]`) and their JSON text; arrays of scalars stay whole. */
function flatten(value: unknown, path = '', into = new Map<string, string>()): Map<string, string> {
  if (value === undefined) return into;
  const scalarArray = Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null);
  if (typeof value !== 'object' || value === null || scalarArray) into.set(path, JSON.stringify(value));
  else if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${path}[${i}]`, into));
  else for (const [key, v] of Object.entries(value)) flatten(v, path === '' ? key : `${path}.${key}`, into);
  return into;
}

/** The check's outcome in words for screen readers and the evidence table. */
export function checkWords(check: GuardrailCheck): string {
  const relation = check.bound === 'max' ? 'at most' : 'at least';
  return `${CHECK_LABELS[check.metric] ?? check.metric} ${formatValue(check.metric, check.value)}, ${relation} ${formatValue(check.metric, check.threshold)}: ${check.status}`;
}

/** A time as operators read it: "2026-01-01 12:05:00 UTC". */
export function when(at: string | number): string {
  return new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** 0.05 → "5%". */
export function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}
