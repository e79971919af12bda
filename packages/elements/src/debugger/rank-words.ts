import { rankChange, type PreparedRun, type RankChange } from '@semfilter/core';
import { html, type TemplateResult } from 'lit';
import { formatCount } from './counts.js';

/**
 * A rank and its change in words, read the same by a screen reader: "#3, up 2 from #5 in the
 * traditional filter", "#3, new: the traditional filter rejects it", "not passing; #4 in the
 * traditional filter". `other` names the mode compared against ("the traditional filter").
 */
function rankWords(change: RankChange, other: string): string {
  switch (change.kind) {
    case 'up':
    case 'down':
      return `#${formatCount(change.rank)}, ${change.kind} ${formatCount(change.places)} from #${formatCount(change.before)} in ${other}`;
    case 'same':
      return `#${formatCount(change.rank)}, the same rank as in ${other}`;
    case 'new':
      return `#${formatCount(change.rank)}, new: ${other} rejects it`;
    case 'dropped':
      return `not passing; #${formatCount(change.before)} in ${other}`;
    case 'rejected':
      return `not passing in either filter`;
  }
}

/** The row's rank in the active mode and its change against the other mode, with the change as data (`data-rank-change`). */
export function rankTemplate(active: PreparedRun, other: PreparedRun, index: number, otherName: string): TemplateResult {
  const change = rankChange(other, active, index);
  return html`<span class="rank" data-rank=${'rank' in change ? change.rank : 0} data-rank-change=${change.kind}>${rankWords(change, otherName)}</span>`;
}
