// Importing the package defines both elements, <semfilter-debugger> and <semfilter-rollout-panel>
// (each guarded, so a second copy on the page does not throw); package.json lists this module in
// `sideEffects` so bundlers keep these imports. The per-element entries
// (`@semfilter/elements/semfilter-debugger.js`, `…/semfilter-rollout-panel.js`) define one each.
import './debugger/define.js';
import './rollout-panel/define.js';

export * from './debugger/semfilter-debugger.js';
export * from './debugger/templates.js';
export * from './debugger/threshold-curve.js';
export * from './rollout-panel/semfilter-rollout-panel.js';
export * from './rollout-panel/wording.js';
