import { css } from 'lit';
import { themeStyles } from '../shared/theme.js';

/** The panel's own rules, on the same --semfilter-* custom properties as <semfilter-debugger>. */
const ownStyles = css`
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr));
    gap: 1rem 2rem;
    align-items: start;
  }
  section {
    margin-block: 0.75rem;
  }
  .heading {
    font-weight: 700;
    font-size: 1.05em;
    margin-block-end: 0.35rem;
  }
  .heading:focus-visible,
  button:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  p {
    margin: 0.3rem 0;
  }
  .served strong {
    font-size: 1.2em;
  }
  [data-served='semantic'] strong {
    color: var(--_pass);
  }
  code {
    font: 0.92em ui-monospace, monospace;
    padding: 0 0.25rem;
    border: 1px solid var(--_border);
    border-radius: 3px;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.1rem 0.75rem;
    margin: 0.4rem 0 0;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
    font-variant-numeric: tabular-nums;
  }
  .meta,
  figcaption,
  caption,
  .key {
    color: var(--_muted);
  }
  .stages {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    list-style: none;
    padding: 0;
    margin: 0.4rem 0 0;
  }
  .stages li {
    padding: 0.15rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: 999px;
  }
  .stages li.current {
    border: 2px solid var(--_accent);
    font-weight: 700;
  }
  .tag {
    font-weight: 400;
    color: var(--_muted);
  }
  form {
    display: flex;
    gap: 0.5rem;
    align-items: end;
    flex-wrap: wrap;
  }
  label {
    display: grid;
    gap: 0.2rem;
    font-weight: 600;
  }
  input,
  button {
    font: inherit;
    padding: 0.3rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_surface);
    color: inherit;
  }
  input[type='number'] {
    width: 8rem;
  }
  button {
    cursor: pointer;
  }
  /* A wide table scrolls inside the panel instead of widening the page on a phone. */
  .table-scroll {
    max-width: 100%;
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    margin-top: 0.5rem;
    font-variant-numeric: tabular-nums;
  }
  caption {
    text-align: left;
    padding-bottom: 0.25rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.2rem 0.6rem 0.2rem 0;
    border-bottom: 1px solid var(--_border);
  }
  tr.current th,
  tr.current td {
    font-weight: 700;
  }
  /*
   * On a phone the guardrail table's six columns do not fit: scrolled sideways, its status column
   * and caption were cut off with nothing saying so. Below 34rem each guardrail becomes a block
   * (the metric, then one labelled line per column), so everything shows without scrolling.
   */
  [part~='guardrails'] {
    container-type: inline-size;
  }
  @container (max-width: 34rem) {
    .guardrails,
    .guardrails caption,
    .guardrails tbody,
    .guardrails tr {
      display: block;
    }
    .guardrails thead {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    .guardrails tr {
      padding-block: 0.35rem;
      border-bottom: 1px solid var(--_border);
    }
    .guardrails th,
    .guardrails td {
      display: flex;
      gap: 0.75rem;
      padding: 0.1rem 0;
      border: none;
    }
    .guardrails td::before {
      content: attr(data-label);
      flex: 0 0 5.5rem;
      color: var(--_muted);
      font-weight: 400;
    }
  }
  figure {
    margin: 0.5rem 0 0;
  }
  svg {
    display: block;
    width: 100%;
    max-width: 22rem;
    height: auto;
    border: 1px solid var(--_border);
    border-radius: 3px;
  }
  .charts {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
    gap: 1rem;
  }
  circle {
    fill: var(--_surface);
    stroke-width: 1.5;
    vector-effect: non-scaling-stroke;
  }
  polyline {
    fill: none;
    stroke-width: 1.5;
    vector-effect: non-scaling-stroke;
  }
  .p50,
  .traditional {
    stroke: var(--_muted);
  }
  .p95,
  .semantic,
  .fallback {
    stroke: var(--_accent);
  }
  .mean {
    stroke: var(--_pass);
    stroke-dasharray: 4 2;
  }
  .traditional {
    stroke-dasharray: 4 2;
  }
  line.threshold,
  line.coverage {
    stroke: var(--_reject);
    stroke-dasharray: 2 2;
    vector-effect: non-scaling-stroke;
  }
  rect.in {
    fill: var(--_accent);
  }
  rect.out {
    fill: var(--_border);
  }
  path.user {
    fill: var(--semfilter-text-color, #1d1d1f);
  }
  .swatch {
    display: inline-block;
    width: 1rem;
    height: 0;
    margin: 0 0.25rem 0.2rem 0.5rem;
    border-top: 2px solid var(--_accent);
    vertical-align: middle;
  }
  .swatch.p50,
  .swatch.traditional {
    border-top: 2px dashed var(--_muted);
  }
  .swatch.traditional {
    border-top-style: dashed;
  }
  .swatch.p50 {
    border-top-style: solid;
  }
  .swatch.mean {
    border-top: 2px dashed var(--_pass);
  }
  .pass {
    color: var(--_pass);
    font-weight: 700;
  }
  .fail {
    color: var(--_reject);
    font-weight: 700;
  }
  .muted {
    color: var(--_muted);
  }
  .notice {
    margin-block: 0.75rem;
    padding: 0.6rem 0.9rem;
    border: 2px solid var(--_reject);
    border-radius: 6px;
    color: var(--_reject);
  }
  .notice button {
    margin-top: 0.4rem;
    border-color: var(--_reject);
    color: var(--_reject);
    font-weight: 600;
  }
  .issues {
    color: var(--_reject);
  }
`;

/** Styles of <semfilter-rollout-panel>: the shared theme, then its own rules. */
export const rolloutPanelStyles = [themeStyles, ownStyles];
