import { css } from 'lit';

/** The threshold sliders and their pass-rate charts (see threshold-chart.ts). */
export const chartStyles = css`
  /* A threshold: its label, the slider, and the pass-rate chart below it on a grid whose second
     column is the slider's box. The slider's thumb has a known width (--_thumb), and the plot and
     its x ticks are inset by half of it on each side, so the chart's x for a value is where the
     thumb's centre sits for it: left + thumb/2 + value × (width − thumb). */
  .threshold {
    --_thumb: 16px;
    --_track: 4px;
    display: grid;
    grid-template-columns: 2.6rem minmax(0, 1fr);
    /* The y title has a row of its own above the plot: beside the slider it overlapped the top
       tick, which is centred on the plot's top edge and so reaches above it. */
    grid-template-areas: 'label label' '. slider' 'y-title y-title' 'y-ticks plot' '. x-ticks' '. x-title';
    gap: 0.2rem 0.3rem;
    inline-size: min(100%, 18rem);
  }
  .threshold-label {
    grid-area: label;
  }
  .threshold-label label {
    display: inline;
  }
  .threshold input[type='range'] {
    grid-area: slider;
    -webkit-appearance: none;
    appearance: none;
    inline-size: 100%;
    margin: 0;
    padding: 0;
    border: 0;
    background: transparent;
    cursor: pointer;
  }
  .threshold input[type='range']::-webkit-slider-runnable-track {
    block-size: var(--_track);
    border-radius: 2px;
    background: var(--_border);
  }
  .threshold input[type='range']::-moz-range-track {
    block-size: var(--_track);
    border-radius: 2px;
    background: var(--_border);
  }
  .threshold input[type='range']::-webkit-slider-thumb {
    -webkit-appearance: none;
    box-sizing: border-box;
    inline-size: var(--_thumb);
    block-size: var(--_thumb);
    margin-block-start: calc((var(--_track) - var(--_thumb)) / 2);
    border: 2px solid var(--_surface);
    border-radius: 50%;
    background: var(--_accent);
  }
  .threshold input[type='range']::-moz-range-thumb {
    box-sizing: border-box;
    inline-size: var(--_thumb);
    block-size: var(--_thumb);
    border: 2px solid var(--_surface);
    border-radius: 50%;
    background: var(--_accent);
  }
  .axis-title,
  .y-ticks,
  .x-ticks {
    color: var(--_muted);
    font-size: 0.75rem;
    line-height: 1;
  }
  .y-title {
    grid-area: y-title;
    justify-self: start;
    margin-block-end: 0.5rem; /* half a tick label and more: the top tick reaches this far above the plot */
  }
  .x-title {
    grid-area: x-title;
    justify-self: center;
  }
  .y-ticks {
    grid-area: y-ticks;
    position: relative;
  }
  .y-ticks span {
    position: absolute;
    inset-inline-end: 0;
    transform: translateY(-50%);
  }
  .plot,
  .x-ticks {
    margin-inline: calc(var(--_thumb) / 2);
  }
  .plot {
    grid-area: plot;
    display: block;
    inline-size: calc(100% - var(--_thumb));
    block-size: 3.5rem;
    overflow: visible;
  }
  .x-ticks {
    grid-area: x-ticks;
    position: relative;
    block-size: 0.8rem;
  }
  .x-ticks span {
    position: absolute;
    transform: translateX(-50%);
  }
  .plot * {
    fill: none;
    vector-effect: non-scaling-stroke;
  }
  .plot .axis {
    stroke: var(--_muted);
  }
  .plot .grid {
    stroke: var(--_border);
    stroke-dasharray: 2 3;
  }
  .plot .curve {
    stroke: var(--_accent);
    stroke-width: 1.5;
  }
  .plot .marker {
    stroke: var(--_reject);
    stroke-width: 1.5;
  }
`;
