import { withCircuitBreaker } from '../model/circuit-breaker.js';
import { DIMENSIONS } from '../input/dimensions.js';
import { resolveOptions } from '../filter/options.js';
import { flippedItems } from '../prepared/rank.js';
import { prepareRequest } from '../prepared/request.js';
import { runPrepared } from '../prepared/run.js';
import { DeadlineError, deadlineIssue, withDeadline } from '../model/deadline.js';
import type { Embedder } from '../model/embedder.js';
import { createLayeredEmbedder, type CacheStats, type LayeredEmbedder, type VectorStore } from '../semantic/layered-embedder.js';
import { invalidInputReport, type FilterReport, type Flip } from '../report/filter-report.js';
import { filterOptionsSchema, parseWith, requestSchema, type FilterOptionsInput } from '../input/schemas.js';
import type { ModelProgress } from '../worker/embedding-api.js';
import { createWorkerEmbedder, TimeoutError, WorkerFailedError, type WorkerEmbedder } from '../worker/worker-client.js';
import { capabilities } from './capabilities.js';
import { createIdbVectorStore } from './idb-store.js';
import { describeModelLoadFailure, type ModelLoadFailure } from './model-load-failure.js';
import { isPreparedItems, lazyReport, PreparedRequests, prepareItems, tuningOf, type FilterRun, type PreparedItems } from './prepared-items.js';
import { loadVocabulary } from './vocabulary-chunk.js';
import { WaitingCalls } from './waiting-calls.js';
import { bundledWasmPaths } from './wasm-files.js';

/** Model states, as the debugger element reflects them in `model-state`. */
export type ModelState = 'idle' | 'loading' | 'ready' | 'fallback' | 'error';

/** Options of createSemanticFilter; every one has a default. */
export interface SemanticFilterOptions {
  /** URL of the folder holding `Xenova/all-MiniLM-L6-v2/`. Default: `/models/` on the page's origin. */
  readonly modelBaseUrl?: string;
  /** URL prefix of onnxruntime's `.wasm` files. Default: the files shipped in @semfilter/core (bundlers copy them). */
  readonly wasmBaseUrl?: string;
  /** Let transformers.js fetch from its remote hub when a file is missing locally. Default false. */
  readonly allowRemoteModels?: boolean;
  /** `fp32` (default; matches sentence-transformers) or `q8` (a quarter of the download). */
  readonly dtype?: 'fp32' | 'q8';
  /** onnxruntime threads; only honoured on cross-origin isolated pages, else 1. Default: up to 4 cores. */
  readonly numThreads?: number;
  /** Milliseconds for a model load, downloads included. Default 120000. */
  readonly loadTimeoutMs?: number;
  /** Milliseconds for one embedding call. Default 15000. */
  readonly embedTimeoutMs?: number;
  /**
   * Milliseconds a semantic call waits for the model before it answers anyway: tags the vocabulary
   * or the cache knows are judged by meaning, the rest compared exactly, and the report's
   * fallback_reason says MODEL_LOADING (or TIMEOUT once ready). The model goes on loading; the
   * facade dispatches `statechange` (ready) once it has loaded and answered the calls that waited
   * for it, so a call made then is fully semantic at once.
   * Default 2000; Infinity waits as long as the timeouts above allow. A call may override it.
   */
  readonly deadlineMs?: number;
  /** Consecutive model failures after which semantic mode falls back at once. Default 3. */
  readonly maxFailures?: number;
  /** Milliseconds before a model that failed `maxFailures` times is tried again. Default 30000. */
  readonly retryAfterMs?: number;
  /** Where vectors persist: an IndexedDB database name (default `semfilter-vectors`), a store, or false for memory only. */
  readonly cache?: string | VectorStore | false;
  /**
   * Use the embedded vocabulary for known terms (no model download for them). It is a file of its
   * own (dist/semantic/vocabulary/vocabulary.bin), fetched on the first semantic call. Default true.
   */
  readonly vocabulary?: boolean;
  /** Default filter options (thresholds, per-dimension modes, score weights). */
  readonly filterOptions?: FilterOptionsInput;
  /** Creates the worker; the default loads dist/worker/embedding-worker.js. For hosts with special CSP or tests. */
  readonly createWorker?: () => Worker;
}

/** Items the two modes decide differently (the same type as the export's flips). */
export type { Flip };

/** Both reports for one wardrobe and request, and where they differ. */
export interface Comparison {
  readonly traditional: FilterReport;
  readonly semantic: FilterReport;
  readonly flips: readonly Flip[];
}

/** Per-call settings of filter, compare and run, beside the filter options. */
export interface CallOptions {
  /** This call's deadline (see SemanticFilterOptions.deadlineMs). */
  readonly deadlineMs?: number;
}

/** Event detail of `statechange`. */
export interface StateChange {
  readonly state: ModelState;
  /** The error as raised, when a load failed (or a call broke: state `error`). */
  readonly error?: string;
  /** Why the load failed, in words and as a kind (state `fallback` after a failed load). */
  readonly failure?: ModelLoadFailure;
}

/** The events a SemanticFilter dispatches, by type: `filter.addEventListener('progress', (e) => e.detail.fraction)` is typed. */
export interface SemanticFilterEventMap {
  /** Model download progress, across every file. */
  progress: CustomEvent<ModelProgress>;
  /** The model state changed (or a load failed again); `detail.failure` says why a load failed. */
  statechange: CustomEvent<StateChange>;
}

/**
 * The browser facade. Dispatches `progress` (detail: ModelProgress) and `statechange` (detail:
 * StateChange). Its methods never reject: bad input gives a report with fallback_reason
 * INVALID_INPUT, and a model that is missing, slow or broken gives the traditional filter's report
 * with the reason. `items` may be a wardrobe or what `prepare` made of one.
 */
export interface SemanticFilter extends EventTarget {
  readonly state: ModelState;
  /**
   * Why the latest model load failed, in words (`failure.message`) and as a kind; null before any
   * load failed and once one succeeds. Optional in this interface only so that hand-made filters
   * (test doubles) need not have it; createSemanticFilter's always has it.
   */
  readonly loadFailure?: ModelLoadFailure | null;
  addEventListener<K extends keyof SemanticFilterEventMap>(type: K, listener: (this: SemanticFilter, ev: SemanticFilterEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListener | EventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SemanticFilterEventMap>(type: K, listener: (this: SemanticFilter, ev: SemanticFilterEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListener | EventListenerObject | null, options?: boolean | EventListenerOptions): void;
  /** Validates, normalizes and interns a wardrobe once, for repeated calls with the same items. */
  prepare(items: unknown): PreparedItems;
  /** One filter run; `semantic` defaults to true. On prepared items the report's `items` are built on first read. */
  filter(items: unknown, request: unknown, options?: FilterOptionsInput, call?: CallOptions): Promise<FilterReport>;
  /** Both modes on the same input, and the items they decide differently. */
  compare(items: unknown, request: unknown, options?: FilterOptionsInput, call?: CallOptions): Promise<Comparison>;
  /**
   * One run without building verdicts: the report (items built on first read) and the per-item
   * arrays behind it, for UIs that show a page of rows. A threshold or weight change on the same
   * prepared items, request and modes reruns without asking the embedder.
   */
  run(items: unknown, request: unknown, options?: FilterOptionsInput, call?: CallOptions): Promise<FilterRun>;
  /**
   * Reruns a run with other thresholds or semantic weight (those given in `options`; the rest
   * as the run had them): synchronous, one verdict per distinct term and one pass over the items.
   */
  retune(run: FilterRun, options: FilterOptionsInput): FilterRun;
  /** Starts loading the model now; resolves true when it is ready. */
  preload(): Promise<boolean>;
  /** Where vectors came from so far. */
  stats(): Readonly<CacheStats>;
  /** How many model loads the current worker started (diagnostics). */
  modelLoads(): Promise<number>;
  /** Ends the worker. */
  dispose(): void;
}

/** Creates the browser facade; call once per page and share it. Throws a RangeError for a `deadlineMs` that is not a deadline. */
export function createSemanticFilter(options: SemanticFilterOptions = {}): SemanticFilter {
  const issue = deadlineIssue(options.deadlineMs, 'deadlineMs');
  if (issue !== undefined) throw new RangeError(`createSemanticFilter: ${issue.path} ${issue.message}`);
  return new BrowserSemanticFilter(options);
}

/** A semantic call answers within this many milliseconds unless told otherwise. */
const DEFAULT_DEADLINE_MS = 2000;
/** Default of embedTimeoutMs. */
const EMBED_TIMEOUT_MS = 15_000;

class BrowserSemanticFilter extends EventTarget implements SemanticFilter {
  #state: ModelState = 'idle';
  readonly #options: SemanticFilterOptions;
  readonly #worker: WorkerEmbedder;
  readonly #model: Embedder;
  readonly #store: VectorStore | undefined;
  /**
   * One layered embedder, shared by concurrent first calls. Made on the first semantic call, which
   * fetches the embedded vocabulary (vocabulary.bin) first: a facade that only ever filters
   * traditionally never downloads it.
   */
  #layered: Promise<LayeredEmbedder> | undefined;
  #layeredStats: (() => Readonly<CacheStats>) | undefined;
  /** The layered embedder behind each deadline used so far (see #embedder). */
  readonly #deadlined = new Map<number, LayeredEmbedder>();
  readonly #requests = new PreparedRequests();
  /** Embed calls started before the model was ready (see #loaded). */
  readonly #waiting = new WaitingCalls();
  /** Model loads started, so a load that ended is not reported ready over a newer one. */
  #loads = 0;
  /** Why the latest load failed; null before any failed and once one succeeds. */
  #failure: ModelLoadFailure | null = null;

  constructor(options: SemanticFilterOptions) {
    super();
    this.#options = options;
    const caps = capabilities();
    const modelBaseUrl = withSlash(options.modelBaseUrl ?? new URL('/models/', globalThis.location?.href ?? 'http://localhost/').href);
    const loadTimeoutMs = options.loadTimeoutMs ?? 120_000;
    this.#worker = createWorkerEmbedder({
      config: {
        modelBaseUrl,
        wasmPaths: options.wasmBaseUrl === undefined ? bundledWasmPaths() : withSlash(options.wasmBaseUrl),
        dtype: options.dtype ?? 'fp32',
        numThreads: caps.crossOriginIsolated ? Math.max(1, options.numThreads ?? Math.min(4, caps.cores)) : 1,
        allowRemoteModels: options.allowRemoteModels ?? false,
      },
      loadTimeoutMs,
      embedTimeoutMs: options.embedTimeoutMs ?? EMBED_TIMEOUT_MS,
      ...(options.createWorker === undefined ? {} : { createWorker: options.createWorker }),
      onProgress: (progress) => this.dispatchEvent(new CustomEvent<ModelProgress>('progress', { detail: progress })),
      onLoadState: (loadState, error) => {
        if (loadState === 'loading') this.#loads++;
        if (loadState === 'failed') {
          this.#failure = describeModelLoadFailure(error, { modelBaseUrl, loadTimeoutMs, ...(globalThis.location === undefined ? {} : { origin: globalThis.location.origin }) });
          this.#setState('fallback', error);
        } else if (loadState === 'ready') {
          this.#failure = null;
          void this.#loaded(this.#loads);
        } else {
          this.#setState(loadState);
        }
      },
    });
    this.#model = withCircuitBreaker(this.#worker, { maxFailures: options.maxFailures ?? 3, retryAfterMs: options.retryAfterMs ?? 30_000 });
    this.#store = options.cache === false ? undefined : typeof options.cache === 'object' ? options.cache : createIdbVectorStore(options.cache);
  }

  get state(): ModelState {
    return this.#state;
  }

  get loadFailure(): ModelLoadFailure | null {
    return this.#failure;
  }

  prepare(items: unknown): PreparedItems {
    return prepareItems(items);
  }

  async filter(items: unknown, request: unknown, overrides: FilterOptionsInput = {}, call: CallOptions = {}): Promise<FilterReport> {
    const { report } = await this.run(items, request, overrides, call);
    // For raw items, a plain report (every verdict built), as filterItems gives it.
    return isPreparedItems(items) ? report : { ...report };
  }

  async compare(items: unknown, request: unknown, overrides: FilterOptionsInput = {}, call: CallOptions = {}): Promise<Comparison> {
    const prepared = isPreparedItems(items) ? items : this.prepare(items);
    const [traditional, semantic] = await Promise.all([this.run(prepared, request, { ...overrides, semantic: false }, call), this.run(prepared, request, { ...overrides, semantic: true }, call)]);
    if (traditional.run === null || semantic.run === null) return { traditional: traditional.report, semantic: semantic.report, flips: [] };
    const { ids } = traditional.run.prepared.wardrobe;
    const flips = Array.from(flippedItems(traditional.run, semantic.run), (i) => ({ id: ids[i]!, traditional: traditional.run!.passed[i] === 1, semantic: semantic.run!.passed[i] === 1 }));
    return { traditional: traditional.report, semantic: semantic.report, flips };
  }

  async run(items: unknown, request: unknown, overrides: FilterOptionsInput = {}, call: CallOptions = {}): Promise<FilterRun> {
    const started = performance.now();
    const prepared = isPreparedItems(items) ? items : this.prepare(items);
    const wanted = parseWith(requestSchema, request, 'request');
    const filterOptions = parseWith(filterOptionsSchema, { semantic: true, ...this.#options.filterOptions, ...overrides }, 'options');
    const deadline = deadlineIssue(call?.deadlineMs, 'call.deadlineMs');
    if (prepared.wardrobe === null || !wanted.ok || !filterOptions.ok || deadline !== undefined) {
      const issues = [...prepared.issues, ...[wanted, filterOptions].flatMap((parsed) => (parsed.ok ? [] : parsed.issues)), ...(deadline === undefined ? [] : [deadline])];
      return { report: invalidInputReport(issues), run: null };
    }
    const { wardrobe } = prepared;
    const tuning = tuningOf(resolveOptions(filterOptions.value));
    try {
      const kept = this.#requests.get(wardrobe, wanted.value, filterOptions.value);
      if (kept !== undefined) {
        const run = runPrepared(kept, tuning);
        return { report: lazyReport(run, started, undefined), run };
      }
      const embedder = filterOptions.value.semantic ? await this.#embedder(call) : undefined;
      const fresh = await prepareRequest(wardrobe, wanted.value, filterOptions.value, { embedder });
      this.#requests.set(wardrobe, wanted.value, filterOptions.value, fresh);
      const run = runPrepared(fresh, tuning);
      return { report: lazyReport(run, started, fresh.embedMs), run };
    } catch (error) {
      // prepareRequest falls back by itself; reaching here is a bug, and still no reason to break the page.
      this.#setState('error', error as Error);
      const run = runPrepared(await prepareRequest(wardrobe, wanted.value, { ...filterOptions.value, semantic: false }));
      return { report: lazyReport(run, started, undefined), run };
    }
  }

  retune(previous: FilterRun, overrides: FilterOptionsInput): FilterRun {
    const started = performance.now();
    const filterOptions = parseWith(filterOptionsSchema, overrides, 'options');
    if (!filterOptions.ok) return { report: invalidInputReport(filterOptions.issues), run: null };
    if (previous.run === null) return previous;
    const { options, prepared } = previous.run;
    const thresholds = Object.fromEntries(DIMENSIONS.map((d) => [d, filterOptions.value.dimensions?.[d]?.threshold ?? options.dimensions[d].threshold]));
    const run = runPrepared(prepared, { thresholds, semanticWeight: filterOptions.value.semanticWeight ?? options.semanticWeight });
    return { report: lazyReport(run, started, undefined), run };
  }

  async preload(): Promise<boolean> {
    try {
      await this.#model.embed(['preload']);
      return true;
    } catch {
      return false;
    }
  }

  stats(): Readonly<CacheStats> {
    return this.#layeredStats?.() ?? { memoryHits: 0, storeHits: 0, vocabularyHits: 0, computed: 0, storeFailures: 0 };
  }

  modelLoads(): Promise<number> {
    return this.#worker.loadCount().catch(() => 0);
  }

  dispose(): void {
    this.#worker.dispose();
  }

  /**
   * The shared layered embedder, behind this call's deadline. The deadline sits above the layers
   * and the circuit breaker: a call that gives up waiting leaves the model's answer to fill the
   * layers for the next call, and only the model's real failures count against it.
   */
  async #embedder(call: CallOptions): Promise<LayeredEmbedder> {
    // `??=` runs its right side only once: the first semantic call starts the vocabulary's download.
    this.#layered ??= (this.#options.vocabulary === false ? Promise.resolve(undefined) : loadVocabulary()).then((vocabulary) => {
      const layered = createLayeredEmbedder({ model: this.#model, store: this.#store, vocabulary });
      this.#layeredStats = () => layered.stats();
      return layered;
    });
    const deadlineMs = call?.deadlineMs ?? this.#options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const layered = await this.#layered;
    // One wrapper per deadline, kept: concept indexes and remembered pair verdicts are cached per
    // embedder object, so a new wrapper per call would place every term again.
    let wrapped = this.#deadlined.get(deadlineMs);
    if (wrapped === undefined) {
      const watched: LayeredEmbedder = { ...layered, embed: (texts) => (this.#state === 'ready' ? layered.embed(texts) : this.#waiting.watch(layered.embed(texts))) };
      // Idle or loading: the model has not arrived yet. Otherwise it is loaded and slow (a failed load rejects before the deadline).
      const reason = () => (this.#state === 'idle' || this.#state === 'loading' ? 'MODEL_LOADING' : 'TIMEOUT');
      const deadlined = withDeadline(watched, deadlineMs, reason);
      wrapped = { ...deadlined, embed: (texts) => deadlined.embed(texts).catch((error: unknown) => Promise.reject(this.#afterFailedLoad(error))) };
      this.#deadlined.set(deadlineMs, wrapped);
    }
    return wrapped;
  }

  /**
   * The model loaded. The calls that waited for it (some past their deadline) are computed right
   * after the load: `ready` comes once they are in, so a UI that runs again on `ready` gets a
   * fully semantic answer at once instead of missing the deadline a second time; until then a
   * missed deadline is MODEL_LOADING.
   */
  async #loaded(load: number): Promise<void> {
    await this.#waiting.settled(this.#options.embedTimeoutMs ?? EMBED_TIMEOUT_MS);
    if (load === this.#loads) this.#setState('ready');
  }

  /**
   * A deadline missed while a load was under way says MODEL_LOADING only while no load has failed:
   * once one did, the load under way is a retry, and the call reports the failure that stands
   * (TIMEOUT for a load that took too long, else MODEL_UNAVAILABLE) until a load succeeds. A model
   * that never loads then reads as unavailable, not as loading for ever.
   */
  #afterFailedLoad(error: unknown): unknown {
    const failure = this.#failure;
    if (!(error instanceof DeadlineError) || error.reason !== 'MODEL_LOADING' || failure === null) return error;
    const Failure = failure.reason === 'TIMEOUT' ? TimeoutError : WorkerFailedError;
    return new Failure(`${error.message}; the load before it failed: ${failure.message}`);
  }

  #setState(next: ModelState, error?: Error): void {
    if (next === this.#state && error === undefined) return;
    this.#state = next;
    const failure = next === 'fallback' && error !== undefined ? this.#failure : null;
    const detail: StateChange = error === undefined ? { state: next } : failure === null ? { state: next, error: error.message } : { state: next, error: error.message, failure };
    this.dispatchEvent(new CustomEvent<StateChange>('statechange', { detail }));
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
