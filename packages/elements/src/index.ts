export * from './debugger/semfilter-debugger.js';
export * from './debugger/templates.js';
export * from './debugger/threshold-curve.js';
export * from './rollout-panel/semfilter-rollout-panel.js';
export * from './rollout-panel/wording.js';
