import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { meanPoolNormalized, ModelUnavailableError, type TokenTensor } from '@semfilter/core';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import { modelDir } from './model-files.js';
import { loadBatchTokenizer, type BatchTokenizer } from './tokenizer.js';

/** Model files ship in two precisions; fp32 is the default because only it meets the parity bar (see README). */
export const MODEL_FILES = { fp32: 'onnx/model.onnx', q8: 'onnx/model_quantized.onnx' } as const;

/** A precision we ship a model file for. */
export type ModelDtype = keyof typeof MODEL_FILES;

/** The onnxruntime-node session settings the Node embedder can be given. */
export type NodeSessionOptions = Pick<InferenceSession.SessionOptions, 'intraOpNumThreads' | 'interOpNumThreads' | 'graphOptimizationLevel' | 'executionMode'>;

/**
 * Chosen by measurement on the 2-core bench machine (`npm run bench` prints the alternatives):
 * one intra-op thread per core, every graph optimization, operators run one after another. With
 * the cores otherwise idle this reached about 2,000 phrases/s against 1,150 with one thread;
 * onnxruntime's defaults (which also use every core) were the same within noise. While other
 * processes kept the cores busy, the threads waited on each other and one thread (steady at
 * 1,050–1,200) was faster.
 */
export function defaultSessionOptions(): NodeSessionOptions {
  return { intraOpNumThreads: availableParallelism(), interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };
}


/** One model call: unit vectors for a batch of texts, in order (no cache, no batching). */
export type EmbeddingModel = (texts: readonly string[]) => Promise<Float32Array[]>;

/**
 * Loads all-MiniLM-L6-v2 for Node: the model's tokenizer (loadBatchTokenizer) and an
 * onnxruntime-node session we create ourselves, with our session options. Pooling is
 * sentence-transformers' mean + normalize.
 */
export async function loadEmbeddingModel(modelsDir: string, dtype: ModelDtype, sessionOptions: NodeSessionOptions = defaultSessionOptions()): Promise<EmbeddingModel> {
  const dir = modelDir(modelsDir);
  const file = join(dir, MODEL_FILES[dtype]);
  if (!existsSync(file)) throw new ModelUnavailableError(`model file ${file} is missing: run \`npm run fetch-model\` (or \`npx semfilter fetch-model\`)`);
  const ortModule = await import('onnxruntime-node');
  // onnxruntime-node is CommonJS: Node's own import gives its exports as `default`, tsx as the namespace
  const ort = (ortModule as unknown as { default?: typeof ortModule }).default ?? ortModule;
  let tokenize: BatchTokenizer;
  let session: InferenceSession;
  try {
    tokenize = loadBatchTokenizer(dir);
    session = await ort.InferenceSession.create(file, { ...sessionOptions, executionProviders: ['cpu'] });
  } catch (error) {
    throw new ModelUnavailableError(`could not load ${file}: ${(error as Error).message}`);
  }
  const Tensor = ort.Tensor as unknown as new (type: 'int64', data: BigInt64Array, dims: readonly number[]) => OrtTensor;
  return async (texts) => {
    if (texts.length === 0) return [];
    const encoded: Readonly<Record<string, TokenTensor | undefined>> = tokenize(texts);
    const feeds: Record<string, OrtTensor> = {};
    for (const name of session.inputNames) {
      const input = encoded[name];
      if (input === undefined) throw new ModelUnavailableError(`${file} wants an input "${name}" the tokenizer does not make`);
      feeds[name] = new Tensor('int64', input.data, input.dims);
    }
    const hidden = (await session.run(feeds))[session.outputNames[0]!]!;
    const [batch, tokens, width] = hidden.dims as [number, number, number];
    return meanPoolNormalized(hidden.data as Float32Array, encoded['attention_mask']!.data, batch, tokens, width);
  };
}
