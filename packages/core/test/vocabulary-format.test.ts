import { describe, expect, it } from 'vitest';
import { cosine, decodeVocabularyPack, encodeVocabularyPack, readVocabularyPackHeader, VocabularyPackError } from '@semfilter/core';
import { vocabularyBytes, vocabularyHeader } from './support/vocabulary-pack.js';

const META = { model: 'test-model', revision: 'r1', dtype: 'fp32' };

function unitVector(seed: number, dimensions = 16): Float32Array {
  const vector = Float32Array.from({ length: dimensions }, (_, i) => Math.sin(seed * 7.1 + i * 1.3) + (i === seed % dimensions ? 0.5 : 0));
  const norm = Math.hypot(...vector);
  return vector.map((v) => v / norm);
}

const entries = [0, 1, 2].map((i) => [`a term ${i}`, unitVector(i)] as const);
const bytes = encodeVocabularyPack(META, entries);

/** The bytes with the header length field set to `length`. */
function withHeaderLength(length: number): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(4, length, true);
  return copy;
}

describe('the vocabulary pack format', () => {
  it('round-trips: magic "SFV1", the header, int8 values; unit vectors come back renormalized and are decoded once', () => {
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('SFV1');
    const pack = decodeVocabularyPack(bytes);
    expect([pack.model, pack.revision, pack.dtype, pack.size]).toEqual(['test-model', 'r1', 'fp32', 3]);
    for (const [text, vector] of entries) {
      const decoded = pack.get(text)!;
      expect(Math.hypot(...decoded)).toBeCloseTo(1, 6);
      expect(cosine(decoded, vector)).toBeGreaterThan(0.999);
      expect(pack.get(text)).toBe(decoded);
    }
    expect(pack.get('unknown')).toBeUndefined();
    expect(readVocabularyPackHeader(bytes)).toMatchObject({ ...META, dimensions: 16, texts: ['a term 0', 'a term 1', 'a term 2'] });
  });

  it('reads an ArrayBuffer, and a view that does not start at its buffer\'s first byte', () => {
    expect(decodeVocabularyPack(bytes.slice().buffer).size).toBe(3);
    const padded = new Uint8Array(bytes.length + 5);
    padded.set(bytes, 3);
    const pack = decodeVocabularyPack(padded.subarray(3, 3 + bytes.length));
    expect(cosine(pack.get('a term 1')!, entries[1]![1])).toBeGreaterThan(0.999);
  });

  it('says what is wrong with bytes that are not a pack', () => {
    const html = new TextEncoder().encode('<!doctype html><html><body>index</body></html>');
    expect(() => decodeVocabularyPack(html)).toThrow(VocabularyPackError);
    expect(() => decodeVocabularyPack(html)).toThrow('not a vocabulary pack: starts with "<!do", not the magic "SFV1" (an HTML page?)');
    expect(() => decodeVocabularyPack(new Uint8Array([0, 1, 2, 3, 0, 0, 0, 0]))).toThrow('starts with 00 01 02 03, not the magic "SFV1"');
    expect(() => decodeVocabularyPack(new Uint8Array(0))).toThrow('not a vocabulary pack: 0 bytes, shorter than the 8-byte preamble');
    expect(() => decodeVocabularyPack(bytes.subarray(0, 20))).toThrow(/^vocabulary pack truncated: its header is \d+ bytes, but only 12 follow the preamble$/);
    expect(() => decodeVocabularyPack(bytes.subarray(0, bytes.length - 1))).toThrow('vocabulary pack truncated: 47 bytes of vectors after the header, expected 3 vectors × 16 dimensions = 48');
    const longer = new Uint8Array(bytes.length + 2);
    longer.set(bytes);
    expect(() => decodeVocabularyPack(longer)).toThrow('vocabulary pack size mismatch: 50 bytes of vectors after the header, expected 3 vectors × 16 dimensions = 48');
    expect(() => decodeVocabularyPack(withHeaderLength(3))).toThrow(/^vocabulary pack header is not UTF-8 JSON/);
  });

  it('checks the header against itself', () => {
    const header = (fields: object) => {
      const json = new TextEncoder().encode(JSON.stringify(fields));
      const out = new Uint8Array(8 + json.length);
      out.set(new TextEncoder().encode('SFV1'));
      new DataView(out.buffer).setUint32(4, json.length, true);
      out.set(json, 8);
      return out;
    };
    expect(() => decodeVocabularyPack(header([1]))).toThrow('vocabulary pack header: not an object');
    expect(() => decodeVocabularyPack(header({ ...META, dimensions: 4, texts: ['a'], scales: [] }))).toThrow('vocabulary pack header: 0 scales for 1 texts');
    expect(() => decodeVocabularyPack(header({ ...META, dimensions: 0, texts: ['a'], scales: [1] }))).toThrow('vocabulary pack header: dimensions is not a positive integer (0)');
    expect(() => decodeVocabularyPack(header({ ...META, model: 3, dimensions: 4, texts: [], scales: [] }))).toThrow('vocabulary pack header: model is not a string');
    expect(decodeVocabularyPack(header({ ...META, dimensions: 4, texts: [], scales: [] })).size).toBe(0);
  });

  it('the shipped vocabulary.bin is such a pack', () => {
    const header = vocabularyHeader();
    expect(header.dimensions).toBe(384);
    expect(vocabularyBytes().length).toBe(8 + new DataView(vocabularyBytes().buffer, vocabularyBytes().byteOffset).getUint32(4, true) + header.texts.length * 384);
    expect(new Set(header.texts).size).toBe(header.texts.length);
  });
});
