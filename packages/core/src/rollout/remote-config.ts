import { DEFAULT_ROLLOUT_CONFIG, parseRolloutConfig, type RolloutConfig } from './config.js';
import { browserStorage, readStored, writeStored, type KeyValueStorage } from '../key-value-storage.js';

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
}

/** Where the config in force came from. */
export type RemoteConfigSource = 'remote' | 'stored' | 'default';

/** Detail of the `change` event. */
export interface RemoteConfigChange {
  readonly config: RolloutConfig;
  readonly source: RemoteConfigSource;
}

/**
 * A config fetched from a URL, kept fresh, falling back to the last good one.
 * @fires change - CustomEvent<RemoteConfigChange>, only when the config's content changes.
 * @fires error - CustomEvent<{ message }> when a fetch fails, times out or serves an invalid config.
 */
export interface RemoteConfig extends EventTarget {
  /** The config in force: always a valid one (the last good, the stored copy, or the default). */
  readonly config: RolloutConfig;
  /** Where `config` came from. */
  readonly source: RemoteConfigSource;
  /** Why the latest refresh failed; null after a good one. */
  readonly lastError: string | null;
  /** Fetches once; concurrent calls share one fetch. Never rejects. */
  refresh(): Promise<void>;
  /** The first refresh now, then one every refreshMs. */
  start(): void;
  /** Stops refreshing; the config in force stays. */
  stop(): void;
}

/** The storage key the last good config is kept under, unless told otherwise. */
export const DEFAULT_CONFIG_STORAGE_KEY = 'semfilter-rollout-config';
/** A served config larger than this is refused: lists of 10,000 hashes are about 1.4 MB of JSON. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Creates a remote config client. It starts on the stored copy (if fresh and valid) or the default; call start(). */
export function createRemoteConfig(options: RemoteConfigOptions): RemoteConfig {
  return new RemoteConfigClient(options);
}

interface StoredCopy {
  readonly savedAt: number;
  readonly config: unknown;
}

class RemoteConfigClient extends EventTarget implements RemoteConfig {
  #config: RolloutConfig;
  #source: RemoteConfigSource = 'default';
  #fingerprint: string;
  #lastError: string | null = null;
  #inFlight: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;
  readonly #url: string;
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
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  // The next refresh is timed from the end of this one, so a slow server never stacks up fetches.
  async #tick(): Promise<void> {
    await this.refresh();
    if (this.#running) this.#timer = setTimeout(() => void this.#tick(), this.#refreshMs);
  }

  async #fetchOnce(): Promise<void> {
    try {
      const text = await this.#download();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new Error('the served config is not valid JSON');
      }
      const parsed = parseRolloutConfig(value);
      if (!parsed.ok) throw new Error(`the served config is invalid: ${parsed.issues.slice(0, 5).map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
      this.#lastError = null;
      writeStored(this.#storage, this.#key, JSON.stringify({ savedAt: this.#now(), config: parsed.value } satisfies StoredCopy));
      this.#adopt(parsed.value, 'remote');
    } catch (error) {
      // Keep the last good config: a failing config server must not switch semantic mode on or off.
      this.#lastError = error instanceof Error ? error.message : String(error);
      this.dispatchEvent(new CustomEvent('error', { detail: { message: this.#lastError } }));
    }
  }

  async #download(): Promise<string> {
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
      const response = await this.#fetch!(this.#url, { signal: controller.signal, cache: 'no-store', headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`fetching ${this.#url} gave HTTP ${response.status}`);
      const text = await response.text();
      if (text.length > MAX_CONFIG_BYTES) throw new Error(`the served config is over ${MAX_CONFIG_BYTES} characters`);
      return text;
    })();
    fetchAndRead.catch(() => undefined); // a late failure after the timeout has nobody left to tell
    try {
      return await Promise.race([fetchAndRead, timeout]);
    } finally {
      clearTimeout(timer);
    }
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
