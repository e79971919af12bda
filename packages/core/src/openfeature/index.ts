export * from './decision.js';
export * from './provider.js';
export * from './follow.js';
