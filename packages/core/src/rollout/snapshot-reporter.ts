import { fleetModeAccumulators, fleetSnapshotSchema, MAX_SNAPSHOT_SPAN_MS, MAX_SNAPSHOTS_PER_BATCH, type FleetModeAccumulator, type FleetSnapshot } from '../metrics/fleet-snapshot.js';
import type { MetricsRecorder, RunMode, RunSample } from '../metrics/recorder.js';
import type { RolloutConfig } from './config.js';
import type { Rollout } from './controller.js';

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
  /** Used on pagehide (default: navigator.sendBeacon where there is one). */
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
  /** Where to listen for `pagehide` (default: the window, if any; null: nowhere). */
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
  /** Starts collecting runs, sending every intervalMs, and the pagehide beacon. */
  start(): void;
  /** Stops collecting and sending; the open interval joins the buffer, which flush() can still send. */
  stop(): void;
  /** stop(), and forgets the buffer: call flush() first to send it. */
  dispose(): void;
}

/** The largest body one POST or beacon carries, in UTF-8 bytes (beacons share a 64 KB quota too). */
export const MAX_BATCH_BYTES = 64 * 1024;
/** The longest wait between retries, and the wait after the server refused the key (401/403). */
export const MAX_RETRY_DELAY_MS = 5 * 60 * 1000;

/** Creates a reporter; call start(). Throws only without a rollout or a recorder and config (a programmer error at setup). */
export function createSnapshotReporter(options: SnapshotReporterOptions): SnapshotReporter {
  return new Reporter(options);
}

const ENVELOPE_BYTES = '{"snapshots":[]}'.length;
const encoder = new TextEncoder();

/** A buffered snapshot, serialized once: its size decides the batches, and a retry resends the same bytes. */
interface Entry {
  readonly json: string;
  readonly bytes: number;
}

interface OpenInterval {
  readonly context: Pick<FleetSnapshot, 'flag' | 'config_version' | 'stage' | 'rollout_mode'>;
  readonly key: string;
  /** The first run's time: an idle stretch before it is no part of the interval. */
  readonly startMs: number;
  lastSampleMs: number;
  readonly modes: Record<RunMode, FleetModeAccumulator>;
}

type Outcome = 'next' | 'split' | 'wait';

class Reporter extends EventTarget implements SnapshotReporter {
  readonly #recorder: MetricsRecorder;
  readonly #config: () => RolloutConfig;
  readonly #url: string;
  readonly #intervalMs: number;
  readonly #maxBuffered: number;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch | undefined;
  readonly #beacon: ((url: string, body: string) => boolean) | undefined;
  readonly #now: () => number;
  readonly #randomId: () => string;
  readonly #random: () => number;
  readonly #setTimeout: (callback: () => void, ms: number) => unknown;
  readonly #clearTimeout: (handle: unknown) => void;
  readonly #target: EventTarget | null;
  readonly #onPageHide = () => this.#pageHide();
  #clientId: string | null = null;
  #buffer: Entry[] = [];
  #open: OpenInterval | null = null;
  #sent = 0;
  #dropped = 0;
  #rejected = 0;
  #lastError: string | null = null;
  #failures = 0;
  #notBefore = 0;
  #unsubscribe: (() => void) | null = null;
  #intervalTimer: unknown = null;
  #retryTimer: unknown = null;
  #draining: Promise<void> | null = null;
  #disposed = false;

  constructor(options: SnapshotReporterOptions) {
    super();
    const rollout = options.rollout;
    const recorder = rollout?.recorder ?? options.recorder;
    const config = rollout ? () => rollout.config : options.config;
    if (recorder === undefined || config === undefined) throw new TypeError('createSnapshotReporter needs a rollout, or a recorder and a config');
    this.#recorder = recorder;
    this.#config = config;
    this.#url = `${options.url}${options.url.includes('?') ? '&' : '?'}key=${encodeURIComponent(options.clientKey)}`;
    this.#intervalMs = Math.min(MAX_SNAPSHOT_SPAN_MS, positive(options.intervalMs, 60_000));
    this.#maxBuffered = Math.floor(positive(options.maxBuffered, 50));
    this.#timeoutMs = positive(options.timeoutMs, 30_000);
    this.#fetch = options.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
    this.#beacon = options.sendBeacon ?? defaultBeacon();
    this.#now = options.now ?? Date.now;
    this.#randomId = options.randomId ?? defaultRandomId;
    this.#random = options.random ?? Math.random;
    this.#setTimeout = options.setTimeout ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimeout = options.clearTimeout ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.#target = options.target === undefined ? ((globalThis as { window?: EventTarget }).window ?? null) : options.target;
  }

  get status(): SnapshotReporterStatus {
    return { buffered: this.#buffer.length, sent: this.#sent, dropped: this.#dropped, rejected: this.#rejected, lastError: this.#lastError, nextAttemptAt: this.#notBefore === 0 ? null : this.#notBefore };
  }

  async flush(): Promise<void> {
    if (this.#disposed) return;
    this.#close();
    await this.#drain();
  }

  start(): void {
    if (this.#disposed || this.#unsubscribe !== null) return;
    this.#unsubscribe = this.#recorder.subscribeSamples((sample) => this.#add(sample));
    this.#target?.addEventListener('pagehide', this.#onPageHide);
    this.#schedule();
    if (this.#notBefore !== 0) this.#armRetry();
  }

  stop(): void {
    if (this.#unsubscribe === null) return;
    this.#unsubscribe();
    this.#unsubscribe = null;
    this.#target?.removeEventListener('pagehide', this.#onPageHide);
    this.#clearTimeout(this.#intervalTimer);
    this.#clearTimeout(this.#retryTimer);
    this.#intervalTimer = this.#retryTimer = null;
    this.#close();
  }

  dispose(): void {
    this.stop();
    this.#clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#buffer = [];
    this.#disposed = true;
  }

  #schedule(): void {
    this.#intervalTimer = this.#setTimeout(() => {
      this.#close();
      void this.#drain();
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
      const json = JSON.stringify(snapshot);
      const bytes = encoder.encode(json).length;
      if (bytes + ENVELOPE_BYTES > MAX_BATCH_BYTES) throw new Error(`it is over ${MAX_BATCH_BYTES} bytes`);
      this.#buffer.push({ json, bytes });
      while (this.#buffer.length > this.#maxBuffered) {
        this.#buffer.shift();
        this.#dropped++;
      }
    } catch (error) {
      this.#fail(`a snapshot could not be made and was left out (${messageOf(error)})`);
    }
  }

  /** Sends in turn: a drain asked for during another runs after it, so no new snapshot waits a whole interval. */
  #drain(): Promise<void> {
    const run: Promise<void> = (this.#draining ?? Promise.resolve())
      .then(() => this.#sendAll())
      .catch((error: unknown) => this.#fail(`sending failed (${messageOf(error)})`))
      .finally(() => {
        if (this.#draining === run) this.#draining = null;
      });
    this.#draining = run;
    return run;
  }

  async #sendAll(): Promise<void> {
    let limit = MAX_SNAPSHOTS_PER_BATCH;
    while (!this.#disposed && this.#buffer.length > 0 && (this.#notBefore === 0 || this.#time() >= this.#notBefore)) {
      const batch = takeBatch(this.#buffer, limit);
      const outcome = await this.#post(batch);
      if (outcome === 'wait') return;
      // 413: the server's limit is below ours; halve until it fits (one snapshot alone was refused).
      if (outcome === 'split') limit = Math.max(1, Math.floor(batch.length / 2));
    }
  }

  async #post(batch: readonly Entry[]): Promise<Outcome> {
    const what = `${batch.length} snapshot${batch.length === 1 ? '' : 's'}`;
    let response: Response;
    let text: string;
    try {
      ({ response, text } = await this.#request(bodyOf(batch)));
    } catch (error) {
      return this.#retryLater(this.#backoff(), `sending ${what} failed (${messageOf(error)})`);
    }
    const status = response.status;
    if (status >= 200 && status < 300) {
      const answer = parseJson(text) as { accepted?: unknown; duplicates?: unknown } | null;
      const count = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
      this.#remove(batch);
      this.#sent += batch.length;
      this.#failures = 0;
      this.#notBefore = 0;
      this.#lastError = null;
      this.dispatchEvent(new CustomEvent('sent', { detail: { accepted: count(answer?.accepted, batch.length), duplicates: count(answer?.duplicates, 0) } }));
      return 'next';
    }
    if (status === 413 && batch.length > 1) return 'split';
    if (status === 400 || status === 413) {
      const error = (parseJson(text) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      this.#remove(batch);
      this.#rejected += batch.length;
      this.#fail(`the server refused ${what} (HTTP ${status}${error ? `, ${String(error.code)}: ${String(error.message)}` : ''}); dropped, as a resend would fail again`);
      return 'next';
    }
    if (status === 401 || status === 403) return this.#retryLater(MAX_RETRY_DELAY_MS, `the server refused the client key (HTTP ${status}); the snapshots are kept`);
    const retryAfter = status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after'), this.#time()) : null;
    // Retry-After is a lower bound; the jitter keeps clients told the same from coming back at once.
    if (retryAfter !== null) return this.#retryLater(retryAfter + Math.floor(this.#random() * Math.min(retryAfter, 10_000) * 0.1), `the server is busy (HTTP ${status}); retrying after ${retryAfter} ms`);
    return this.#retryLater(this.#backoff(), `sending ${what} gave HTTP ${status}`);
  }

  async #request(body: string): Promise<{ response: Response; text: string }> {
    if (this.#fetch === undefined) throw new Error('no fetch in this environment');
    const controller = new AbortController();
    let timer: unknown;
    // Racing a timer as well as aborting, because an injected or polyfilled fetch may ignore the signal.
    const timeout = new Promise<never>((_, reject) => {
      timer = this.#setTimeout(() => {
        controller.abort();
        reject(new Error(`no answer within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
    });
    const send = (async () => {
      const response = await this.#fetch!(this.#url, { method: 'POST', body, keepalive: true, headers: { 'content-type': 'text/plain;charset=UTF-8' }, signal: controller.signal });
      return { response, text: await response.text() };
    })();
    send.catch(() => undefined);
    try {
      return await Promise.race([send, timeout]);
    } finally {
      this.#clearTimeout(timer);
    }
  }

  /** 1 s doubling to 5 min, each wait between half and all of that (jitter). */
  #backoff(): number {
    const ceiling = Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** this.#failures);
    this.#failures++;
    return Math.round(ceiling * (0.5 + 0.5 * this.#random()));
  }

  #retryLater(delayMs: number, message: string): Outcome {
    this.#notBefore = this.#time() + delayMs;
    this.#fail(message);
    this.#armRetry();
    return 'wait';
  }

  #armRetry(): void {
    this.#clearTimeout(this.#retryTimer);
    this.#retryTimer = this.#setTimeout(() => {
      this.#retryTimer = null;
      this.#notBefore = 0; // the timer is the clock that counts here (an injected `now` may stand still)
      void this.#drain();
    }, Math.max(0, this.#notBefore - this.#time()));
  }

  /** The page is going: close the interval and hand the buffer to beacons, which outlive the page. */
  #pageHide(): void {
    try {
      this.#close();
      if (this.#beacon === undefined) return;
      while (this.#buffer.length > 0) {
        const batch = takeBatch(this.#buffer, MAX_SNAPSHOTS_PER_BATCH);
        // false: the browser's beacon quota is full; the rest stays for a later send (a page back from bfcache).
        if (!this.#beacon(this.#url, bodyOf(batch))) break;
        this.#remove(batch);
        this.#sent += batch.length;
      }
    } catch (error) {
      this.#fail(`sending a beacon failed (${messageOf(error)})`);
    }
  }

  #remove(batch: readonly Entry[]): void {
    const gone = new Set(batch);
    this.#buffer = this.#buffer.filter((entry) => !gone.has(entry));
  }

  #time(): number {
    return Math.floor(this.#now());
  }

  #fail(message: string): void {
    this.#lastError = message;
    this.dispatchEvent(new CustomEvent('error', { detail: { message } }));
  }
}

/** The front of the buffer that fits one body: at most `limit` snapshots and MAX_BATCH_BYTES. */
function takeBatch(buffer: readonly Entry[], limit: number): Entry[] {
  const batch: Entry[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const entry of buffer) {
    const added = entry.bytes + (batch.length > 0 ? 1 : 0);
    if (batch.length >= limit || (batch.length > 0 && bytes + added > MAX_BATCH_BYTES)) break;
    batch.push(entry);
    bytes += added;
  }
  return batch;
}

function bodyOf(batch: readonly Entry[]): string {
  return `{"snapshots":[${batch.map((entry) => entry.json).join(',')}]}`;
}

/** Retry-After as seconds or an HTTP date, in ms (at most an hour); null when absent or unreadable. */
function retryAfterMs(header: string | null, now: number): number | null {
  const value = header?.trim() ?? '';
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : value === '' ? NaN : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(60 * 60 * 1000, Math.max(0, ms)) : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
