import { DEFAULT_THRESHOLDS, DIMENSIONS, itemVerdict, type Dimension, type FilterRequest } from '@semfilter/core';
import type { FallbackReason } from '@semfilter/core';
import { createSemanticFilter, type FilterRun, type ModelLoadFailure, type ModelProgress, type ModelState, type PreparedItems, type SemanticFilter, type StateChange } from '@semfilter/core/browser';
import type { PropertyValues, ReactiveController, ReactiveControllerHost } from 'lit';
import { whenIdle } from './idle.js';
import { shownIndices, type RowQuery } from './rows.js';
import type { ShownItem } from './shown.js';
import { dimensionScores, passRateCurve, type DimensionScores } from './threshold-curve.js';

/** Where a filter's vectors came from: the cache, the vocabulary, the model. */
export type VectorStats = ReturnType<SemanticFilter['stats']>;

/** Both modes' runs over the prepared items, and the items and request they were run on (the host may have set new ones since). */
export interface Runs {
  readonly traditional: FilterRun;
  readonly semantic: FilterRun;
  readonly items: readonly ShownItem[];
  readonly request: FilterRequest;
}

/** The element as its runs see it: the inputs they are made from, and the model state they reflect on it. */
export interface DebuggerRunsHost extends ReactiveControllerHost {
  readonly hasUpdated: boolean;
  readonly items: readonly ShownItem[];
  readonly request: FilterRequest;
  readonly thresholds: Partial<Record<Dimension, number>>;
  readonly filter: SemanticFilter | undefined;
  readonly modelBaseUrl: string | undefined;
  readonly pageSize: number;
  modelState: ModelState;
}

/** What the host tells its runs beyond its properties. */
export interface DebuggerRunsOptions {
  /** The rows the table shows now: the warm-up builds a slider step's first page of them. */
  readonly query: () => RowQuery;
  /** New runs to report (semfilter-report): the answer within the filter's deadline, and each retune; never the first answer. */
  readonly onReport: () => void;
}

/** Each dimension's threshold: the host's where it set one, the default elsewhere. */
export function currentThresholds(thresholds: Partial<Record<Dimension, number>>): Record<Dimension, number> {
  return Object.fromEntries(DIMENSIONS.map((d) => [d, thresholds[d] ?? DEFAULT_THRESHOLDS[d]])) as Record<Dimension, number>;
}

/** The filter options that set these thresholds. */
function thresholdOptions(thresholds: Record<Dimension, number>) {
  return { dimensions: Object.fromEntries(DIMENSIONS.map((d) => [d, { threshold: thresholds[d] }])) };
}

/** Fallbacks that come from the model (not from the input or the mode): a run that reported one may be made again when the model's load ends. */
const MODEL_FALLBACKS: ReadonlySet<FallbackReason | null> = new Set<FallbackReason>(['MODEL_LOADING', 'MODEL_UNAVAILABLE', 'TIMEOUT']);

/**
 * Whether a semantic report is out of date because the model's load ended after it answered: it
 * said MODEL_LOADING and the load has ended since, well or badly (the facade now says which); or
 * it fell back for the model while the model was not ready, and the model is ready now.
 */
function loadEndedSince(fallback: FallbackReason | null, stateThen: ModelState, stateNow: ModelState): boolean {
  const loading = (state: ModelState) => state === 'idle' || state === 'loading';
  // A failure counts only when the load was under way as the run began: a filter that answered MODEL_LOADING after it failed would otherwise run for ever.
  if (fallback === 'MODEL_LOADING') return stateNow === 'ready' || (loading(stateThen) && !loading(stateNow));
  return MODEL_FALLBACKS.has(fallback) && stateNow === 'ready' && stateThen !== 'ready';
}

const ZERO_THRESHOLDS = { dimensions: { style: { threshold: 0 }, occasion: { threshold: 0 }, mood: { threshold: 0 } } };

/**
 * The deadline of the first answer shown while the model is not loaded: long enough for the
 * vocabulary and the vector cache, far under the filter's own deadline (2 s by default), which
 * would otherwise hold every row back on a first visit.
 */
const FIRST_ANSWER_MS = 250;

/**
 * Whether a warm-up has run to its end on this page. What it warms is compiled code, which every
 * element on the page shares and keeps: warming again after each refresh cost three idle tasks
 * (1-10 ms each at 10,000 items) per request edit and made the drags after edits no faster.
 */
let warmedUp = false;

/**
 * The debugger's runs: both modes over the host's items and request, made again when they change,
 * retuned when a threshold moves, and the scores behind the threshold charts. It also owns the
 * semantic filter the runs use: the host's, or one it makes and disposes of itself, whose model
 * state and download progress it follows. The host calls `willUpdate` from its own, so a retune's
 * runs are there for the rest of that update; it reads `current`, `scores` and `progress`.
 */
export class DebuggerRuns implements ReactiveController {
  readonly #host: DebuggerRunsHost;
  readonly #options: DebuggerRunsOptions;
  #runs: Runs | undefined;
  #scores: DimensionScores | undefined;
  #progress: ModelProgress | undefined;
  /** Why the filter's latest model load failed, as it said; null while none did or once one succeeded. */
  #failure: ModelLoadFailure | null = null;
  /** Counts filter runs, so a result that a newer run superseded is dropped. */
  #run = 0;
  /** The last run whose answer within the filter's deadline is shown: a first answer must not replace it. */
  #answered = 0;
  /** The filter made here when the host gave none; disposed on disconnect. */
  #ownFilter: SemanticFilter | undefined;
  #subscribed: SemanticFilter | undefined;
  #unsubscribe: AbortController | undefined;
  /** The items as prepared by the filter, and which items array and filter they were prepared from. */
  #prepared: { readonly items: readonly ShownItem[]; readonly filter: SemanticFilter; readonly handle: PreparedItems } | undefined;

  constructor(host: DebuggerRunsHost, options: DebuggerRunsOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The runs shown: the latest answer (a first answer while the model loads), undefined before any. */
  get current(): Runs | undefined {
    return this.#runs;
  }

  /** Each item's best score per requested dimension, for the threshold charts; undefined from new items or a new request until the page is idle after their run. */
  get scores(): DimensionScores | undefined {
    return this.#scores;
  }

  /** The model download's progress, as the filter last told it. */
  get progress(): ModelProgress | undefined {
    return this.#progress;
  }

  /** Why the filter's latest model load failed (in words: `message`), or null. */
  get loadFailure(): ModelLoadFailure | null {
    return this.#failure;
  }

  /** Where the filter's vectors came from so far (undefined before the first run made one). */
  vectorStats(): VectorStats | undefined {
    return this.#subscribed?.stats();
  }

  /** Called from the host's willUpdate: new inputs run both modes again, new thresholds retune the semantic run. */
  willUpdate(changed: PropertyValues<DebuggerRunsHost>): void {
    if ((changed.has('filter') || changed.has('modelBaseUrl')) && this.#ownFilter !== undefined) {
      this.#ownFilter.dispose(); // the host brought its own filter, or moved the model
      this.#ownFilter = undefined;
    }
    if (changed.has('items') || changed.has('request') || changed.has('filter') || changed.has('modelBaseUrl')) void this.#refresh();
    else if (changed.has('thresholds')) this.#retune();
  }

  hostConnected(): void {
    if (this.#host.hasUpdated) void this.#refresh(); // reattached: its filter was let go on disconnect
  }

  hostDisconnected(): void {
    this.#run++; // results still in flight are dropped
    this.#unsubscribe?.abort();
    this.#subscribed = undefined;
    this.#ownFilter?.dispose();
    this.#ownFilter = undefined;
  }

  /**
   * Prepares the items when they (or the filter) changed, runs both modes, and then, when the page
   * is idle, reads the scores behind the threshold charts from a zero-threshold rerun of the
   * semantic run: the rows and the summary of a request edit need not wait for the charts, and the
   * charts' work does not land in the frame after the edit.
   */
  async #refresh(): Promise<void> {
    const run = ++this.#run;
    const host = this.#host;
    const filter = this.#filter();
    if (this.#prepared?.items !== host.items || this.#prepared.filter !== filter) this.#prepared = { items: host.items, filter, handle: filter.prepare(host.items) };
    const { handle: prepared, items } = this.#prepared;
    const { thresholds: asked, request } = host;
    const options = thresholdOptions(currentThresholds(asked));
    const stateThen = filter.state;
    const traditionalRun = filter.run(prepared, request, { semantic: false });
    const semanticRun = filter.run(prepared, request, options);
    if (filter.state === 'idle' || filter.state === 'loading') void this.#firstAnswer(run, filter, traditionalRun, filter.run(prepared, request, options, { deadlineMs: FIRST_ANSWER_MS }));
    const [traditional, semantic] = await Promise.all([traditionalRun, semanticRun]);
    if (run !== this.#run) return;
    this.#present(run, filter, { traditional, items, request, semantic: this.#withThresholds(filter, semantic, asked) });
    // The model's load ended (arrived, or failed) while this run was in flight: the statechange came too early to rerun it.
    if (loadEndedSince(semantic.report.fallback_reason, stateThen, filter.state)) void this.#refresh();
    // Loaded but slow: this run needed more new terms than the deadline allows (weights with no
    // vocabulary pack, such as q8, embed every concept anchor on first use). No statechange will
    // come, so the same run without a deadline of its own (the facade's embedding timeout still bounds
    // it) joins what the model goes on computing, and its answer is shown once it is in.
    else if (semantic.report.fallback_reason === 'TIMEOUT' && filter.state === 'ready') void this.#lateAnswer(run, filter, traditional, filter.run(prepared, request, options, { deadlineMs: Number.POSITIVE_INFINITY }));
  }

  /** Shows a run's answer as the report, then reads its threshold curves when the page is idle. */
  #present(run: number, filter: SemanticFilter, runs: Runs): void {
    const { semantic, request } = runs;
    this.#show(runs);
    this.#answered = run;
    this.#options.onReport();
    if (semantic.run === null) this.#scores = undefined;
    else
      whenIdle(() => {
        if (run !== this.#run) return;
        this.#scores = dimensionScores(filter.retune(semantic, ZERO_THRESHOLDS).run!);
        this.#host.requestUpdate();
        if (!warmedUp) this.#warmUp(filter, run, DIMENSIONS.filter((d) => request[d] !== undefined));
      });
  }

  /** The semantic answer a TIMEOUT left computing, shown (and reported) when it arrives, unless a newer run came first. */
  async #lateAnswer(run: number, filter: SemanticFilter, traditional: FilterRun, lateRun: Promise<FilterRun>): Promise<void> {
    const { thresholds: asked, request } = this.#host;
    const items = this.#prepared!.items;
    const semantic = await lateRun;
    if (run !== this.#run || semantic.report.fallback_reason === 'TIMEOUT') return;
    this.#present(run, filter, { traditional, items, request, semantic: this.#withThresholds(filter, semantic, asked) });
  }

  /**
   * While the model loads, the rows need not wait for the filter's deadline: the traditional run and
   * a semantic run from the vocabulary and the cache (FIRST_ANSWER_MS) are shown as soon as they are
   * in, unless the answer within the deadline came first. Not reported (semfilter-report): that
   * answer is, and it replaces this one; the model's comes after it, on `ready`.
   */
  async #firstAnswer(run: number, filter: SemanticFilter, traditionalRun: Promise<FilterRun>, firstRun: Promise<FilterRun>): Promise<void> {
    const { thresholds: asked, request } = this.#host;
    const items = this.#prepared!.items;
    const [traditional, semantic] = await Promise.all([traditionalRun, firstRun]);
    if (run !== this.#run || this.#answered === run) return;
    this.#show({ traditional, items, request, semantic: this.#withThresholds(filter, semantic, asked) });
  }

  /** A run made with the thresholds `asked`: as it is, or retuned (no embedder) when the host's thresholds moved while it was in flight. */
  #withThresholds(filter: SemanticFilter, semantic: FilterRun, asked: DebuggerRunsHost['thresholds']): FilterRun {
    return this.#host.thresholds === asked ? semantic : filter.retune(semantic, thresholdOptions(currentThresholds(this.#host.thresholds)));
  }

  /**
   * What a slider step runs, done once per requested dimension (one idle callback each) and thrown
   * away: the first steps of a drag then run compiled code instead of cold code (they took several
   * times longer than the later ones). Once per page (warmedUp); a warm-up a newer run cut short is
   * done again after that run.
   */
  #warmUp(filter: SemanticFilter, run: number, dimensions: readonly Dimension[]): void {
    const [dimension, ...rest] = dimensions;
    if (dimension === undefined) {
      warmedUp = true;
      return;
    }
    whenIdle(() => {
      const runs = this.#runs;
      const scores = this.#scores;
      if (run !== this.#run || runs === undefined || scores === undefined || runs.semantic.run === null) return;
      const current = currentThresholds(this.#host.thresholds);
      const nudged = { ...current, [dimension]: Math.min(1, current[dimension] + 0.01) };
      const step = filter.retune(runs.semantic, thresholdOptions(nudged)).run!;
      for (const index of shownIndices(runs.traditional.run!, step, runs.items, this.#options.query()).subarray(0, this.#host.pageSize)) itemVerdict(step, index);
      for (const other of DIMENSIONS) if (other !== dimension) passRateCurve(scores, other, nudged);
      this.#warmUp(filter, run, rest);
    });
  }

  /** A threshold moved: rerun the semantic run's tight pass with the new thresholds, synchronously (no embedder, no worker). */
  #retune(): void {
    const runs = this.#runs;
    const filter = this.#prepared?.filter;
    if (runs === undefined || filter === undefined) return; // the first run is in flight and will read the thresholds
    this.#show({ ...runs, semantic: filter.retune(runs.semantic, thresholdOptions(currentThresholds(this.#host.thresholds))) });
    this.#options.onReport();
  }

  #show(runs: Runs): void {
    // The chart scores belong to the items and request they were read for: other ones leave the
    // charts empty until the idle read, instead of drawing the old request's curves.
    if (runs.items !== this.#runs?.items || runs.request !== this.#runs.request) this.#scores = undefined;
    this.#runs = runs;
    this.#host.requestUpdate();
  }

  /** The host's filter, or one made here; follows its model state and progress. */
  #filter(): SemanticFilter {
    const host = this.#host;
    const filter = host.filter ?? (this.#ownFilter ??= createSemanticFilter(host.modelBaseUrl === undefined ? {} : { modelBaseUrl: host.modelBaseUrl }));
    if (this.#subscribed !== filter) {
      this.#unsubscribe?.abort();
      this.#unsubscribe = new AbortController();
      const { signal } = this.#unsubscribe;
      this.#subscribed = filter;
      filter.addEventListener('statechange', (e) => this.#stateChanged(e.detail), { signal });
      filter.addEventListener('progress', (e) => this.#progressed(e.detail), { signal });
      host.modelState = filter.state;
      this.#failure = filter.loadFailure ?? null;
    }
    return filter;
  }

  /**
   * Follows the model state and why a load failed. A report that answered before the model's load
   * ended is made again: with the model once it is ready (after MODEL_LOADING, or a fallback
   * while a load after a failed one was under way), and after a load that failed (MODEL_LOADING
   * is then no longer true: the run says what the facade says now, MODEL_UNAVAILABLE or TIMEOUT).
   */
  #stateChanged({ state, failure }: StateChange): void {
    const filter = this.#subscribed;
    // A filter without loadFailure (a hand-made one) says why in the event only.
    this.#failure = state === 'ready' ? null : filter?.loadFailure !== undefined ? filter.loadFailure : (failure ?? this.#failure);
    this.#host.modelState = state;
    this.#host.requestUpdate();
    const fallback = this.#runs?.semantic.report.fallback_reason ?? null;
    if (fallback === 'MODEL_LOADING' ? state !== 'idle' && state !== 'loading' : state === 'ready' && MODEL_FALLBACKS.has(fallback)) void this.#refresh();
  }

  #progressed(progress: ModelProgress): void {
    this.#progress = progress;
    this.#host.requestUpdate();
  }
}
