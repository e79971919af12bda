import { css } from 'lit';
import { themeStyles } from '../shared/theme.js';
import { chartStyles } from './chart-styles.js';

/** The debugger's own rules; every colour and the font come from the theme's custom properties. */
const ownStyles = css`
  /* The host is the container the narrow layout below answers to: the element's width, not the
     window's, decides, so it also fits a narrow column on a wide screen. */
  :host {
    container-type: inline-size;
  }
  .toolbar,
  .request,
  .thresholds,
  .row-filters,
  .pager {
    display: flex;
    flex-wrap: wrap;
    gap: 0.75rem 1.25rem;
    align-items: end;
    margin-block: 0.75rem;
  }
  label {
    display: grid;
    gap: 0.2rem;
    font-weight: 600;
  }
  input[type='text'],
  input[type='search'],
  select {
    font: inherit;
    font-weight: normal; /* inside a label, whose text is bold */
    padding: 0.3rem 0.45rem;
    border: 1px solid var(--_border);
    border-radius: 4px;
  }
  /* WCAG 2.2 target size: 24 px at least here, 44 px in the narrow (touch) layout below. */
  button,
  input,
  select {
    min-block-size: 24px;
  }
  button {
    font: inherit;
    padding: 0.3rem 0.75rem;
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_surface);
    cursor: pointer;
  }
  button[aria-disabled='true'] {
    cursor: default;
    opacity: 0.55;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .export {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  [part~='semantic-toggle'] {
    display: inline-flex;
    gap: 0.5rem;
    align-items: center;
  }
  .track {
    width: 2.2rem;
    height: 1.2rem;
    border-radius: 0.6rem;
    background: var(--_border);
    position: relative;
    transition: background 0.15s;
  }
  .track::after {
    content: '';
    position: absolute;
    top: 0.15rem;
    left: 0.15rem;
    width: 0.9rem;
    height: 0.9rem;
    border-radius: 50%;
    background: var(--_surface);
    transition: transform 0.15s;
  }
  [aria-checked='true'] .track {
    background: var(--_accent);
  }
  [aria-checked='true'] .track::after {
    transform: translateX(1rem);
  }
  [part~='summary'] {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
    gap: 0.5rem 1.5rem;
    padding: 0.75rem 1rem;
    border: 1px solid var(--_border);
    border-radius: 6px;
  }
  [part~='summary'] .rate {
    font-size: 1.4em;
    font-weight: 700;
  }
  /* Fixed layout: column widths come from the header, so a changed row is laid out alone instead
     of every cell being measured again for the column widths. */
  table {
    width: 100%;
    border-collapse: collapse;
    table-layout: fixed;
  }
  thead th:nth-child(1) {
    width: 13%;
  }
  thead th:nth-child(2) {
    width: 12%;
  }
  thead th:nth-child(3) {
    width: 16%;
  }
  thead th:nth-child(4) {
    width: 22%;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    padding: 0.4rem 0.5rem;
    border-bottom: 1px solid var(--_border);
    overflow-wrap: anywhere; /* a long tag or id wraps inside its fixed column */
  }
  /* Each cell's content is its own rendering unit that the browser lays out and paints only when
     it comes near the viewport: a page holds 50 rows of reasons, but a request edit that replaces
     them lays out the few on screen. Table cells cannot take size containment themselves, hence
     the wrapper; the placeholder height until a cell is first shown is about one row's. */
  tbody .cell {
    content-visibility: auto;
    contain-intrinsic-block-size: auto 9rem;
  }
  li[data-basis='UNCERTAIN'] {
    border-inline-start: 3px dashed var(--semfilter-unsure-color, #9a6700);
    padding-inline-start: 0.4em;
  }
  .unsure-mark {
    font-size: 0.8em;
    font-weight: 600;
    text-transform: uppercase;
    color: var(--semfilter-unsure-color, #9a6700);
  }
  .verdict {
    font-weight: 700;
  }
  .pass {
    color: var(--_pass);
  }
  .reject {
    color: var(--_reject);
  }
  ul {
    margin: 0.2rem 0 0;
    padding-inline-start: 1rem;
  }
  .normalized,
  .state,
  small {
    color: var(--_muted);
  }
  .meter {
    position: relative;
    display: inline-block;
    vertical-align: middle;
  }
  meter {
    display: block;
    width: 5rem;
  }
  .threshold-mark {
    position: absolute;
    inset-block: -2px;
    border-inline-start: 2px solid currentColor;
  }
  /* Read by screen readers, not shown: the live region that says where a chosen flip group's rows went. */
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  [role='alert'] {
    color: var(--_reject);
  }
  .empty {
    color: var(--_muted);
    font-style: italic;
  }
  /* Narrow (a phone): the table's rows become cards. The item and its semantic verdict, the point
     of the page, come first, then the traditional verdict beside it, the rank and score and the tags below; each cell
     says what it is, since the header row is only there for screen readers. The cells keep their
     content-visibility wrappers. */
  @container (max-width: 40rem) {
    button,
    input,
    select {
      min-block-size: 44px;
    }
    /* The pager's status on a line of its own, both buttons together below it (not "Next page" alone). */
    .pager [role='status'] {
      flex-basis: 100%;
    }
    .pager button {
      white-space: nowrap;
    }
    table,
    caption,
    tbody {
      display: block;
    }
    caption {
      text-align: start;
    }
    thead {
      position: absolute;
      inline-size: 1px;
      block-size: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    tbody tr {
      display: grid;
      grid-template-columns: 1fr 1fr;
      grid-template-areas: 'item item' 'semantic traditional' 'rank rank' 'tags tags';
      gap: 0.3rem 0.75rem;
      padding-block: 0.5rem;
      border-bottom: 1px solid var(--_border);
    }
    tbody th,
    tbody td {
      border: none;
      padding: 0;
    }
    tbody th {
      grid-area: item;
    }
    tbody td:nth-of-type(1) {
      grid-area: rank;
    }
    tbody td:nth-of-type(2) {
      grid-area: tags;
    }
    tbody td:nth-of-type(3) {
      grid-area: traditional;
    }
    tbody td:nth-of-type(4) {
      grid-area: semantic;
    }
    tbody td::before {
      content: attr(data-label);
      display: block;
      color: var(--_muted);
      font-size: 0.85em;
    }
  }
`;

/** Styles of <semfilter-debugger>: the shared theme, then its own rules. */
export const debuggerStyles = [themeStyles, ownStyles, chartStyles];