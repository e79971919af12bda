import { MAX_SNAPSHOTS_PER_BATCH } from '../metrics/fleet-snapshot.js';

/** The largest body one POST or beacon carries, in UTF-8 bytes (beacons share a 64 KB quota too). */
export const MAX_BATCH_BYTES = 64 * 1024;
/** The longest wait between retries, and the wait after the server refused the key (401/403). */
export const MAX_RETRY_DELAY_MS = 5 * 60 * 1000;

/** The server's error code for a batch naming a flag its client key does not report for. */
const FOREIGN_FLAG = 'FOREIGN_FLAG';

const ENVELOPE_BYTES = '{"snapshots":[]}'.length;
const encoder = new TextEncoder();

/** A buffered snapshot, serialized once: its size decides the batches, and a retry resends the same bytes. */
export interface Entry {
  readonly json: string;
  readonly bytes: number;
}

/** A snapshot's JSON as a buffer entry; throws when it could never fit a body, as it would never be sent. */
export function entryOf(json: string): Entry {
  const bytes = encoder.encode(json).length;
  if (bytes + ENVELOPE_BYTES > MAX_BATCH_BYTES) throw new Error(`it is over ${MAX_BATCH_BYTES} bytes`);
  return { json, bytes };
}

/** Where and how a SnapshotSender sends, and whom it tells. */
export interface SnapshotSenderOptions {
  /** The ingest URL, client key included. */
  readonly url: string;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch | undefined;
  readonly beacon: ((url: string, body: string) => boolean) | undefined;
  /** Whole epoch milliseconds. */
  readonly time: () => number;
  readonly random: () => number;
  readonly setTimeout: (callback: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
  /** The server accepted a POST (its counts). */
  readonly onSent: (accepted: number, duplicates: number) => void;
  /** A send failed or was refused. */
  readonly onError: (message: string) => void;
}

type Outcome = 'next' | 'split' | 'wait';

/** Sends a reporter's buffer in batches under 64 KB, by POST with retries (backoff, Retry-After) or by beacon. */
export class SnapshotSender {
  readonly #buffer: Entry[];
  readonly #options: SnapshotSenderOptions;
  #sent = 0;
  #rejected = 0;
  #failures = 0;
  #notBefore = 0;
  #retryTimer: unknown = null;
  #draining: Promise<void> | null = null;
  #disposed = false;

  /** `buffer` stays the reporter's: it adds to it, and this takes delivered and refused entries out. */
  constructor(buffer: Entry[], options: SnapshotSenderOptions) {
    this.#buffer = buffer;
    this.#options = options;
  }

  /** Snapshots delivered: answered 202, or taken by a beacon. */
  get sent(): number {
    return this.#sent;
  }

  /** Snapshots the server refused for good (400, or 413 for one alone). */
  get rejected(): number {
    return this.#rejected;
  }

  /** When the next POST may go after a failure; null when one may go now. */
  get nextAttemptAt(): number | null {
    return this.#notBefore === 0 ? null : this.#notBefore;
  }

  /** Sends in turn: a drain asked for during another runs after it, so no new snapshot waits a whole interval. Never rejects. */
  drain(): Promise<void> {
    const run: Promise<void> = (this.#draining ?? Promise.resolve())
      .then(() => this.#sendAll())
      .catch((error: unknown) => this.#options.onError(`sending failed (${messageOf(error)})`))
      .finally(() => {
        if (this.#draining === run) this.#draining = null;
      });
    this.#draining = run;
    return run;
  }

  /** Hands the buffer to beacons, which outlive the page; never throws. */
  beacon(): void {
    const { beacon, url } = this.#options;
    if (beacon === undefined) return;
    try {
      while (this.#buffer.length > 0) {
        const batch = takeBatch(this.#buffer, MAX_SNAPSHOTS_PER_BATCH);
        // false: the browser's beacon quota is full; the rest stays for a later send (a page back from bfcache).
        if (!beacon(url, bodyOf(batch))) break;
        this.#remove(batch);
        this.#sent += batch.length;
      }
    } catch (error) {
      this.#options.onError(`sending a beacon failed (${messageOf(error)})`);
    }
  }

  /** Arms the retry timer again if a retry is pending (after pause). */
  resume(): void {
    if (this.#notBefore !== 0) this.#armRetry();
  }

  /** Clears the retry timer; the retry stays pending for resume or the next drain after its time. */
  pause(): void {
    this.#options.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  /** pause(), and stops a drain in progress before its next batch. */
  dispose(): void {
    this.pause();
    this.#disposed = true;
  }

  async #sendAll(): Promise<void> {
    let limit = MAX_SNAPSHOTS_PER_BATCH;
    while (!this.#disposed && this.#buffer.length > 0 && (this.#notBefore === 0 || this.#options.time() >= this.#notBefore)) {
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
      this.#options.onSent(count(answer?.accepted, batch.length), count(answer?.duplicates, 0));
      return 'next';
    }
    if (status === 413 && batch.length > 1) return 'split';
    const error = status >= 400 && status < 500 ? (parseJson(text) as { error?: { code?: unknown; message?: unknown } } | null)?.error : undefined;
    // A snapshot for a flag the key does not report for is refused however often it is resent (the
    // server answers it 400; by its code, a 403 carrying it is no refused key either).
    if (status === 400 || status === 413 || error?.code === FOREIGN_FLAG) {
      this.#remove(batch);
      this.#rejected += batch.length;
      this.#options.onError(`the server refused ${what} (HTTP ${status}${error ? `, ${String(error.code)}: ${String(error.message)}` : ''}); dropped, as a resend would fail again`);
      return 'next';
    }
    if (status === 401 || status === 403) return this.#retryLater(MAX_RETRY_DELAY_MS, `the server refused the client key (HTTP ${status}); the snapshots are kept`);
    const retryAfter = status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after'), this.#options.time()) : null;
    // Retry-After is a lower bound; the jitter keeps clients told the same from coming back at once.
    if (retryAfter !== null) return this.#retryLater(retryAfter + Math.floor(this.#options.random() * Math.min(retryAfter, 10_000) * 0.1), `the server is busy (HTTP ${status}); retrying after ${retryAfter} ms`);
    return this.#retryLater(this.#backoff(), `sending ${what} gave HTTP ${status}`);
  }

  async #request(body: string): Promise<{ response: Response; text: string }> {
    const { fetch, timeoutMs, url } = this.#options;
    if (fetch === undefined) throw new Error('no fetch in this environment');
    const controller = new AbortController();
    let timer: unknown;
    // Racing a timer as well as aborting, because an injected or polyfilled fetch may ignore the signal.
    const timeout = new Promise<never>((_, reject) => {
      timer = this.#options.setTimeout(() => {
        controller.abort();
        reject(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    const send = (async () => {
      const response = await fetch(url, { method: 'POST', body, keepalive: true, headers: { 'content-type': 'text/plain;charset=UTF-8' }, signal: controller.signal });
      return { response, text: await response.text() };
    })();
    send.catch(() => undefined);
    try {
      return await Promise.race([send, timeout]);
    } finally {
      this.#options.clearTimeout(timer);
    }
  }

  /** 1 s doubling to 5 min, each wait between half and all of that (jitter). */
  #backoff(): number {
    const ceiling = Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** this.#failures);
    this.#failures++;
    return Math.round(ceiling * (0.5 + 0.5 * this.#options.random()));
  }

  #retryLater(delayMs: number, message: string): Outcome {
    this.#notBefore = this.#options.time() + delayMs;
    this.#options.onError(message);
    this.#armRetry();
    return 'wait';
  }

  #armRetry(): void {
    this.#options.clearTimeout(this.#retryTimer);
    this.#retryTimer = this.#options.setTimeout(() => {
      this.#retryTimer = null;
      this.#notBefore = 0; // the timer is the clock that counts here (an injected `now` may stand still)
      void this.drain();
    }, Math.max(0, this.#notBefore - this.#options.time()));
  }

  /** In place, as the reporter holds the same array; the batch may no longer be at the front (the full buffer drops the oldest). */
  #remove(batch: readonly Entry[]): void {
    const gone = new Set(batch);
    let kept = 0;
    for (const entry of this.#buffer) if (!gone.has(entry)) this.#buffer[kept++] = entry;
    this.#buffer.length = kept;
  }
}

/** An error's message, for the reporter's error events. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
