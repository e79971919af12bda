export * from './debugger/semfilter-debugger.js';
export * from './debugger/templates.js';
export * from './debugger/threshold-curve.js';
