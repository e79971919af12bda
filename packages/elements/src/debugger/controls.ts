import { DIMENSIONS, type Dimension, type FilterRequest } from '@semfilter/core';
import { describeProgress, type ModelLoadFailure, type ModelProgress, type ModelState } from '@semfilter/core/browser';
import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { requestText, suggestedTerms } from './request-terms.js';
import type { DimensionScores, passRateCurve } from './threshold-curve.js';
import { chartTemplate } from './threshold-chart.js';
import type { DebuggerView } from './rows.js';
import type { ExportFormat } from './comparison-file.js';

/** What the toolbar shows, and what its controls call. */
export interface ToolbarState {
  readonly semantic: boolean;
  readonly view: DebuggerView;
  readonly modelState: ModelState;
  /** Where the vectors came from while the model was not needed (it stays idle then): "the vocabulary", "the cache". */
  readonly vectorsFrom?: string | undefined;
  readonly progress: ModelProgress | undefined;
  /** Why the latest model load failed, named beside the state while it is `fallback`. */
  readonly failure?: ModelLoadFailure | null;
  /** Whether both modes have a report to export (not before the first run, nor for input that is not valid). */
  readonly canExport: boolean;
  /** What the last export wrote, or why it did not. */
  readonly exported: string;
  readonly onToggle: () => void;
  readonly onView: (view: DebuggerView) => void;
  readonly onExport: (format: ExportFormat) => void;
}

/** The semantic-mode switch, the view select, the export buttons and the model's state and download progress. */
export function toolbarTemplate(state: ToolbarState): TemplateResult {
  return html`<div class="toolbar">
    <button type="button" role="switch" part="semantic-toggle" aria-checked=${state.semantic ? 'true' : 'false'} @click=${state.onToggle}>
      <span class="track" aria-hidden="true"></span> Semantic mode
    </button>
    <label>Show <select @change=${(e: Event) => state.onView((e.target as HTMLSelectElement).value as DebuggerView)} .value=${state.view}>
      <option value="passing">items the active mode passes</option>
      <option value="all">all items</option>
      <option value="disagreements">disagreements only</option>
    </select></label>
    <span class="export" role="group" aria-label="Export both modes">
      <button type="button" data-export="json" @click=${() => state.onExport('json')} ?disabled=${!state.canExport}>Export JSON</button>
      <button type="button" data-export="csv" @click=${() => state.onExport('csv')} ?disabled=${!state.canExport}>Export CSV</button>
      <span class="state" role="status" data-export-status>${state.exported}</span>
    </span>
    <span class="state" role="status">Model: ${modelStateWords(state)}${state.modelState === 'fallback' && state.failure != null
      ? html` — <span data-model-failure=${state.failure.kind}>${state.failure.message}</span>`
      : nothing}</span>
    ${state.modelState === 'loading'
      ? html`<progress part="model-progress" max="1" .value=${state.progress?.fraction ?? null} aria-label="Model download"></progress>
          <span class="state" data-model-progress>${state.progress === undefined ? 'Downloading the model…' : describeProgress(state.progress)}</span>`
      : nothing}
  </div>`;
}

/** The model's state, or, while it is idle because nothing needed it, why: "idle" beside "semantic mode active" read as a contradiction. */
function modelStateWords({ modelState, vectorsFrom }: ToolbarState): string {
  return modelState === 'idle' && vectorsFrom !== undefined ? `not needed, every tag came from ${vectorsFrom}` : modelState;
}

/** One text field per dimension (comma-separated terms), with the vocabulary's terms as suggestions. */
export function requestTemplate(request: FilterRequest, onSet: (dimension: Dimension, value: string) => void): TemplateResult {
  return html`<div class="request">
    ${DIMENSIONS.map(
      (dimension) => html`<label>${dimension}
        <input type="text" list="terms-${dimension}" .value=${requestText(request[dimension])} @change=${(e: Event) => onSet(dimension, (e.target as HTMLInputElement).value)} />
        <datalist id="terms-${dimension}">${guard([dimension], () => suggestedTerms(dimension).map((term) => html`<option value=${term}></option>`))}</datalist>
      </label>`,
    )}
  </div>`;
}

/** What the threshold sliders show, and what they call. */
export interface ThresholdsState {
  readonly request: FilterRequest;
  readonly current: Readonly<Record<Dimension, number>>;
  /** The scores behind the charts; undefined until they are read (the charts stay empty). */
  readonly scores: DimensionScores | undefined;
  readonly curve: typeof passRateCurve;
  /** Whether the host set any threshold (the reset has something to undo). */
  readonly changed: boolean;
  readonly onSet: (dimension: Dimension, value: number) => void;
  /** Back to each dimension's default threshold. */
  readonly onReset: () => void;
}

/** A slider, its value and a pass-rate chart per requested dimension (the chart's plot spans the slider's track; see chartTemplate), and a button back to the defaults. */
export function thresholdsTemplate({ request, current, scores, curve, changed, onSet, onReset }: ThresholdsState): TemplateResult {
  if (!DIMENSIONS.some((d) => request[d] !== undefined)) return html`<div class="thresholds"></div>`;
  return html`<div class="thresholds">
    ${DIMENSIONS.filter((d) => request[d] !== undefined).map(
      (dimension) => html`<div class="threshold">
        <span class="threshold-label"><label for="threshold-${dimension}">${dimension} threshold</label> <output for="threshold-${dimension}">${current[dimension].toFixed(2)}</output></span>
        <input id="threshold-${dimension}" type="range" min="0" max="1" step="0.01" .value=${String(current[dimension])} @input=${(e: Event) => onSet(dimension, Number((e.target as HTMLInputElement).value))} />
        ${chartTemplate(dimension, scores === undefined ? undefined : curve(scores, dimension, current), current[dimension])}
      </div>`,
    )}
    <button type="button" ?disabled=${!changed} @click=${onReset}>Reset thresholds</button>
  </div>`;
}
