import { DEFAULT_THRESHOLDS, DIMENSIONS, flipGroups, itemVerdict, type Dimension, type FlipGroup, type FilterReport, type FilterRequest } from '@semfilter/core';
import { createSemanticFilter, type FilterRun, type ModelProgress, type ModelState, type PreparedItems, type SemanticFilter, type StateChange } from '@semfilter/core/browser';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { debuggerStyles } from './styles.js';
import { pagerButton, rowTemplate, summaryTemplate, type ShownItem, type ShownRun } from './templates.js';
import { createCurveMemo, dimensionScores, passRateCurve, type DimensionScores } from './threshold-curve.js';
import { requestTemplate, thresholdsTemplate, toolbarTemplate } from './controls.js';
import { whenIdle } from './idle.js';
import { comparisonFile, download, type ExportFormat } from './comparison-file.js';
import { countOf } from './counts.js';
import { createRowKeys, createRowsMemo, shownIndices, shownVerdict, type DebuggerView, type QueriedRows, type RowQuery, type RowSubset } from './rows.js';
import { emptyMessage, pagerStatus, rowFiltersTemplate, SEARCH_PAUSE_MS, type RowFilterWords } from './row-filters.js';
import { changesTemplate, flipSubset, followSubset, isFlipSubset } from './changes.js';
import { rowInsightTemplate } from './row-insight.js';
import { openBreakdowns } from './breakdown.js';
import { insightStyles } from './insight-styles.js';

export type { DebuggerView } from './rows.js';

/** Detail of `semfilter-toggle`. */
export interface SemfilterToggleDetail {
  readonly semantic: boolean;
}

/** Events leave the shadow root and bubble, so hosts can listen anywhere above the element. */
const BUBBLES_OUT = { bubbles: true, composed: true } as const;

/** Both modes' runs over the prepared items, and the items and request they were run on (the host may have set new ones since). */
interface Runs {
  readonly traditional: FilterRun;
  readonly semantic: FilterRun;
  readonly items: readonly ShownItem[];
  readonly request: FilterRequest;
}

/** Input issues listed when the host's wardrobe or request is not valid. */
const SHOWN_ISSUES = 12;

const ZERO_THRESHOLDS = { dimensions: { style: { threshold: 0 }, occasion: { threshold: 0 }, mood: { threshold: 0 } } };

/**
 * The deadline of the first answer shown while the model is not loaded: long enough for the
 * vocabulary and the vector cache, far under the filter's own deadline (2 s by default), which
 * would otherwise hold every row back on a first visit.
 */
const FIRST_ANSWER_MS = 250;

/**
 * Shows the traditional and the semantic filter side by side for one wardrobe and one request,
 * with the reasons for every verdict.
 *
 * @fires semfilter-toggle - semantic mode was switched; detail `{ semantic }`
 * @fires semfilter-report - a new report for the active mode; detail: the report
 * @csspart semantic-toggle - the semantic-mode switch (a button with role="switch")
 * @csspart summary - both pass rates, their difference and rejections per dimension
 * @csspart changes - what semantic mode changes: items gained and lost, the largest flip groups as buttons
 * @csspart item - one row per item, with data-item-id, data-traditional and data-semantic
 * @csspart model-progress - the model download progress bar
 * @cssprop --semfilter-font - font shorthand
 * @cssprop --semfilter-text-color - text colour
 * @cssprop --semfilter-muted-color - secondary text colour
 * @cssprop --semfilter-pass-color - colour of passing verdicts
 * @cssprop --semfilter-reject-color - colour of rejections
 * @cssprop --semfilter-accent-color - switch, focus ring and charts
 * @cssprop --semfilter-border-color - borders and the switch track
 * @cssprop --semfilter-surface-color - background
 */
export class SemfilterDebugger extends LitElement {
  static override styles = [debuggerStyles, insightStyles];
  static override properties = {
    items: { attribute: false },
    request: { attribute: false },
    semantic: { type: Boolean, reflect: true },
    thresholds: { attribute: false },
    modelBaseUrl: { attribute: 'model-base-url' },
    pageSize: { type: Number, attribute: 'page-size' },
    view: { reflect: true },
    filter: { attribute: false },
    modelState: { attribute: 'model-state', reflect: true },
    _runs: { state: true, attribute: false },
    _scores: { state: true, attribute: false },
    _progress: { state: true, attribute: false },
    _page: { state: true, attribute: false },
    _text: { state: true, attribute: false },
    _code: { state: true, attribute: false },
    _only: { state: true, attribute: false },
    _exported: { state: true, attribute: false },
  };

  /** The wardrobe: items with an `id`, optional `name`, `style`, `occasion`, `mood`. */
  declare items: readonly ShownItem[];
  /** What is asked for: any of `style`, `occasion`, `mood`. */
  declare request: FilterRequest;
  /** Semantic mode: which filter decides the "passing" view and the exported report. */
  declare semantic: boolean;
  /** Per-dimension thresholds of the semantic filter. */
  declare thresholds: Partial<Record<Dimension, number>>;
  /** Where the model lives, for the filter the element creates when none is given. */
  declare modelBaseUrl: string | undefined;
  /** Rows per page: the table renders one page at a time, so 10,000 items stay responsive. */
  declare pageSize: number;
  /** Which rows show: `passing` (what the active mode passes), `all`, or `disagreements` (the flip list). */
  declare view: DebuggerView;
  /** The semantic filter to use; by default one is created on first use. */
  declare filter: SemanticFilter | undefined;
  /** Reflected model state: idle, loading, ready, fallback or error. */
  declare modelState: ModelState;
  declare private _runs: Runs | undefined;
  declare private _scores: DimensionScores | undefined;
  declare private _progress: ModelProgress | undefined;
  declare private _page: number;
  /** The search the rows are filtered by (as typed, applied after a short pause). */
  declare private _text: string;
  /** The reason code the rows are filtered by; undefined for any. */
  declare private _code: string | undefined;
  /** Some items the rows are restricted to, with words for the pager (a flip group's items); undefined for all. */
  declare private _only: RowSubset | undefined;
  /** What the last export wrote, for its status line. */
  declare private _exported: string;
  /** Counts filter runs, so a result that a newer run superseded is dropped. */
  #run = 0;
  /** The last run whose answer within the filter's deadline is shown: a first answer must not replace it. */
  #answered = 0;
  /** The filter the element made itself when the host gave none; disposed on disconnect. */
  #ownFilter: SemanticFilter | undefined;
  #subscribed: SemanticFilter | undefined;
  /** The items as prepared by the filter, and which items array and filter they were prepared from. */
  #prepared: { readonly items: readonly ShownItem[]; readonly filter: SemanticFilter; readonly handle: PreparedItems } | undefined;
  readonly #rows = createRowsMemo();
  readonly #curve = createCurveMemo();
  readonly #rowKeys = createRowKeys();
  /** Which rows' score breakdowns are open: only those read their figures. */
  readonly #breakdowns = openBreakdowns(() => this.requestUpdate());
  #unsubscribe: AbortController | undefined;
  /** The pause after a keystroke in the search box, before the rows are filtered. */
  #searchPause: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.items = [];
    this.request = {};
    this.semantic = false;
    this.thresholds = {};
    this.pageSize = 50;
    this.view = 'passing';
    this.modelState = 'idle';
    this._page = 0;
    this._text = '';
    this._exported = '';
  }

  /** The report of the active mode, or undefined before the first run. */
  get report(): FilterReport | undefined {
    return (this.semantic ? this._runs?.semantic : this._runs?.traditional)?.report;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.#refresh(); // reattached: its filter was let go on disconnect
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#run++; // results still in flight are dropped
    clearTimeout(this.#searchPause);
    this.#unsubscribe?.abort();
    this.#subscribed = undefined;
    this.#ownFilter?.dispose();
    this.#ownFilter = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('filter') || changed.has('modelBaseUrl')) && this.#ownFilter !== undefined) {
      this.#ownFilter.dispose(); // the host brought its own filter, or moved the model
      this.#ownFilter = undefined;
    }
    const inputsChanged = changed.has('items') || changed.has('request') || changed.has('filter') || changed.has('modelBaseUrl');
    if (inputsChanged) void this.#refresh();
    else if (changed.has('thresholds')) this.#retune();
    if (changed.has('_runs' as keyof SemfilterDebugger)) this.#followGroup();
    if (['items', 'view', 'semantic', '_text', '_code', '_only'].some((key) => changed.has(key as keyof SemfilterDebugger))) this._page = 0;
    else if (this._runs !== undefined && this._page > 0) this._page = Math.min(this._page, this.#pageCount(this._runs) - 1); // a new result or a threshold may leave fewer pages
    if (changed.has('semantic') && changed.get('semantic') !== undefined && this.report) this.#emitReport(this.report);
  }

  protected override render() {
    const runs = this._runs;
    return html`
      ${toolbarTemplate({
        semantic: this.semantic,
        view: this.view,
        modelState: this.modelState,
        progress: this._progress,
        canExport: runs?.traditional.run != null && runs.semantic.run !== null,
        exported: this._exported,
        onToggle: () => this.#toggle(),
        onView: (view) => (this.view = view),
        onExport: (format) => this.#export(format),
      })}
      ${runs === undefined ? html`<p role="status">Filtering…</p>` : this.#headlineTemplate(runs)}
      ${requestTemplate(this.request, (dimension, value) => this.#setRequest(dimension, value))}
      ${thresholdsTemplate({ request: this.request, current: this.#currentThresholds(), scores: this._scores, curve: this.#curve, onSet: (dimension, value) => this.#setThreshold(dimension, value) })}
      ${runs === undefined || runs.traditional.run === null || runs.semantic.run === null ? nothing : this.#rowsTemplate(runs)}
    `;
  }

  /**
   * What semantic mode changes and both pass rates, above the request and the sliders: the first
   * screen (a phone's too) answers "what does semantic mode change here" before it asks for input.
   */
  #headlineTemplate(runs: Runs) {
    const { traditional, semantic } = runs;
    if (traditional.run === null || semantic.run === null) {
      const issues = traditional.report.input_issues ?? semantic.report.input_issues ?? [];
      return html`<div class="issues" role="alert">
        <p>Nothing was filtered: the wardrobe or the request is not valid.</p>
        <ul>${issues.slice(0, SHOWN_ISSUES).map((issue) => html`<li>${issue.path}: ${issue.message}</li>`)}</ul>
      </div>`;
    }
    return html`${changesTemplate({ summary: flipGroups(traditional.run, semantic.run), chosen: isFlipSubset(this._only) ? this._only : undefined, onChoose: (group) => this.#chooseGroup(group), onClear: () => this.#clearGroup() })}
      ${guard([traditional, semantic], () => summaryTemplate(traditional as ShownRun, semantic as ShownRun, runs.items.length))}`;
  }

  /** The row filters, the pager and one page of rows, for runs over valid input. */
  #rowsTemplate(runs: Runs) {
    const { traditional, semantic } = runs;
    const requested = DIMENSIONS.filter((d) => this.request[d] !== undefined);
    const thresholds = this.#currentThresholds();
    const { indices: shown, codes } = this.#shownRows(runs);
    const pages = this.#pageCount(runs);
    const at = this._page; // clamped to the pages in willUpdate
    // Full verdicts (reasons, matches) are built for the rows on this page only. Rows are keyed so
    // that an item keeps its row (createRowKeys): a threshold step that drops or adds a few items
    // touches those rows only, where rendering by position rewrote (and the browser laid out
    // again) every row after the first change.
    const indices = shown.subarray(at * this.pageSize, (at + 1) * this.pageSize);
    const keys = this.#rowKeys(indices);
    const page = Array.from(indices, (index, i) => ({
      key: keys[i]!,
      index,
      item: runs.items[index]!,
      traditional: shownVerdict(traditional.run!, index),
      semantic: shownVerdict(semantic.run!, index),
    }));
    return html`${rowFiltersTemplate({ text: this._text, code: this._code, codes, onText: (text, now) => this.#search(text, now), onCode: (code) => (this._code = code) })}
      <div class="pager">
        <span role="status">${pagerStatus(shown.length, at + 1, pages, this.#filterWords())}</span>
        ${pagerButton('Previous page', at > 0, () => (this._page = at - 1))} ${pagerButton('Next page', at < pages - 1, () => (this._page = at + 1))}
      </div>
      <table>
        <caption class="state">Each item with its tags, and both filters' verdicts side by side</caption>
        <thead><tr><th scope="col">Item</th><th scope="col">Tags (as written → normalized)</th><th scope="col">Traditional filter</th><th scope="col">Semantic filter</th></tr></thead>
        <tbody>
          ${repeat(page, (row) => row.key, (row) => rowTemplate(row.item, row.traditional, row.semantic, requested, thresholds, rowInsightTemplate(traditional.run!, semantic.run!, row.index, this.semantic, this.#breakdowns)))}
        </tbody>
      </table>
      ${shown.length === 0 ? html`<p class="empty">${emptyMessage(runs.items.length, this.#filterWords())}</p>` : nothing}`;
  }

  /** How many pages the view has for these runs (one at least, for the empty table). */
  #pageCount(runs: Runs): number {
    if (runs.traditional.run === null || runs.semantic.run === null) return 1;
    return Math.max(1, Math.ceil(this.#shownRows(runs).indices.length / this.pageSize));
  }

  /** Which rows to show: the view, the mode, the search, the reason code and the chosen items. */
  #query(): RowQuery {
    return { view: this.view, semantic: this.semantic, text: this._text, code: this._code, only: this._only?.indices };
  }

  /** The item indices the query shows, and the reason codes behind them: computed once per runs and query, not once per render (progress events render too). */
  #shownRows(runs: Runs): QueriedRows {
    return this.#rows(runs.traditional.run!, runs.semantic.run!, runs.items, this.#query());
  }

  #filterWords(): RowFilterWords {
    return { view: this.view, semantic: this.semantic, text: this._text, code: this._code, onlyLabel: this._only?.label };
  }

  /** The search box changed: filter after a pause in typing, or at once (Enter, the clear button). */
  #search(text: string, now: boolean): void {
    clearTimeout(this.#searchPause);
    if (now) this._text = text;
    else this.#searchPause = setTimeout(() => (this._text = text), SEARCH_PAUSE_MS);
  }

  /**
   * Prepares the items when they (or the filter) changed, runs both modes, and then, when the page
   * is idle, reads the scores behind the threshold charts from a zero-threshold rerun of the
   * semantic run: the rows and the summary of a request edit need not wait for the charts, and the
   * charts' work does not land in the frame after the edit.
   */
  async #refresh(): Promise<void> {
    const run = ++this.#run;
    const filter = this.#filter();
    if (this.#prepared?.items !== this.items || this.#prepared.filter !== filter) this.#prepared = { items: this.items, filter, handle: filter.prepare(this.items) };
    const { handle: prepared, items } = this.#prepared;
    const { thresholds: asked, request } = this;
    const traditionalRun = filter.run(prepared, request, { semantic: false });
    const semanticRun = filter.run(prepared, request, this.#thresholdOptions());
    if (filter.state === 'idle' || filter.state === 'loading') void this.#firstAnswer(run, filter, traditionalRun, filter.run(prepared, request, this.#thresholdOptions(), { deadlineMs: FIRST_ANSWER_MS }));
    const [traditional, semantic] = await Promise.all([traditionalRun, semanticRun]);
    if (run !== this.#run) return;
    // Thresholds may have moved while the run was in flight: rerun with the current ones (no embedder).
    this._runs = { traditional, items, request, semantic: this.thresholds === asked ? semantic : filter.retune(semantic, this.#thresholdOptions()) };
    this.#answered = run;
    this.#emitReport(this.report!);
    // The model arrived while this run waited past its deadline: the statechange came too early to rerun it.
    if (semantic.report.fallback_reason === 'MODEL_LOADING' && filter.state === 'ready') void this.#refresh();
    if (semantic.run === null) this._scores = undefined;
    else
      whenIdle(() => {
        if (run !== this.#run) return;
        this._scores = dimensionScores(filter.retune(semantic, ZERO_THRESHOLDS).run!);
        this.#warmUp(filter, run, DIMENSIONS.filter((d) => this.request[d] !== undefined));
      });
  }

  /**
   * While the model loads, the rows need not wait for the filter's deadline: the traditional run and
   * a semantic run from the vocabulary and the cache (FIRST_ANSWER_MS) are shown as soon as they are
   * in, unless the answer within the deadline came first. Not reported (semfilter-report): that
   * answer is, and it replaces this one; the model's comes after it, on `ready`.
   */
  async #firstAnswer(run: number, filter: SemanticFilter, traditionalRun: Promise<FilterRun>, firstRun: Promise<FilterRun>): Promise<void> {
    const { thresholds: asked, request } = this;
    const items = this.#prepared!.items;
    const [traditional, semantic] = await Promise.all([traditionalRun, firstRun]);
    if (run !== this.#run || this.#answered === run) return;
    this._runs = { traditional, items, request, semantic: this.thresholds === asked ? semantic : filter.retune(semantic, this.#thresholdOptions()) };
  }

  /**
   * What a slider step runs, done once per requested dimension (one idle callback each) and thrown
   * away: the first steps of a drag then run compiled code instead of cold code (they took several
   * times longer than the later ones).
   */
  #warmUp(filter: SemanticFilter, run: number, dimensions: readonly Dimension[]): void {
    const [dimension, ...rest] = dimensions;
    if (dimension === undefined) return;
    whenIdle(() => {
      const { _runs: runs, _scores: scores } = this;
      if (run !== this.#run || runs === undefined || scores === undefined || runs.semantic.run === null) return;
      const current = this.#currentThresholds();
      const nudged = { ...current, [dimension]: Math.min(1, current[dimension] + 0.01) };
      const step = filter.retune(runs.semantic, this.#thresholdOptions(nudged)).run!;
      for (const index of shownIndices(runs.traditional.run!, step, runs.items, this.#query()).subarray(0, this.pageSize)) itemVerdict(step, index);
      for (const other of DIMENSIONS) if (other !== dimension) passRateCurve(scores, other, nudged);
      this.#warmUp(filter, run, rest);
    });
  }

  /** A threshold moved: rerun the semantic run's tight pass with the new thresholds, synchronously (no embedder, no worker). */
  #retune(): void {
    const runs = this._runs;
    const filter = this.#prepared?.filter;
    if (runs === undefined || filter === undefined) return; // the first run is in flight and will read the thresholds
    this._runs = { ...runs, semantic: filter.retune(runs.semantic, this.#thresholdOptions()) };
    this.#emitReport(this.report!);
  }

  #thresholdOptions(thresholds = this.#currentThresholds()) {
    return { dimensions: Object.fromEntries(DIMENSIONS.map((d) => [d, { threshold: thresholds[d] }])) };
  }

  /** The host's filter, or one of the element's own; follows its model state and progress. */
  #filter(): SemanticFilter {
    const filter = this.filter ?? (this.#ownFilter ??= createSemanticFilter(this.modelBaseUrl === undefined ? {} : { modelBaseUrl: this.modelBaseUrl }));
    if (this.#subscribed !== filter) {
      this.#unsubscribe?.abort();
      this.#unsubscribe = new AbortController();
      const { signal } = this.#unsubscribe;
      this.#subscribed = filter;
      filter.addEventListener('statechange', (e) => this.#stateChanged((e as CustomEvent<StateChange>).detail.state), { signal });
      filter.addEventListener('progress', (e) => (this._progress = (e as CustomEvent<ModelProgress>).detail), { signal });
      this.modelState = filter.state;
    }
    return filter;
  }

  /** Follows the model state; a report that answered before the model arrived (MODEL_LOADING) is made again with it. */
  #stateChanged(state: ModelState): void {
    this.modelState = state;
    if (state === 'ready' && this._runs?.semantic.report.fallback_reason === 'MODEL_LOADING') void this.#refresh();
  }

  #currentThresholds(): Record<Dimension, number> {
    return Object.fromEntries(DIMENSIONS.map((d) => [d, this.thresholds[d] ?? DEFAULT_THRESHOLDS[d]])) as Record<Dimension, number>;
  }

  #toggle(): void {
    this.semantic = !this.semantic;
    this.dispatchEvent(new CustomEvent<SemfilterToggleDetail>('semfilter-toggle', { detail: { semantic: this.semantic }, ...BUBBLES_OUT }));
  }

  #setRequest(dimension: Dimension, value: string): void {
    const terms = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
    const next: FilterRequest = { ...this.request };
    if (terms.length === 0) delete next[dimension];
    else next[dimension] = terms.length === 1 ? terms[0]! : terms;
    this.request = next;
  }

  /** New runs (a threshold step, a new request): a chosen flip group's rows become its items in them. */
  #followGroup(): void {
    const runs = this._runs;
    if (isFlipSubset(this._only) && runs?.traditional.run && runs.semantic.run) this._only = followSubset(this._only, flipGroups(runs.traditional.run, runs.semantic.run));
  }

  /** A flip group's button: exactly its items (all of them flip, so the disagreements view holds them), no search or reason code. */
  #chooseGroup(group: FlipGroup): void {
    this._only = flipSubset(group, isFlipSubset(this._only) ? this._only.restoreView : this.view);
    this.view = 'disagreements';
    this._text = '';
    this._code = undefined;
  }

  /** "Show all rows": the restriction goes, and the view it replaced comes back. */
  #clearGroup(): void {
    if (isFlipSubset(this._only) && this.view === 'disagreements') this.view = this._only.restoreView; // unless the user chose another view since
    this._only = undefined;
  }

  #setThreshold(dimension: Dimension, value: number): void {
    this.thresholds = { ...this.thresholds, [dimension]: value };
  }

  /** Both modes' reports of what is shown, with the request, thresholds, view and mode, as a JSON or CSV download. */
  #export(format: ExportFormat): void {
    const runs = this._runs;
    if (runs?.traditional.run == null || runs.semantic.run === null) return; // the buttons are disabled then
    const { blob, name } = comparisonFile(format, { request: runs.request, thresholds: this.thresholds, view: this.view, semantic: this.semantic, traditional: runs.traditional.report, semanticReport: runs.semantic.report, items: runs.items });
    download(blob, name);
    this._exported = `Exported ${countOf(runs.items.length, 'item', 'items')}, both modes, as ${format.toUpperCase()}.`;
  }

  #emitReport(report: FilterReport): void {
    this.dispatchEvent(new CustomEvent<FilterReport>('semfilter-report', { detail: report, ...BUBBLES_OUT }));
  }
}
