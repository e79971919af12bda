import { css } from 'lit';

/**
 * The host rules every semfilter element shares: the --semfilter-* custom properties with their
 * defaults (as private --_* names the element's own rules use), the font, and [hidden].
 */
export const themeStyles = css`
  :host {
    --_pass: var(--semfilter-pass-color, #0a6b2f);
    --_reject: var(--semfilter-reject-color, #a4161a);
    --_accent: var(--semfilter-accent-color, #3b5bdb);
    --_muted: var(--semfilter-muted-color, #5c5f66);
    --_border: var(--semfilter-border-color, #d0d4da);
    --_surface: var(--semfilter-surface-color, #ffffff);
    display: block;
    font: var(--semfilter-font, 14px/1.45 system-ui, sans-serif);
    color: var(--semfilter-text-color, #1d1d1f);
    background: var(--_surface);
  }
  :host([hidden]) {
    display: none;
  }
`;
