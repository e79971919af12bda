import { svg, nothing, type SVGTemplateResult } from 'lit';

/** The charts' drawing box: every chart is an `<svg viewBox="0 0 CHART_WIDTH CHART_HEIGHT">`. */
export const CHART_WIDTH = 200;
/** Height of the drawing box. */
export const CHART_HEIGHT = 60;

/** One line of a chart: its values over time (null where there was nothing to measure) and its CSS class. */
export interface ChartSeries {
  readonly values: readonly (number | null)[];
  readonly className: string;
}

/** The top of a chart's scale: at least `floor`, and room above the highest value or threshold. */
export function chartMax(series: readonly ChartSeries[], floor: number, threshold?: number): number {
  let max = Math.max(floor, threshold ?? 0);
  for (const line of series) for (const value of line.values) if (value !== null && value > max) max = value;
  return max;
}

/**
 * SVG polyline points for values oldest first, spread over the box's width, in a scale from 0 to
 * `max`. A null breaks nothing: it is skipped, so a mode without runs yet draws no line.
 */
export function linePoints(values: readonly (number | null)[], max: number, slots = values.length): string {
  return plotted(values, max, slots).map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
}

/** The drawn coordinates of the values that exist, the newest at the right edge. */
function plotted(values: readonly (number | null)[], max: number, slots: number): [number, number][] {
  const step = slots > 1 ? CHART_WIDTH / (slots - 1) : 0;
  const offset = Math.max(0, slots - values.length);
  const points: [number, number][] = [];
  values.forEach((value, i) => {
    if (value !== null && Number.isFinite(value)) points.push([(offset + i) * step, y(value, max)]);
  });
  return points;
}

const y = (value: number, max: number) => CHART_HEIGHT - 2 - ((CHART_HEIGHT - 4) * Math.min(value, max)) / (max || 1);

/**
 * A line chart's parts, for an `<svg>` of the box's size: one polyline per series, a dot on its
 * latest value (so a first, single point shows), and `threshold` as a dashed line across.
 */
export function lineChart(series: readonly ChartSeries[], max: number, slots: number, threshold?: number): SVGTemplateResult {
  // svg`…`, not html`…`: the parts must be created in the SVG namespace.
  return svg`${threshold === undefined ? nothing : svg`<line class="threshold" x1="0" x2=${CHART_WIDTH} y1=${y(threshold, max)} y2=${y(threshold, max)}></line>`}
    ${series.map((line) => {
      const points = plotted(line.values, max, slots);
      const last = points.at(-1);
      return svg`<polyline class=${line.className} points=${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}></polyline>
        ${last === undefined ? nothing : svg`<circle class=${line.className} cx=${last[0].toFixed(1)} cy=${last[1].toFixed(1)} r="2"></circle>`}`;
    })}`;
}

/**
 * A bucket histogram's bars for an `<svg>` of the box's size: buckets at or under the current
 * coverage (those in the rollout) get the class `in`, a line marks the coverage, and a second
 * marks this user's bucket when there is one.
 */
export function histogramChart(histogram: readonly number[], coverage: number, bucket: number | null): SVGTemplateResult {
  const top = Math.max(1, ...histogram);
  const width = CHART_WIDTH / Math.max(1, histogram.length);
  const x = (share: number) => (CHART_WIDTH * Math.min(1, Math.max(0, share))).toFixed(1);
  return svg`${histogram.map((count, i) => {
    const height = ((CHART_HEIGHT - 4) * count) / top;
    const inRollout = (i + 1) / histogram.length <= coverage + 1e-9;
    return svg`<rect class=${inRollout ? 'in' : 'out'} x=${(i * width + 0.5).toFixed(1)} y=${(CHART_HEIGHT - height).toFixed(1)} width=${(width - 1).toFixed(1)} height=${height.toFixed(1)}></rect>`;
  })}
    <line class="coverage" x1=${x(coverage)} x2=${x(coverage)} y1="0" y2=${CHART_HEIGHT}></line>
    ${bucket === null ? nothing : svg`<path class="user" d="M${x(bucket)} 0 l-4 0 l4 7 l4 -7 z"></path>`}`;
}
