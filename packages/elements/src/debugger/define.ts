import { SemfilterDebugger } from './semfilter-debugger.js';

// Guarded, so loading the module twice (two bundles on one page) does not throw.
if (!customElements.get('semfilter-debugger')) customElements.define('semfilter-debugger', SemfilterDebugger);

declare global {
  interface HTMLElementTagNameMap {
    'semfilter-debugger': SemfilterDebugger;
  }
  interface HTMLElementEventMap {
    'semfilter-toggle': CustomEvent<import('./semfilter-debugger.js').SemfilterToggleDetail>;
    'semfilter-report': CustomEvent<import('@semfilter/core').FilterReport>;
    'semfilter-view': CustomEvent<import('./semfilter-debugger.js').SemfilterViewDetail>;
  }
}

export { SemfilterDebugger };
