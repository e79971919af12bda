import type { Vector } from '../../model/vectors.js';

/**
 * The vocabulary pack's binary form (vocabulary.bin, written by scripts/vocabulary/build-pack.ts):
 *
 *     bytes 0–3   magic "SFV1"
 *     bytes 4–7   header length in bytes, uint32 little-endian
 *     then        the header: UTF-8 JSON, a VocabularyPackHeader
 *     then        the vectors' int8 values, row after row (texts.length × dimensions bytes), nothing after
 */
export const VOCABULARY_PACK_MAGIC = 'SFV1';

/** Magic and header length. */
const PREAMBLE_BYTES = 8;

/** What a pack says about its vectors; the int8 values follow it. */
export interface VocabularyPackHeader {
  readonly model: string;
  readonly revision: string;
  /** Precision of the model that computed the vectors (they are stored as int8 either way). */
  readonly dtype: string;
  readonly dimensions: number;
  /** The embedded texts (tags phrased for their dimension), in table order. */
  readonly texts: readonly string[];
  /** Per vector: value = int8 × scale. */
  readonly scales: readonly number[];
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

/** Bytes that are not a vocabulary pack; the message says what is wrong with them. */
export class VocabularyPackError extends Error {
  override readonly name = 'VocabularyPackError';
}

/** A pack's header and int8 values, checked against each other; the values are a view on `bytes`. */
function parse(input: ArrayBuffer | ArrayBufferView): { header: VocabularyPackHeader; values: Int8Array } {
  const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length < PREAMBLE_BYTES) {
    throw new VocabularyPackError(`not a vocabulary pack: ${bytes.length} bytes, shorter than the ${PREAMBLE_BYTES}-byte preamble (magic "${VOCABULARY_PACK_MAGIC}" and header length)`);
  }
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== VOCABULARY_PACK_MAGIC) {
    const shown = /^[\x20-\x7e]{4}$/.test(magic) ? `"${magic}"` : Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new VocabularyPackError(`not a vocabulary pack: starts with ${shown}, not the magic "${VOCABULARY_PACK_MAGIC}"${magic.startsWith('<') ? ' (an HTML page?)' : ''}`);
  }
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (PREAMBLE_BYTES + headerBytes > bytes.length) {
    throw new VocabularyPackError(`vocabulary pack truncated: its header is ${headerBytes} bytes, but only ${bytes.length - PREAMBLE_BYTES} follow the preamble`);
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerBytes)));
  } catch (error) {
    throw new VocabularyPackError(`vocabulary pack header is not UTF-8 JSON: ${(error as Error).message}`);
  }
  const problem = headerProblem(header);
  if (problem !== undefined) throw new VocabularyPackError(`vocabulary pack header: ${problem}`);
  const { texts, dimensions } = header as VocabularyPackHeader;
  const expected = texts.length * dimensions;
  const actual = bytes.length - PREAMBLE_BYTES - headerBytes;
  if (actual !== expected) {
    throw new VocabularyPackError(
      `vocabulary pack ${actual < expected ? 'truncated' : 'size mismatch'}: ${actual} bytes of vectors after the header, expected ${texts.length} vectors × ${dimensions} dimensions = ${expected}`,
    );
  }
  return { header: header as VocabularyPackHeader, values: new Int8Array(bytes.buffer, bytes.byteOffset + PREAMBLE_BYTES + headerBytes, expected) };
}

/** What is wrong with a parsed header, or undefined. */
function headerProblem(header: unknown): string | undefined {
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return 'not an object';
  const h = header as Record<string, unknown>;
  for (const key of ['model', 'revision', 'dtype'] as const) if (typeof h[key] !== 'string') return `${key} is not a string`;
  if (!Array.isArray(h.texts) || !h.texts.every((text) => typeof text === 'string')) return 'texts is not a list of strings';
  const least = h.texts.length > 0 ? 1 : 0;
  if (!Number.isInteger(h.dimensions) || (h.dimensions as number) < least) return `dimensions is not ${least ? 'a positive' : 'a non-negative'} integer (${JSON.stringify(h.dimensions)})`;
  if (!Array.isArray(h.scales) || !h.scales.every((scale) => typeof scale === 'number' && Number.isFinite(scale))) return 'scales is not a list of numbers';
  if (h.scales.length !== h.texts.length) return `${h.scales.length} scales for ${h.texts.length} texts`;
  return undefined;
}

/** A pack's header alone (model, texts, …), checked like decodeVocabularyPack checks it. */
export function readVocabularyPackHeader(bytes: ArrayBuffer | ArrayBufferView): VocabularyPackHeader {
  return parse(bytes).header;
}

/**
 * Decodes a pack (vocabulary.bin's bytes); each vector is rebuilt and renormalized on first use.
 * Throws a VocabularyPackError naming the problem when the bytes are not a whole pack.
 */
export function decodeVocabularyPack(bytes: ArrayBuffer | ArrayBufferView): VocabularyPack {
  const { header, values } = parse(bytes);
  const { dimensions, scales } = header;
  const rows = new Map(header.texts.map((text, i) => [text, i]));
  const decoded = new Map<string, Vector>();
  return {
    model: header.model,
    revision: header.revision,
    dtype: header.dtype,
    size: header.texts.length,
    get(text) {
      const cached = decoded.get(text);
      if (cached !== undefined) return cached;
      const row = rows.get(text);
      if (row === undefined) return undefined;
      const vector = new Float32Array(dimensions);
      const scale = scales[row]!;
      let norm = 0;
      for (let i = 0; i < dimensions; i++) {
        const value = values[row * dimensions + i]! * scale;
        vector[i] = value;
        norm += value * value;
      }
      norm = Math.sqrt(norm);
      for (let i = 0; i < dimensions; i++) vector[i]! /= norm;
      decoded.set(text, vector);
      return vector;
    },
  };
}

/**
 * Encodes unit vectors as a pack's bytes (symmetric int8 per vector). Used by
 * scripts/vocabulary/build-pack.ts.
 */
export function encodeVocabularyPack(meta: Pick<VocabularyPackHeader, 'model' | 'revision' | 'dtype'>, entries: readonly (readonly [string, Vector])[]): Uint8Array {
  const dimensions = entries[0]?.[1].length ?? 0;
  if (entries.some(([, vector]) => vector.length !== dimensions)) throw new RangeError('encodeVocabularyPack: vectors of different lengths');
  const values = new Int8Array(entries.length * dimensions);
  const scales = entries.map(([, vector], row) => {
    const max = vector.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
    vector.forEach((v, i) => (values[row * dimensions + i] = Math.round((v / max) * 127)));
    // Six digits are plenty: decoding renormalizes every vector, so a scale only has to be about right.
    return Number((max / 127).toPrecision(6));
  });
  const header: VocabularyPackHeader = { model: meta.model, revision: meta.revision, dtype: meta.dtype, dimensions, texts: entries.map(([text]) => text), scales };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(PREAMBLE_BYTES + headerBytes.length + values.length);
  for (let i = 0; i < 4; i++) bytes[i] = VOCABULARY_PACK_MAGIC.charCodeAt(i);
  new DataView(bytes.buffer).setUint32(4, headerBytes.length, true);
  bytes.set(headerBytes, PREAMBLE_BYTES);
  bytes.set(new Uint8Array(values.buffer), PREAMBLE_BYTES + headerBytes.length);
  return bytes;
}
