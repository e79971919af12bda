import { SemfilterFleetDashboard } from './semfilter-fleet-dashboard.js';

// Guarded, so loading the module twice (two bundles on one page) does not throw.
if (!customElements.get('semfilter-fleet-dashboard')) customElements.define('semfilter-fleet-dashboard', SemfilterFleetDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'semfilter-fleet-dashboard': SemfilterFleetDashboard;
  }
  interface HTMLElementEventMap {
    'semfilter-fleet-change': CustomEvent<import('./semfilter-fleet-dashboard.js').SemfilterFleetChangeDetail>;
  }
}

export { SemfilterFleetDashboard };
