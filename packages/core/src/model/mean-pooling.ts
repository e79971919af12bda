// The model-side arithmetic both embedders share (Node on onnxruntime-node, the worker on
// onnxruntime-web): grouping texts into batches that pad little, and turning the model's token
// vectors into sentence vectors the way sentence-transformers does for all-MiniLM-L6-v2.

/** A token tensor as the transformers.js tokenizer gives it (ids, attention mask). */
export interface TokenTensor {
  readonly data: BigInt64Array;
  readonly dims: readonly number[];
}

/** The transformers.js tokenizer call both embedders make: padded, truncated batches. */
export type Tokenizer = (texts: string[], options: { padding: true; truncation: true }) => Record<string, TokenTensor>;

/**
 * Splits texts into batches of at most `size`, shortest first, as index lists into `texts`.
 * A batch is padded to its longest text, so grouping similar lengths wastes fewer model FLOPs;
 * character length stands in for token count (sentence-transformers sorts the same way).
 */
function lengthSortedBatches(texts: readonly string[], size: number): number[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size ${size}: expected a whole number, at least 1`);
  const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += size) batches.push(order.slice(start, start + size));
  return batches;
}

/**
 * Mean of each text's token vectors over its attention mask, scaled to unit length
 * (sentence-transformers' Pooling(mean) + Normalize). `hidden` is the model's
 * last_hidden_state, `[batch, tokens, width]` flattened; `mask` is `[batch, tokens]`.
 */
export function meanPoolNormalized(hidden: Float32Array, mask: ArrayLike<bigint | number>, batch: number, tokens: number, width: number): Float32Array[] {
  const vectors: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Float64Array(width); // float64: no drift summing up to 256 tokens
    let kept = 0;
    for (let t = 0; t < tokens; t++) {
      if (Number(mask[b * tokens + t]) === 0) continue;
      kept++;
      const offset = (b * tokens + t) * width;
      for (let k = 0; k < width; k++) sum[k]! += hidden[offset + k]!;
    }
    let norm = 0;
    for (let k = 0; k < width; k++) norm += sum[k]! * sum[k]!;
    // mean then normalize = normalize the sum; the mean only matters when every token is masked
    const scale = kept === 0 || norm === 0 ? 0 : 1 / Math.sqrt(norm);
    const vector = new Float32Array(width);
    for (let k = 0; k < width; k++) vector[k] = sum[k]! * scale;
    vectors.push(vector);
  }
  return vectors;
}

/** Embeds texts in length-sorted batches through `run` (one model call per batch); vectors come back in input order. */
export async function embedInSortedBatches(texts: readonly string[], size: number, run: (batch: string[]) => Promise<Float32Array[]>): Promise<Float32Array[]> {
  const vectors = new Array<Float32Array>(texts.length);
  for (const batch of lengthSortedBatches(texts, size)) {
    const out = await run(batch.map((i) => texts[i]!));
    batch.forEach((textIndex, i) => (vectors[textIndex] = out[i]!));
  }
  return vectors;
}
