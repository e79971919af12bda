import type { FlipGroup, FlipSummary } from '@semfilter/core';
import { html, nothing, type TemplateResult } from 'lit';
import { countOf } from './counts.js';
import type { DebuggerView, RowSubset } from './rows.js';

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

/** The key that names a group across runs: dimension, direction and the term pair. */
function groupKey(group: FlipGroup): string {
  return [group.dimension, group.direction, group.requested, group.actual].join('\u0000');
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
 * The same restriction for a new pair of runs: the named group's items in them (none when the runs
 * no longer flip an item on that pair). The same object while the items are the same, so a
 * threshold step that leaves the group as it was keeps the page the user is on.
 */
export function followSubset(subset: FlipSubset, summary: FlipSummary): FlipSubset {
  const indices = summary.groups.find((g) => groupKey(g) === subset.group)?.items ?? new Uint32Array(0);
  const same = indices.length === subset.indices.length && Array.prototype.every.call(indices, (index: number, k: number) => subset.indices[k] === index);
  return same ? subset : { ...subset, indices };
}

/** What the panel shows, and what its buttons call. */
export interface ChangesState {
  readonly summary: FlipSummary;
  /** The chosen group's restriction, when the rows are restricted to one. */
  readonly chosen: FlipSubset | undefined;
  readonly onChoose: (group: FlipGroup) => void;
  readonly onClear: () => void;
}

/**
 * "What semantic mode changes": how many items it gains and loses, and the largest flip groups,
 * each a button that restricts the table to the group's items; while one is chosen, a line says
 * what restricts the table, with a button that shows all rows again.
 */
export function changesTemplate({ summary, chosen, onChoose, onClear }: ChangesState): TemplateResult {
  const { gained, lost, groups } = summary;
  const listed = groups.slice(0, LISTED_GROUPS);
  const rest = groups.length - listed.length;
  const chosenKey = chosen?.group;
  return html`<section class="changes" part="changes" aria-label="What semantic mode changes">
    <p><strong>What semantic mode changes:</strong> ${gained + lost === 0
      ? 'nothing; both filters decide every item the same way.'
      : `it passes ${countOf(gained, 'item', 'items')} the traditional filter rejects, and rejects ${countOf(lost, 'item', 'items')} the traditional filter passes.`}</p>
    ${listed.length === 0
      ? nothing
      : html`<ul class="flip-groups">
          ${listed.map((group) => {
            const pressed = groupKey(group) === chosenKey; // a pressed button lets go, as a toggle does
            return html`<li><button type="button" data-flip-group=${group.direction} aria-pressed=${pressed ? 'true' : 'false'}
              @click=${() => (pressed ? onClear() : onChoose(group))}>${groupWords(group)} — ${countOf(group.count, 'item', 'items')}</button></li>`;
          })}
        </ul>
        ${rest > 0 ? html`<p class="state">and ${countOf(rest, 'smaller group', 'smaller groups')}: show disagreements only to see every flip.</p>` : nothing}`}
    ${chosen === undefined
      ? nothing
      : html`<p class="restriction" data-restriction>Showing the ${countOf(chosen.indices.length, 'item', 'items')} ${chosen.label}.
          <button type="button" @click=${onClear}>Show all rows</button></p>`}
  </section>`;
}
