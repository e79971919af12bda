import { SemfilterRolloutPanel } from './semfilter-rollout-panel.js';

// Guarded, so loading the module twice (two bundles on one page) does not throw.
if (!customElements.get('semfilter-rollout-panel')) customElements.define('semfilter-rollout-panel', SemfilterRolloutPanel);

declare global {
  interface HTMLElementTagNameMap {
    'semfilter-rollout-panel': SemfilterRolloutPanel;
  }
  interface HTMLElementEventMap {
    'semfilter-rearm': CustomEvent<import('./semfilter-rollout-panel.js').SemfilterRearmDetail>;
  }
}

export { SemfilterRolloutPanel };
