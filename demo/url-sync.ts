import type { FilterRequest } from '@semfilter/core';
import type { RequestPreset } from './presets.js';
import { keepParams, presetSlug, readState, writeState, type PlaygroundState } from './url-state.js';

/** How long the URL waits after the last change: a slider drag writes once, at its end. */
const WRITE_DELAY_MS = 250;

/** What the URL follows: the debugger, the presets, and how the page shows which preset is pressed. */
export interface UrlSyncOptions {
  readonly element: HTMLElementTagNameMap['semfilter-debugger'];
  readonly presets: readonly RequestPreset[];
  /** Marks the preset pressed (or none): the one whose request the debugger shows. */
  readonly showPreset: (preset: RequestPreset | undefined) => void;
  /** Says on the page which of the URL's values were ignored and why (none: the notice goes). */
  readonly showWarnings: (warnings: readonly string[]) => void;
}

/** What the URL keeps in sync: a preset pressed by hand is a step back/forward can return to. */
export interface UrlSync {
  /** A preset was chosen: applies its request with the default thresholds, and adds a history entry, so Back returns to the state before. */
  choosePreset(preset: RequestPreset): void;
}

/**
 * Keeps the playground's state (request, thresholds, view, semantic mode, preset) in the URL: read
 * on load and on back/forward, written with history.replaceState after each change. Reads and sets
 * only the debugger's public properties and listens to its public (bubbling, composed) events.
 */
export function syncWithUrl({ element, presets, showPreset, showWarnings }: UrlSyncOptions): UrlSync {
  const slugs = presets.map((preset) => presetSlug(preset.label));
  let timer: ReturnType<typeof setTimeout> | undefined;

  const requestKey = (request: FilterRequest | undefined) => writeState({ thresholds: {}, ...(request === undefined ? {} : { request }) });
  const presetOf = (request: FilterRequest) => presets.find((preset) => requestKey(preset.request) === requestKey(request));

  const current = (): PlaygroundState => {
    const preset = presetOf(element.request);
    return {
      request: element.request,
      thresholds: element.thresholds,
      view: element.view,
      semantic: element.semantic,
      ...(preset === undefined ? {} : { preset: presetSlug(preset.label) }),
    };
  };

  const write = (how: 'replace' | 'push') => {
    clearTimeout(timer);
    timer = undefined;
    const state = current();
    showPreset(state.preset === undefined ? undefined : presets[slugs.indexOf(state.preset)]); // a request edited by hand leaves its preset
    const search = keepParams(writeState(state), location.search); // fleet mode's `fleet` and `key` stay
    if (how === 'push') history.pushState(null, '', search);
    else if (search !== location.search) history.replaceState(history.state, '', search);
  };
  const scheduleWrite = () => {
    clearTimeout(timer);
    timer = setTimeout(() => write('replace'), WRITE_DELAY_MS);
  };

  /** Applies what the URL says; what it leaves out takes the page's default. */
  const apply = () => {
    const { state, warnings } = readState(location.search, slugs);
    for (const warning of warnings) console.warn(`semfilter playground: ignored in the URL: ${warning}`);
    showWarnings(warnings);
    const named = presets[slugs.indexOf(state.preset ?? '')];
    element.request = state.request ?? named?.request ?? presets[0]!.request;
    element.thresholds = state.thresholds;
    element.view = state.view ?? 'passing';
    element.semantic = state.semantic ?? false;
    showPreset(presetOf(element.request));
  };

  apply();
  // Sliders and the view select fire `input` (composed); a request edit, a retune and the switch end in `semfilter-report`;
  // a view the element sets itself (a flip group chosen or let go) fires `semfilter-view`.
  for (const type of ['input', 'semfilter-report', 'semfilter-toggle', 'semfilter-view']) element.addEventListener(type, scheduleWrite);
  window.addEventListener('popstate', apply);

  return {
    choosePreset(preset) {
      if (timer !== undefined) write('replace'); // the entry being left keeps the latest state
      element.request = preset.request;
      // A preset starts from the default thresholds: the last preset's (Date night inheriting mood
      // 0.80 from a link) were tuned for another request.
      element.thresholds = {};
      showPreset(preset);
      write('push');
    },
  };
}
