import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_ID, type Embedder, type ModelInfo } from '../embedder.js';
import type { Vector } from '../vectors.js';
import { modelDir, resolveModelsDir } from './model-files.js';

/** Model files ship in two precisions; fp32 is the default because only it meets the parity bar (see README). */
export const MODEL_FILES = { fp32: 'onnx/model.onnx', q8: 'onnx/model_quantized.onnx' } as const;

/** A precision we ship a model file for. */
export type ModelDtype = keyof typeof MODEL_FILES;

/** Options of the Node embedder; all have defaults. */
export interface NodeEmbedderOptions {
  /** Folder holding `Xenova/all-MiniLM-L6-v2/`; defaults to resolveModelsDir(). */
  readonly modelsDir?: string;
  readonly dtype?: ModelDtype;
  /** Texts per model call. */
  readonly batchSize?: number;
}

/** Raised when the model files are not there or do not load; the message says what to do. */
export class ModelUnavailableError extends Error {
  override readonly name = 'ModelUnavailableError';
}

/** The transformers.js feature-extraction pipeline, as we call it. */
export type FeatureExtractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>;

/**
 * An embedder running @xenova/transformers on onnxruntime-node, with remote models disabled.
 * It loads the model on first use (one load shared by concurrent first calls), embeds distinct
 * texts in batches, and remembers every vector it computed for the life of the process.
 */
export function createNodeEmbedder(options: NodeEmbedderOptions = {}): Embedder {
  const modelsDir = options.modelsDir ?? resolveModelsDir();
  const dtype = options.dtype ?? 'fp32';
  const batchSize = options.batchSize ?? 64;
  const model: ModelInfo = { id: MODEL_ID, dtype };
  const cache = new Map<string, Vector>();
  let extractor: Promise<FeatureExtractor> | undefined;

  const load = (): Promise<FeatureExtractor> => {
    extractor ??= loadFeatureExtractor(modelsDir, dtype).catch((error: unknown) => {
      extractor = undefined; // let a later call try again, e.g. after `npm run fetch-model`
      throw error;
    });
    return extractor;
  };

  return {
    model,
    async embed(texts) {
      const missing = [...new Set(texts.filter((text) => !cache.has(text)))];
      if (missing.length > 0) {
        const run = await load();
        for (let start = 0; start < missing.length; start += batchSize) {
          const batch = missing.slice(start, start + batchSize);
          const output = await run(batch, { pooling: 'mean', normalize: true });
          const width = output.dims[1]!;
          batch.forEach((text, i) => cache.set(text, output.data.slice(i * width, (i + 1) * width)));
        }
      }
      return texts.map((text) => cache.get(text)!);
    },
  };
}

/** Loads the feature-extraction pipeline itself (no batching, no cache): for benchmarks that need the bare model. */
export async function loadFeatureExtractor(modelsDir: string, dtype: ModelDtype): Promise<FeatureExtractor> {
  const file = join(modelDir(modelsDir), MODEL_FILES[dtype]);
  if (!existsSync(file)) throw new ModelUnavailableError(`model file ${file} is missing: run \`npm run fetch-model\` (or \`npx semfilter fetch-model\`)`);
  const transformers = await import('@xenova/transformers');
  transformers.env.allowRemoteModels = false;
  transformers.env.allowLocalModels = true;
  transformers.env.localModelPath = modelsDir.endsWith('/') ? modelsDir : `${modelsDir}/`;
  try {
    return (await transformers.pipeline('feature-extraction', MODEL_ID, { quantized: dtype === 'q8' })) as unknown as FeatureExtractor;
  } catch (error) {
    throw new ModelUnavailableError(`could not load ${file}: ${(error as Error).message}`);
  }
}
