import type { Vector } from '../../vectors.js';

/** A precomputed vector table as shipped: int8 values, one scale per vector, base64-encoded. */
export interface VocabularyPackData {
  readonly model: string;
  readonly revision: string;
  /** Precision of the model that computed the vectors (they are stored as int8 either way). */
  readonly dtype: string;
  readonly dimensions: number;
  /** The embedded texts (tags phrased for their dimension), in table order. */
  readonly texts: readonly string[];
  /** Per vector: value = int8 × scale. */
  readonly scales: readonly number[];
  /** All vectors' int8 values, row after row, base64. */
  readonly vectors: string;
}

/** A decoded vocabulary pack: vectors for known texts, without a model. */
export interface VocabularyPack {
  readonly model: string;
  readonly revision: string;
  readonly dtype: string;
  readonly size: number;
  /** The unit vector of a known text, or undefined. */
  get(text: string): Vector | undefined;
}

/** Decodes a pack; each vector is rebuilt and renormalized on first use. */
export function decodeVocabularyPack(data: VocabularyPackData): VocabularyPack {
  const binary = atob(data.vectors);
  // A plain loop: Uint8Array.from with a mapping callback costs ~20 ms here, on a cold page's first semantic report.
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const values = new Int8Array(bytes.buffer);
  if (values.length !== data.texts.length * data.dimensions) {
    throw new Error(`vocabulary pack holds ${values.length} values, expected ${data.texts.length} × ${data.dimensions}`);
  }
  const rows = new Map(data.texts.map((text, i) => [text, i]));
  const decoded = new Map<string, Vector>();
  return {
    model: data.model,
    revision: data.revision,
    dtype: data.dtype,
    size: data.texts.length,
    get(text) {
      const cached = decoded.get(text);
      if (cached !== undefined) return cached;
      const row = rows.get(text);
      if (row === undefined) return undefined;
      const vector = new Float32Array(data.dimensions);
      const scale = data.scales[row]!;
      let norm = 0;
      for (let i = 0; i < data.dimensions; i++) {
        const value = values[row * data.dimensions + i]! * scale;
        vector[i] = value;
        norm += value * value;
      }
      norm = Math.sqrt(norm);
      for (let i = 0; i < data.dimensions; i++) vector[i]! /= norm;
      decoded.set(text, vector);
      return vector;
    },
  };
}

/** Encodes unit vectors as a pack (symmetric int8 per vector). Used by scripts/vocabulary/build-pack.ts. */
export function encodeVocabularyPack(meta: Pick<VocabularyPackData, 'model' | 'revision' | 'dtype'>, entries: readonly (readonly [string, Vector])[]): VocabularyPackData {
  const dimensions = entries[0]?.[1].length ?? 0;
  const values = new Int8Array(entries.length * dimensions);
  const scales = entries.map(([, vector], row) => {
    const max = vector.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
    vector.forEach((v, i) => (values[row * dimensions + i] = Math.round((v / max) * 127)));
    return max / 127;
  });
  let binary = '';
  for (const byte of new Uint8Array(values.buffer)) binary += String.fromCharCode(byte);
  return { ...meta, dimensions, texts: entries.map(([text]) => text), scales, vectors: btoa(binary) };
}
