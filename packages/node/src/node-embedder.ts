import { embedInSortedBatches, MODEL_ID, type Embedder, type ModelInfo, type Vector } from '@semfilter/core';
import { resolveModelsDir } from './model-files.js';
import { loadEmbeddingModel, type EmbeddingModel, type ModelDtype, type NodeSessionOptions } from './onnx-model.js';

/**
 * Texts per model call. Batches are sorted by length, so they pad little; on the bench's phrases
 * 32, 64 and 128 came within noise of each other (`npm run bench` prints them side by side).
 */
export const NODE_BATCH_SIZE = 64;

/** Options of the Node embedder; all have defaults. */
export interface NodeEmbedderOptions {
  /** Folder holding `Xenova/all-MiniLM-L6-v2/`; defaults to resolveModelsDir(). */
  readonly modelsDir?: string;
  readonly dtype?: ModelDtype;
  /** Texts per model call; default NODE_BATCH_SIZE. */
  readonly batchSize?: number;
  /** onnxruntime-node settings; default defaultSessionOptions(). */
  readonly sessionOptions?: NodeSessionOptions;
}

/**
 * An embedder running all-MiniLM-L6-v2 on onnxruntime-node, with remote models disabled.
 * It loads the model on first use (one load shared by concurrent first calls), embeds distinct
 * texts in length-sorted batches, and remembers every vector it computed for the life of the process.
 */
export function createNodeEmbedder(options: NodeEmbedderOptions = {}): Embedder {
  const modelsDir = options.modelsDir ?? resolveModelsDir();
  const dtype = options.dtype ?? 'fp32';
  const batchSize = options.batchSize ?? NODE_BATCH_SIZE;
  const model: ModelInfo = { id: MODEL_ID, dtype };
  const cache = new Map<string, Vector>();
  let loaded: Promise<EmbeddingModel> | undefined;

  const load = (): Promise<EmbeddingModel> => {
    loaded ??= loadEmbeddingModel(modelsDir, dtype, options.sessionOptions).catch((error: unknown) => {
      loaded = undefined; // let a later call try again, e.g. after `npm run fetch-model`
      throw error;
    });
    return loaded;
  };

  return {
    model,
    async embed(texts) {
      const missing = [...new Set(texts.filter((text) => !cache.has(text)))];
      if (missing.length > 0) {
        const run = await load();
        const vectors = await embedInSortedBatches(missing, batchSize, run);
        missing.forEach((text, i) => cache.set(text, vectors[i]!));
      }
      return texts.map((text) => cache.get(text)!);
    },
  };
}
