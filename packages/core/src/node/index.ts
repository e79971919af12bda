export * from './model-files.js';
export * from './node-embedder.js';
