export * from './model-files.js';
export * from './onnx-model.js';
export * from './node-embedder.js';
