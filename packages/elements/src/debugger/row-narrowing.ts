import { flipGroups, type FlipGroup } from '@semfilter/core';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { flipSubset, followSubset, groupButton, isFlipSubset, type FlipSubset } from './changes.js';
import type { Runs } from './debugger-runs.js';
import type { DebuggerView, RowSubset } from './rows.js';
import { SEARCH_PAUSE_MS } from './row-filters.js';

/** The element as the row narrowing sees it: its view, and the shadow root the search box and the group buttons live in. */
export interface RowNarrowingHost extends ReactiveControllerHost {
  readonly view: DebuggerView;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/** What the host does for the row narrowing beyond rendering it again. */
export interface RowNarrowingOptions {
  /** The element sets its own view (and tells the page so: semfilter-view). */
  readonly setView: (view: DebuggerView) => void;
  /** The search, the reason code or the restriction changed: the table goes back to its first page. */
  readonly onNarrowed: () => void;
}

/**
 * What narrows the debugger's rows beyond the view: the search (applied after a pause in typing),
 * the reason code, and a chosen flip group's items. Choosing a group shows the disagreements view
 * with no search or reason code; new runs keep showing the group's items in them; "Show all rows",
 * or a group the runs no longer have, lets go and brings back the view the group replaced.
 */
export class RowNarrowing implements ReactiveController {
  readonly #host: RowNarrowingHost;
  readonly #options: RowNarrowingOptions;
  #text = '';
  #code: string | undefined;
  #only: RowSubset | undefined;
  /** The pause after a keystroke in the search box, before the rows are filtered. */
  #searchPause: ReturnType<typeof setTimeout> | undefined;

  constructor(host: RowNarrowingHost, options: RowNarrowingOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The search the rows are filtered by (as typed, applied after a short pause). */
  get text(): string {
    return this.#text;
  }

  /** The reason code the rows are filtered by; undefined for any. */
  get code(): string | undefined {
    return this.#code;
  }

  /** Some items the rows are restricted to, with words for the pager (a flip group's items); undefined for all. */
  get only(): RowSubset | undefined {
    return this.#only;
  }

  /** The chosen flip group's restriction, when the rows are restricted to one. */
  get chosen(): FlipSubset | undefined {
    return isFlipSubset(this.#only) ? this.#only : undefined;
  }

  hostDisconnected(): void {
    clearTimeout(this.#searchPause);
  }

  /** The search box changed: filter after a pause in typing, or at once (Enter, the clear button). */
  search(text: string, now: boolean): void {
    if (now) this.#setText(text);
    else {
      clearTimeout(this.#searchPause);
      this.#searchPause = setTimeout(() => this.#applyText(text), SEARCH_PAUSE_MS);
    }
  }

  /** The reason-code select changed. */
  setCode(code: string | undefined): void {
    if (code === this.#code) return;
    this.#code = code;
    this.#narrowed();
  }

  /** A flip group's button: exactly its items (all of them flip, so the disagreements view holds them), no search or reason code. */
  choose(group: FlipGroup): void {
    this.#restrict(flipSubset(group, this.chosen?.restoreView ?? this.#host.view));
    this.#options.setView('disagreements');
    this.#setText('');
    this.setCode(undefined);
  }

  /** "Show all rows": the restriction goes, as `#letGo` says, and focus moves on from the button that goes with it. */
  showAll(): void {
    const chosen = this.chosen;
    this.#letGo();
    if (chosen !== undefined) void this.#host.updateComplete.then(() => this.#focusGroup(chosen));
  }

  /**
   * New runs (a threshold step, a new request, new items): a chosen flip group's rows become its
   * items in them; a group the runs no longer have lets go, as "Show all rows" does, instead of
   * hiding every row.
   */
  follow(runs: Runs | undefined): void {
    const chosen = this.chosen;
    if (chosen === undefined || !runs?.traditional.run || !runs.semantic.run) return;
    const followed = followSubset(chosen, flipGroups(runs.traditional.run, runs.semantic.run));
    if (followed === undefined) this.#letGo();
    else this.#restrict(followed); // the same object while the items are the same: the page stays
  }

  /** The restriction goes, and the view it replaced comes back. */
  #letGo(): void {
    const chosen = this.chosen;
    if (chosen !== undefined && this.#host.view === 'disagreements') this.#options.setView(chosen.restoreView); // unless the user chose another view since
    this.#restrict(undefined);
  }

  /**
   * Sets the search at once: a search still being typed is dropped, so its pause does not apply it
   * afterwards, and the box shows the search (the binding alone would leave typed text there when
   * the applied search does not change).
   */
  #setText(text: string): void {
    clearTimeout(this.#searchPause);
    this.#searchPause = undefined;
    this.#applyText(text);
    const box = this.#host.renderRoot.querySelector<HTMLInputElement>('input[type="search"]');
    if (box !== null) box.value = text;
  }

  /** Focus after "Show all rows": the group's button, or the panel when the group is not listed, instead of <body>. */
  #focusGroup(group: FlipSubset): void {
    const root = this.#host.renderRoot;
    (groupButton(root, group) ?? root.querySelector<HTMLElement>('[part~="changes"]'))?.focus();
  }

  #applyText(text: string): void {
    if (text === this.#text) return;
    this.#text = text;
    this.#narrowed();
  }

  #restrict(only: RowSubset | undefined): void {
    if (only === this.#only) return;
    this.#only = only;
    this.#narrowed();
  }

  /** The rows are narrowed otherwise: the host renders them again, from the first page. */
  #narrowed(): void {
    this.#host.requestUpdate();
    this.#options.onNarrowed();
  }
}
