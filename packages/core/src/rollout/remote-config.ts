import { DEFAULT_ROLLOUT_CONFIG, parseRolloutConfig, type RolloutConfig } from './config.js';
import { browserStorage, readStored, writeStored, type KeyValueStorage } from '../metrics/key-value-storage.js';
import { followEventStream, type ServerSentEvent } from './event-stream.js';

/** Options of createRemoteConfig; everything but `url` has a default, and clocks and I/O can be injected. */
export interface RemoteConfigOptions {
  /** Where the config JSON is served. */
  readonly url: string;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
  /** One fetch, body included (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Time between refreshes after start() (default 60000 ms): the longest a served kill switch waits. */
  readonly refreshMs?: number;
  /** The oldest stored copy worth using (default 24 h): an old config may predate a kill switch. */
  readonly maxAgeMs?: number;
  /** Where the last good config is kept (default: localStorage; null: nowhere). */
  readonly storage?: KeyValueStorage | null;
  /** The storage key (default `semfilter-rollout-config`). */
  readonly storageKey?: string;
  /** The clock stamping and ageing the stored copy (default Date.now). */
  readonly now?: () => number;
  /** What to serve with neither a served nor a stored config (default: DEFAULT_ROLLOUT_CONFIG, mode off). */
  readonly defaultConfig?: RolloutConfig;
  /**
   * After start(), also follow the server's event stream (SSE `config` events), so a new version
   * arrives within a second; polling carries on every refreshMs as the fallback (default false).
   */
  readonly stream?: boolean;
  /** Where the event stream is served (default: defaultStreamUrl(url), `/stream` before the query string). */
  readonly streamUrl?: string;
}

/** Where the config in force came from. */
export type RemoteConfigSource = 'remote' | 'stored' | 'default';

/** Detail of the `change` event. */
export interface RemoteConfigChange {
  readonly config: RolloutConfig;
  readonly source: RemoteConfigSource;
}

/** Detail of the `error` event. */
export interface RemoteConfigError {
  /** Why the fetch or stream read failed (also `lastError`). */
  readonly message: string;
}

/** The events a RemoteConfig dispatches, by type: `remote.addEventListener('change', (e) => e.detail.config.version)` is typed. */
export interface RemoteConfigEventMap {
  /** The config's content changed. */
  change: CustomEvent<RemoteConfigChange>;
  /** A fetch or stream read failed; the config in force stays. */
  error: CustomEvent<RemoteConfigError>;
}

/**
 * A config fetched from a URL, kept fresh, falling back to the last good one.
 * @fires change - CustomEvent<RemoteConfigChange>, only when the config's content changes.
 * @fires error - CustomEvent<RemoteConfigError> (`{ message }`) when a fetch fails, times out or serves an invalid config,
 *   or a stream connection fails or carries an invalid config.
 */
export interface RemoteConfig extends EventTarget {
  addEventListener<K extends keyof RemoteConfigEventMap>(type: K, listener: (this: RemoteConfig, ev: RemoteConfigEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListener | EventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof RemoteConfigEventMap>(type: K, listener: (this: RemoteConfig, ev: RemoteConfigEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListener | EventListenerObject | null, options?: boolean | EventListenerOptions): void;
  /** The config in force: always a valid one (the last good, the stored copy, or the default). */
  readonly config: RolloutConfig;
  /** Where `config` came from. */
  readonly source: RemoteConfigSource;
  /** Why the latest fetch or stream read failed; null after a good one. */
  readonly lastError: string | null;
  /** Fetches once (conditionally, once the server has sent an ETag); concurrent calls share one fetch. Never rejects. */
  refresh(): Promise<void>;
  /** The first refresh now, then one every refreshMs; with `stream`, the event stream too. */
  start(): void;
  /** Stops refreshing and closes the stream; the config in force stays. */
  stop(): void;
}

/** The storage key the last good config is kept under, unless told otherwise. */
export const DEFAULT_CONFIG_STORAGE_KEY = 'semfilter-rollout-config';
/** A served config larger than this is refused: lists of 10,000 hashes are about 1.4 MB of JSON. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** The stream URL of a config URL: `/stream` inserted before the query string (`/v1/flags/f?key=k` → `/v1/flags/f/stream?key=k`). */
export function defaultStreamUrl(url: string): string {
  const cut = url.search(/[?#]/);
  const path = cut < 0 ? url : url.slice(0, cut);
  return `${path.replace(/\/+$/, '')}/stream${cut < 0 ? '' : url.slice(cut)}`;
}

/** Creates a remote config client. It starts on the stored copy (if fresh and valid) or the default; call start(). */
export function createRemoteConfig(options: RemoteConfigOptions): RemoteConfig {
  return new RemoteConfigClient(options);
}

interface StoredCopy {
  readonly savedAt: number;
  readonly config: unknown;
}

/** A 200's body and ETag; null stands for a 304. */
interface Served {
  readonly text: string;
  readonly etag: string | null;
}


class RemoteConfigClient extends EventTarget implements RemoteConfig {
  #config: RolloutConfig;
  #source: RemoteConfigSource = 'default';
  #fingerprint: string;
  #lastError: string | null = null;
  #inFlight: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;
  #etag: string | null = null;
  // Off once a conditional request failed where a plain one worked: a cross-origin server that
  // refuses the preflight If-None-Match brings (it is not a CORS-safelisted header).
  #conditional = true;
  #streamAdoptions = 0;
  #stream: AbortController | null = null;
  readonly #url: string;
  readonly #streamUrl: string | null;
  readonly #fetch: typeof fetch | undefined;
  readonly #timeoutMs: number;
  readonly #refreshMs: number;
  readonly #maxAgeMs: number;
  readonly #storage: KeyValueStorage | undefined;
  readonly #key: string;
  readonly #now: () => number;

  constructor(options: RemoteConfigOptions) {
    super();
    this.#url = options.url;
    this.#fetch = options.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#refreshMs = options.refreshMs ?? 60_000;
    this.#maxAgeMs = options.maxAgeMs ?? 24 * 60 * 60 * 1000;
    this.#storage = options.storage === undefined ? browserStorage() : (options.storage ?? undefined);
    this.#key = options.storageKey ?? DEFAULT_CONFIG_STORAGE_KEY;
    this.#now = options.now ?? Date.now;
    this.#config = options.defaultConfig ?? DEFAULT_ROLLOUT_CONFIG;
    this.#streamUrl = options.stream === true ? (options.streamUrl ?? defaultStreamUrl(options.url)) : null;
    const stored = this.#readStoredCopy();
    if (stored !== null) {
      this.#config = stored;
      this.#source = 'stored';
    }
    this.#fingerprint = JSON.stringify(this.#config);
  }

  get config(): RolloutConfig {
    return this.#config;
  }

  get source(): RemoteConfigSource {
    return this.#source;
  }

  get lastError(): string | null {
    return this.#lastError;
  }

  refresh(): Promise<void> {
    this.#inFlight ??= this.#fetchOnce().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#tick();
    if (this.#streamUrl !== null && this.#fetch !== undefined) {
      this.#stream = new AbortController();
      void followEventStream({
        url: this.#streamUrl,
        fetch: this.#fetch,
        signal: this.#stream.signal,
        maxEventChars: MAX_CONFIG_BYTES,
        onEvent: (event) => this.#onStreamEvent(event),
        onError: (error) => this.#fail(error),
      });
    }
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#stream?.abort();
    this.#stream = null;
  }

  // The next refresh is timed from the end of this one, so a slow server never stacks up fetches.
  async #tick(): Promise<void> {
    await this.refresh();
    if (this.#running) this.#timer = setTimeout(() => void this.#tick(), this.#refreshMs);
  }

  async #fetchOnce(): Promise<void> {
    const streamAdoptions = this.#streamAdoptions;
    try {
      const served = await this.#downloadConditionally();
      // A streamed config adopted while this fetch was on its way is at least as new as its answer.
      if (this.#streamAdoptions !== streamAdoptions) return;
      this.#lastError = null;
      if (served === null) {
        // 304: the config in force is still the served one; re-stamp the stored copy, it is fresh.
        this.#store(this.#config);
        return;
      }
      const config = this.#parse(served.text, 'served');
      this.#refuseOlder(config, 'served');
      this.#store(config);
      this.#adopt(config, 'remote');
      this.#etag = served.etag;
    } catch (error) {
      // Keep the last good config: a failing config server must not switch semantic mode on or off.
      this.#fail(error);
    }
  }

  async #downloadConditionally(): Promise<Served | null> {
    const etag = this.#conditional ? this.#etag : null;
    if (etag === null) return this.#download(null);
    try {
      return await this.#download(etag);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // fetch's network-level failure, where a refused preflight also lands
      const served = await this.#download(null);
      this.#conditional = false;
      return served;
    }
  }

  async #download(etag: string | null): Promise<Served | null> {
    if (this.#fetch === undefined) throw new Error('no fetch in this environment');
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Racing a timer as well as aborting, because an injected or polyfilled fetch may ignore the signal.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new Error(`fetching ${this.#url} timed out after ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
    });
    const fetchAndRead = (async () => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (etag !== null) headers['if-none-match'] = etag;
      const response = await this.#fetch!(this.#url, { signal: controller.signal, cache: 'no-store', headers });
      if (response.status === 304 && etag !== null) return null;
      if (!response.ok) throw new Error(`fetching ${this.#url} gave HTTP ${response.status}`);
      const text = await response.text();
      if (text.length > MAX_CONFIG_BYTES) throw new Error(`the served config is over ${MAX_CONFIG_BYTES} characters`);
      return { text, etag: response.headers.get('etag') };
    })();
    fetchAndRead.catch(() => undefined); // a late failure after the timeout has nobody left to tell
    try {
      return await Promise.race([fetchAndRead, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A `config` event is taken exactly like a fetched config; other event types are not ours. */
  #onStreamEvent(event: ServerSentEvent): void {
    if (event.type !== 'config') return;
    try {
      const config = this.#parse(event.data, 'streamed');
      this.#refuseOlder(config, 'streamed');
      this.#lastError = null;
      this.#streamAdoptions++;
      this.#store(config);
      // The ETag named the polled config; once the stream has replaced it, the next poll asks in full.
      if (JSON.stringify(config) !== this.#fingerprint) this.#etag = null;
      this.#adopt(config, 'remote');
    } catch (error) {
      this.#fail(error);
    }
  }

  /** A served config from its JSON text; throws with the reason when it is not a valid one. */
  #parse(text: string, how: 'served' | 'streamed'): RolloutConfig {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`the ${how} config is not valid JSON`);
    }
    const parsed = parseRolloutConfig(value);
    if (!parsed.ok) throw new Error(`the ${how} config is invalid: ${parsed.issues.slice(0, 5).map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
    return parsed.value;
  }

  /**
   * Throws when `config` is older than the one this client already took from the server: behind a
   * load balancer, an instance that has not caught up yet can answer with the version before a kill
   * switch. Only a config served in this session counts; a stored copy does not, so a server whose
   * versions started again (a new database) is followed after a reload.
   */
  #refuseOlder(config: RolloutConfig, how: 'served' | 'streamed'): void {
    if (this.#source === 'remote' && config.version < this.#config.version) {
      throw new Error(`the ${how} config is version ${config.version}, older than version ${this.#config.version} in force: kept ${this.#config.version} (a server instance behind the others?)`);
    }
  }

  #store(config: RolloutConfig): void {
    writeStored(this.#storage, this.#key, JSON.stringify({ savedAt: this.#now(), config } satisfies StoredCopy));
  }

  #fail(error: unknown): void {
    this.#lastError = error instanceof Error ? error.message : String(error);
    this.dispatchEvent(new CustomEvent<RemoteConfigError>('error', { detail: { message: this.#lastError } }));
  }

  /** Takes a good config; `change` fires only when its content differs, not on every refresh. */
  #adopt(config: RolloutConfig, source: RemoteConfigSource): void {
    const fingerprint = JSON.stringify(config);
    const changed = fingerprint !== this.#fingerprint;
    this.#config = config;
    this.#fingerprint = fingerprint;
    this.#source = source;
    if (changed) this.dispatchEvent(new CustomEvent<RemoteConfigChange>('change', { detail: { config, source } }));
  }

  /** The stored copy when it parses, validates and is younger than maxAgeMs; otherwise it is removed. */
  #readStoredCopy(): RolloutConfig | null {
    const text = readStored(this.#storage, this.#key);
    if (text === null) return null;
    try {
      const stored = JSON.parse(text) as Partial<StoredCopy> | null;
      const age = this.#now() - Number(stored?.savedAt);
      // A copy stamped in the future is as untrustworthy as an old one: its age cannot be known.
      if (!(age >= 0 && age <= this.#maxAgeMs)) return this.#discardStored();
      const parsed = parseRolloutConfig(stored?.config);
      return parsed.ok ? parsed.value : this.#discardStored();
    } catch {
      return this.#discardStored();
    }
  }

  #discardStored(): null {
    writeStored(this.#storage, this.#key, null);
    return null;
  }
}
