import { DIMENSIONS, LIMITS, parseWith, requestSchema, type Dimension, type FilterRequest } from '@semfilter/core';

/** The debugger's views, as its `view` property takes them. */
type DebuggerView = HTMLElementTagNameMap['semfilter-debugger']['view'];
const VIEWS: readonly DebuggerView[] = ['passing', 'all', 'disagreements'];

/**
 * What a playground link reproduces. Query parameters: `style`, `occasion`, `mood` (terms,
 * comma-separated, as the debugger's fields take them), `style_threshold` (and the others', 0–1),
 * `view`, `semantic` (`on`/`off`) and `preset` (a preset's slug).
 */
export interface PlaygroundState {
  /** Absent when the link names no request term (the preset, or the first preset, then decides). */
  readonly request?: FilterRequest;
  readonly thresholds: Partial<Record<Dimension, number>>;
  readonly view?: DebuggerView;
  readonly semantic?: boolean;
  readonly preset?: string;
}

/** A preset's name in links: its label, lower-case, words joined by hyphens ("Casual Friday" → "casual-friday"). */
export function presetSlug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const thresholdKey = (dimension: Dimension) => `${dimension}_threshold`;

/**
 * Reads a playground state from a query string. A value that is not valid is left out and named
 * in `warnings`: a hand-edited link must never break the page.
 */
export function readState(search: string, presetSlugs: readonly string[]): { state: PlaygroundState; warnings: string[] } {
  const params = new URLSearchParams(search);
  const warnings: string[] = [];
  const request: FilterRequest = {};
  const thresholds: Partial<Record<Dimension, number>> = {};
  for (const dimension of DIMENSIONS) {
    const text = params.get(dimension);
    if (text !== null) {
      const terms = splitTerms(text);
      const parsed = parseWith(requestSchema, { [dimension]: terms.length === 1 ? terms[0] : terms }, 'request');
      if (terms.length > 0 && parsed.ok) Object.assign(request, parsed.value); // requestSchema holds each term to LIMITS.maxTagLength
      else warnings.push(`${dimension}: "${text.slice(0, 80)}" is not a list of terms (comma-separated, at most ${LIMITS.maxTagsPerAttribute}, each at most ${LIMITS.maxTagLength} characters)`);
    }
    const threshold = params.get(thresholdKey(dimension));
    if (threshold !== null) {
      const value = threshold.trim() === '' ? NaN : Number(threshold);
      if (Number.isFinite(value) && value >= 0 && value <= 1) thresholds[dimension] = value;
      else warnings.push(`${thresholdKey(dimension)}: "${threshold.slice(0, 80)}" is not a number from 0 to 1`);
    }
  }
  const view = params.get('view');
  const semantic = params.get('semantic');
  const preset = params.get('preset');
  if (view !== null && !VIEWS.includes(view as DebuggerView)) warnings.push(`view: "${view.slice(0, 80)}" is not one of ${VIEWS.join(', ')}`);
  if (semantic !== null && semantic !== 'on' && semantic !== 'off') warnings.push(`semantic: "${semantic.slice(0, 80)}" is not on or off`);
  if (preset !== null && !presetSlugs.includes(preset)) warnings.push(`preset: "${preset.slice(0, 80)}" is not one of ${presetSlugs.join(', ')}`);
  const state: PlaygroundState = {
    thresholds,
    ...(Object.keys(request).length > 0 ? { request } : {}),
    ...(view !== null && VIEWS.includes(view as DebuggerView) ? { view: view as DebuggerView } : {}),
    ...(semantic === 'on' || semantic === 'off' ? { semantic: semantic === 'on' } : {}),
    ...(preset !== null && presetSlugs.includes(preset) ? { preset } : {}),
  };
  return { state, warnings };
}

/** The query string (with its "?") for a state; thresholds to two decimals, as the sliders step. */
export function writeState(state: PlaygroundState): string {
  const params = new URLSearchParams();
  if (state.preset !== undefined) params.set('preset', state.preset);
  for (const dimension of DIMENSIONS) {
    const terms = state.request?.[dimension];
    if (terms !== undefined) params.set(dimension, typeof terms === 'string' ? terms : terms.join(', '));
  }
  for (const dimension of DIMENSIONS) {
    const threshold = state.thresholds[dimension];
    if (threshold !== undefined) params.set(thresholdKey(dimension), threshold.toFixed(2));
  }
  if (state.view !== undefined) params.set('view', state.view);
  if (state.semantic !== undefined) params.set('semantic', state.semantic ? 'on' : 'off');
  return `?${params}`;
}

/**
 * Parameters the page reads once and never writes: `fleet` and `key` (fleet mode, see
 * fleet-mode.ts). A rewrite of the query string carries them over unchanged.
 */
export const KEPT_PARAMS = ['fleet', 'key'] as const;

/** A written query string (writeState's) with the KEPT_PARAMS of `from` (the address's current query string) appended. */
export function keepParams(search: string, from: string): string {
  const params = new URLSearchParams(search);
  const previous = new URLSearchParams(from);
  for (const name of KEPT_PARAMS) for (const value of previous.getAll(name)) params.append(name, value);
  return `?${params}`;
}

/** Terms as the debugger's request fields read them: comma-separated, trimmed, empty ones dropped. */
function splitTerms(text: string): string[] {
  return text.split(',').map((t) => t.trim()).filter((t) => t !== '');
}
