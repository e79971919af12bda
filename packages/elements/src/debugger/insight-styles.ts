import { css } from 'lit';

/** Rules of the debugger's insights: the changes panel, each row's rank and its score breakdown. */
export const insightStyles = css`
  .changes {
    margin-block: 0.75rem;
    padding: 0.5rem 1rem;
    border: 1px solid var(--_border);
    border-radius: 6px;
  }
  .changes p {
    margin: 0.25rem 0;
  }
  /* A chosen flip group scrolls its first row to the top: a little room above it shows it is the first. */
  [part~='item'] {
    scroll-margin-block-start: 0.75rem;
  }
  .nothing-passes button {
    margin-inline-start: 0.4rem;
  }
  .flip-groups {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem 0.6rem;
    margin: 0.4rem 0;
    padding: 0;
    list-style: none;
  }
  .flip-groups button {
    text-align: start;
    overflow-wrap: anywhere;
  }
  .flip-groups button[aria-pressed='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 0 0 1px var(--_accent);
  }
  /* In its own cell: only the figures stand out. */
  .insight {
    font-size: 0.9em;
  }
  .rank {
    display: block;
  }
  .breakdown summary {
    cursor: pointer;
    min-block-size: 24px;
  }
  .breakdown summary:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  @container (max-width: 40rem) {
    .breakdown summary {
      min-block-size: 44px;
      align-content: center;
    }
  }
`;
