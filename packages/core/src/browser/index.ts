export * from './capabilities.js';
export * from './idb-store.js';
export type { FilterRun, PreparedItems } from './prepared-items.js';
export * from './progress.js';
export * from './semantic-filter.js';
export * from './wasm-files.js';
export * from '../worker/embedding-api.js';
export * from '../worker/worker-client.js';
export * from './model-load-failure.js';
