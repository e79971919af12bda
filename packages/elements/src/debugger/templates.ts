import { describeMatch, describeReason, DIMENSIONS, normalizeTags, type Dimension, type FilterReport, type ItemVerdict } from '@semfilter/core';
import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { formatCount } from './counts.js';
import { exactlyCompared, exactWords } from './fallback-words.js';
import type { ShownItem, ShownRun } from './shown.js';

const percent = (rate: number) => `${(100 * rate).toFixed(1)}%`;

/**
 * A pager button that stays focusable at the end of the range (aria-disabled, not disabled): a
 * keyboard user who pages to the last page keeps focus on the button instead of losing it to <body>.
 */
export function pagerButton(label: string, enabled: boolean, go: () => void): TemplateResult {
  return html`<button type="button" aria-disabled=${enabled ? 'false' : 'true'} @click=${() => enabled && go()}>${label}</button>`;
}

/** The summary: both pass rates and their difference, rejections per dimension, and semantic mode's status. */
export function summaryTemplate(traditional: ShownRun, semantic: ShownRun, total: number): TemplateResult {
  const difference = 100 * (semantic.report.filter_pass_rate - traditional.report.filter_pass_rate);
  const { fallback_reason: fallback, semantic_mode_active: active } = semantic.report;
  const status = fallback === null ? 'active' : active ? `partly active (${fallback}): ${exactWords(exactlyCompared(semantic.report, semantic.run))}` : `not active: ${fallback}`;
  const counts = (report: FilterReport) => DIMENSIONS.filter((d) => report.rejection_counts[d] !== undefined).map((d) => `${d} ${formatCount(report.rejection_counts[d]!)}`).join(', ') || 'none';
  const unsure = DIMENSIONS.filter((d) => (semantic.report.uncertain_counts?.[d] ?? 0) > 0).map((d) => `${d} ${formatCount(semantic.report.uncertain_counts![d]!)}`).join(', ');
  return html`<section part="summary" aria-label="Summary">
    <div>Traditional filter <span class="rate" data-rate="traditional">${percent(traditional.report.filter_pass_rate)}</span>
      <small>${formatCount(traditional.run.passCount)} of ${formatCount(total)} pass; rejections: ${counts(traditional.report)}</small></div>
    <div>Semantic filter <span class="rate" data-rate="semantic">${percent(semantic.report.filter_pass_rate)}</span>
      <small>${formatCount(semantic.run.passCount)} of ${formatCount(total)} pass; rejections: ${counts(semantic.report)}</small>
      ${unsure === '' ? nothing : html`<small data-unsure>Unsure (a tag the model does not know well decided it): ${unsure}</small>`}</div>
    <div>Difference <span class="rate">${difference >= 0 ? '+' : ''}${difference.toFixed(1)} pp</span>
      <small data-semantic-status>Semantic mode ${status}</small></div>
  </section>`;
}

/**
 * One table row: the item, its rank and score, its tags as written and normalized, and both verdicts with their
 * reasons. The tags and a traditional verdict that did not change (the same object, see
 * shownVerdict) are not rendered again: a slider step re-renders the semantic cells only (a
 * traditional verdict holds no semantic match, so no threshold shows in it).
 */
export function rowTemplate(
  item: ShownItem,
  traditional: ItemVerdict,
  semantic: ItemVerdict,
  requested: readonly Dimension[],
  thresholds: Readonly<Record<Dimension, number>>,
  /** Its own cell after the item's name and id (not in the row header, which names the row on every cell): its rank and score breakdown (row-insight.ts). */
  insight: TemplateResult | typeof nothing = nothing,
): TemplateResult {
  const mark = (passed: boolean) => (passed ? 'pass' : 'reject');
  return html`<tr part="item" data-item-id=${item.id} data-traditional=${mark(traditional.passed)} data-semantic=${mark(semantic.passed)}>
    <th scope="row"><div class="cell">${item.name ?? item.id}<br /><small>${item.id}</small></div></th>
    <td class="rank-cell" data-label="Rank and score"><div class="cell">${insight}</div></td>
    <td data-label="Tags"><div class="cell">${guard([item, requested.join()], () => requested.map((d) => tagsTemplate(d, item[d])))}</div></td>
    <td data-label="Traditional filter"><div class="cell">${guard([traditional], () => verdictTemplate(traditional, thresholds))}</div></td>
    <td data-label="Semantic filter"><div class="cell">${verdictTemplate(semantic, thresholds)}</div></td>
  </tr>`;
}

function tagsTemplate(dimension: Dimension, raw: string | readonly string[] | undefined): TemplateResult {
  const written = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  const normalized = normalizeTags(raw).join(', ');
  return html`<div>${dimension}: ${written.length === 0 ? html`<em>missing</em>` : written.join(', ')}
    ${normalized !== '' && normalized !== written.join(', ') ? html`<span class="normalized">→ ${normalized}</span>` : nothing}</div>`;
}

function verdictTemplate(verdict: ItemVerdict, thresholds: Readonly<Record<Dimension, number>>): TemplateResult {
  return html`<span class="verdict ${verdict.passed ? 'pass' : 'reject'}">${verdict.passed ? 'pass' : 'reject'}</span>
    <ul>
      ${verdict.reasons.map((reason) => html`<li data-code=${reason.code} data-basis=${('basis' in reason ? reason.basis : undefined) ?? nothing}>${unsureMark('basis' in reason ? reason.basis : undefined)}${describeReason(reason)}
        ${reason.code === 'BELOW_THRESHOLD' || reason.code === 'UNCERTAIN' ? similarityMeter(reason.similarity, reason.threshold) : nothing}</li>`)}
      ${verdict.matches.filter((m) => m.requested !== m.actual).map((match) => html`<li data-code="MATCH" data-basis=${match.basis ?? nothing}>${unsureMark(match.basis)}${describeMatch(match)}${match.mode === 'semantic' ? `; threshold ${thresholds[match.dimension].toFixed(2)}` : ''}
        ${match.mode === 'semantic' ? similarityMeter(match.score, thresholds[match.dimension]) : nothing}</li>`)}
    </ul>`;
}

/** A visible "unsure" label before a verdict that rests on weak evidence, so it does not read like a sure one. */
function unsureMark(basis: string | undefined): TemplateResult | typeof nothing {
  return basis === 'UNCERTAIN' ? html`<span class="unsure-mark">unsure</span> ` : nothing;
}

/**
 * The score as a bar, with the threshold as the bar's "low" mark, so it reads as above or
 * below it, and drawn as a tick on the bar where the threshold lies.
 */
function similarityMeter(similarity: number, threshold: number): TemplateResult {
  const label = `score ${similarity.toFixed(2)}, threshold ${threshold.toFixed(2)}`;
  return html`<span class="meter"><meter min="0" max="1" low=${threshold} optimum="1" .value=${Math.max(0, similarity)} title=${label} aria-label=${label}></meter><span
      class="threshold-mark" aria-hidden="true" style="inset-inline-start: ${(100 * threshold).toFixed(1)}%"></span></span>`;
}
