/**
 * The embedded vocabulary as Node tests read it: src/semantic/vocabulary/vocabulary.bin (the browser
 * facade fetches the same file), decoded with the package's own decoder.
 */
import { readFileSync } from 'node:fs';
import { decodeVocabularyPack, readVocabularyPackHeader, type VocabularyPack, type VocabularyPackHeader } from '@semfilter/core';

/** Where scripts/vocabulary/build-pack.ts writes the pack. */
export const VOCABULARY_BIN = new URL('../../src/semantic/vocabulary/vocabulary.bin', import.meta.url);

let bytes: Uint8Array | undefined;

/** The file's bytes, read once. */
export function vocabularyBytes(): Uint8Array {
  return (bytes ??= readFileSync(VOCABULARY_BIN));
}

/** A freshly decoded pack (its own cache of decoded vectors), as the facade gets it. */
export function vocabularyPack(): VocabularyPack {
  return decodeVocabularyPack(vocabularyBytes());
}

/** The pack's header: model, revision, dtype, dimensions and its texts in table order. */
export function vocabularyHeader(): VocabularyPackHeader {
  return readVocabularyPackHeader(vocabularyBytes());
}
