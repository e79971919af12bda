import type { Embedder } from '@semfilter/core';
import { createNodeEmbedder, MODEL_FILES, type ModelDtype } from '@semfilter/node';
import { badInput, modelUnavailable } from './errors.js';

/** Checks a `--dtype` value. */
export function parseDtype(value: string | undefined): ModelDtype {
  if (value === undefined) return 'fp32';
  if (value in MODEL_FILES) return value as ModelDtype;
  throw badInput(`--dtype: expected one of ${Object.keys(MODEL_FILES).join(', ')}, received "${value}"`);
}

/** A Node embedder whose model has loaded, or a CliError (exit 3) saying why it could not. */
export async function loadEmbedder(dtype: ModelDtype, warmUp: readonly string[]): Promise<Embedder> {
  const embedder = createNodeEmbedder({ dtype });
  try {
    await embedder.embed(warmUp.length > 0 ? warmUp : ['model check']);
  } catch (error) {
    throw modelUnavailable(`the model is needed and cannot be loaded: ${(error as Error).message}`);
  }
  return embedder;
}
