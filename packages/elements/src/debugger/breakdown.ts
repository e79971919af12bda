import { itemScore, scoreBreakdown, type PreparedRun, type ScoreBreakdown } from '@semfilter/core';
import { html, nothing, type TemplateResult } from 'lit';

/** Scores as reports give them: four decimals, so the parts shown add up to the score shown within rounding. */
const figure = (value: number) => value.toFixed(4);
const percent = (weight: number) => `${Math.round(100 * weight)}%`;

/** Which rows' breakdowns are open, by item id: they stay open across renders, and a recycled row does not inherit one. */
export interface OpenBreakdowns {
  has(id: string): boolean;
  /** Records a disclosure's state; calls back (to render the figures) only when it changed. */
  set(id: string, open: boolean): void;
}

/** The open breakdowns of one element; `changed` asks it to render again. */
export function openBreakdowns(changed: () => void): OpenBreakdowns {
  const open = new Set<string>();
  return {
    has: (id) => open.has(id),
    set(id, isOpen) {
      if (open.has(id) === isOpen) return;
      if (isOpen) open.add(id);
      else open.delete(id);
      changed();
    },
  };
}

/**
 * One item's score in the active mode, taken apart in a disclosure: the rule and the semantic part
 * with their weights, and each requested dimension's share (core's scoreBreakdown). Closed, it is
 * the score alone: a page of rows costs a line each, and the figures are read when it is opened.
 */
export function breakdownTemplate(run: PreparedRun, index: number, id: string, mode: string, open: OpenBreakdowns): TemplateResult {
  const shown = open.has(id);
  return html`<details class="breakdown" data-breakdown ?open=${shown} @toggle=${(e: Event) => open.set(id, (e.target as HTMLDetailsElement).open)}>
    <summary>Score <span data-score>${figure(itemScore(run, index))}</span></summary>
    ${shown ? partsTemplate(scoreBreakdown(run, index), mode) : nothing}
  </details>`;
}

function partsTemplate(parts: ScoreBreakdown, mode: string): TemplateResult {
  return html`<ul aria-label="The ${mode} filter's score taken apart">
      ${partLine('rule', 'Rule part', parts.rule, `${percent(parts.ruleWeight)} of the rule score ${parts.ruleScore.toFixed(2)} (requested tags the item has itself)`)}
      ${parts.semanticWeight > 0
        ? partLine('semantic', 'Semantic part', parts.semantic, `${percent(parts.semanticWeight)} of the semantic score ${parts.semanticScore.toFixed(2)} (mean best tag score)`)
        : html`<li data-part="semantic">No semantic part: this filter scores by rule alone.</li>`}
    </ul>
    ${dimensionsTemplate(parts)}`;
}

function partLine(part: string, name: string, value: number, how: string): TemplateResult {
  return html`<li data-part=${part}>${name} <strong>${figure(value)}</strong>: ${how}</li>`;
}

/** Each dimension's share: what its exact tag adds to the rule part plus what its tag score adds to the semantic part. */
function dimensionsTemplate(parts: ScoreBreakdown): TemplateResult {
  if (parts.dimensions.length === 0) return html`<p>No dimension was requested: every item scores the full rule part.</p>`;
  return html`<ul aria-label="Each dimension's share">
    ${parts.dimensions.map(
      (d) => html`<li data-share=${d.dimension}>${d.dimension} <strong>${figure(d.share)}</strong>:
        rule ${figure(d.rule)} (${d.exact ? 'a requested tag itself' : 'no requested tag itself'})${parts.semanticWeight > 0 ? ` + semantic ${figure(d.semantic)} (tag score ${d.tagScore.toFixed(2)})` : ''}</li>`,
    )}
  </ul>`;
}
