// Importing the package defines the elements, <semfilter-debugger>, <semfilter-rollout-panel> and <semfilter-fleet-dashboard>
// (each guarded, so a second copy on the page does not throw); package.json lists this module in
// `sideEffects` so bundlers keep these imports. The per-element entries
// (`@semfilter/elements/semfilter-debugger.js`, `…/semfilter-rollout-panel.js`,
// `…/semfilter-fleet-dashboard.js`) define one each.
import './debugger/define.js';
import './rollout-panel/define.js';
import './fleet-dashboard/define.js';

export * from './debugger/semfilter-debugger.js';
export * from './debugger/templates.js';
export type * from './debugger/shown.js';
export * from './debugger/threshold-curve.js';
export * from './rollout-panel/semfilter-rollout-panel.js';
export * from './rollout-panel/wording.js';
export * from './fleet-dashboard/semfilter-fleet-dashboard.js';
