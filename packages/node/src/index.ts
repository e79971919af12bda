export * from './model-files.js';
export * from './onnx-model.js';
export * from './node-embedder.js';
export * from './tokenizer.js';
export * from './fetch-model.js';
// One error class for a model that is not there, whichever runtime raised it.
export { ModelUnavailableError } from '@semfilter/core';
