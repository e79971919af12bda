import { FALLBACK_REASONS, type FilterReport } from '../report/filter-report.js';
import { RingBuffer } from './percentiles.js';
import { buildSnapshot } from './sample-stats.js';
import type { MetricsSnapshot } from './snapshot.js';
import type { RunCounts, RunMode, RunRole, RunSample } from './run-sample.js';

/** What recordReport may add to or override in what it reads off a report. */
export interface RecordExtra {
  /** Default: semantic unless the report's fallback_reason is DISABLED (INVALID_INPUT reports cannot tell; pass it). */
  readonly mode?: RunMode;
  /** Default: the report's timings_ms.total. */
  readonly latencyMs?: number;
  readonly error?: boolean;
  readonly cache?: RunSample['cache'];
  readonly flips?: RunSample['flips'];
}

/** Collects filter runs and turns them into snapshots (counts, rates and timings only). */
export interface MetricsRecorder {
  /** Records one run; bad numbers are clamped or dropped, never thrown. */
  record(sample: RunSample): void;
  /** Records a run from its report: pass rate, fallback reason and timing are read off it. */
  recordReport(report: FilterReport, role: RunRole, extra?: RecordExtra): void;
  /** The metrics now: lifetime run counts, everything else over the sliding window. */
  snapshot(): MetricsSnapshot;
  /** Calls `listener` with a fresh snapshot after every recorded run; returns the unsubscribe function. */
  subscribe(listener: (snapshot: MetricsSnapshot) => void): () => void;
  /** Calls `listener` with every recorded sample (guardrails build their windows from these); returns the unsubscribe function. */
  subscribeSamples(listener: (sample: RunSample) => void): () => void;
  /** The samples in the sliding window, oldest first. */
  samples(): readonly RunSample[];
  /** Forgets every sample and count. */
  reset(): void;
}

/** Options of createMetricsRecorder. */
export interface MetricsRecorderOptions {
  /** Runs in the sliding window that rates and percentiles cover. Default 500. */
  readonly windowSize?: number;
  /** Milliseconds clock for sample and snapshot times. Default Date.now. */
  readonly now?: () => number;
  /** The telemetry hook: receives every snapshot, as subscribe() does (no vendor SDK inside). */
  readonly onSnapshot?: (snapshot: MetricsSnapshot) => void;
}

/** Creates a recorder; percentiles are exact over the last `windowSize` runs (nearest-rank). */
export function createMetricsRecorder(options: MetricsRecorderOptions = {}): MetricsRecorder {
  const now = options.now ?? Date.now;
  const windowSize = Number.isInteger(options.windowSize) && options.windowSize! > 0 ? options.windowSize! : 500;
  const window = new RingBuffer<RunSample>(windowSize);
  const snapshotListeners = new Set<(snapshot: MetricsSnapshot) => void>();
  const sampleListeners = new Set<(sample: RunSample) => void>();
  if (options.onSnapshot) snapshotListeners.add(options.onSnapshot);
  let counts = zeroCounts();

  const snapshot = (): MetricsSnapshot => buildSnapshot(window.toArray(), { ...counts }, windowSize, now());

  const record = (input: RunSample): void => {
    const sample = cleanSample(input, now);
    if (sample === undefined) return;
    window.push(sample);
    counts.total++;
    counts[sample.mode]++;
    counts[sample.role]++;
    for (const listener of [...sampleListeners]) notify(listener, sample);
    if (snapshotListeners.size === 0) return;
    const current = snapshot();
    for (const listener of [...snapshotListeners]) notify(listener, current);
  };

  return {
    record,
    recordReport(report, role, extra = {}) {
      const fallbackReason = report?.fallback_reason ?? null;
      record({
        mode: extra.mode ?? (fallbackReason === 'DISABLED' ? 'traditional' : 'semantic'),
        role,
        passRate: report?.filter_pass_rate ?? 0,
        latencyMs: extra.latencyMs ?? report?.timings_ms?.total ?? 0,
        fallbackReason,
        ...(extra.error === undefined ? {} : { error: extra.error }),
        ...(extra.cache === undefined ? {} : { cache: extra.cache }),
        ...(extra.flips === undefined ? {} : { flips: extra.flips }),
      });
    },
    snapshot,
    subscribe(listener) {
      snapshotListeners.add(listener);
      return () => void snapshotListeners.delete(listener);
    },
    subscribeSamples(listener) {
      sampleListeners.add(listener);
      return () => void sampleListeners.delete(listener);
    },
    samples: () => window.toArray(),
    reset() {
      window.clear();
      counts = zeroCounts();
    },
  };
}

function zeroCounts(): RunCounts {
  return { total: 0, traditional: 0, semantic: 0, served: 0, shadow: 0 };
}

/** A listener that throws must not break the filter run that fed the recorder. */
function notify<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch {
    // the host's telemetry failing is the host's business; the run carries on
  }
}

/**
 * Copies only the known numeric fields and codes, so a sample built from a spread report (or a
 * caller's object with extra fields) cannot carry ids or tags into the window.
 */
function cleanSample(input: RunSample, now: () => number): RunSample | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  if (input.mode !== 'traditional' && input.mode !== 'semantic') return undefined;
  if (input.role !== 'served' && input.role !== 'shadow') return undefined;
  const reason = typeof input.fallbackReason === 'string' && Object.hasOwn(FALLBACK_REASONS, input.fallbackReason) ? input.fallbackReason : null;
  const sample: { -readonly [K in keyof RunSample]: RunSample[K] } = {
    mode: input.mode,
    role: input.role,
    passRate: clamp(input.passRate, 0, 1),
    latencyMs: clamp(input.latencyMs, 0, Number.MAX_SAFE_INTEGER),
    fallbackReason: reason,
    at: Number.isFinite(input.at) ? input.at! : now(),
  };
  if (input.error === true) sample.error = true;
  const cache = pair(input.cache?.hits, input.cache?.lookups);
  if (cache) sample.cache = { hits: cache[0], lookups: cache[1] };
  const flips = pair(input.flips?.flipped, input.flips?.compared);
  if (flips) sample.flips = { flipped: flips[0], compared: flips[1] };
  return sample;
}

function clamp(value: unknown, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

/** A (part, whole) count pair with 0 ≤ part ≤ whole, or undefined. */
function pair(part: unknown, whole: unknown): [number, number] | undefined {
  if (typeof part !== 'number' || typeof whole !== 'number' || !Number.isFinite(part) || !Number.isFinite(whole)) return undefined;
  const total = Math.max(0, Math.floor(whole));
  return [Math.min(total, Math.max(0, Math.floor(part))), total];
}
