export * from './percentiles.js';
export * from './recorder.js';
export * from './snapshot.js';
export * from './window.js';
export * from './latch.js';
export * from './guardrails.js';
