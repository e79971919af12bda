import type { FlipGroup, FlipSummary } from '@semfilter/core';
import type { ModelLoadFailure } from '@semfilter/core/browser';
import { html, nothing, type TemplateResult } from 'lit';
import { countOf } from './counts.js';
import { exactlyCompared, exactWords, fallbackWords } from './fallback-words.js';
import type { ShownRun } from './shown.js';
import type { DebuggerView, RowSubset } from './rows.js';
import { nothingPassesTemplate, type NothingPassesState } from './nothing-passes.js';

/** Flip groups the panel lists as buttons; the rest are counted in a sentence ("and 12 smaller groups"). */
const LISTED_GROUPS = 6;

/**
 * The rows restricted to one flip group. It names the group (dimension, direction and term pair),
 * so a new pair of runs (a threshold step, a new request) shows the group's items in those runs,
 * and remembers the view to go back to when the restriction is cleared.
 */
export interface FlipSubset extends RowSubset {
  readonly group: string;
  readonly restoreView: DebuggerView;
}

/** The key that names a group across runs: dimension, direction and the term pair (also on its button, as data-group-key). */
function groupKey(group: FlipGroup): string {
  return JSON.stringify([group.dimension, group.direction, group.requested, group.actual]);
}

/** A group in words: "occasion: 'weekend' for 'work'" (gained) or "mood: 'sad' no longer for 'happy'" (lost). */
function groupWords(group: Pick<FlipGroup, 'dimension' | 'direction' | 'requested' | 'actual'>): string {
  return `${group.dimension}: '${group.actual}' ${group.direction === 'gained' ? 'for' : 'no longer for'} '${group.requested}'`;
}

/** Whether a row restriction is a flip group's (the rows may be restricted otherwise). */
export function isFlipSubset(subset: RowSubset | undefined): subset is FlipSubset {
  return subset !== undefined && 'group' in subset;
}

/** The restriction to one group's items. */
export function flipSubset(group: FlipGroup, restoreView: DebuggerView): FlipSubset {
  return { group: groupKey(group), indices: group.items, label: `in the flip group ${groupWords(group)}`, restoreView };
}

/**
 * The same restriction for a new pair of runs: the named group's items in them, or undefined when
 * the runs no longer flip an item on that pair (the restriction would hide every row). The same
 * object while the items are the same, so a threshold step that leaves the group as it was keeps
 * the page the user is on.
 */
export function followSubset(subset: FlipSubset, summary: FlipSummary): FlipSubset | undefined {
  const indices = summary.groups.find((g) => groupKey(g) === subset.group)?.items;
  if (indices === undefined) return undefined;
  const same = indices.length === subset.indices.length && Array.prototype.every.call(indices, (index: number, k: number) => subset.indices[k] === index);
  return same ? subset : { ...subset, indices };
}

/** What the panel shows, and what its buttons call. */
export interface ChangesState {
  readonly summary: FlipSummary;
  /** The semantic run: its fallback says whether semantic mode ran at all. */
  readonly semantic: ShownRun;
  /** Why the filter's latest model load failed, when one did: the panel names the cause. */
  readonly failure?: ModelLoadFailure | null;
  /** How many rows the table shows (a search or a reason may narrow a chosen group's). */
  readonly shownRows: number;
  /** The chosen group's restriction, when the rows are restricted to one. */
  readonly chosen: FlipSubset | undefined;
  readonly onChoose: (group: FlipGroup) => void;
  readonly onClear: () => void;
  /** The active mode's run and what shows every item: the panel says why when that run passes none. */
  readonly nothingPasses: NothingPassesState;
}

/**
 * "What semantic mode changes": how many items it gains and loses, and the largest flip groups,
 * each a button that restricts the table to the group's items; while one is chosen, a line says
 * what restricts the table, with a button that shows all rows again.
 */
export function changesTemplate({ summary, semantic, failure, shownRows, chosen, onChoose, onClear, nothingPasses }: ChangesState): TemplateResult {
  const { groups } = summary;
  const listed = groups.slice(0, LISTED_GROUPS);
  const rest = groups.length - listed.length;
  const chosenKey = chosen?.group;
  return html`<section class="changes" part="changes" aria-label="What semantic mode changes" tabindex="-1">
    <p><strong>What semantic mode changes:</strong> ${changesWords(summary, semantic, failure)}</p>
    ${nothingPassesTemplate(nothingPasses)}
    ${listed.length === 0
      ? nothing
      : html`<ul class="flip-groups">
          ${listed.map((group) => {
            const pressed = groupKey(group) === chosenKey; // a pressed button lets go, as a toggle does
            return html`<li><button type="button" data-flip-group=${group.direction} data-group-key=${groupKey(group)} aria-pressed=${pressed ? 'true' : 'false'}
              @click=${() => (pressed ? onClear() : onChoose(group))}>${groupWords(group)} — ${countOf(group.count, 'item', 'items')}</button></li>`;
          })}
        </ul>
        ${rest > 0 ? html`<p class="state">and ${countOf(rest, 'smaller group', 'smaller groups')}; the view "disagreements only" lists every flipped item.</p>` : nothing}`}
    ${chosen === undefined
      ? nothing
      : html`<p class="restriction" data-restriction>${restrictionWords(chosen, shownRows)}
          <button type="button" @click=${onClear}>Show all rows</button></p>`}
  </section>`;
}

/**
 * The panel's first sentence. Without the model (a fallback), no flip is semantic mode's doing:
 * the sentence says it is not active, or only partly and what it still compares exactly.
 */
function changesWords({ gained, lost }: FlipSummary, { report, run }: ShownRun, failure: ModelLoadFailure | null | undefined): string {
  const fallback = report.fallback_reason;
  if (fallback !== null && !report.semantic_mode_active) return `nothing, because semantic mode is not active: ${fallbackWords(fallback, failure)}, so both filters compare every tag exactly.`;
  const changes = gained + lost === 0
    ? 'nothing; both filters decide every item the same way.'
    : `it passes ${countOf(gained, 'item', 'items')} the traditional filter rejects, and rejects ${countOf(lost, 'item', 'items')} the traditional filter passes.`;
  if (fallback === null) return changes;
  // Both filters decided every item even without the model: the flips (or none) are what the rows show.
  return `${changes} Semantic mode is only partly active: ${fallbackWords(fallback, failure)}; ${exactWords(exactlyCompared(report, run))}.`;
}

/** What restricts the table: the group, and how many of its items the rows show when a search or a reason narrows them. */
function restrictionWords(chosen: FlipSubset, shownRows: number): string {
  const items = chosen.indices.length;
  return shownRows === items ? `Showing the ${countOf(items, 'item', 'items')} ${chosen.label}.` : `Showing ${countOf(shownRows, 'row', 'rows')} of the ${countOf(items, 'item', 'items')} ${chosen.label}.`;
}

/** The button of a listed group, found by the key its restriction names (undefined when the group is not listed). */
export function groupButton(root: ParentNode, subset: FlipSubset): HTMLButtonElement | undefined {
  return [...root.querySelectorAll<HTMLButtonElement>('[data-group-key]')].find((button) => button.dataset.groupKey === subset.group);
}
