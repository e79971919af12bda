import { decodeVocabularyPack, type VocabularyPack } from '../semantic/vocabulary/pack-format.js';

/** How long the vocabulary's download may take before semantic mode goes on without it. */
const VOCABULARY_TIMEOUT_MS = 30_000;

/**
 * The embedded vocabulary: vocabulary.bin, shipped in dist/semantic/vocabulary/ and named with the
 * literal `new URL('…', import.meta.url)` form so hosts' bundlers copy it into their builds. The
 * facade fetches it on its first semantic call. Undefined when it cannot be had (missing, not a
 * pack, too slow): the model still answers for every term.
 */
export async function loadVocabulary(): Promise<VocabularyPack | undefined> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), VOCABULARY_TIMEOUT_MS);
  try {
    const response = await fetch(new URL('../semantic/vocabulary/vocabulary.bin', import.meta.url), { signal: abort.signal });
    if (!response.ok) return undefined;
    return decodeVocabularyPack(await response.arrayBuffer());
  } catch {
    return undefined; // the model still answers for every term
  } finally {
    clearTimeout(timer);
  }
}
