import { html, nothing, svg, type TemplateResult } from 'lit';

/** Labelled ticks along the threshold axis. */
const X_TICKS = [0, 0.25, 0.5, 0.75, 1];
/** Labelled ticks up the pass-rate axis, as fractions of its top. */
const Y_TICKS = [1, 0.5, 0];
/**
 * Tops the pass-rate axis may take, as fractions: a curve that stays under half of the full
 * axis (a rare tag, a strict other threshold) is drawn on the smallest that holds it, so a curve
 * near 10% shows its shape instead of a flat line along the bottom.
 */
const AXIS_TOPS = [0.1, 0.2, 0.5, 1];

/** The top of the pass-rate axis for a curve: 100% until the curve is known, and while it reaches half of it. */
function axisTop(curve: readonly number[] | undefined): number {
  const highest = curve === undefined ? 1 : Math.max(0, ...curve);
  return AXIS_TOPS.find((top) => highest <= top) ?? 1;
}

/**
 * A threshold's pass-rate chart, as grid items below its slider: the pass rate (0 to 100%, or to
 * a lower top that holds a low curve: axisTop) up the left, the threshold (0–1) along the bottom, and a marker at the current threshold. The plot is
 * inset by half a slider thumb on each side (styles.ts), so x = threshold lands where the thumb's
 * centre sits for that value: a range input puts it at left + thumb/2 + value × (width − thumb).
 * The SVG is stretched to its box (preserveAspectRatio none, strokes not scaled), so its x is the
 * threshold × 100 and the labels are HTML, not stretched text.
 */
export function chartTemplate(dimension: string, curve: readonly number[] | undefined, threshold: number): TemplateResult {
  const percent = (fraction: number) => `${Math.round(100 * fraction)}%`;
  const top = axisTop(curve);
  return html`<span class="axis-title y-title" aria-hidden="true">pass rate</span>
    <span class="y-ticks" aria-hidden="true">${Y_TICKS.map((rate) => html`<span style="top: ${percent(1 - rate)}">${percent(rate * top)}</span>`)}</span>
    <svg class="plot" viewBox="0 0 100 100" preserveAspectRatio="none" role="img"
      aria-label="Semantic pass rate (0 to ${percent(top)}) against the ${dimension} threshold (0 to 1), marked at ${threshold.toFixed(2)}">
      ${svg`${X_TICKS.slice(1, -1).map((x) => svg`<line class="grid" x1=${100 * x} x2=${100 * x} y1="0" y2="100"></line>`)}
        <line class="grid" x1="0" x2="100" y1="50" y2="50"></line>
        <polyline class="axis" points="0,0 0,100 100,100"></polyline>
        ${curve === undefined ? nothing : svg`<polyline class="curve" points=${curvePoints(curve, top)}></polyline>`}
        <line class="marker" x1=${100 * threshold} x2=${100 * threshold} y1="0" y2="100"></line>`}
    </svg>
    <span class="x-ticks" aria-hidden="true">${X_TICKS.map((x) => html`<span style="left: ${percent(x)}">${x}</span>`)}</span>
    <span class="axis-title x-title" aria-hidden="true">threshold</span>`;
}

/** SVG polyline points for a curve in a 100 × 100 box: threshold right, pass rate up to `top` (a fraction). */
function curvePoints(curve: readonly number[], top: number): string {
  return curve.map((rate, i) => `${((100 * i) / (curve.length - 1)).toFixed(2)},${(100 - (100 * rate) / top).toFixed(2)}`).join(' ');
}
