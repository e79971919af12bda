import type { Vector } from './vectors.js';

/** Which model made a set of vectors; vectors from different models never mix. */
export interface ModelInfo {
  readonly id: string;
  /** Weight precision of the model file: `fp32` or `q8`. */
  readonly dtype: string;
}

/** Turns texts into unit vectors; implementations batch and may cache, and reject when no model can load. */
export interface Embedder {
  readonly model: ModelInfo;
  /** One unit vector per text, in order. */
  embed(texts: readonly string[]): Promise<Vector[]>;
  /** Optional: the vectors known without running the model, for partial fallback when it fails. */
  lookup?(texts: readonly string[]): Promise<(Vector | undefined)[]>;
}

/** The model every semfilter embedder runs. */
export const MODEL_ID = 'Xenova/all-MiniLM-L6-v2';
/** Dimensions of one all-MiniLM-L6-v2 vector. */
export const VECTOR_LENGTH = 384;
