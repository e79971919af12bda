import { DIMENSIONS, flipGroups, type Dimension, type FlipGroup, type FilterReport, type FilterRequest } from '@semfilter/core';
import type { ModelState, SemanticFilter } from '@semfilter/core/browser';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { repeat } from 'lit/directives/repeat.js';
import { debuggerStyles } from './styles.js';
import type { ShownItem, ShownRun } from './shown.js';
import { pagerButton, rowTemplate, summaryTemplate } from './templates.js';
import { createCurveMemo } from './threshold-curve.js';
import { requestTemplate, thresholdsTemplate, toolbarTemplate } from './controls.js';
import { comparisonFile, createExportNamer, download, type ExportFormat } from './comparison-file.js';
import { vectorsWithoutModel } from './fallback-words.js';
import { countOf } from './counts.js';
import { createRowKeys, createRowsMemo, shownVerdict, type DebuggerView, type QueriedRows, type RowQuery } from './rows.js';
import { emptyMessage, pagerStatus, rowFiltersTemplate, type RowFilterWords } from './row-filters.js';
import { changesTemplate } from './changes.js';
import { rowInsightTemplate } from './row-insight.js';
import { openBreakdowns } from './breakdown.js';
import { insightStyles } from './insight-styles.js';
import { currentThresholds, DebuggerRuns, type Runs } from './debugger-runs.js';
import { RowNarrowing } from './row-narrowing.js';

export type { DebuggerView } from './rows.js';

/** Detail of `semfilter-toggle`. */
export interface SemfilterToggleDetail {
  readonly semantic: boolean;
}

/** Detail of `semfilter-view`. */
export interface SemfilterViewDetail {
  readonly view: DebuggerView;
}

/** Events leave the shadow root and bubble, so hosts can listen anywhere above the element. */
const BUBBLES_OUT = { bubbles: true, composed: true } as const;

/** Input issues listed when the host's wardrobe or request is not valid. */
const SHOWN_ISSUES = 12;

/**
 * Shows the traditional and the semantic filter side by side for one wardrobe and one request,
 * with the reasons for every verdict.
 *
 * @fires semfilter-toggle - semantic mode was switched; detail `{ semantic }`
 * @fires semfilter-report - a new report for the active mode; detail: the report
 * @fires semfilter-view - the element changed its `view` (the view select, a flip group chosen or let go, a chosen group gone); detail `{ view }`
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
 * @cssprop --semfilter-unsure-color - colour of the mark on unsure verdicts (a tag the model does not know well)
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
    _page: { state: true, attribute: false },
    _exported: { state: true, attribute: false },
    _announced: { state: true, attribute: false },
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
  declare private _page: number;
  /** What the last export wrote, for its status line. */
  declare private _exported: string;
  /** What the live region last said: where a chosen flip group's rows are. */
  declare private _announced: string;
  /** Download names after the request and the time. */
  readonly #exportName = createExportNamer();
  /** Both modes' runs of the items and request, and the filter and model behind them. */
  readonly #runs = new DebuggerRuns(this, { query: () => this.#query(), onReport: () => this.#emitReport(this.report!) });
  /** The search, the reason code and a chosen flip group, which narrow the rows beyond the view. */
  readonly #narrowing = new RowNarrowing(this, { setView: (view) => this.#setView(view), onNarrowed: () => (this._page = 0) });
  /** The runs the chosen flip group was last followed into. */
  #followed: Runs | undefined;
  readonly #rows = createRowsMemo();
  readonly #curve = createCurveMemo();
  readonly #rowKeys = createRowKeys();
  /** Which rows' score breakdowns are open: only those read their figures. */
  readonly #breakdowns = openBreakdowns(() => this.requestUpdate());

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
    this._exported = '';
    this._announced = '';
  }

  /** The report of the active mode, or undefined before the first run. */
  get report(): FilterReport | undefined {
    const runs = this.#runs.current;
    return (this.semantic ? runs?.semantic : runs?.traditional)?.report;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#runs.willUpdate(changed); // first: a threshold's retune is read by the rest of this update
    const runs = this.#runs.current;
    if (runs !== this.#followed) {
      if (runs?.items !== this.#followed?.items || runs?.request !== this.#followed?.request) this._exported = ''; // the status line spoke of other items or another request
      this.#followed = runs;
      this.#narrowing.follow(runs);
    }
    // A new search, reason code or flip group went back to the first page as it was set (onNarrowed).
    if (['items', 'view', 'semantic'].some((key) => changed.has(key as keyof SemfilterDebugger))) this._page = 0;
    else if (runs !== undefined && this._page > 0) this._page = Math.min(this._page, this.#pageCount(runs) - 1); // a new result or a threshold may leave fewer pages
    if (changed.has('semantic') && changed.get('semantic') !== undefined && this.report) this.#emitReport(this.report);
  }

  protected override render() {
    const runs = this.#runs.current;
    return html`
      ${toolbarTemplate({
        semantic: this.semantic,
        view: this.view,
        modelState: this.modelState,
        vectorsFrom: vectorsWithoutModel(runs?.semantic.report, this.modelState, this.#runs.vectorStats()),
        progress: this.#runs.progress,
        failure: this.#runs.loadFailure,
        canExport: runs?.traditional.run != null && runs.semantic.run !== null,
        exported: this._exported,
        onToggle: () => this.#toggle(),
        onView: (view) => this.#setView(view),
        onExport: (format) => this.#export(format),
      })}
      ${runs === undefined ? html`<p role="status">Filtering…</p>` : this.#headlineTemplate(runs)}
      ${requestTemplate(this.request, (dimension, value) => this.#setRequest(dimension, value))}
      ${thresholdsTemplate({ request: this.request, current: currentThresholds(this.thresholds), scores: this.#runs.scores, curve: this.#curve, changed: Object.keys(this.thresholds).length > 0, onSet: (dimension, value) => this.#setThreshold(dimension, value), onReset: () => (this.thresholds = {}) })}
      ${runs === undefined || runs.traditional.run === null || runs.semantic.run === null ? nothing : this.#rowsTemplate(runs)}
      <p class="visually-hidden" role="status" data-announce>${this._announced}</p>
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
    const changes = {
      summary: flipGroups(traditional.run, semantic.run),
      semantic: semantic as ShownRun,
      failure: this.#runs.loadFailure,
      shownRows: this.#shownRows(runs).indices.length,
      chosen: this.#narrowing.chosen,
      onChoose: (group: FlipGroup) => this.#chooseGroup(group),
      onClear: () => this.#letGoOfGroup(),
      nothingPasses: { run: (this.semantic ? semantic.run : traditional.run), items: runs.items, showingAll: this.view === 'all', onShowAll: () => this.#showAllItems() },
    };
    return html`${changesTemplate(changes)}
      ${guard([traditional, semantic], () => summaryTemplate(traditional as ShownRun, semantic as ShownRun, runs.items.length))}`;
  }

  /** The row filters, the pager and one page of rows, for runs over valid input. */
  #rowsTemplate(runs: Runs) {
    const { traditional, semantic } = runs;
    const requested = DIMENSIONS.filter((d) => runs.request[d] !== undefined);
    const thresholds = currentThresholds(this.thresholds);
    const { indices: shown, codes } = this.#shownRows(runs);
    const narrowing = this.#narrowing;
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
    return html`${rowFiltersTemplate({ text: narrowing.text, code: narrowing.code, codes, onText: (text, now) => narrowing.search(text, now), onCode: (code) => narrowing.setCode(code) })}
      <div class="pager">
        <span role="status">${pagerStatus(shown.length, at + 1, pages, this.#filterWords())}</span>
        ${pagerButton('Previous page', at > 0, () => (this._page = at - 1))} ${pagerButton('Next page', at < pages - 1, () => (this._page = at + 1))}
      </div>
      <table>
        <caption class="state">Each item with its tags, and both filters' verdicts side by side</caption>
        <thead><tr><th scope="col">Item</th><th scope="col">Rank and score</th><th scope="col">Tags (as written → normalized)</th><th scope="col">Traditional filter</th><th scope="col">Semantic filter</th></tr></thead>
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
    const { text, code, only } = this.#narrowing;
    return { view: this.view, semantic: this.semantic, text, code, only: only?.indices };
  }

  /** The item indices the query shows, and the reason codes behind them: computed once per runs and query, not once per render (progress events render too). */
  #shownRows(runs: Runs): QueriedRows {
    return this.#rows(runs.traditional.run!, runs.semantic.run!, runs.items, this.#query());
  }

  #filterWords(): RowFilterWords {
    const { text, code, only } = this.#narrowing;
    return { view: this.view, semantic: this.semantic, text, code, onlyLabel: only?.label };
  }

  /**
   * A flip group's button: its rows replace the table's, which on a phone start screens below the
   * button (the tap looked like it did nothing). The first row is brought into view, unless it is
   * on screen already, and the live region says where the rows went.
   */
  #chooseGroup(group: FlipGroup): void {
    this.#narrowing.choose(group);
    void this.updateComplete.then(() => {
      const runs = this.#runs.current;
      const chosen = this.#narrowing.chosen;
      const first = this.renderRoot.querySelector<HTMLElement>('[part~="item"]');
      if (runs === undefined || chosen === undefined || first === null) return;
      const { top } = first.getBoundingClientRect();
      if (top < 0 || top >= innerHeight) first.scrollIntoView({ block: 'start' });
      const item = runs.items[this.#shownRows(runs).indices[0]!]!;
      this._announced = `Showing the ${countOf(chosen.indices.length, 'item', 'items')} ${chosen.label}; the table is scrolled to the first, ${item.name ?? item.id}.`;
    });
  }

  #letGoOfGroup(): void {
    this._announced = '';
    this.#narrowing.showAll();
  }

  /** "Show all items with their reasons", when the active mode passes none: every row, whatever restricted them. */
  #showAllItems(): void {
    this.#letGoOfGroup();
    this.#setView('all');
  }

  /** The element changes its own view: the host hears of it (semfilter-view), as it hears of the switch. */
  #setView(view: DebuggerView): void {
    if (view === this.view) return;
    this.view = view;
    this.dispatchEvent(new CustomEvent<SemfilterViewDetail>('semfilter-view', { detail: { view }, ...BUBBLES_OUT }));
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

  #setThreshold(dimension: Dimension, value: number): void {
    this.thresholds = { ...this.thresholds, [dimension]: value };
  }

  /** Both modes' reports of what is shown, with the request, thresholds, view and mode, as a JSON or CSV download. */
  #export(format: ExportFormat): void {
    const runs = this.#runs.current;
    if (runs?.traditional.run == null || runs.semantic.run === null) return; // the buttons are disabled then
    const { blob, name } = comparisonFile(format, { request: runs.request, thresholds: this.thresholds, view: this.view, semantic: this.semantic, traditional: runs.traditional.report, semanticReport: runs.semantic.report, items: runs.items }, this.#exportName(runs.request, format));
    download(blob, name);
    this._exported = `Exported ${countOf(runs.items.length, 'item', 'items')}, both modes, as ${format.toUpperCase()}.`;
  }

  #emitReport(report: FilterReport): void {
    this.dispatchEvent(new CustomEvent<FilterReport>('semfilter-report', { detail: report, ...BUBBLES_OUT }));
  }
}
