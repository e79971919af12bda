import { fleetModeAccumulators, fleetSnapshotSchema, MAX_SNAPSHOT_SPAN_MS, type FleetModeAccumulator, type FleetSnapshot } from '../metrics/fleet-snapshot.js';
import type { MetricsRecorder } from '../metrics/recorder.js';
import type { RunMode, RunSample } from '../metrics/run-sample.js';
import type { RolloutConfig } from './config.js';
import type { Rollout } from './controller.js';
import { entryOf, messageOf, SnapshotSender, type Entry } from './snapshot-sender.js';

export { MAX_BATCH_BYTES, MAX_RETRY_DELAY_MS } from './snapshot-sender.js';

/** Options of createSnapshotReporter: a rollout (or a recorder and a config getter) and where to send. */
export interface SnapshotReporterOptions {
  /** The ingest endpoint, e.g. `https://flags.example.com/v1/metrics`. */
  readonly url: string;
  /** The public client key, sent as `?key=` because beacons carry no headers. */
  readonly clientKey: string;
  /** Whose runs to report: either this… */
  readonly rollout?: Pick<Rollout, 'recorder' | 'config'>;
  /** …or these two: the runs, */
  readonly recorder?: MetricsRecorder;
  /** and the config in force when each run is recorded. */
  readonly config?: () => RolloutConfig;
  /** How often the open interval becomes a snapshot and is sent (default 60000 ms, at most an hour). */
  readonly intervalMs?: number;
  /** Snapshots kept while the server cannot be reached (default 50); the oldest are dropped first. */
  readonly maxBuffered?: number;
  /** One POST, answer included (default 30000 ms). */
  readonly timeoutMs?: number;
  /** The fetch for POSTs (default: the global one). */
  readonly fetch?: typeof fetch;
  /** Used when the page is hidden or goes (default: navigator.sendBeacon where there is one). */
  readonly sendBeacon?: (url: string, body: string) => boolean;
  /** Epoch milliseconds (default Date.now). */
  readonly now?: () => number;
  /** Snapshot and client ids (default crypto.randomUUID). */
  readonly randomId?: () => string;
  /** 0 ≤ x < 1 for the retry jitter (default Math.random). */
  readonly random?: () => number;
  /** The interval and retry timers (default: the global setTimeout and clearTimeout). */
  readonly setTimeout?: (callback: () => void, ms: number) => unknown;
  readonly clearTimeout?: (handle: unknown) => void;
  /** Where to listen for `pagehide`, and on its `document` (if any) for `visibilitychange` (default: the window, if any; null: nowhere). */
  readonly target?: EventTarget | null;
}

/** What the reporter has done so far. */
export interface SnapshotReporterStatus {
  /** Snapshots waiting to be sent. */
  readonly buffered: number;
  /** Snapshots delivered: answered 202 (new or duplicate), or taken by a beacon. */
  readonly sent: number;
  /** Snapshots pushed out of the full buffer, oldest first. */
  readonly dropped: number;
  /** Snapshots the server refused (400, or 413 for one alone): never resent, as they would fail again. */
  readonly rejected: number;
  /** Why the latest attempt failed; null after a delivered batch. */
  readonly lastError: string | null;
  /** When the next send may go after a failure (the `now` clock); null when one may go now. */
  readonly nextAttemptAt: number | null;
}

/**
 * Reports this page's filter runs to the fleet server as FleetSnapshots. What is sent: counts,
 * sums, a latency sketch, the flag name, config version, stage and rollout mode, interval times,
 * and two random ids (one per snapshot, one per page session, kept in memory only). What is not:
 * no user id, no item, no tag, nothing derived from a user.
 * @fires sent - CustomEvent<{ accepted, duplicates }> for every batch the server accepted.
 * @fires error - CustomEvent<{ message }> for a failed or refused send; it never throws.
 */
export interface SnapshotReporter extends EventTarget {
  /** Closes the open interval and sends the buffer (unless a retry is pending). Never rejects. */
  flush(): Promise<void>;
  readonly status: SnapshotReporterStatus;
  /** Starts collecting runs, sending every intervalMs, and the beacon when the page is hidden or goes. */
  start(): void;
  /** Stops collecting and sending; the open interval joins the buffer, which flush() can still send. */
  stop(): void;
  /** stop(), and forgets the buffer: call flush() first to send it. */
  dispose(): void;
}

/** Creates a reporter; call start(). Throws only without a rollout or a recorder and config (a programmer error at setup). */
export function createSnapshotReporter(options: SnapshotReporterOptions): SnapshotReporter {
  return new Reporter(options);
}

interface OpenInterval {
  readonly context: Pick<FleetSnapshot, 'flag' | 'config_version' | 'stage' | 'rollout_mode'>;
  readonly key: string;
  /** The first run's time: an idle stretch before it is no part of the interval. */
  readonly startMs: number;
  lastSampleMs: number;
  readonly modes: Record<RunMode, FleetModeAccumulator>;
}

/** The part of a Document the reporter watches. */
interface VisibilityDocument extends EventTarget {
  readonly visibilityState: string;
}

class Reporter extends EventTarget implements SnapshotReporter {
  readonly #recorder: MetricsRecorder;
  readonly #config: () => RolloutConfig;
  readonly #intervalMs: number;
  readonly #maxBuffered: number;
  readonly #now: () => number;
  readonly #randomId: () => string;
  readonly #setTimeout: (callback: () => void, ms: number) => unknown;
  readonly #clearTimeout: (handle: unknown) => void;
  readonly #target: EventTarget | null;
  readonly #document: VisibilityDocument | null;
  readonly #buffer: Entry[] = [];
  readonly #sender: SnapshotSender;
  readonly #onPageHide = () => this.#hide();
  // On mobile, pagehide often never fires (the app is switched away, then killed): hidden is the last sure moment.
  readonly #onVisibilityChange = () => {
    if (this.#document?.visibilityState === 'hidden') this.#hide();
  };
  #clientId: string | null = null;
  #open: OpenInterval | null = null;
  #dropped = 0;
  #lastError: string | null = null;
  #unsubscribe: (() => void) | null = null;
  #intervalTimer: unknown = null;
  #disposed = false;

  constructor(options: SnapshotReporterOptions) {
    super();
    const rollout = options.rollout;
    const recorder = rollout?.recorder ?? options.recorder;
    const config = rollout ? () => rollout.config : options.config;
    if (recorder === undefined || config === undefined) throw new TypeError('createSnapshotReporter needs a rollout, or a recorder and a config');
    this.#recorder = recorder;
    this.#config = config;
    this.#intervalMs = Math.min(MAX_SNAPSHOT_SPAN_MS, positive(options.intervalMs, 60_000));
    this.#maxBuffered = Math.floor(positive(options.maxBuffered, 50));
    this.#now = options.now ?? Date.now;
    this.#randomId = options.randomId ?? defaultRandomId;
    this.#setTimeout = options.setTimeout ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimeout = options.clearTimeout ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.#target = options.target === undefined ? ((globalThis as { window?: EventTarget }).window ?? null) : options.target;
    this.#document = documentOf(this.#target);
    this.#sender = new SnapshotSender(this.#buffer, {
      url: `${options.url}${options.url.includes('?') ? '&' : '?'}key=${encodeURIComponent(options.clientKey)}`,
      timeoutMs: positive(options.timeoutMs, 30_000),
      fetch: options.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined),
      beacon: options.sendBeacon ?? defaultBeacon(),
      time: () => this.#time(),
      random: options.random ?? Math.random,
      setTimeout: this.#setTimeout,
      clearTimeout: this.#clearTimeout,
      onSent: (accepted, duplicates) => {
        this.#lastError = null;
        this.dispatchEvent(new CustomEvent('sent', { detail: { accepted, duplicates } }));
      },
      onError: (message) => this.#fail(message),
    });
  }

  get status(): SnapshotReporterStatus {
    const sender = this.#sender;
    return { buffered: this.#buffer.length, sent: sender.sent, dropped: this.#dropped, rejected: sender.rejected, lastError: this.#lastError, nextAttemptAt: sender.nextAttemptAt };
  }

  async flush(): Promise<void> {
    if (this.#disposed) return;
    this.#close();
    await this.#sender.drain();
  }

  start(): void {
    if (this.#disposed || this.#unsubscribe !== null) return;
    this.#unsubscribe = this.#recorder.subscribeSamples((sample) => this.#add(sample));
    this.#target?.addEventListener('pagehide', this.#onPageHide);
    this.#document?.addEventListener('visibilitychange', this.#onVisibilityChange);
    this.#schedule();
    this.#sender.resume();
  }

  stop(): void {
    if (this.#unsubscribe === null) return;
    this.#unsubscribe();
    this.#unsubscribe = null;
    this.#target?.removeEventListener('pagehide', this.#onPageHide);
    this.#document?.removeEventListener('visibilitychange', this.#onVisibilityChange);
    this.#clearTimeout(this.#intervalTimer);
    this.#intervalTimer = null;
    this.#sender.pause();
    this.#close();
  }

  dispose(): void {
    this.stop();
    this.#sender.dispose();
    this.#buffer.length = 0;
    this.#disposed = true;
  }

  #schedule(): void {
    this.#intervalTimer = this.#setTimeout(() => {
      this.#close();
      void this.#sender.drain();
      if (this.#unsubscribe !== null) this.#schedule();
    }, this.#intervalMs);
  }

  /** One run into the open interval; a new context (flag, version, stage, mode) closes the old one first. */
  #add(sample: RunSample): void {
    try {
      const config = this.#config();
      const context = { flag: config.flag, config_version: config.version, stage: config.stage ?? null, rollout_mode: config.mode };
      const key = JSON.stringify(context);
      const now = this.#time();
      if (this.#open !== null && (this.#open.key !== key || now - this.#open.startMs > MAX_SNAPSHOT_SPAN_MS)) this.#close();
      this.#open ??= { context, key, startMs: now, lastSampleMs: now, modes: fleetModeAccumulators() };
      this.#open.modes[sample.mode].addSample(sample);
      this.#open.lastSampleMs = Math.max(this.#open.lastSampleMs, now);
    } catch (error) {
      this.#fail(`a run could not be counted (${messageOf(error)})`);
    }
  }

  /** The open interval becomes a buffered snapshot, if it passes the schema (an invalid config's would not). */
  #close(): void {
    const open = this.#open;
    this.#open = null;
    if (open === null) return;
    try {
      const now = this.#time();
      // A tab whose timers were frozen for hours still sends a snapshot the server accepts.
      const end = now - open.startMs <= MAX_SNAPSHOT_SPAN_MS ? Math.max(open.startMs, now) : open.lastSampleMs;
      this.#clientId ??= this.#randomId();
      const snapshot: FleetSnapshot = {
        schema: 1,
        snapshot_id: this.#randomId(),
        client_id: this.#clientId,
        ...open.context,
        start_ms: open.startMs,
        end_ms: end,
        modes: { traditional: open.modes.traditional.toJSON(), semantic: open.modes.semantic.toJSON() },
      };
      const checked = fleetSnapshotSchema.safeParse(snapshot);
      if (!checked.success) throw new Error(checked.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
      this.#buffer.push(entryOf(JSON.stringify(snapshot)));
      while (this.#buffer.length > this.#maxBuffered) {
        this.#buffer.shift();
        this.#dropped++;
      }
    } catch (error) {
      this.#fail(`a snapshot could not be made and was left out (${messageOf(error)})`);
    }
  }

  /** The page is hidden or going: close the interval and hand the buffer to beacons, which outlive the page. */
  #hide(): void {
    this.#close();
    this.#sender.beacon();
  }

  #time(): number {
    return Math.floor(this.#now());
  }

  #fail(message: string): void {
    this.#lastError = message;
    this.dispatchEvent(new CustomEvent('error', { detail: { message } }));
  }
}

/** The target's document, where `visibilitychange` fires: a window has one, a bare EventTarget none. */
function documentOf(target: EventTarget | null): VisibilityDocument | null {
  const document = (target as { document?: Partial<VisibilityDocument> } | null)?.document;
  return typeof document?.addEventListener === 'function' ? (document as VisibilityDocument) : null;
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function defaultBeacon(): ((url: string, body: string) => boolean) | undefined {
  const navigator = (globalThis as { navigator?: { sendBeacon?: (url: string, body: string) => boolean } }).navigator;
  return typeof navigator?.sendBeacon === 'function' ? (url, body) => navigator.sendBeacon!(url, body) : undefined;
}

/** crypto.randomUUID needs a secure context; getRandomValues does not. */
function defaultRandomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
