import { GUARDRAIL_METRICS, type GuardrailThresholds, type MetricsSnapshot, type WindowEvaluation } from '@semfilter/core/metrics';
import type { RollbackLatch, RolloutDecision } from '@semfilter/core/rollout';
import { html, nothing, type TemplateResult } from 'lit';
import { CHART_HEIGHT, CHART_WIDTH, chartMax, lineChart, type ChartSeries } from './charts.js';
import { HISTORY_POINTS, seriesOf, type MetricPoint } from './history.js';
import { heading } from './templates.js';
import { formatMetric, metricLabel, ms, percent, ruleText } from './wording.js';

const rate = (value: number | null | undefined) => (value === null || value === undefined ? '—' : percent(value, 1));
const time = (value: number | null | undefined) => (value === null || value === undefined ? '—' : ms(value));

/** Slots across a chart: the points so far spread over the whole width (at least two), at most HISTORY_POINTS. */
const slots = (series: readonly ChartSeries[]) => Math.min(HISTORY_POINTS, Math.max(2, series[0]?.values.length ?? 0));

/** A small chart with its key: the svg has a label that says the latest values, for people who cannot see it. */
function chart(title: string, series: readonly ChartSeries[], max: number, key: TemplateResult, label: string, threshold?: number): TemplateResult {
  return html`<figure class="chart">
    <figcaption>${title}</figcaption>
    <svg viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" aria-label=${label}>${lineChart(series, max, slots(series), threshold)}</svg>
    <p class="key">${key}</p>
  </figure>`;
}

/** Live metrics: semantic latency (p50, p95, mean), pass rate per mode and the fallback rate, over the last updates. */
export function metricsTemplate(snapshot: MetricsSnapshot | undefined, history: readonly MetricPoint[], p95Threshold: number | undefined, level: number): TemplateResult {
  const last = history.at(-1);
  const latency: ChartSeries[] = [
    { values: seriesOf(history, 'p50'), className: 'p50' },
    { values: seriesOf(history, 'p95'), className: 'p95' },
    { values: seriesOf(history, 'mean'), className: 'mean' },
  ];
  const pass: ChartSeries[] = [
    { values: seriesOf(history, 'passTraditional'), className: 'traditional' },
    { values: seriesOf(history, 'passSemantic'), className: 'semantic' },
  ];
  const fallback: ChartSeries[] = [{ values: seriesOf(history, 'fallbackRate'), className: 'fallback' }];
  const runs = snapshot?.runs;
  return html`<section part="metrics" aria-labelledby="metrics-heading">
    ${heading(level, 'metrics-heading', 'Live metrics')}
    <p class="meta" data-runs>${runs === undefined || runs.total === 0 ? 'No runs yet.' : `${runs.total} runs so far: ${runs.by_mode.semantic} semantic, ${runs.by_mode.traditional} traditional (served or in the background).`}</p>
    <p class="meta">Each point: the recorder's sliding window (its last ${snapshot?.window.size ?? 500} runs) at one update; the guardrails judge their own, shorter windows.</p>
    <div class="charts">
      ${chart(
        'Latency of semantic runs',
        latency,
        chartMax(latency, 10, p95Threshold),
        html`<span class="swatch p50"></span>p50 <span data-value="p50">${time(last?.p50)}</span> <span class="swatch p95"></span>p95 <span data-value="p95">${time(last?.p95)}</span> <span class="swatch mean"></span>mean <span data-value="mean">${time(last?.mean)}</span>`,
        `Latency of semantic runs over the last ${history.length} updates: now p50 ${time(last?.p50)}, p95 ${time(last?.p95)}, mean ${time(last?.mean)}${p95Threshold === undefined ? '' : `; the dashed line is the p95 threshold, ${ms(p95Threshold)}`}.`,
        p95Threshold,
      )}
      ${chart(
        'Pass rate per mode',
        pass,
        1,
        html`<span class="swatch traditional"></span>traditional <span data-value="pass-traditional">${rate(last?.passTraditional)}</span> <span class="swatch semantic"></span>semantic <span data-value="pass-semantic">${rate(last?.passSemantic)}</span>`,
        `Pass rate per mode over the last ${history.length} updates: now traditional ${rate(last?.passTraditional)}, semantic ${rate(last?.passSemantic)}.`,
      )}
      ${chart(
        'Fallback rate of semantic runs',
        fallback,
        1,
        html`<span class="swatch fallback"></span>fallback <span data-value="fallback">${rate(last?.fallbackRate)}</span>`,
        `Fallback rate of semantic runs over the last ${history.length} updates: now ${rate(last?.fallbackRate)}.`,
      )}
    </div>
  </section>`;
}

/** How the guardrails stand: the last closed window, how many failed in a row, and the thresholds. */
export interface GuardrailView {
  readonly window: WindowEvaluation | null;
  readonly failures: number;
  /** Semantic runs in the open window. */
  readonly pending: number;
  readonly thresholds: GuardrailThresholds;
}

/** The guardrail table: each threshold, its value in the last closed window, and PASS, FAIL or INCONCLUSIVE. */
export function guardrailsTemplate(view: GuardrailView, level: number): TemplateResult {
  const { thresholds, window } = view;
  const rows = window?.checks ?? Object.values(GUARDRAIL_METRICS).map((metric) => ({ metric, value: null, threshold: null, bound: 'max' as const, baseline: null, status: null }));
  return html`<section part="guardrails" aria-labelledby="guardrails-heading">
    ${heading(level, 'guardrails-heading', 'Guardrails')}
    <p class="meta" data-window-result=${window?.result ?? 'none'}>
      ${window === null
        ? `No window has closed yet: one closes every ${thresholds.windowRuns} semantic runs or ${Math.round(thresholds.windowMs / 1000)} s, and needs ${thresholds.minSamples} semantic runs to judge.`
        : html`Last window (${window.semanticRuns} semantic, ${window.traditionalRuns} traditional runs): <strong class=${statusClass(window.result)}>${window.result}</strong>.`}
      Open window: ${view.pending} of ${thresholds.windowRuns} semantic runs.
      Failing windows in a row: <span data-failures>${view.failures}</span> of ${thresholds.failingWindows} (the rollback comes at ${thresholds.failingWindows}).
    </p>
    <div class="table-scroll" tabindex="0" role="group" aria-label="Guardrails table">
    <table class="guardrails">
      <caption>Each guardrail against its value in the last closed window</caption>
      <thead><tr><th scope="col">Metric</th><th scope="col">Rule</th><th scope="col">Threshold</th><th scope="col">Value</th><th scope="col">Baseline</th><th scope="col">Status</th></tr></thead>
      <tbody>${rows.map((check) => html`<tr data-metric=${check.metric}>
        <th scope="row">${metricLabel(check.metric)}</th>
        <td data-label="Rule">${ruleText(check.metric, thresholds)}</td>
        <td data-label="Threshold">${check.threshold === null ? '—' : `${check.bound === 'min' ? '≥' : '≤'} ${formatMetric(check.metric, check.threshold)}`}</td>
        <td data-label="Value" data-value>${formatMetric(check.metric, check.value)}</td>
        <td data-label="Baseline">${formatMetric(check.metric, check.baseline)}</td>
        <td data-label="Status" data-status=${check.status ?? 'none'} class=${statusClass(check.status)}>${check.status ?? 'no window yet'}</td>
      </tr>`)}</tbody>
    </table>
    </div>
  </section>`;
}

function statusClass(status: string | null): string {
  return status === 'PASS' ? 'pass' : status === 'FAIL' ? 'fail' : 'muted';
}

/**
 * The rollback notice, inside a live region that is always present (so the arrival of the notice
 * is announced): which metric, its value and threshold, and a button that re-arms semantic mode.
 */
export function rollbackTemplate(latch: RollbackLatch | null, decision: RolloutDecision | undefined, onRearm: () => void): TemplateResult {
  return html`<div part="rollback-notice" role="alert" class=${latch === null ? 'notice-empty' : 'notice'}>
    ${latch === null
      ? nothing
      : html`<p><strong>Semantic mode was rolled back</strong> in this browser at <time datetime=${latch.at}>${new Date(latch.at).toLocaleString('en')}</time>:
          <span data-rollback-metric=${latch.metric}>${metricLabel(latch.metric)}</span> was <strong data-rollback-value>${formatMetric(latch.metric, latch.value)}</strong>
          against a threshold of <strong data-rollback-threshold>${formatMetric(latch.metric, latch.threshold)}</strong> (config version ${latch.configVersion}).
          It stays off here, across reloads, until someone re-arms it or a new config version arrives.
          ${decision && decision.reason !== 'GUARDRAIL_ROLLBACK' ? ` This user's decision (${decision.reason}) comes before the rollback, so it is unchanged.` : ''}</p>
          <button type="button" part="rearm" @click=${onRearm}>Re-arm semantic mode</button>`}
  </div>`;
}
