import { html, nothing, svg, type TemplateResult } from 'lit';
import { formatValue, percent } from './wording.js';
import type { SeriesPointView, SeriesView } from './types.js';

const WIDTH = 240;
const HEIGHT = 72;

/** One line of a chart: its values oldest first (null: nothing measured) and how it is drawn. */
interface Line {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly className: 'semantic' | 'traditional' | 'threshold' | 'clients';
}

/** One chart: what it measures, its lines, and how to print a value. */
interface ChartSpec {
  readonly title: string;
  readonly metric: string;
  readonly lines: readonly Line[];
}

const checkOf = (point: SeriesPointView, metric: string) => point.checks.find((c) => c.metric === metric);

/** The charts of one stage: pass rate per mode, p95 and mean latency, fallback/error rate, cache hit rate (each with its threshold), and clients reporting. */
function stageCharts(points: readonly SeriesPointView[]): ChartSpec[] {
  const value = (metric: string) => points.map((p) => checkOf(p, metric)?.value ?? null);
  const threshold = (metric: string) => points.map((p) => checkOf(p, metric)?.threshold ?? null);
  const guarded = (title: string, metric: string): ChartSpec => ({
    title,
    metric,
    lines: [
      { label: 'semantic', values: value(metric), className: 'semantic' },
      { label: 'threshold', values: threshold(metric), className: 'threshold' },
    ],
  });
  return [
    {
      title: 'Pass rate per mode',
      metric: 'pass_rate',
      lines: [
        { label: 'semantic', values: points.map((p) => p.passRate.semantic), className: 'semantic' },
        { label: 'traditional', values: points.map((p) => p.passRate.traditional), className: 'traditional' },
        { label: 'threshold', values: threshold('pass_rate'), className: 'threshold' },
      ],
    },
    guarded('p95 latency', 'p95_latency_ms'),
    guarded('Mean latency', 'mean_latency_ms'),
    guarded('Fallback/error rate', 'fallback_or_error_rate'),
    guarded('Cache hit rate', 'cache_hit_rate'),
    { title: 'Clients reporting', metric: 'clients', lines: [{ label: 'clients', values: points.map((p) => (p.semanticRuns === 0 ? null : p.clients)), className: 'clients' }] },
  ];
}

/** The live charts, one group per stage the fleet ran lately. */
export function seriesTemplate(series: SeriesView | null, stages: readonly number[] | undefined): TemplateResult {
  if (series === null) return html`<p class="meta">Loading the fleet's numbers…</p>`;
  if (series.stages.length === 0) return html`<p class="meta">No stage is running semantic mode: nothing to chart.</p>`;
  const minutes = Math.round(series.stepMs / 60_000);
  return html`${series.stages.map(
    (line) => html`<section class="stage-charts" aria-labelledby=${`stage-${line.stage}-${line.mode}`}>
      <h3 id=${`stage-${line.stage}-${line.mode}`}>
        ${line.stage === -1 ? 'Coverage' : `Stage ${line.stage + 1}${stages?.[line.stage] === undefined ? '' : ` (${percent(stages[line.stage]!)})`}`}, mode ${line.mode}
        <span class="meta">— ${line.points.length} intervals of ${minutes} min, newest right</span>
      </h3>
      <div class="charts">${stageCharts(line.points).map(chartTemplate)}</div>
    </section>`,
  )}`;
}

function chartTemplate(chart: ChartSpec): TemplateResult {
  const all = chart.lines.flatMap((l) => l.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const rate = !chart.metric.endsWith('_ms') && chart.metric !== 'clients';
  const max = rate ? 1 : Math.max(1, ...all) * 1.1;
  const latest = (line: Line) => [...line.values].reverse().find((v) => v !== null) ?? null;
  const print = (v: number | null) => (chart.metric === 'clients' ? (v === null ? '—' : v.toLocaleString('en')) : formatValue(chart.metric, v));
  const summary = chart.lines.map((line) => `${line.label} ${print(latest(line))}`).join(', ');
  return html`<figure class="chart" data-metric=${chart.metric}>
    <figcaption><strong>${chart.title}</strong> <span class="meta">now: ${summary}</span></figcaption>
    <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect class="frame" x="0" y="0" width=${WIDTH} height=${HEIGHT}></rect>
      ${chart.lines.map((line) => svg`<polyline class=${line.className} points=${points(line.values, max)}></polyline>`)}
      ${chart.lines.map((line) => dot(line, max))}
    </svg>
  </figure>`;
}

function dot(line: Line, max: number) {
  const i = line.values.length - 1;
  const value = line.values[i];
  if (value === null || value === undefined || line.className === 'threshold') return nothing;
  return svg`<circle class=${line.className} cx=${x(i, line.values.length)} cy=${y(value, max)} r="2.5"></circle>`;
}

function points(values: readonly (number | null)[], max: number): string {
  return values
    .map((v, i) => (v === null || !Number.isFinite(v) ? null : `${x(i, values.length).toFixed(1)},${y(v, max).toFixed(1)}`))
    .filter((p) => p !== null)
    .join(' ');
}

const x = (i: number, n: number) => (n <= 1 ? WIDTH : (WIDTH * i) / (n - 1));
const y = (value: number, max: number) => HEIGHT - 3 - ((HEIGHT - 6) * Math.min(value, max)) / max;
