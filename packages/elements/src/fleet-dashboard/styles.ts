import { css } from 'lit';
import { themeStyles } from '../shared/theme.js';

/** The dashboard's rules: one column on a phone (nothing wider than the screen), the actions first; dark colours when the system asks. */
const ownStyles = css`
  :host {
    padding: 0.75rem;
    box-sizing: border-box;
    max-width: 100%;
    overflow-wrap: anywhere;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_pass: var(--semfilter-pass-color, #6fd38f);
      --_reject: var(--semfilter-reject-color, #ff8a8f);
      --_accent: var(--semfilter-accent-color, #9db1ff);
      --_muted: var(--semfilter-muted-color, #b5b8bf);
      --_border: var(--semfilter-border-color, #4a4d55);
      --_surface: var(--semfilter-surface-color, #16171a);
      color: var(--semfilter-text-color, #ececef);
    }
  }
  * {
    box-sizing: border-box;
  }
  h1 {
    font-size: 1.3em;
    margin: 0;
  }
  h2 {
    font-size: 1.1em;
    margin: 1.25rem 0 0.5rem;
  }
  h3,
  h4 {
    font-size: 1em;
    margin: 0.75rem 0 0.35rem;
  }
  header,
  .toolbar,
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  header {
    justify-content: space-between;
  }
  p {
    margin: 0.25rem 0;
  }
  .meta {
    color: var(--_muted);
    font-weight: normal;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 0.45rem 0.75rem;
    min-height: 2.5rem;
  }
  button {
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  button.danger {
    background: var(--_reject);
    border-color: var(--_reject);
    color: var(--_surface);
    font-weight: 700;
  }
  button.link {
    border: none;
    padding: 0;
    min-height: 0;
    font-weight: 700;
    text-decoration: underline;
    color: var(--_accent);
  }
  button.link[aria-current='true'] {
    text-decoration: none;
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  textarea {
    width: 100%;
    min-height: 16rem;
    font-family: ui-monospace, monospace;
    font-size: 0.9em;
  }
  .status {
    border: 2px solid var(--_border);
    border-radius: 8px;
    padding: 0.6rem 0.75rem;
    margin: 0.75rem 0;
  }
  .status[data-kill='true'] {
    border-color: var(--_reject);
  }
  .cards {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  .card {
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 0.5rem 0.75rem;
    min-width: 0;
  }
  dl {
    display: grid;
    grid-template-columns: max-content minmax(0, 1fr);
    gap: 0.1rem 0.75rem;
    margin: 0.35rem 0 0;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
  }
  .badge {
    display: inline-block;
    font-weight: 700;
    font-size: 0.85em;
    padding: 0 0.4rem;
    border-radius: 4px;
    border: 1px solid currentColor;
  }
  .badge[data-result='PASS'] {
    color: var(--_pass);
  }
  .badge[data-result='FAIL'] {
    color: var(--_reject);
  }
  .badge[data-result='INCONCLUSIVE'] {
    color: var(--_muted);
  }
  .table-scroll {
    max-width: 100%;
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
    font-size: 0.9em;
  }
  th,
  td {
    text-align: start;
    padding: 0.15rem 0.5rem 0.15rem 0;
    border-bottom: 1px solid var(--_border);
  }
  .diff {
    margin: 0.25rem 0 0;
    padding-inline-start: 1.1rem;
  }
  code {
    font: 0.9em ui-monospace, monospace;
  }
  .charts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr));
    gap: 0.75rem;
  }
  figure {
    margin: 0;
    min-width: 0;
  }
  figcaption {
    font-size: 0.9em;
  }
  svg {
    display: block;
    width: 100%;
    height: 5rem;
  }
  svg .frame {
    fill: none;
    stroke: var(--_border);
  }
  svg polyline {
    fill: none;
    stroke-width: 2;
    vector-effect: non-scaling-stroke;
  }
  svg .semantic,
  svg .clients {
    stroke: var(--_accent);
    fill: var(--_accent);
  }
  svg polyline.semantic,
  svg polyline.clients {
    fill: none;
  }
  svg .traditional {
    stroke: var(--_muted);
    stroke-dasharray: 2 3;
  }
  svg .threshold {
    stroke: var(--_reject);
    stroke-dasharray: 6 4;
  }
  .legend {
    font-size: 0.85em;
  }
  .announcement:not(:empty) {
    border-inline-start: 4px solid var(--_accent);
    padding: 0.35rem 0.6rem;
    margin: 0.5rem 0;
  }
  .issues {
    color: var(--_reject);
  }
  .error {
    color: var(--_reject);
    font-weight: 700;
  }
  dialog {
    color: inherit;
    background: var(--_surface);
    border: 2px solid var(--_border);
    border-radius: 10px;
    max-width: min(32rem, calc(100vw - 2rem));
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.5);
  }
  label {
    display: grid;
    gap: 0.25rem;
  }
  .wrap {
    word-break: break-all;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

/** Every rule of <semfilter-fleet-dashboard>. */
export const fleetDashboardStyles = [themeStyles, ownStyles];
